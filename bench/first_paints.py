"""The ledger and the audit trail opened by their keys on a long lockdown's post, against the village.

    python -m bench.first_paints [--scale village|county|region] [--runs N] [--rebuild]

The big post is bench.handoff's (the village demo with LEDGER_ROWS more ledger records: 3M at a
region) with AUDIT_ROWS more audit entries (1M at a region: months of sign-ins, edits and
deliveries), chained as the guard chains them, added with one ``executemany`` and kept in the bench
folder. Measured: `h` (supplies, whose lower table is the ledger) and `a` (the audit trail) from the
dashboard to the first frame whose table shows its first rows, in wall milliseconds and in CPU
milliseconds of the main thread; the village's same screens are opened in turn as the reference.
Target: 100 ms or less, flat.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sqlite3
import statistics
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from bench.posts import LEDGER_ROWS, SCALES, bench_dir, ensure_demo, verdict

TARGET_MS = 100
AUDIT_ROWS = {"village": 10_000, "county": 300_000, "region": 1_000_000}
SCREENS = (("h", "SupplyScreen", "#supply-ledger"), ("a", "AuditScreen", "#audit-table"))


def big_post(scale: str, rebuild: bool = False) -> Path:
    """bench.handoff's ledger post with the scale's audit entries added (built once, then kept)."""
    from bench import handoff

    rows, entries = LEDGER_ROWS[scale], AUDIT_ROWS[scale]
    path = bench_dir() / f"bench-first-paints-{rows}-{entries}.db"
    if path.exists() and not rebuild:
        return path
    ledger = handoff.bench_path(rows)
    if rebuild or not ledger.exists():
        handoff.build(ledger, rows)
    tmp = path.with_suffix(".tmp")
    shutil.copyfile(ledger, tmp)
    add_audit_entries(tmp, entries)
    tmp.replace(path)
    return path


def _entries(con: sqlite3.Connection, guard, count: int) -> Iterator[tuple]:
    """``count`` entries after the trail's last, each linked to the one before by chain_hash, each
    written as its actor (the trail's trigger refuses an entry naming anyone but the connection's)."""
    from db.audit.guard import chain_hash

    prev = (con.execute("SELECT hash FROM audit_entry ORDER BY id DESC LIMIT 1").fetchone() or ("",))[0]
    roots = [r[0] for r in con.execute("SELECT id FROM grid WHERE level = 0")]
    actors = ["zhiban", "admin", "wangge1", "wangge2", "peisong"]
    start = datetime.now(UTC).timestamp() - 90 * 86400  # a long lockdown: three months
    for n in range(count):
        at = datetime.fromtimestamp(start + n * (90 * 86400 / count), UTC).isoformat(timespec="milliseconds")
        at = at.replace("+00:00", "Z")
        actor, grid = actors[n % len(actors)], roots[n % len(roots)]
        row: tuple
        if n % 10 == 0:
            row = (actor, "event", "sign_in", None, None, None, json.dumps({"name": actor}))
        else:
            after = json.dumps({"id": n, "state": "delivered", "note": f"第{n}单"}, ensure_ascii=False)
            row = (actor, "update", "supply_order", n, grid, json.dumps({"id": n, "state": "open"}), after)
        link = chain_hash(prev, at, *row)
        guard.fallback_actor = actor  # executemany runs each row as soon as it is yielded
        yield (at, *row, prev, link)
        prev = link


def add_audit_entries(path: Path, count: int) -> None:
    from db.audit.guard import Guard

    con = sqlite3.connect(path)
    guard = Guard()
    guard.install(con)  # the trail's triggers call the guard's functions
    with con:
        con.executemany(
            "INSERT INTO audit_entry (at, actor, op, table_name, row_id, grid_id, before, after,"
            " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _entries(con, guard, count),
        )
    con.execute("ANALYZE")
    con.close()


def _watch_first_rows(app, screen_name: str, table_id: str) -> tuple[dict[str, float], Callable[[], None]]:
    """Notes when the first frame is drawn whose table holds its first row, and the CPU the database
    thread spent before that table was handed its first page (what the rows waited for: a count
    read after the page is not); returns (what it noted, what puts the app back)."""
    from widgets.paged_table import PagedTable

    seen: dict[str, float] = {}
    calls: list[tuple[float, float]] = []  # (when each database call ended, its CPU)
    original, submit, show_pages = app._display, app.db_thread.submit, PagedTable._show_pages

    def display(screen, renderable) -> None:
        original(screen, renderable)
        shown = app.screen
        if (
            "at" not in seen
            and type(shown).__name__ == screen_name
            and shown.query(table_id)
            and shown.query_one(table_id, PagedTable).cursor_value is not None
        ):
            seen["at"], seen["cpu"] = time.perf_counter(), time.thread_time()

    def timed(fn, *args, **kwargs):
        def run(*args, **kwargs):
            cpu = time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                calls.append((time.perf_counter(), time.thread_time() - cpu))

        return submit(run, *args, **kwargs)

    def pages_shown(table, total, pages) -> None:
        if "rows" not in seen and f"#{table.id}" == table_id and 0 in pages:
            seen["rows"] = time.perf_counter()
            seen["db"] = sum(cpu for ended, cpu in calls if ended <= seen["rows"])
        show_pages(table, total, pages)

    def restore() -> None:
        app._display = original
        del app.db_thread.submit  # the instance's own wrapper: the class's method again
        PagedTable._show_pages = show_pages  # type: ignore[method-assign]

    app._display, app.db_thread.submit = display, timed
    PagedTable._show_pages = pages_shown  # type: ignore[method-assign]
    return seen, restore


async def _open_screens(db: Path) -> dict[str, tuple[float, ...]]:
    """{key: (ms from the key to the first frame showing the table's first rows, main-thread CPU ms,
    database-thread CPU ms before the rows were read)}."""
    from console.app import CmdpostApp
    from console.config import Config
    from db.connection import open_database

    app = CmdpostApp(Config(database=db), open_database(db), db, demo=True)  # a demo skips sign-in
    result = {}
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        for key, screen_name, table_id in SCREENS:
            seen, restore = _watch_first_rows(app, screen_name, table_id)
            began, cpu = time.perf_counter(), time.thread_time()
            await pilot.press(key)  # returns once the app is idle again
            while "at" not in seen and time.perf_counter() - began < 30:
                await asyncio.sleep(0.005)
            restore()
            result[key] = tuple(x * 1000 for x in (seen["at"] - began, seen["cpu"] - cpu, seen["db"]))
            await pilot.press("escape")
            await app.workers.wait_for_complete()
            await pilot.pause()
    return result


def counts(db: Path) -> tuple[int, int]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return (
            con.execute("SELECT max(id) FROM handoff").fetchone()[0],
            con.execute("SELECT max(id) FROM audit_entry").fetchone()[0],
        )
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="region")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    village = ensure_demo("village")
    # Imported first: otherwise the first post opened pays for the screens' modules, the next not.
    import console.screens.audit.trail
    import console.screens.supply.overview  # noqa: F401

    began = time.perf_counter()
    big = big_post(args.scale, args.rebuild)
    if time.perf_counter() - began > 1:
        print(f"built {big} ({big.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - began:.0f} s")
    # The village is opened from a fresh copy each time; the big post in place (a copy is 1 GB): each
    # open adds its sign-in to the trail, a few entries on a million.
    samples: dict[str, dict[str, list]] = {"village": {}, "big": {}}
    work = bench_dir() / "bench-first-paints-village.db"
    try:
        for _ in range(args.runs):
            shutil.copyfile(village, work)
            for label, post in (("village", work), ("big", big)):
                for key, figures in asyncio.run(_open_screens(post)).items():
                    samples[label].setdefault(key, []).append(figures)
    finally:
        for leftover in work.parent.glob(work.name + "*"):
            leftover.unlink(missing_ok=True)
    ledger, entries = counts(big)
    for key, screen_name, _ in SCREENS:
        wall = {label: statistics.median(f[0] for f in samples[label][key]) for label in samples}
        cpu = {label: statistics.median(f[1] for f in samples[label][key]) for label in samples}
        db = {label: statistics.median(f[2] for f in samples[label][key]) for label in samples}
        print(
            f"{screen_name} (`{key}`), first frame with its first rows at {ledger:,} ledger rows and"
            f" {entries:,} audit entries: {wall['big']:.0f} ms (CPU: main thread {cpu['big']:.0f} ms,"
            f" database thread before the rows {db['big']:.1f} ms); village {wall['village']:.0f} ms (CPU"
            f" {cpu['village']:.0f} ms, {db['village']:.1f} ms); ratio"
            f" {wall['big'] / wall['village']:.2f}x wall, {cpu['big'] / cpu['village']:.2f}x CPU;"
            f" target <= {TARGET_MS} ms: {verdict(wall['big'] <= TARGET_MS)} (median of {args.runs})"
        )


if __name__ == "__main__":
    main()
