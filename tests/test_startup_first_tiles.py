"""The console's first look reads the dashboard's first screenful of tiles, not every tile of a large
post; the dashboard reads the rest once its first frame is painted, and shows the whole board."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from console.cli import tui
from console.screens.dashboard import DashboardScreen
from db.grids import queries, writes
from db.grids.dashboard import dashboard_board, first_look
from db.records import GridInput
from db.registers import queries as register_queries
from db.registers import writes as registers
from db.thread import DatabaseThread
from tests.conftest import FIXED_NOW, make_app, settle, wait_until
from widgets import tile_board
from widgets.tile_board import TileBoard
from widgets.tile_geometry import TILE_HEIGHT, columns_in, tiles_on_a_screen

DAY = FIXED_NOW.date().isoformat()
GRIDS = 30


@pytest.fixture
def county_like(post_db):
    """The small post with 27 more top-level grids (30), tested in a first round in grids 1 and 2."""
    writes.upsert_grids([GridInput(str(n), f"网格{n}", "防范区") for n in range(4, GRIDS + 1)], actor="test")
    round_id = registers.create_round(1, "2022-04-10", actor="t")
    registers.mark_tested(round_id, "1", [("花厅口村1号", 2)], source="hand", actor="t")
    registers.mark_tested(round_id, "2", [("花厅口村3号", 1)], source="hand", actor="t")
    return round_id


def test_the_first_tiles_are_the_boards_first_tiles_with_the_posts_totals(county_like):
    whole = dashboard_board(DAY)
    assert whole.complete and len(whole.summaries) == GRIDS
    for first in (0, 1, 2, 5, GRIDS - 1, GRIDS, GRIDS + 5):
        board = dashboard_board(DAY, first)
        assert board.summaries == whole.summaries[:first]
        assert board.totals == whole.totals  # the headline is the whole post's from the first frame
        assert board.complete == (first >= GRIDS)
        assert whole.tested is not None and board.tested is not None
        shown = {s.id for s in board.summaries}
        assert board.tested == {gid: n for gid, n in whole.tested.items() if gid in shown}
        assert (board.open_orders, board.handoffs_today) == (whole.open_orders, whole.handoffs_today)


def test_coverage_of_some_top_level_grids_only(county_like):
    ids = [s.id for s in queries.grid_summaries()]
    everything = register_queries.coverage_by_root(county_like)
    assert len(everything) == 2
    for roots in ([], ids[:1], ids[1:3], ids, ids[5:]):
        assert register_queries.coverage_by_root(county_like, roots) == {
            gid: v for gid, v in everything.items() if gid in roots
        }
    subgrid = queries.grid_by_code("1-1").id  # a sub-grid's totals are never a tile's
    assert register_queries.coverage_by_root(county_like, [subgrid]) == {}


def test_the_first_look_reads_the_first_tiles_only(county_like):
    look = first_look(DAY, with_board=True, first_tiles=4)
    assert [s.code for s in look.board.summaries] == ["1", "2", "3", "4"]
    assert look.board.totals.grids == GRIDS and not look.board.complete


def test_the_start_reads_more_tiles_than_any_screen_shows():
    assert tui.first_tiles() >= tui.FIRST_TILES_AT_LEAST
    for columns, lines in ((80, 24), (120, 36), (175, 70), (400, 120)):
        shown = columns_in(columns - 2) * (-(-lines // TILE_HEIGHT) + 1)  # tiles cut at both edges
        assert tiles_on_a_screen(columns, lines) >= shown


async def test_the_dashboard_shows_the_first_tiles_then_the_whole_board(county_like, db_path, monkeypatch):
    thread = DatabaseThread()
    look = thread.submit(first_look, DAY, with_board=True, first_tiles=6)
    look.result()
    app = make_app(db_path)
    app.db_thread, app._first_look = thread, look
    built: list[str] = []
    boards: list[tuple[int, int, bool]] = []
    original_lines, original_render = tile_board.tile_lines, TileBoard.render_lines

    def tile_lines(grid, labels, counts):
        built.append(grid.code)
        return original_lines(grid, labels, counts)

    def render_lines(self, crop):
        boards.append((len(self.grids), self.total, self.show_vertical_scrollbar))
        return original_render(self, crop)

    monkeypatch.setattr(tile_board, "tile_lines", tile_lines)
    monkeypatch.setattr("console.screens.dashboard.REST_OF_THE_BOARD_AFTER_SECONDS", 0.01)
    headlines: list[str] = []
    original_update = Static.update

    def update(self, content=""):
        if self.id == "totals":
            headlines.append(str(content))
        return original_update(self, content)

    monkeypatch.setattr(Static, "update", update)
    monkeypatch.setattr(TileBoard, "render_lines", render_lines)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        board = app.screen.query_one(TileBoard)
        # the timer that reads the rest of the board, then its worker
        await wait_until(pilot, lambda: len(board.grids) == GRIDS, "the rest of the board read")
        await settle(app, pilot)
        assert [g.code for g in board.grids] == [str(n) for n in range(1, GRIDS + 1)]
        tested = {g.code: board.counts[g.id].tested for g in board.grids}
        assert (tested["1"], tested["2"], tested["3"], tested[str(GRIDS)]) == (1, 1, 0, 0)
        await pilot.press("end")  # the whole board, to its last tile
        await settle(app, pilot)
        assert board.current is not None and board.current.code == str(GRIDS)
    assert boards[0] == (6, GRIDS, True)  # the first frame: six tiles, the whole board's scrollbar
    assert boards[-1] == (GRIDS, GRIDS, True)
    assert len(built) == len(set(built)), built  # the first tiles were not built again with the rest
    assert len(headlines) == 1, headlines  # the same totals: not laid out again with the rest
