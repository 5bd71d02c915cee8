"""Importing 150,000 households from CSV, against the sqlite3 module's executemany of the same rows.

    python -m bench.import_csv [--scale village|county|region | --rows N] [--runs N]

Each figure is a fresh process timed from outside, the three interleaved in every run, each into a
fresh database holding the same 30 grids and 150 sub-grids:

- raw: the sqlite3 module's ``executemany`` of the prepared rows into the household table with
  its indexes but no triggers (no kept totals, no search index, no audit trail): the reference;
- raw and indexed: the same, then the two search indexes (trigram, and characters and pairs, schema 8
  and 13) each built by one ``INSERT … SELECT``: the least any import that keeps the household search
  flat must do, so the second reference, which says what the import itself costs on top;
- cmdpost: ``cmdpost import households``: reads the GBK file, checks every value, writes in
  batches, keeps the totals and the search index once per batch (db/grids/bulk.py) and records one
  audit entry for the import;
- the same import with the audit triggers removed, to show what the trail costs.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.posts import IMPORT_ROWS, ROOT, SCALES, verdict

GRIDS, SUBGRIDS = 30, 5
TARGET_SPEED = 0.6
TARGET_MIB = 150

RAW = """
import sqlite3, sys, csv
from db.connection import open_database
from db.fields import natural_key
db = open_database(sys.argv[1]); db.close()
con = sqlite3.connect(sys.argv[1])
triggers = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'household'"
for (name,) in con.execute(triggers).fetchall():
    con.execute(f"DROP TRIGGER {name}")
ids = {code: (gid, root) for gid, code, root in con.execute("SELECT id, code, root_id FROM grid")}
with open(sys.argv[2], encoding="gbk", newline="") as fh:
    rows = list(csv.reader(fh))[1:]
con.executemany("INSERT INTO household (grid_id, root_id, door, door_sort, head_name, people, phone, care_tags, note)"
                " VALUES (?,?,?,?,?,?,?,?,?)", [(ids[r[0]][0], ids[r[0]][1], r[1], natural_key(r[1]), r[4], int(r[2]),
                                                 r[3], r[5], r[6]) for r in rows])
con.commit()
"""

# The two search indexes built once, after the rows, the cheapest way there is (db/grids/bulk.py's own).
RAW_INDEXED = (
    RAW
    + """
from db.schema import GRAMS_FUNCTION, grams
con.create_function(GRAMS_FUNCTION, 3, grams, deterministic=True)
con.execute("INSERT INTO household_fts (rowid, door, phone, head_name)"
            " SELECT id, door, phone, head_name FROM household")
con.execute(f"INSERT INTO household_grams_fts (rowid, grams) SELECT id, {GRAMS_FUNCTION}(door, phone, head_name)"
            " FROM household")
con.commit()
"""
)

NO_AUDIT = """
import sys
from db.audit import trail as audit
from db.connection import open_database
from db.intake.csv_import import read_csv, write_table
audit.ensure_triggers = lambda database: 0
database = open_database(sys.argv[1])
for (name,) in database.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'"
                                    " AND name LIKE 'audit_household_%'").fetchall():
    database.execute_sql(f"DROP TRIGGER {name}")
result = write_table(read_csv(sys.argv[2], "households"), actor="bench")
assert not result.problems, result.problems[:3]
database.close()
"""


def make_files(folder: Path, rows: int, subgrids: list[str] | None = None) -> tuple[Path, Path]:
    """A grids file and a GBK households file of ``rows`` new doors. By default 30 grids of 5 sub-grids
    each; given ``subgrids`` (codes such as "1-2", a post's own), those and their grids, the doors dealt
    out among them in turn."""
    rng = random.Random(7)
    grids = folder / "grids.csv"
    with grids.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["网格编码", "网格名称"])
        if subgrids is None:
            for g in range(1, GRIDS + 1):
                writer.writerow([g, f"第{g}网格"])
                for s in range(1, SUBGRIDS + 1):
                    writer.writerow([f"{g}-{s}", f"{s}组"])
        else:
            for root in dict.fromkeys(code.split("-")[0] for code in subgrids):
                writer.writerow([root, f"第{root}网格"])
                for code in subgrids:
                    if code.split("-")[0] == root:
                        writer.writerow([code, f"{code.split('-')[1]}组"])
    households = folder / "households.csv"
    with households.open("w", encoding="gbk", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["网格", "门牌号", "人数", "联系电话", "户主", "特殊人群", "备注"])
        for n in range(rows):
            g = n % GRIDS + 1
            writer.writerow(
                [
                    f"{g}-{rng.randint(1, SUBGRIDS)}" if subgrids is None else subgrids[n % len(subgrids)],
                    f"幸福村{n // GRIDS + 1}号" if subgrids is None else f"幸福村{n + 1}号",
                    rng.randint(1, 6),
                    f"100{n:08d}",
                    rng.choice("王李张刘陈杨") + rng.choice("伟芳娜敏静"),
                    "独居老人" if rng.random() < 0.03 else "",
                    "",
                ]
            )
    return grids, households


def timed(
    args: list[str],
    peaks: list[float] | None = None,
    cpus: list[float] | None = None,
    env: dict[str, str] | None = None,
) -> float:
    """Seconds the process took; its peak RSS in MiB is added to ``peaks``, its CPU seconds (user and
    system: what a loaded machine changes least) to ``cpus``."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{args[1:4]} failed: {proc.stderr.read().decode()[-2000:]}")
    proc.stderr.close()
    if peaks is not None:
        peaks.append(usage.ru_maxrss / 1024)
    if cpus is not None:
        cpus.append(usage.ru_utime + usage.ru_stime)
    return elapsed


def fresh(folder: Path, grids: Path, name: str) -> Path:
    db = folder / name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    subprocess.run(
        [sys.executable, "-m", "console", "import", "grids", str(grids), "--db", str(db)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return db


def totals_match(db: Path) -> bool:
    """The kept totals of every grid equal a recount of its households (the bulk path's promise)."""
    with sqlite3.connect(db) as con:
        kept = con.execute(
            "SELECT grid_id, households, residents, care_households FROM grid_total ORDER BY grid_id"
        ).fetchall()
        counted = con.execute(
            "SELECT g.id, count(h.id), coalesce(sum(h.people), 0), count(nullif(h.care_tags, ''))"
            " FROM grid g LEFT JOIN grid x ON g.id IN (x.id, x.parent_id, x.root_id)"
            " LEFT JOIN household h ON h.grid_id = x.id GROUP BY g.id ORDER BY g.id"
        ).fetchall()
    return kept == counted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="county", help="the file's size (IMPORT_ROWS)")
    parser.add_argument("--rows", type=int, help="households in the file instead")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    args.rows = args.rows or IMPORT_ROWS[args.scale]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        grids, households = make_files(folder, args.rows)
        ours, raw, indexed, bare, peaks = [], [], [], [], []
        cpu: dict[str, list[float]] = {"raw": [], "indexed": [], "ours": []}
        for _ in range(args.runs):
            raw.append(
                timed(
                    [sys.executable, "-c", RAW, str(fresh(folder, grids, "raw.db")), str(households)],
                    cpus=cpu["raw"],
                )
            )
            indexed.append(
                timed(
                    [
                        sys.executable,
                        "-c",
                        RAW_INDEXED,
                        str(fresh(folder, grids, "indexed.db")),
                        str(households),
                    ],
                    cpus=cpu["indexed"],
                )
            )
            ours.append(
                timed(
                    [
                        sys.executable,
                        "-m",
                        "console",
                        "import",
                        "households",
                        str(households),
                        "--db",
                        str(fresh(folder, grids, "ours.db")),
                    ],
                    peaks,
                    cpu["ours"],
                )
            )
            bare.append(
                timed([sys.executable, "-c", NO_AUDIT, str(fresh(folder, grids, "bare.db")), str(households)])
            )
        count = sqlite3.connect(folder / "ours.db").execute("SELECT count(*) FROM household").fetchone()[0]
        assert count == args.rows and totals_match(folder / "ours.db"), "import wrote wrong rows or totals"
    med = statistics.median
    speed = med(raw) / med(ours)
    print(
        f"import {args.rows:,} households: cmdpost {med(ours):.2f} s, reference: raw executemany (no triggers) "
        f"{med(raw):.2f} s; speed {speed:.2f}x of raw, target >= {TARGET_SPEED}x: {verdict(speed >= TARGET_SPEED)};"
        f" without the audit triggers {med(bare):.2f} s, {med(raw) / med(bare):.2f}x (median of {args.runs})"
    )
    print(
        f"  CPU seconds: cmdpost {med(cpu['ours']):.2f} s, raw executemany {med(cpu['raw']):.2f} s,"
        f" {med(cpu['raw']) / med(cpu['ours']):.2f}x (median of {args.runs})"
    )
    print(
        f"  against raw executemany plus the two search indexes built once: {med(indexed):.2f} s,"
        f" {med(indexed) / med(ours):.2f}x; CPU {med(cpu['indexed']):.2f} s,"
        f" {med(cpu['indexed']) / med(cpu['ours']):.2f}x (median of {args.runs})"
    )
    print(
        f"  import peak memory {max(peaks):.0f} MiB, target <= {TARGET_MIB} MiB at any size:"
        f" {verdict(max(peaks) <= TARGET_MIB)} (the most of {args.runs})"
    )


if __name__ == "__main__":
    main()
