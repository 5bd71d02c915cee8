"""The guard page: its size, the bulletin's size, and the time from a scanner's Enter to the verdict.

    python -m bench.guard_page [--scans N] [--revoked N]

A temporary post gets one grid of delivery volunteers with passes, ``--revoked`` of them revoked;
the bulletin is measured (characters, bytes, QR version at level M), the guard page is built, and
headless Chromium (Debian's chromium and chromium-driver) types ``--scans`` payloads into it the
way a keyboard-wedge scanner does. Figures: the time inside the page from the Enter key to the
verdict set (and to the next painted frame), and the round trip seen from WebDriver (an upper
bound: it adds the driver's own latency). Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build(path: Path, count: int, revoked: int) -> tuple[list[str], str]:
    from bench.passes import build_post
    from db.connection import open_database
    from db.passes import field
    from db.passes import issuing as passes
    from db.passes import keys as pass_keys

    build_post(path, count)
    database = open_database(path)
    now = int(time.time())
    rows = passes.register(now, "3")
    for row in rows[:revoked]:
        passes.revoke(row.serial, "遗失", actor="bench", now=now)
    key = pass_keys.signing_key(path)
    payloads = [passes.payload_for(row, key) for row in rows[revoked:]]
    bulletin = field.make_bulletin(key, now)
    database.close()
    return payloads, bulletin


def qr_version(text: str) -> int:
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    return code.version


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.guard_page", description=__doc__.splitlines()[0])
    parser.add_argument("--scans", type=int, default=40)
    parser.add_argument("--revoked", type=int, default=100)
    args = parser.parse_args()
    from console.cli import main as cmdpost
    from tests.guard_browser import GuardBrowser, missing

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "post.db"
        payloads, bulletin = build(db, args.revoked + 50, args.revoked)
        print(
            f"bulletin, {args.revoked} revoked passes: {len(bulletin)} characters "
            f"({len(bulletin.encode())} bytes), QR version {qr_version(bulletin)} at level M"
        )
        page = Path(folder) / "guard.html"
        cmdpost(["pass", "guard-page", "--db", str(db), "--out", str(page)])
        size = page.stat().st_size
        print(f"guard page: {size} bytes ({size / 1024 / 1024:.2f} MiB; limit 2 MiB)")
        why = missing()
        if why:
            print(f"no browser figures: needs {why}")
            return
        browser = GuardBrowser()
        try:
            browser.open(page, "#grid=3")
            inside, painted, round_trip = [], [], []
            for n in range(args.scans):
                start = time.perf_counter()
                verdict = browser.type_scan(payloads[n % len(payloads)])
                round_trip.append((time.perf_counter() - start) * 1000)
                assert verdict == "VALID", verdict
                browser.wait(lambda: browser.data("paintMs") != "")
                inside.append(float(browser.data("verdictMs")))
                painted.append(float(browser.data("paintMs")))
                browser.driver.execute_script("delete document.body.dataset.paintMs")
            print(f"Chromium {browser.version}, {args.scans} typed scans (median / max, ms):")
            print(f"  Enter to verdict set:   {statistics.median(inside):6.1f} / {max(inside):6.1f}")
            print(f"  Enter to painted frame: {statistics.median(painted):6.1f} / {max(painted):6.1f}")
            print(
                f"  WebDriver round trip:   {statistics.median(round_trip):6.1f} / {max(round_trip):6.1f}"
                " (typing 140 keys through the driver included)"
            )
        finally:
            browser.close()


if __name__ == "__main__":
    main()
