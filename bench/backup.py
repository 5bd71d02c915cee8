"""A backup of the demo post, against copying the file with ``cp`` and syncing it.

    python -m bench.backup [--db PATH | --scale village|county|region] [--runs N]

Each run copies the post three ways into a scratch folder beside it, interleaved so all see the
same load: the reference (``shutil.copyfile`` then fsync: what ``cp`` plus ``sync`` costs),
``db.backup.copies.backup_database`` as ``cmdpost backup`` runs it (schema check), and with the full
integrity check (``cmdpost backup --check``, the first rolling backup of the day).
Target: a backup within 3x the reference.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.posts import SCALES, ensure_demo, verdict

TARGET_RATIO = 3.0


def _copy_and_sync(source: Path, dest: Path) -> None:
    shutil.copyfile(source, dest)
    fd = os.open(dest, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def measure(db: Path, runs: int) -> dict[str, float]:
    from db.backup.copies import backup_database

    samples: dict[str, list[float]] = {"cp": [], "quick": [], "full": []}
    with tempfile.TemporaryDirectory(dir=db.parent) as scratch:
        for n in range(runs):
            for name, action in (
                ("cp", lambda dest: _copy_and_sync(db, dest)),
                ("quick", lambda dest: backup_database(db, dest)),
                ("full", lambda dest: backup_database(db, dest, full_check=True)),
            ):
                dest = Path(scratch) / f"{name}-{n}.db"
                began = time.perf_counter()
                action(dest)
                samples[name].append(time.perf_counter() - began)
                dest.unlink()
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--scale", choices=SCALES, default="county")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    db = args.db or ensure_demo(args.scale)
    result = measure(db, args.runs)
    ratio = result["quick"] / max(result["cp"], 1e-6)
    print(
        f"backup of {db.name} ({db.stat().st_size / 1e6:.0f} MB): cmdpost backup {result['quick']:.2f} s,"
        f" reference: cp plus fsync {result['cp']:.2f} s; ratio {ratio:.1f}x, target <= {TARGET_RATIO:.0f}x:"
        f" {verdict(ratio <= TARGET_RATIO)}; with --check (integrity_check) {result['full']:.2f} s,"
        f" {result['full'] / max(result['cp'], 1e-6):.1f}x (median of {args.runs})"
    )


if __name__ == "__main__":
    main()
