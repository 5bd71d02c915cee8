"""The registers screen driven with keys: care check-ins, building reports, testing by hand."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static

from console.screens.grid import GridScreen
from console.screens.registers.grid_registers import RegistersScreen
from db.grids import queries
from db.registers import queries as register_queries
from db.registers import writes as registers
from tests.conftest import make_app, settle


def cells(table: DataTable, column: int) -> list[str]:
    return [str(table.get_row_at(i)[column]) for i in range(table.row_count)]


async def test_overdue_care_is_first_and_checked_in_with_one_key(post_db, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, GridScreen)
        assert "特殊群众未联系 4 户" in str(app.screen.query_one("#grid-due", Static).render())
        await pilot.press("g")
        await settle(app, pilot)
        assert isinstance(app.screen, RegistersScreen)
        care = app.screen.query_one("#care-table", DataTable)
        assert cells(care, 0) == ["未联系"] * 4
        await pilot.press("s")
        await settle(app, pilot)
        assert sorted(cells(care, 0)) == ["平安", "未联系", "未联系", "未联系"]
        assert register_queries.care_overdue_count("2022-04-10", queries.grid_by_code("1").id) == 3


async def test_building_problem_needs_a_note(post_db, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("g")
        await settle(app, pilot)
        await pilot.press("2", "b")
        await settle(app, pilot)
        app.screen.query_one("#prompt-observer", Input).insert_text_at_cursor("蓝周瑜")
        await pilot.press("enter")  # no note: refused
        await settle(app, pilot)
        units = register_queries.unit_reports("2022-04-10", queries.grid_by_code("1").id)
        assert all(not u.today for u in units)


async def test_mark_a_household_tested_by_hand(post_db, db_path):
    number = registers.create_round(1, "2022-04-10", actor="t")
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("g")
        await settle(app, pilot)
        await pilot.press("3")
        await settle(app, pilot)
        await pilot.press("t")
        await settle(app, pilot)
        await pilot.press("enter")  # the household's head count is offered
        await settle(app, pilot)
        root = queries.grid_by_code("1").id
        assert register_queries.untested_count(number, root) == 29
        coverage = app.screen.query_one("#round-coverage", DataTable)
        assert cells(coverage, 1)[0] == "1/30"


MESSY_CHAIN = """花厅口村第一网格第1轮核酸接龙
门牌号+人数+联系方式
例:1. 花厅口村12号 3人 138xxxx
1. 花厅口村1号 2人 138 0013 8000
2、花厅口村２号 三口
收到,大家辛苦了
3. 花厅口村99号 2人
4. 花厅口村1号 2人
"""


async def test_paste_review_fix_and_commit_a_testing_chain(post_db, db_path):
    from textual.widgets import TextArea

    from console.screens.intake.chain_review import ChainReviewScreen

    round_id = registers.create_round(1, "2022-04-10", actor="t")
    root = queries.grid_by_code("1").id
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("g")
        await settle(app, pilot)
        await pilot.press("v")
        await settle(app, pilot)
        assert isinstance(app.screen, ChainReviewScreen)
        from widgets.footer import CatalogueFooter

        keys = "".join(segment.text for segment in app.screen.query_one(CatalogueFooter).render_line(0))
        assert "确认登记" in keys and "确认下单" not in keys
        app.screen.query_one(TextArea).insert(MESSY_CHAIN)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        table = app.screen.query_one("#chain-table", DataTable)
        statuses = cells(table, 1)
        assert statuses.count("可登记") == 2 and "门牌不在本网格" in statuses and "重复" in statuses
        assert "未识别" in statuses  # the chatter line is kept, never dropped
        table.move_cursor(row=statuses.index("门牌不在本网格"))  # 99号 is in grid 2: fix it to 4号
        await pilot.press("e")
        await settle(app, pilot)
        editor = app.screen.query_one(Input)
        editor.value = "3. 花厅口村4号 2人"
        await pilot.press("enter")
        await settle(app, pilot)
        assert cells(app.screen.query_one("#chain-table", DataTable), 1).count("可登记") == 3
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, RegistersScreen)
        assert register_queries.untested_count(round_id, root) == 27
        coverage = app.screen.query_one("#round-coverage", DataTable)
        assert cells(coverage, 1)[0] == "3/30"
