"""Printing a thousand passes: sign every payload and write the A4 sheets, as `cmdpost pass print` does.

    python -m bench.passes [--scale village|county|region | --count N] [--runs N] [--keep FILE.pdf]

A temporary post gets one grid of N delivery volunteers, each with a pass; the figure is the
median of several runs of `pass print` for that grid, in a fresh process each (imports
included), and once more in-process to split signing from the PDF.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.posts import PASSES, ROOT, SCALES, verdict

TZ = ZoneInfo("Asia/Shanghai")
TARGET_S_PER_1000 = 2.0


def build_post(path: Path, count: int) -> None:
    from db.connection import open_database
    from db.demo import names as demo_names
    from db.grids import writes
    from db.passes import issuing as passes
    from db.records import GridInput, StaffInput
    from db.roster.settings import Duty, Rules

    database = open_database(path)
    rng = random.Random(4)
    writes.upsert_grids([GridInput("3", "第三网格")], actor="bench")
    writes.upsert_staff(
        [
            StaffInput(demo_names.person_name(rng), "志愿者", "3", phone=f"1010{n:07d}", birth_year=1990)
            for n in range(count)
        ],
        actor="bench",
    )
    duty, now = Duty(Rules(), TZ), int(time.time())
    for (staff_id,) in database.execute_sql("SELECT id FROM staff").fetchall():
        passes.issue(duty, staff_id, "3", actor="bench", now=now)
    database.close()


def in_process(db: Path, out: Path) -> tuple[float, float]:
    from console.sheets.passes import write_sheet
    from db.connection import open_database
    from db.passes import issuing as passes
    from db.passes import keys as pass_keys

    database = open_database(db)
    start = time.perf_counter()
    rows = passes.printable(int(time.time()), "3")
    key = pass_keys.signing_key(db)
    payloads = [passes.payload_for(row, key) for row in rows]
    signed = time.perf_counter()
    write_sheet(rows, payloads, out, post_name="花厅口村疫情防控临时指挥部", tz=TZ)
    done = time.perf_counter()
    database.close()
    return signed - start, done - signed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=SCALES, default="county", help="how many passes (PASSES)")
    parser.add_argument("--count", type=int, help="passes to print instead")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep the PDF here")
    args = parser.parse_args()
    args.count = args.count or PASSES[args.scale]
    with tempfile.TemporaryDirectory() as tmp:
        db, out = Path(tmp) / "post.db", args.keep or Path(tmp) / "passes.pdf"
        build_post(db, args.count)
        samples, cpu = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            with tempfile.TemporaryFile() as errors:  # a file, not a pipe nobody reads while waiting
                child = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "console",
                        "--db",
                        str(db),
                        "pass",
                        "print",
                        "--grid",
                        "3",
                        "--out",
                        str(out),
                    ],
                    cwd=ROOT,
                    stdout=subprocess.DEVNULL,
                    stderr=errors,
                )
                _, status, usage = os.wait4(child.pid, 0)
                samples.append(time.perf_counter() - start)
                cpu.append(usage.ru_utime + usage.ru_stime)  # what a loaded machine changes least
                if status != 0:
                    errors.seek(0)
                    raise SystemExit(f"pass print failed: {errors.read().decode()[-2000:]}")
        signing, pdf = in_process(db, out)
        print(
            f"{args.count} passes: `cmdpost pass print` {statistics.median(samples):.2f} s (median of {args.runs},"
            f" a fresh process each; CPU {statistics.median(cpu):.2f} s); in-process: signing {signing:.2f} s,"
            f" PDF {pdf:.2f} s;"
            f" {out.stat().st_size / 1e6:.1f} MB"
        )
        # The target holds at 1,000 (a process start is most of a smaller print).
        met = (
            verdict(statistics.median(samples) <= TARGET_S_PER_1000)
            if args.count == 1000
            else "not measured here"
        )
        print(f"  target: 1,000 passes in <= {TARGET_S_PER_1000:.0f} s: {met}")


if __name__ == "__main__":
    main()
