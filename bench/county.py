"""County sync and board figures (issue 19):
``python -m bench.county [--scale village|county|region] [--villages 20] [--counties 3] [--runs 3]``.

Starts its own throwaway PostgreSQL (tests/county_pg.py), takes the demo posts of the bench folder
(bench/posts.py: the ``--scale`` post and the village, built once), and measures:

- the first sync of a ``--scale`` post (target ≤ 2 min for a county);
- an incremental sync of 1,000 changes (target ≤ 2 s);
- the county board's first paint over N village-size and M ``--scale`` posts (target ≤ 300 ms):
  from the app's start to the posts' table drawn with every post's figures.

The extra posts are copies of the two demos, each given its own post id before its first sync.
Without PostgreSQL's programs (apt-get install postgresql) it says so in one line and exits 0: the
rest of the suite does not need them. At ``--scale village`` (the suite's quick check) the board
has 5 villages and 3 village-size posts.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import tempfile
import time
from pathlib import Path

from bench.posts import SCALES, ensure_demo, verdict
from console.config import Config
from db.connection import open_database
from db.county import pg_schema, sync
from db.models import database_proxy
from tests.county_pg import start_cluster, stop_cluster


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
        database.execute_sql(
            "UPDATE household SET note = note || '.' WHERE id IN"
            " (SELECT id FROM household ORDER BY id LIMIT 1000)"
        )
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
    parser.add_argument(
        "--scale", choices=SCALES, default="county", help="the size of the posts synced first"
    )
    parser.add_argument(
        "--villages", type=int, help="village-size posts on the board (default 20; 5 at village)"
    )
    parser.add_argument("--counties", type=int, default=3, help="--scale posts on the board (default 3)")
    parser.add_argument("--runs", type=int, default=3, help="board first paints measured (default 3)")
    args = parser.parse_args()
    villages = args.villages if args.villages is not None else (5 if args.scale == "village" else 20)
    started = start_cluster()
    if started is None:
        print(
            "bench.county skipped: PostgreSQL is not installed (apt-get install postgresql) or psycopg is missing"
        )
        return
    import psycopg

    cluster, root = started
    work = Path(tempfile.mkdtemp(prefix="cmdpost-county-bench-"))
    try:
        with psycopg.connect(cluster.url(), autocommit=True) as admin:
            admin.execute("CREATE DATABASE county")
            version = admin.execute("SHOW server_version").fetchone()[0]
        url = cluster.url("county")
        with psycopg.connect(url) as conn:
            pg_schema.install(conn)
        big, village = ensure_demo(args.scale), ensure_demo("village")
        print(f"PostgreSQL {version}")
        if args.counties:
            first = _copy_as_new_post(big, work / "big-1.db", "c" * 31 + "1")
            sent, elapsed = _sync(first, url, f"{args.scale} 1")
            print(
                f"first sync of a {args.scale}-size post: {sent:,} changes in {elapsed:.1f} s (target ≤ 120 s)"
                f" {verdict(elapsed <= 120)}"
            )
            _thousand_changes(first)
            sent, elapsed = _sync(first, url, f"{args.scale} 1")
            print(
                f"incremental sync: {sent:,} changes in {elapsed * 1000:.0f} ms (target ≤ 2,000 ms)"
                f" {verdict(elapsed <= 2)}"
            )
        for n in range(2, args.counties + 1):
            _sync(_copy_as_new_post(big, work / f"big-{n}.db", "c" * 31 + str(n)), url, f"{args.scale} {n}")
        for n in range(1, villages + 1):
            _sync(_copy_as_new_post(village, work / f"village-{n}.db", f"{n:032x}"), url, f"village {n}")
        database_proxy.initialize(None)
        paints = [asyncio.run(_first_paint(url)) for _ in range(max(1, args.runs))]
        print(
            f"board first paint over {villages} village + {args.counties} {args.scale} posts:"
            f" {min(paints) * 1000:.0f} ms best of {len(paints)}, {max(paints) * 1000:.0f} ms worst"
            f" (target ≤ 300 ms) {verdict(min(paints) <= 0.3)}"
        )
    finally:
        stop_cluster(root)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
