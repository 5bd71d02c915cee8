"""Reading ahead so that screens paint their data at once: the console's first look, the grid
register's first window, and the one-line header and footer that every screen draws."""

from __future__ import annotations

from concurrent.futures import Future

from rich.cells import cell_len

from console.screens.dashboard import DashboardScreen
from console.screens.grid import GridScreen
from console.screens.roster.coverage import CoverageScreen
from console.sources import HouseholdSource
from db.accounts import operators as accounts
from db.grids import queries
from db.grids.dashboard import first_look
from db.thread import DatabaseThread, start_with_first_look
from tests.conftest import FIXED_NOW, make_app, settle
from widgets.footer import CatalogueFooter
from widgets.paged_table import PagedTable, first_window
from widgets.post_header import PostHeader

DAY = FIXED_NOW.date().isoformat()


def test_first_look_reads_the_board_of_an_open_post(post_db):
    look = first_look(DAY, with_board=True)
    assert (look.empty, look.demo) == (False, False)
    assert [s.code for s in look.board.summaries] == ["1", "2", "3"]
    assert look.board.totals.households == queries.post_totals().households


def test_a_post_with_accounts_is_not_read_before_the_pin(post_db):
    accounts.add_account("boss", "admin", "246810", now=int(FIXED_NOW.timestamp()))
    assert post_db.guard.closed
    thread, look = start_with_first_look(post_db, DAY, demo=False)
    try:
        assert look.result().empty is False
        assert look.result().board is None
    finally:
        thread.close(post_db)


def test_a_board_read_long_before_the_first_screen_is_not_shown(post_db):
    look = first_look(DAY, with_board=True)
    assert look.fresh_board() is look.board
    assert look.fresh_board(seconds=-1) is None  # as if the PIN took longer than the board may age


async def test_dashboard_paints_the_first_look_without_reading_again(post_db, db_path):
    thread = DatabaseThread()
    look = thread.submit(first_look, DAY, with_board=True)
    look.result()
    app = make_app(db_path)
    app.db_thread, app._first_look = thread, look
    reads = []
    original = DashboardScreen.load_board
    DashboardScreen.load_board = lambda self: reads.append(self)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, DashboardScreen)
            assert [g.code for g in screen.query_one("#board").grids] == ["1", "2", "3"]
            assert "住户 41" in str(screen.query_one("#totals").render())
            assert reads == []  # shown from the look, not read a second time
    finally:
        DashboardScreen.load_board = original


async def test_dashboard_reads_again_when_the_operator_comes_back(post_db, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, GridScreen)
        app.db_thread.call(lambda: post_db.execute_sql("UPDATE grid SET name = '改名网格' WHERE code = '1'"))
        await pilot.press("escape")
        await settle(app, pilot)
        board = app.screen.query_one("#board")
        assert board.grids[0].name == "改名网格"


def test_first_window_is_the_count_and_the_first_page(post_db):
    grid = queries.grid_by_code("1")
    total, pages = first_window(HouseholdSource(grid.id))
    assert total == 30
    assert [row.door for row in pages[0]] == [row.door for row in queries.household_page(grid.id, limit=100)]


async def test_register_shows_rows_read_ahead_in_its_first_paint(post_db, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        grid = queries.grid_by_code("1")
        ready: Future = Future()
        ready.set_result((2, {0: queries.household_page(grid.id, limit=2)}))
        screen = GridScreen(grid.id, register_first=ready)
        await app.push_screen(screen)
        register = screen.query_one("#register", PagedTable)
        # Straight after mounting, before any worker could have run: the rows are there.
        assert register.total == 2 and register.cursor_value.door == "花厅口村1号"
        await settle(app, pilot)
        assert "1 第一网格" in str(screen.query_one("#grid-title").render())  # the title follows the rows


async def test_register_waits_for_a_read_ahead_still_under_way(post_db, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        grid = queries.grid_by_code("1")
        pending: Future = Future()
        screen = GridScreen(grid.id, register_first=pending)
        await app.push_screen(screen)
        register = screen.query_one("#register", PagedTable)
        assert register.total is None  # loading
        pending.set_result((30, {0: queries.household_page(grid.id, limit=100)}))
        await settle(app, pilot)
        assert register.total == 30 and register.cursor_value is not None


async def test_footer_shows_the_screens_keys_in_the_posts_language_and_clicks_run_them(post_db, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        footer = app.screen.query_one(CatalogueFooter)
        line = "".join(segment.text for segment in footer.render_line(0))
        assert "值班覆盖" in line and "通行证" in line and "命令" in line
        start = cell_len(line[: line.index(" d ")])  # Chinese takes two cells
        await pilot.click(CatalogueFooter, offset=(start + 1, 0))
        await settle(app, pilot)
        assert isinstance(app.screen, CoverageScreen)


async def test_footer_follows_the_screen(post_db, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        line = "".join(segment.text for segment in app.screen.query_one(CatalogueFooter).render_line(0))
        assert "返回" in line and "值班覆盖" not in line


async def test_header_names_the_post_and_keeps_the_clock_when_narrow(post_db, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(60, 24)) as pilot:
        await settle(app, pilot)
        header = app.screen.query_one(PostHeader)
        text = str(header.render())
        assert text.startswith(" 花厅口") and "封控区" not in text  # the legend went first
        assert "04-10 09:30:00" in text  # the name is what gets cut, never the clock


async def test_no_key_disappears_from_the_footer_on_a_narrow_terminal(post_db, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        footer = app.screen.query_one(CatalogueFooter)
        line = "".join(segment.text for segment in footer.render_line(0))
        assert cell_len(line) == 80
        for shown in footer.keys:
            assert f" {shown.display}" in line or line.startswith(shown.display)
        assert "值班覆盖" in line  # the first keys keep their words
        header = str(app.screen.query_one(PostHeader).render())
        assert "花厅口村疫情防控临时指挥部" in header  # the legend gives way to the post's name


class _BrokenSource:
    def count(self) -> int:
        raise RuntimeError("disk went away")

    def page(self, offset: int, limit: int) -> list:
        return []


async def test_a_screens_failed_read_is_told_to_the_operator(post_db, db_path, monkeypatch):
    def broken(day):
        raise RuntimeError("disk went away")

    monkeypatch.setattr("console.screens.dashboard.dashboard_board", broken)
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.screen.load_board()
        await settle(app, pilot)
        assert any("disk went away" in str(n.message) for n in app._notifications)


async def test_a_tables_failed_read_is_told_to_the_operator(post_db, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        app.screen.query_one("#register", PagedTable).set_source(_BrokenSource())
        await settle(app, pilot)
        assert any("disk went away" in str(n.message) for n in app._notifications)
