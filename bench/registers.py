"""Household registers at county scale: first paint and page-down of a 20,000-household grid and of
the whole-county search, against the same screens on the village demo, sampled alternately. The
goal is flat, and a first paint within 100 ms.

    python -m bench.registers [--county PATH | --scale village|county|region] [--village PATH] [--runs N]
                              [--search TEXT]

It times the query of a rare search of one or two characters first (SHORT_TEXTS), which scanned
every household before schema 13.

(``--county`` is the big post, whatever its scale.)
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from bench.posts import SCALES, ensure_demo, verdict


class Frames:
    """Each screen update the app sent for display, and when (headless, nothing reaches a terminal,
    but the compositor renders every frame all the same)."""

    def __init__(self, app) -> None:
        self.updates: list[tuple[float, object]] = []
        self.cpu: dict[float, float] = {}  # each update's time -> the main thread's CPU time then
        original = app._display

        def display(screen, renderable) -> None:
            at = time.perf_counter()
            self.cpu[at] = time.thread_time()
            self.updates.append((at, renderable))
            original(screen, renderable)

        app._display = display

    @staticmethod
    def _text(update) -> str:
        strips = list(getattr(update, "strips", None) or [])
        for chop in getattr(update, "chops", None) or []:
            strips += [strip for strip in chop.values() if strip is not None]
        return "".join(segment.text for strip in strips for segment in strip)

    def first_showing(self, text: str, since: float) -> float:
        """The time of the first frame after ``since`` that drew ``text``."""
        return next(
            at
            for at, update in self.updates
            if at >= since and update is not None and text in self._text(update)
        )


async def _measure(db: Path, grid_code: str, search: str) -> tuple[float, float, float, float, float]:
    """(grid register first paint, page-down, county search first paint, and the two first paints until
    the app is idle again) in ms.

    First paint is the moment the frame drawing the first row's door was written to the terminal;
    "until idle" adds whatever the screen still does after it, and Textual's idle detection (which
    waits for 20 ms windows with under 1 ms of CPU), as the figures before 2026-11-22 did.
    """
    from console.app import CmdpostApp
    from console.config import Config
    from console.screens.grid import GridScreen
    from console.screens.search import SearchScreen
    from db.connection import open_database
    from db.grids import queries
    from widgets.paged_table import PagedTable

    app = CmdpostApp(Config(database=db), open_database(db), db, demo=True)  # a demo skips sign-in
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        frames = Frames(app)
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
        app.call_later(app.push_screen, BareTableScreen())
        while not isinstance(app.screen, BareTableScreen):
            await asyncio.sleep(0.001)
        await pilot.pause()
        bare = (frames.first_showing(BARE_MARK, start) - start) * 1000
        app.call_later(app.pop_screen)
        await pilot.pause()
        await app.workers.wait_for_complete()  # the dashboard re-reads its tiles when shown again
        await pilot.pause()
        start = time.perf_counter()
        app.call_later(app.open_grid, grid.id)
        table = await painted(GridScreen, "#register")
        first_idle = (time.perf_counter() - start) * 1000
        first = (frames.first_showing(table.cursor_value.door, start) - start) * 1000
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
        search_idle = (time.perf_counter() - start) * 1000
        search_ms = (frames.first_showing(results.cursor_value.door, start) - start) * 1000
    return first, page, search_ms, first_idle, search_idle, bare


def biggest_grid(db: Path) -> str:
    import sqlite3

    with sqlite3.connect(db) as con:
        return con.execute(
            "SELECT g.code FROM grid g JOIN grid_total t ON t.grid_id = g.id WHERE g.level = 0"
            " ORDER BY t.households DESC LIMIT 1"
        ).fetchone()[0]


KEYS = ("first_ms", "page_ms", "search_ms", "first_idle_ms", "search_idle_ms", "bare_ms")
BARE_MARK = "bare-row-"


class BareTableScreen(Screen):
    """The reference: Textual pushing a screen with a header line, a stock DataTable of 30 rows
    already in memory, and a footer. No database, no worker: what any list costs on this machine."""

    def compose(self):
        yield Static("header")
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("door", "head", "people", "phone", "note")
        table.add_rows((f"{BARE_MARK}{n}", "某某", "3", "17000000000", "") for n in range(30))


def measure(county: Path, village: Path, runs: int, search: str = "0012") -> tuple[dict, dict]:
    """Medians for both posts, sampled alternately so that both see the same machine load."""
    grids = {county: biggest_grid(county), village: biggest_grid(village)}
    samples: dict[Path, list] = {county: [], village: []}
    for _ in range(runs):
        for db in (county, village):
            samples[db].append(asyncio.run(_measure(db, grids[db], search)))
    return tuple(
        {
            "grid": grids[db],
            **{key: statistics.median(s[i] for s in samples[db]) for i, key in enumerate(KEYS)},
        }
        for db in (county, village)
    )


# A surname (3, 480 and 1,534 households at the three scales); no match (it read every household
# without an index); two common characters never side by side; a character in every door (past the
# CAP everywhere: the most a search's query costs, whatever the post).
SHORT_TEXTS = ("欧", "Zq", "号1", "号")


def short_search(db: Path, runs: int) -> dict[str, tuple[float, float]]:
    """The query of a whole-post search of one or two characters (its count and first page), as the
    search screen's worker runs it: median (wall ms, CPU ms) of ``runs`` for each of SHORT_TEXTS."""
    from db.connection import open_database
    from db.grids import household_search

    database = open_database(db)
    try:
        found = {}
        for text in SHORT_TEXTS:
            walls, cpus = [], []
            for _ in range(runs):
                wall, cpu = time.perf_counter(), time.process_time()
                household_search.search_count(text)
                household_search.search_page(text, 0, 100)
                walls.append((time.perf_counter() - wall) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
            found[text] = (statistics.median(walls), statistics.median(cpus))
        return found
    finally:
        database.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--county", type=Path)
    parser.add_argument("--village", type=Path)
    parser.add_argument("--scale", choices=SCALES, default="county")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--search", default="0012", help="the whole-post search's text (it must match)")
    args = parser.parse_args()
    big, small = (args.county or ensure_demo(args.scale)), (args.village or ensure_demo("village"))
    short = {db: short_search(db, max(args.runs, 5)) for db in (small, big)}
    for text in SHORT_TEXTS:
        (wall, cpu), (small_wall, _) = short[big][text], short[small][text]
        print(
            f"search of {len(text)} character(s) {text!r}, the query: {args.scale} {wall:.1f} ms (CPU {cpu:.1f} ms),"
            f" village {small_wall:.1f} ms, ratio {wall / max(small_wall, 0.1):.2f}x;"
            f" target <= 100 ms: {verdict(wall <= 100)}"
        )
    county, village = measure(big, small, args.runs, args.search)
    for label, key in (
        ("grid register first paint", "first_ms"),
        ("  the same, until idle", "first_idle_ms"),
        ("page-down", "page_ms"),
        ("whole-post search first paint", "search_ms"),
        ("  the same, until idle", "search_idle_ms"),
        ("reference: a bare screen with a 30-row DataTable, first paint", "bare_ms"),
    ):
        target = (
            f"; target <= 100 ms: {verdict(county[key] <= 100)};"
            f" {county[key] / max(county['bare_ms'], 0.1):.2f}x the bare screen"
            if key in ("first_ms", "search_ms")
            else ""
        )
        print(
            f"{label}: {args.scale} {county[key]:.0f} ms (grid {county['grid']}), village {village[key]:.0f} ms, "
            f"ratio {county[key] / max(village[key], 0.1):.2f}x{target} (median of {args.runs})"
        )


if __name__ == "__main__":
    main()
