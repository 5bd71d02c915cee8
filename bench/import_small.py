"""A small household file imported into a big post, against the same file into an empty one.

    python -m bench.import_small [--scale village|county|region] [--rows N] [--runs N]

Issue 18's target: a 1,000-row import into 3× county is as fast as into an empty post (the import
must not read or rewrite what the post already holds). Each import is a fresh `cmdpost import
households` process timed from outside, the two interleaved in every run:

- big: into a fresh copy of the scale's demo post (465,000 households at a region), signed in as its
  operator, the copy made and synced to disk before the clock starts;
- empty: into a fresh post holding only the grids the file names (up to 150 of the demo's own
  sub-grids, and their grids) and one account, signed in the same way (a sign-in is a slow hash by
  design: left out of one side only, it would be most of the difference at a small file).

The file's doors are new to both, so both posts gain the same 1,000 households.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.import_csv import fresh, make_files, timed
from bench.posts import ROOT, SCALES, ensure_demo, verdict

TARGET_RATIO = 1.2  # "as fast as": within the run-to-run noise of a fresh process (about a tenth)


def subgrids(db: Path, most: int = 150) -> list[str]:
    """The post's own sub-grids ("1-2"), so that the file names only grids it holds."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        rows = con.execute("SELECT code FROM grid WHERE level = 1 ORDER BY id LIMIT ?", (most,)).fetchall()
    return [code for (code,) in rows]


ACCOUNT = """
import sys, time
from db.accounts import operators
from db.connection import open_database
from db.demo.accounts import DEMO_PIN
database = open_database(sys.argv[1])
operators.add_account("zhiban", "admin", DEMO_PIN, now=int(time.time()))  # the first account: an admin
database.close()
"""


def empty_post(folder: Path, grids: Path) -> Path:
    """A fresh post with the file's grids and one account, signed in as the big post's operator is."""
    db = fresh(folder, grids, "empty.db")
    subprocess.run([sys.executable, "-c", ACCOUNT, str(db)], cwd=ROOT, check=True)
    return db


def households(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        return con.execute("SELECT count(*) FROM household").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="region")
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from db.demo.accounts import DEMO_PIN

    demo = ensure_demo(args.scale)
    operator = {**os.environ, "CMDPOST_USER": "zhiban", "CMDPOST_PIN": DEMO_PIN}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        grids, rows = make_files(folder, args.rows, subgrids(demo))
        big: list[float] = []
        empty: list[float] = []
        cpu_big: list[float] = []
        cpu_empty: list[float] = []
        before = households(demo)
        for _ in range(args.runs):
            copy = folder / "big.db"
            shutil.copyfile(demo, copy)
            with copy.open("rb+") as fh:  # the copy's pages on disk before the clock starts: otherwise
                os.fsync(fh.fileno())  # the import's first fsync would write out the whole copy
            command = [sys.executable, "-m", "console", "import", "households", str(rows), "--db"]
            big.append(timed([*command, str(copy)], cpus=cpu_big, env=operator))
            empty.append(timed([*command, str(empty_post(folder, grids))], cpus=cpu_empty, env=operator))
            assert households(copy) == before + args.rows, "the big post did not gain the file's rows"
            assert households(folder / "empty.db") == args.rows, "the empty post did not gain the rows"
    med = statistics.median
    ratio, cpu_ratio = med(big) / med(empty), med(cpu_big) / med(cpu_empty)
    print(
        f"import {args.rows:,} households into the {args.scale} demo ({before:,} households): "
        f"{med(big):.2f} s, reference: the same file into an empty post {med(empty):.2f} s; "
        f"ratio {ratio:.2f}x, target <= {TARGET_RATIO}x: {verdict(ratio <= TARGET_RATIO)} (median of {args.runs})"
    )
    print(f"  CPU seconds: {med(cpu_big):.2f} s against {med(cpu_empty):.2f} s, {cpu_ratio:.2f}x")


if __name__ == "__main__":
    main()
