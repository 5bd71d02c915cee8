"""The copy keys of issue 14 in the console: w and W on the registers screen put the testing round's
chain template, and who has not answered, on the clipboard (OSC 52), and say so."""

from __future__ import annotations

from console.screens.registers.grid_registers import RegistersScreen
from db.registers import writes as registers
from tests.conftest import make_app, settle


async def test_registers_copy_the_template_and_the_missing_list(post_db, db_path):
    registers.create_round(1, "2022-04-10", actor="t")
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("g")
        await settle(app, pilot)
        assert isinstance(app.screen, RegistersScreen)
        await pilot.press("w")
        await settle(app, pilot)
        template = app.clipboard
        assert template.startswith("#接龙 1 ") and "第1轮核酸" in template.splitlines()[0]
        assert template.count("\n") == 2 + 30  # every untested door of the grid, one line each
        await pilot.press("W")
        await settle(app, pilot)
        assert "以下 30 户还没接龙" in app.clipboard and app.clipboard != template
        notices = "\n".join(str(n.message) for n in app._notifications)
        assert "已复制到剪贴板" in notices


async def test_review_shows_which_line_wins_and_lets_the_operator_pick_a_door(post_db, db_path):
    from textual.widgets import DataTable, TextArea

    from console.screens.intake.chain_review import ChainReviewScreen
    from db.grids import queries
    from db.grids.writes import upsert_households
    from db.records import HouseholdInput
    from db.registers import queries as register_queries

    round_id = registers.create_round(1, "2022-04-10", actor="t")
    upsert_households(
        [HouseholdInput("1", "东区1号", 2, "", None, None, None)], actor="t"
    )  # 1号 is now two doors
    app = make_app(db_path)
    async with app.run_test(size=(140, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("g")
        await settle(app, pilot)
        await pilot.press("v")
        await settle(app, pilot)
        assert isinstance(app.screen, ChainReviewScreen)
        app.screen.query_one(TextArea).insert("核酸接龙\n1. 花厅口村2号 3人\n2. 1号 2人\n3. 2号 更正：1人\n")
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        table = app.screen.query_one("#chain-table", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows[1][1] == "已被更正" and "第 4 行" in rows[1][5]  # both lines shown, and which wins
        assert rows[3][1] == "可登记" and rows[3][3] == "1" and "更正第 2 行" in rows[3][5]
        assert rows[2][1] == "待核对" and "东区1号" in rows[2][5] and "花厅口村1号" in rows[2][5]
        table.move_cursor(row=2)
        await pilot.press("d")  # the first of the doors it could be
        await settle(app, pilot)
        row = [str(c) for c in table.get_row_at(2)]
        assert row[1] == "可登记" and row[2] == "东区1号"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, ChainReviewScreen)
        root = queries.grid_by_code("1").id
        assert register_queries.untested_count(round_id, root) == 31 - 2
