"""The console driven as an operator would, with keys, on a temporary database."""

from __future__ import annotations

from textual.widgets import Input, Static

from console.screens.dashboard import DashboardScreen
from console.screens.dialogs.zone import ZoneDialog
from console.screens.first_run import FirstRunScreen
from console.screens.grid import GridScreen
from console.screens.help import HelpScreen
from console.screens.search import SearchScreen
from db.grids import queries
from tests.conftest import MARKUP_NAME, MARKUP_NOTE, make_app, settle, wait_until
from widgets.paged_table import PagedTable
from widgets.tile_board import TileBoard


def screen_text(app) -> str:
    """Everything painted on the screen, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def click_on_text(app, pilot, needle: str) -> tuple[int, int]:
    """Click the first cell where ``needle`` is painted (found on screen, in cells: CJK is two wide)."""
    from rich.cells import cell_len

    for y, line in enumerate(screen_text(app).split("\n")):
        if needle in line:
            x = cell_len(line[: line.index(needle)]) + 1
            await pilot.click(offset=(x, y))
            return x, y
    raise AssertionError(f"{needle!r} is not on screen")


def static_text(widget: Static) -> str:
    return str(widget.render())


async def test_dashboard_shows_one_tile_per_grid_with_counts(post_db, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        board = app.screen.query_one(TileBoard)
        assert [g.code for g in board.grids] == ["1", "2", "3"]
        text = screen_text(app)
        assert "第一网格" in text and "封控区" in text and "户 30" in text
        assert "住户 41" in static_text(app.screen.query_one("#totals"))
        assert app.focused is board and board.current.code == "1"


async def test_arrow_keys_and_enter_open_a_grid(post_db, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("right")
        assert app.screen.query_one(TileBoard).current.code == "2"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, GridScreen)
        assert "第二网格" in static_text(app.screen.query_one("#grid-title"))
        register = app.screen.query_one("#register", PagedTable)
        assert register.total == 11
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)


async def test_register_search_narrows_the_list(post_db, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        register = app.screen.query_one("#register", PagedTable)
        assert register.total == 30
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"00012", "enter")
        await settle(app, pilot)
        assert register.total == 1
        assert register.cursor_value.door == "花厅口村12号"
        assert "共 1 户" in static_text(app.screen.query_one("#register-status"))


async def test_names_from_data_are_shown_literally_never_as_markup(post_db, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("right", "enter")
        await settle(app, pilot)
        await pilot.press("slash")
        app.screen.query_one("#search", Input).insert_text_at_cursor("99号")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.query_one("#register", PagedTable).total == 1
        text = screen_text(app)
        assert MARKUP_NAME in text
        assert MARKUP_NOTE[:10] in text
        register = app.screen.query_one("#register", PagedTable)
        x, y = await click_on_text(app, pilot, MARKUP_NOTE[:10])  # on the link itself, were it one
        assert app.screen.get_widget_at(x, y)[0] is register  # the click landed on the note in the table
        await settle(app, pilot)
        assert app.is_running and isinstance(
            app.screen, GridScreen
        )  # the [@click=app.quit] note quit nothing


async def test_zone_change_without_reason_is_refused_then_recorded_with_one(post_db, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("z")
        await settle(app, pilot)
        assert isinstance(app.screen, ZoneDialog)
        await pilot.press("tab", "enter")  # the current status is preselected: nothing to change yet
        await settle(app, pilot)
        assert isinstance(app.screen, ZoneDialog)
        assert "已经是封控区" in static_text(app.screen.query_one("#zone-error"))
        await pilot.press("shift+tab", "down", "enter")  # choose 管控区 in the list: the reason comes next
        await pilot.press("enter")  # still no reason typed
        await settle(app, pilot)
        assert "原因" in static_text(app.screen.query_one("#zone-error"))
        assert queries.grid_by_code("1").zone == "sealed"
        await pilot.press(*"连续七天无新增", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert queries.grid_by_code("1").zone == "controlled"
        assert app.screen.query_one(TileBoard).grids[0].zone == "controlled"
        history = queries.zone_history_tree(queries.grid_by_code("1").id)
        assert history[0].reason == "连续七天无新增" and history[0].changed_by == "tester"


async def test_zone_history_tab_lists_changes(post_db, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("3")
        await settle(app, pilot)
        assert app.screen.active_tab == "tab-zone"
        assert app.screen.query_one("#zone-history").row_count == 4  # grid 1, two sub-grids, one unit


async def test_palette_jumps_to_a_subgrid_by_code(post_db, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"1-2")
        from textual.command import CommandList

        await wait_until(
            pilot, lambda: app.screen.query_one(CommandList).option_count > 0, "the palette finds 1-2"
        )
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, GridScreen)
        assert app.screen.subgrid_code == "1-2"
        assert app.screen.query_one("#register", PagedTable).total == queries.household_count(grid_code="1-2")


async def test_county_search_opens_the_households_grid(post_db, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"花厅口村99号", "enter")
        await settle(app, pilot)
        results = app.screen.query_one("#results", PagedTable)
        assert results.total == 1
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, GridScreen) and app.screen.grid_id == queries.grid_by_code("2").id
        assert app.screen.query_one("#register", PagedTable).total == 1


async def test_help_lists_the_keys(post_db, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "调整区域状态" in text and "命令面板" in text
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


async def test_empty_database_opens_on_first_run_screen(db_path):
    app = make_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, FirstRunScreen)
        body = " ".join(static_text(w) for w in app.screen.query(Static))
        assert str(db_path) in body and "演示数据" in body


async def test_english_switches_the_labels(post_db, db_path):
    app = make_app(db_path, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "Sealed" in text and "Households 41" in text
        assert "封控区" not in text and "住户" not in text


async def test_works_at_80_by_24(post_db, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert "第三网格" in screen_text(app)
        await pilot.press("enter")
        await settle(app, pilot)
        text = screen_text(app)
        assert "门牌号" in text and "花厅口村1号" in text
        assert not app.screen.query_one("#grid-tree").display  # the tree folds away on a narrow terminal
        await pilot.press("t")
        assert app.screen.query_one("#grid-tree").display


async def test_first_run_import_of_grids_then_households_with_a_bad_row(db_path, tmp_path):
    from textual.widgets import DataTable

    from console.screens.intake.import_data import ImportScreen

    grids = tmp_path / "网格.csv"
    grids.write_text("网格编码,网格名称,区域状态\n1,第一网格,封控区\n1-1,一组,\n", encoding="utf-8-sig")
    households = tmp_path / "住户.csv"
    households.write_bytes(
        "网格,门牌号,人数,联系电话\n1-1,1号,3人,17000000001\n1-1,2号,很多,\n9,3号,2,\n".encode("gbk")
    )
    app = make_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await settle(app, pilot)
        assert isinstance(app.screen, ImportScreen)
        app.screen.query_one("#import-path", Input).insert_text_at_cursor(str(grids))
        await pilot.press("enter")
        await settle(app, pilot)
        assert "新增 2" in static_text(app.screen.query_one("#import-summary"))
        app.screen.query_one("#import-path", Input).insert_text_at_cursor(str(households))
        await pilot.press("enter")
        await settle(app, pilot)
        problems = app.screen.query_one("#import-problems", DataTable)
        assert problems.row_count == 2
        assert [str(problems.get_row_at(i)[0]) for i in range(2)] == ["3", "4"]
        assert queries.household_count() == 0  # all or nothing
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert [g.code for g in app.screen.query_one(TileBoard).grids] == ["1"]


async def test_tiles_show_the_current_rounds_testing_coverage(post_db, db_path):
    from db.registers import writes as registers

    round_id = registers.create_round(1, "2022-04-10", actor="t")
    registers.mark_tested(round_id, "2", [("花厅口村3号", 2)], source="hand", actor="t")
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "核酸 0%" in text and "核酸 9%" in text  # grid 1: none of 30; grid 2: 1 of 11


async def test_tiles_show_open_orders(post_db, db_path):
    from db.supply import writes as supply
    from tests.conftest import FIXED_NOW

    now = int(FIXED_NOW.timestamp())
    supply.add_item("大米", "斤", "grain_oil", actor="t", now=now)
    supply.add_order("2", "花厅口村3号", [("大米", 10)], actor="t", now=now)
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "待送订单 0" in text and "待送订单 1" in text  # grid 1 has none; grid 2 has one


async def test_clicking_a_tab_label_opens_that_tab(post_db, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.click("#grid-tabs", offset=(15, 0))  # "2 人员", after "1 住户登记" and three spaces
        await settle(app, pilot)
        assert app.screen.active_tab == "tab-staff"
        assert app.screen.query_one("#staff").has_focus
