"""Household registers at county scale: first paint and page-down of a 20,000-household grid and of
the whole-county search, against the same screens on the village demo. The goal is flat.

    python -m bench.registers [--county PATH] [--village PATH] [--runs N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

from bench.startup import ensure_county_demo


async def _measure(db: Path, grid_code: str, search: str) -> tuple[float, float, float]:
    """(grid register first paint, page-down, county search first paint) in ms."""
    from console.app import CmdpostApp
    from console.config import Config
    from console.screens.grid_pane import GridScreen
    from console.screens.search import SearchScreen
    from db import queries
    from db.connection import open_database
    from widgets.paged_table import PagedTable

    app = CmdpostApp(Config(database=db), open_database(db), db)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        grid = await asyncio.to_thread(app.db_thread.call, queries.grid_by_code, grid_code)

        async def painted(screen_type, table_id: str) -> PagedTable:
            while not (isinstance(app.screen, screen_type) and app.screen.query(table_id)):
                await asyncio.sleep(0.001)  # pushed, but not composed yet
            table = app.screen.query_one(table_id, PagedTable)
            while table.total is None or table.cursor_value is None:
                await asyncio.sleep(0.001)
            await pilot.pause()
            return table

        start = time.perf_counter()
        app.call_later(app.open_grid, grid.id)
        table = await painted(GridScreen, "#register")
        first = (time.perf_counter() - start) * 1000
        table.focus()
        start = time.perf_counter()
        for _ in range(5):
            await pilot.press("pagedown")
            while table.cursor_value is None:
                await asyncio.sleep(0.001)
        await pilot.pause()
        page = (time.perf_counter() - start) * 1000 / 5
        app.call_later(app.pop_screen)
        await pilot.pause()
        app.call_later(app.push_screen, SearchScreen())
        while not isinstance(app.screen, SearchScreen):
            await asyncio.sleep(0.001)
        await pilot.pause()
        start = time.perf_counter()
        app.call_later(app.screen._run, search)
        results = await painted(SearchScreen, "#results")
        assert results.total is not None
        search_ms = (time.perf_counter() - start) * 1000
    return first, page, search_ms


def biggest_grid(db: Path) -> str:
    import sqlite3

    with sqlite3.connect(db) as con:
        return con.execute("SELECT g.code FROM grid g JOIN grid_total t ON t.grid_id = g.id WHERE g.level = 0"
                           " ORDER BY t.households DESC LIMIT 1").fetchone()[0]


def measure(db: Path, runs: int) -> dict:
    grid = biggest_grid(db)
    samples = [asyncio.run(_measure(db, grid, "0012")) for _ in range(runs)]
    return {"grid": grid, "first_ms": statistics.median(s[0] for s in samples),
            "page_ms": statistics.median(s[1] for s in samples), "search_ms": statistics.median(s[2] for s in samples)}


def ensure_village() -> Path:
    import subprocess
    import sys

    from console.cli_demo import demo_path

    path = demo_path("village")
    if not path.exists():
        subprocess.run([sys.executable, "-m", "console", "demo", "--db", str(path)], check=True)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--county", type=Path)
    parser.add_argument("--village", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    county = measure(args.county or ensure_county_demo(), args.runs)
    village = measure(args.village or ensure_village(), args.runs)
    for label, key in (("grid register first paint", "first_ms"), ("page-down", "page_ms"),
                       ("whole-post search first paint", "search_ms")):
        print(f"{label}: county {county[key]:.0f} ms (grid {county['grid']}), village {village[key]:.0f} ms, "
              f"ratio {county[key] / max(village[key], 0.1):.2f}x")


if __name__ == "__main__":
    main()
