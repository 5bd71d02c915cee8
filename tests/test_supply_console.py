"""The supply console's remaining desk work under Pilot: orders from a pasted chain (c), received-by
on the logging screen, goods returned from a run (b), and a pass chosen from a list (F3) instead of
scanned. Every rule stays in db/: these tests check that the screens reach it and say what it said."""

from __future__ import annotations

import sqlite3

from textual.widgets import DataTable, Input, Static, TextArea

from console.screens.intake.chain_review import ChainReviewScreen
from console.screens.passes.pick import PassPickDialog
from console.screens.supply.delivery_log import SupplyLogScreen
from console.screens.supply.overview import SupplyScreen
from console.screens.supply.run_dialog import RunDialog
from db.connection import open_database
from db.intake import orders_chain as supply_chain
from db.passes import keys as pass_keys
from db.supply import queries as supply_queries
from db.supply import writes as supply
from tests.conftest import make_app, settle
from tests.test_passes import NOW
from tests.test_passes_ui import scan_like_a_scanner
from tests.test_supply import depot  # noqa: F401  (a fixture)
from tests.test_supply_ui import supply_post, text_of, type_keys  # noqa: F401  (supply_post is a fixture)
from widgets.footer import CatalogueFooter

# Grid 1 holds 花厅口村2号, 4号 and 5号; 3号 is in grid 2 (tests/conftest.py).
ORDER_CHAIN = """#接龙 4月10日 今日菜单:大米
1. 花厅口村2号 大米10斤
2. 花厅口村5号 黄金1斤
3. 花厅口村3号 大米2斤
4. 花厅口村2号 大米1斤
收到
"""


def column(table: DataTable, index: int) -> list[str]:
    return [str(table.get_row_at(row)[index]) for row in range(table.row_count)]


def notices(app) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


def query(db_path, sql: str, *params) -> list[tuple]:
    con = sqlite3.connect(db_path)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


async def open_supply(app, pilot) -> None:
    await settle(app, pilot)
    await pilot.press("h")
    await settle(app, pilot)
    assert isinstance(app.screen, SupplyScreen)


async def test_a_pasted_chain_of_orders_is_reviewed_fixed_and_placed_all_or_nothing(supply_post, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_supply(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        app.screen.query_one("#prompt-grid", Input).value = "1"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ChainReviewScreen) and app.screen.as_kind == "orders"
        keys = "".join(segment.text for segment in app.screen.query_one(CatalogueFooter).render_line(0))
        assert "确认下单" in keys and "确认登记" not in keys  # the key is named for what it does here
        app.screen.query_one(TextArea).insert(ORDER_CHAIN)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        table = app.screen.query_one("#chain-table", DataTable)
        # 3号 is in grid 2: db.supply.writes.add_orders refuses it in a dry run, before anything is committed
        # 2号 twice with different goods and no correction: both lines are asked about (db/chain_plan)
        assert column(table, 1) == ["表头", "未能下单", "物资有误", "未能下单", "重复", "闲聊"]
        assert "第 5 行" in column(table, 5)[1]
        assert (
            column(table, 3)[1] == "大米 10斤"
            and "黄金" in column(table, 5)[2]
            and "3号" in column(table, 5)[3]
        )

        await pilot.press("ctrl+s")  # lines with problems: nothing is placed
        await settle(app, pilot)
        assert isinstance(app.screen, ChainReviewScreen) and "一单不下" in notices(app)

        table.move_cursor(row=2)
        await pilot.press("x")  # skip the gold
        table.move_cursor(row=4)
        await pilot.press("e")  # the second 2号 was meant to be 4号, and urgent
        await settle(app, pilot)
        app.screen.query_one(Input).value = "4. 花厅口村4号 大米1斤 急"
        await pilot.press("enter")
        await settle(app, pilot)
        assert column(table, 1) == ["表头", "可下单", "已跳过", "未能下单", "可下单", "闲聊"]
        assert column(table, 4)[4] == "急"

        await pilot.press("ctrl+s")  # committed anyway: the same refusal, and nothing placed
        await settle(app, pilot)
        assert column(table, 1)[3] == "未能下单" and "待核对" in notices(app)  # the plan asks first
        assert query(db_path, "SELECT count(*) FROM supply_order WHERE source = 'chain'") == [(0,)]

        table.move_cursor(row=3)
        await pilot.press("x")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, SupplyScreen) and "已下单 2 户" in notices(app)
    placed = query(
        db_path,
        "SELECT h.door, o.urgent, l.quantity FROM supply_order o JOIN household h"
        " ON h.id = o.household_id JOIN supply_order_line l ON l.order_id = o.id"
        " WHERE o.source = 'chain' ORDER BY h.door",
    )
    assert placed == [("花厅口村2号", 0, 10), ("花厅口村4号", 1, 1)]


def test_medicine_is_urgent_before_it_is_placed_as_when_it_is(depot):
    assert supply.order_urgent(["降压药", "大米"]) and supply.order_urgent(["大米"], asked=True)
    assert not supply.order_urgent(["大米", "消毒液"]) and not supply.order_urgent([])
    order_id = supply.add_order("1", "花厅口村1号", [("降压药", 1)], actor="t", now=NOW)
    assert supply_queries.order(order_id).urgent


def test_recheck_clears_a_duplicate_once_one_of_the_two_is_skipped():
    entries = supply_chain.read_order_chain("1. 2号 大米1斤\n2. 2号 大米2斤\n", [("大米", "斤")])
    assert [e.status for e in entries] == ["ok", "duplicate"]
    supply_chain.recheck(entries, skipped={0})
    assert [e.status for e in entries] == ["ok", "ok"]
    supply_chain.recheck(entries)
    assert [e.status for e in entries] == ["ok", "duplicate"]


async def test_received_by_is_asked_after_the_stop_and_empty_means_the_household(supply_post, db_path):
    payloads, (first, care) = supply_post
    app = make_app(db_path)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(app, pilot)
        app.push_screen(SupplyLogScreen())
        await settle(app, pilot)
        await scan_like_a_scanner(app, pilot, payloads["甲"])
        await type_keys(app, pilot, str(care))
        assert "签收人" in text_of(app, "#log-status")
        assert "签收人" in app.screen.query_one("#log-input", Input).placeholder
        await type_keys(app, pilot, "王阿姨")
        assert "已保存" in text_of(app, "#log-status") and "王阿姨" in text_of(app, "#log-status")
        await type_keys(app, pilot, str(first))
        await type_keys(app, pilot, "")  # Enter alone: received by the household itself
        assert "本人" in text_of(app, "#log-status")
    assert query(db_path, "SELECT order_id, party FROM handoff WHERE kind = 'deliver' ORDER BY id") == [
        (care, "王阿姨"),
        (first, ""),
    ]


async def test_goods_back_from_a_run_and_too_many_is_refused(supply_post, db_path):
    run_id = query(db_path, "SELECT id FROM supply_run")[0][0]
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_supply(app, pilot)

        async def give_back(quantity: str) -> None:
            await pilot.press("b")
            await settle(app, pilot)
            assert app.screen.query_one("#prompt-run", Input).value == str(run_id)  # the ledger's run
            assert app.screen.query_one("#prompt-item", Input).value == "大米"
            app.screen.query_one("#prompt-quantity", Input).value = quantity
            app.screen.query_one("#prompt-received_by", Input).value = "王库管"
            app.screen.query_one("#prompt-reason", Input).value = "住户不在家"
            await pilot.press("enter")
            await settle(app, pilot)

        await give_back("11")  # 10斤 went out on the run
        assert "不能退回 11斤" in notices(app)
        assert query(db_path, "SELECT count(*) FROM handoff WHERE kind = 'return'") == [(0,)]
        await give_back("4")
        assert "已退回" in notices(app)
    assert query(db_path, "SELECT quantity, party, reason FROM handoff WHERE kind = 'return'") == [
        (4, "王库管", "住户不在家")
    ]
    assert query(db_path, "SELECT on_hand FROM supply_stock") == [(94,)]


async def test_a_run_is_formed_with_a_pass_chosen_from_the_grids_list(supply_post, db_path):
    database = open_database(db_path)
    order = supply.add_order("1", "花厅口村2号", [("大米", 3)], actor="t", now=NOW)
    database.close()
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_supply(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, RunDialog)
        await pilot.press("f3")
        await settle(app, pilot)
        assert isinstance(app.screen, PassPickDialog)
        names = column(app.screen.query_one(DataTable), 0)
        assert names == ["甲"]  # grid 1's passes only: 丙's is for grid 2
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, RunDialog)
        assert app.screen.query_one("#prompt-pass", Input).value.startswith("CP2.")
        await pilot.press("enter")  # the focus is on the stops: Enter forms the run
        await settle(app, pilot)
        assert isinstance(app.screen, SupplyScreen)
    assert query(
        db_path,
        "SELECT s.name FROM supply_order o JOIN supply_run r ON r.id = o.run_id"
        " JOIN staff s ON s.id = r.staff_id WHERE o.id = ?",
        order,
    ) == [("甲",)]


async def test_the_logging_screen_takes_a_chosen_pass_as_if_scanned(supply_post, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(app, pilot)
        app.push_screen(SupplyLogScreen())
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        assert column(app.screen.query_one(DataTable), 0) == ["甲", "丙"]
        await type_keys(app, pilot, "丙")  # filter, then Enter takes the one left
        await settle(app, pilot)
        assert isinstance(app.screen, SupplyLogScreen) and "丙" in text_of(app, "#log-who")
        await pilot.press("f3")
        await settle(app, pilot)
        await pilot.press("down", "down", "up", "enter")  # ↑/↓ move in the whole list (丙 is last)
        await settle(app, pilot)
        assert (
            "甲" in text_of(app, "#log-who") and app.screen.query_one("#log-stops", DataTable).row_count == 2
        )


async def test_a_pass_that_cannot_be_signed_is_refused_in_the_dialog(supply_post, db_path, monkeypatch):
    def refuse(path):
        raise pass_keys.PassKeyError("passes.key_admin_only", name="小王")

    monkeypatch.setattr(pass_keys, "signing_key", refuse)
    app = make_app(db_path)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(app, pilot)
        app.push_screen(SupplyLogScreen())
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PassPickDialog)
        assert "只能由管理员" in str(app.screen.query_one("#pick-status", Static).render())
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, SupplyLogScreen) and "请扫描" in text_of(app, "#log-who")


async def test_odd_digits_typed_on_the_logging_screen_are_refused_as_no_pass(supply_post, db_path):
    """A superscript digit, or a number too long to be an order, is read as a pass scan and refused."""
    from rich.text import Text

    from console.screens.supply.delivery_log import SupplyLogScreen

    before = query(db_path, "SELECT count(*) FROM handoff")
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("h")
        await settle(app, pilot)
        await pilot.press("l")
        await settle(app, pilot)
        for text in ("²", "9" * 30):
            app.screen._status(Text(""))
            await pilot.press(*text, "enter")
            await settle(app, pilot)
            assert isinstance(app.screen, SupplyLogScreen) and app.is_running
            assert text_of(app, "#log-status").startswith("✘") and "不是通行证" in text_of(
                app, "#log-status"
            )  # MALFORMED, in words
            assert "请扫描" in text_of(app, "#log-who") and app.screen.payload is None  # no volunteer taken
    assert query(db_path, "SELECT count(*) FROM handoff") == before


async def test_a_long_pass_list_shows_the_first_ones_and_asks_to_narrow(supply_post, db_path, monkeypatch):
    monkeypatch.setattr("console.screens.passes.pick.SHOWN_MAX", 1)
    app = make_app(db_path)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(app, pilot)
        app.push_screen(SupplyLogScreen())
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        assert app.screen.query_one(DataTable).row_count == 1
        assert "符合的有 2 张" in text_of(app, "#pick-status")
        await type_keys(app, pilot, "丙")
        await settle(app, pilot)
        assert "丙" in text_of(app, "#log-who")
