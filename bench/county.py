"""County sync and board figures (issue 19): ``python -m bench.county [--villages 20] [--counties 3]``.

Starts its own throwaway PostgreSQL (tests/county_pg.py), builds (or reuses, in a temporary
folder) a county-size and a village-size demo post, and measures:

- the first sync of a county-size post (target ≤ 2 min);
- an incremental sync of 1,000 changes (target ≤ 2 s);
- the county board's first paint over N village-size and M county-size posts (target ≤ 300 ms):
  from the app's start to the posts' table drawn with every post's figures.

The extra posts are copies of the two demos, each given its own post id before its first sync.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from console.config import Config
from db.connection import open_database
from db.county import pg_schema, sync
from db.models import database_proxy
from tests.county_pg import start_cluster, stop_cluster


def _demo(folder: Path, scale: str) -> Path:
    from console.cli.demo import build_demo

    path = folder / f"demo-{scale}.db"
    if not path.exists():
        build_demo(path, scale=scale, seed=1, progress=lambda *a, **k: None)
    return path


def _copy_as_new_post(source: Path, target: Path, uid: str) -> Path:
    shutil.copyfile(source, target)
    database = open_database(target)
    with database.guard.system():
        database.execute_sql("UPDATE post_meta SET value = ? WHERE key = 'post_uid'", (uid,))
    database.close()
    return target


def _sync(path: Path, url: str, name: str) -> tuple[int, float]:
    from db.connection import open_readonly

    database = open_readonly(path)
    started = time.perf_counter()
    result = sync.sync(database, url, post_name=name)
    elapsed = time.perf_counter() - started
    database.close()
    return result.sent, elapsed


def _thousand_changes(path: Path) -> None:
    database = open_database(path)
    with database.guard.system(), database.atomic():
        database.execute_sql("UPDATE household SET note = note || '.' WHERE id IN"
                             " (SELECT id FROM household ORDER BY id LIMIT 1000)")
    database.close()


async def _first_paint(url: str) -> float:
    from console.screens.county.board import CountyApp

    started = time.perf_counter()
    app = CountyApp(Config(), url)
    async with app.run_test(size=(160, 50)) as pilot:
        while not app.loads:
            await pilot.pause(0.005)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.county")
    parser.add_argument("--villages", type=int, default=20)
    parser.add_argument("--counties", type=int, default=3)
    parser.add_argument("--demos", type=Path, help="folder holding demo-county.db and demo-village.db")
    args = parser.parse_args()
    started = start_cluster()
    if started is None:
        sys.exit("PostgreSQL is not installed (apt-get install postgresql)")
    cluster, root = started
    work = Path(tempfile.mkdtemp(prefix="cmdpost-county-bench-"))
    try:
        with psycopg.connect(cluster.url(), autocommit=True) as admin:
            admin.execute("CREATE DATABASE county")
            version = admin.execute("SHOW server_version").fetchone()[0]
        url = cluster.url("county")
        with psycopg.connect(url) as conn:
            pg_schema.install(conn)
        demos = args.demos or work
        village = _demo(demos, "village")
        print(f"PostgreSQL {version}")
        if args.counties:
            county = _demo(demos, "county")
            first = _copy_as_new_post(county, work / "county-1.db", "c" * 31 + "1")
            sent, elapsed = _sync(first, url, "county 1")
            print(f"first sync of a county-size post: {sent:,} changes in {elapsed:.1f} s (target ≤ 120 s)")
            _thousand_changes(first)
            sent, elapsed = _sync(first, url, "county 1")
            print(f"incremental sync: {sent:,} changes in {elapsed * 1000:.0f} ms (target ≤ 2,000 ms)")
        for n in range(2, args.counties + 1):
            _sync(_copy_as_new_post(county, work / f"county-{n}.db", "c" * 31 + str(n)), url, f"county {n}")
        for n in range(1, args.villages + 1):
            _sync(_copy_as_new_post(village, work / f"village-{n}.db", f"{n:032x}"), url, f"village {n}")
        database_proxy.initialize(None)
        paints = [asyncio.run(_first_paint(url)) for _ in range(3)]
        print(f"board first paint over {args.villages} village + {args.counties} county posts:"
              f" {min(paints) * 1000:.0f} ms best of 3, {max(paints) * 1000:.0f} ms worst (target ≤ 300 ms)")
    finally:
        stop_cluster(root)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
