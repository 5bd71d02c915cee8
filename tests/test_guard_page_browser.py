"""The guard page in a real browser: headless Chromium gives the same verdicts as `cmdpost pass verify`.

Typed as a scanner types it (keys and Enter into the focused box), and shown a printed pass through
Chromium's fake camera (a Y4M video made from the rendered pass sheet). Skipped where Chromium is
not installed, except in CI (.ci/run installs it), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from console.cli import main
from console.config import Config
from tests.guard_browser import GuardBrowser, missing
from tests.test_passes_cli import cli_post, payload_of, run  # noqa: F401 (cli_post is a fixture)

HOUR = 3600


@pytest.fixture(scope="module")
def browser_ready():
    why = missing()
    if why and os.environ.get("CI"):
        pytest.fail(f"the browser tests need {why}")
    if why:
        pytest.skip(f"the browser tests need {why}")


@pytest.fixture
def post(browser_ready, cli_post, db_path, tmp_path, capsys):
    db = str(db_path)
    for name, grid in (("甲", "1"), ("乙", "2")):
        assert run(capsys, "pass", "issue", str(cli_post[name]), "--grid", grid, "--db", db)[0] == 0
    key = tmp_path / "verify.pem"
    assert run(capsys, "pass", "key", "--export-public", str(key), "--db", db)[0] == 0
    page = tmp_path / "guard.html"
    assert run(capsys, "pass", "guard-page", "--db", db, "--out", str(page))[0] == 0
    return {
        "db": db,
        "key": str(key),
        "page": page,
        "tmp": tmp_path,
        "one": payload_of(capsys, db, "1-0001"),
        "two": payload_of(capsys, db, "2-0001"),
    }


def cli_verdict(capsys, post, payload: str, bulletin: Path) -> str:
    out = run(
        capsys, "pass", "verify", payload, "--at", "1", "--key", post["key"], "--bulletin", str(bulletin)
    )[1]
    return out.strip()


def bulletin_file(capsys, post, name: str) -> Path:
    path = post["tmp"] / name
    assert run(capsys, "pass", "bulletin", "--out", str(path), "--db", post["db"])[0] == 0
    return path


def test_typed_scans_give_the_clis_verdicts(post, capsys):
    first = bulletin_file(capsys, post, "b1.txt")
    forged = post["one"][:-2] + ("AA" if not post["one"].endswith("AA") else "BB")
    browser = GuardBrowser()
    try:
        browser.open(post["page"])  # no grid chosen yet: the page asks, it does not guess
        browser.type_scan(post["one"])
        assert browser.text("verdict-zh") == "请先选择所在网格" and browser.data("scans") == ""
        browser.open(post["page"], "#grid=1")
        assert browser.type_scan(post["one"]) == "VALID"
        assert browser.text("holder").startswith("甲") and browser.text("grid-band").startswith("1 第一网格")
        for payload, expected in (
            (post["one"], "VALID"),
            (post["two"], "CROSS_GRID"),
            (forged, "FORGED"),
            ("CP1.1-0001.1.1", "MALFORMED"),
        ):
            assert browser.type_scan(payload) == expected == cli_verdict(capsys, post, payload, first)
        # Revoked at the laptop: the page knows once it has scanned the new bulletin, and not before.
        assert run(capsys, "pass", "revoke", "1-0001", "--reason", "遗失", "--db", post["db"])[0] == 0
        assert browser.type_scan(post["one"]) == "VALID"
        newer = bulletin_file(capsys, post, "b2.txt")
        browser.type_scan(newer.read_text().strip())
        assert browser.text("verdict-zh") == "已更新撤销公告"
        assert browser.type_scan(post["one"]) == "REVOKED" == cli_verdict(capsys, post, post["one"], newer)
        # An older bulletin is refused, and the page says why.
        browser.type_scan(first.read_text().strip())
        assert "旧" in browser.text("detail")
        assert browser.type_scan(post["one"]) == "REVOKED"
        assert browser.data("scans") == "8"
    finally:
        browser.close()


def test_a_page_whose_bulletin_is_too_old_says_stale(post, capsys):
    from console.guard_page import build_page
    from db.connection import open_database
    from db.passes import bulletin as pass_bulletin
    from db.passes import keys as pass_keys

    old_time = int(time.time()) - 13 * HOUR
    database = open_database(post["db"])
    try:
        key = pass_keys.signing_key(post["db"])
        old = pass_bulletin.encode({}, old_time, key)
        html, _ = build_page(Config(), key.public_key(), old, grid="1")
    finally:
        database.close()
    page = post["tmp"] / "old.html"
    page.write_text(html, encoding="utf-8")
    (post["tmp"] / "old.txt").write_text(old)
    browser = GuardBrowser()
    try:
        browser.open(page)
        assert (
            browser.type_scan(post["one"])
            == "STALE"
            == cli_verdict(capsys, post, post["one"], post["tmp"] / "old.txt")
        )
    finally:
        browser.close()


def camera_video(pdf: Path, out: Path) -> Path:
    """A few seconds of Y4M video of the first pass on a printed sheet, as a phone held over it sees it."""
    import pypdfium2 as pdfium
    import zxingcpp

    page = pdfium.PdfDocument(str(pdf))[0].render(scale=150 / 72).to_pil().convert("RGB")
    found = zxingcpp.read_barcodes(page, formats=zxingcpp.BarcodeFormat.QRCode)[0].position
    xs, ys = (
        [p.x for p in (found.top_left, found.bottom_right)],
        [p.y for p in (found.top_left, found.bottom_right)],
    )
    cx, cy, size = sum(xs) // 2, sum(ys) // 2, max(xs) - min(xs)
    frame = page.crop((cx - size * 2, cy - size * 3 // 2, cx + size * 2, cy + size * 3 // 2)).resize(
        (640, 480)
    )
    y, cb, cr = frame.convert("YCbCr").split()
    planes = y.tobytes() + cb.resize((320, 240)).tobytes() + cr.resize((320, 240)).tobytes()
    with out.open("wb") as video:
        video.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(20):
            video.write(b"FRAME\n" + planes)
    return out


def test_a_printed_pass_through_the_camera_gives_the_clis_verdict(post, capsys):
    pytest.importorskip("pypdfium2")
    from console.sheets import passes as pass_sheet

    pass_sheet.find_font.cache_clear()
    try:
        pass_sheet.find_font()
    except pass_sheet.PassSheetError:
        pytest.skip("no CJK font to print passes with")
    sheet = post["tmp"] / "grid1.pdf"
    assert main(["pass", "print", "--grid", "1", "--out", str(sheet), "--db", post["db"]]) == 0
    video = camera_video(sheet, post["tmp"] / "camera.y4m")
    bulletin = bulletin_file(capsys, post, "b.txt")
    browser = GuardBrowser(camera_file=video)
    try:
        browser.open(post["page"], "#grid=1")
        browser.driver.execute_script("document.getElementById('camera-button').click()")
        browser.wait(lambda: browser.data("taken") != "", timeout=30)
        assert browser.text("verdict-code") == "VALID" == cli_verdict(capsys, post, post["one"], bulletin)
        assert browser.text("holder").startswith("甲")
    finally:
        browser.close()


def test_neighbouring_posts_passes_read_cross_grid_and_cp1_passes_still_verify(post, capsys):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from db.passes import codec
    from db.passes import keys as pass_keys
    from tests.test_passes_field import cp1_payload

    neighbour = Ed25519PrivateKey.generate()
    pem = post["tmp"] / "neighbour.pem"
    pem.write_bytes(
        neighbour.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    page = post["tmp"] / "county.html"
    assert (
        run(capsys, "pass", "guard-page", "--db", post["db"], "--out", str(page), "--neighbour", str(pem))[0]
        == 0
    )
    now = int(time.time())
    theirs = codec.payload(
        codec.PassFields("1", 9, 1, 99, now - HOUR, now + 24 * HOUR), neighbour
    )  # their grid 1
    ours = codec.parse(post["one"]).fields
    printed_before = cp1_payload(ours, pass_keys.signing_key(post["db"]))
    browser = GuardBrowser()
    try:
        browser.open(page, "#grid=1")
        assert browser.type_scan(theirs) == "CROSS_GRID"  # same grid code, another post: not valid here
        assert browser.type_scan(printed_before) == "VALID"
        browser.open(post["page"], "#grid=1")  # a page without the neighbour's key
        assert browser.type_scan(theirs) == "FORGED"
    finally:
        browser.close()


def test_broken_storage_is_recovered_no_scan_is_lost_silently_and_scans_come_home(post, capsys):
    import sqlite3

    browser = GuardBrowser()
    try:
        browser.open(post["page"], "#grid=1")
        browser.driver.execute_script("localStorage.setItem('cmdpost-guard-v1', '{not json')")
        browser.reload()
        assert "已损坏" in browser.text("storage-state")
        kept = browser.driver.execute_script(
            "return Object.keys(localStorage).filter((k) => k.startsWith('cmdpost-guard-v1-broken-'))"
            ".map((k) => localStorage.getItem(k))"
        )
        assert kept == ["{not json"]  # set aside, not thrown away
        assert browser.type_scan(post["one"]) == "VALID"
        # Storage that refuses a write: the guard is told at once, and the scan stays on the page.
        browser.driver.execute_script("Storage.prototype.setItem = () => { throw new Error('quota'); }")
        assert browser.type_scan(post["two"]) == "CROSS_GRID"
        assert "未能保存" in browser.text("detail")
        browser.driver.execute_script("document.getElementById('export-button').click()")
        export = browser.driver.execute_script("return document.getElementById('export-text').value")
        png = browser.driver.execute_script(
            "return document.getElementById('export-qr').toDataURL('image/png')"
        )
    finally:
        browser.close()
    import base64
    import io

    import zxingcpp
    from PIL import Image

    shown = Image.open(io.BytesIO(base64.b64decode(png.split(",", 1)[1])))
    assert [r.text for r in zxingcpp.read_barcodes(shown, formats=zxingcpp.BarcodeFormat.QRCode)] == [export]
    path = post["tmp"] / "scans.json"
    path.write_text(export, encoding="utf-8")
    for _ in range(2):  # reading the same scans twice adds nothing
        assert run(capsys, "pass", "import-scans", str(path), "--db", post["db"])[0] == 0
    rows = (
        sqlite3.connect(post["db"])
        .execute("SELECT verdict, serial, place, operator FROM pass_scan WHERE ref IS NOT NULL ORDER BY id")
        .fetchall()
    )
    assert rows == [("VALID", "1-0001", "1", "guard:卡口1"), ("CROSS_GRID", "2-0001", "1", "guard:卡口1")]


def test_fuzz_whatever_a_scanner_types_gets_a_verdict(post):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    verdicts = {"VALID", "CROSS_GRID", "REVOKED", "EXPIRED", "NOT_YET_VALID", "FORGED", "STALE", "MALFORMED"}
    browser = GuardBrowser()
    try:
        browser.open(post["page"], "#grid=1")

        @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
        @given(
            st.text(max_size=400)
            | st.sampled_from([post["one"], post["two"]]).flatmap(
                lambda p: st.integers(0, len(p)).map(lambda cut: p[:cut] + p[cut + 1 :])
            )
        )
        def check(text):
            verdict = browser.driver.execute_async_script(
                "const done = arguments[1];"
                "judge(arguments[0], Math.floor(Date.now() / 1000), '1').then((r) => done(r.verdict),"
                " (e) => done('threw: ' + e));",
                text,
            )
            assert verdict in verdicts
            if text not in (post["one"], post["two"]):
                assert verdict in ("MALFORMED", "FORGED") or text.strip().upper() in (
                    post["one"],
                    post["two"],
                )

        check()
    finally:
        browser.close()
