"""The supply screens under Pilot: a delivery logged at scanner speed, saved before it says so."""

from __future__ import annotations

import sqlite3

import pytest
from textual.widgets import DataTable, Input, Static

from console.screens.supply.delivery_log import SupplyLogScreen
from console.screens.supply.overview import SupplyScreen
from console.screens.supply.run_dialog import RunDialog
from db.passes import issuing as passes
from db.passes import keys as pass_keys
from db.supply import writes as supply
from tests.conftest import FIXED_NOW, make_app, settle
from tests.pdf_text import joined
from tests.test_passes import DUTY, NOW, add_delivery_staff, staff
from tests.test_passes_ui import scan_like_a_scanner
from widgets.paged_table import PagedTable
from widgets.supply_figures import SupplyFigures

TZ = FIXED_NOW.tzinfo


@pytest.fixture
def supply_post(post_db, db_path):
    """甲 (grid 1) on a run of two orders, 丙 (grid 2) with a pass; 20号 is a special-care household."""
    add_delivery_staff()
    key = pass_keys.signing_key(db_path)
    payloads = {
        name: passes.payload_for(passes.issue(DUTY, staff(post_db, name), grid, actor="t", now=NOW), key)
        for name, grid in (("甲", "1"), ("丙", "2"))
    }
    supply.add_item("大米", "斤", "grain_oil", actor="t", now=NOW)
    supply.receive("大米", 100, "粮油公司", actor="t", now=NOW, tz=TZ)
    orders = [supply.add_order("1", f"花厅口村{n}号", [("大米", 5)], actor="t", now=NOW) for n in (1, 20)]
    supply.create_run(
        payloads["甲"], orders, "1", key=pass_keys.post_verifier(db_path), actor="t", now=NOW, tz=TZ
    )
    post_db.close()
    return payloads, orders


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def type_keys(app, pilot, text: str) -> None:
    await scan_like_a_scanner(app, pilot, text)


async def test_scan_pass_pick_confirm_records_a_delivery(supply_post, db_path):
    payloads, (first, care) = supply_post
    app = make_app(db_path)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(app, pilot)
        await pilot.press("h")
        await settle(app, pilot)
        assert isinstance(app.screen, SupplyScreen)
        assert app.screen.query_one("#supply-orders", PagedTable).total == 0  # both are out on the run
        await pilot.press("l")
        await settle(app, pilot)
        assert isinstance(app.screen, SupplyLogScreen)
        box = app.screen.query_one("#log-input", Input)
        assert app.focused is box

        await scan_like_a_scanner(app, pilot, payloads["甲"])
        assert (
            "甲" in text_of(app, "#log-who") and app.screen.query_one("#log-stops", DataTable).row_count == 2
        )
        await type_keys(app, pilot, str(care))  # scan the voucher's order number
        assert "确认送达" in text_of(app, "#log-status")
        await type_keys(app, pilot, "")  # Enter confirms
        assert (
            "已保存" in text_of(app, "#log-status")
            and app.screen.query_one("#log-stops", DataTable).row_count == 1
        )
        con = sqlite3.connect(db_path)  # saved before the screen said so
        assert (
            con.execute(
                "SELECT count(*) FROM handoff WHERE kind = 'deliver' AND order_id = ?", (care,)
            ).fetchone()[0]
            == 1
        )
        con.close()

        await type_keys(app, pilot, "")  # Enter on the highlighted stop picks it, a second Enter saves
        await type_keys(app, pilot, "")
        assert "已保存" in text_of(app, "#log-status") and "没有待送" in text_of(app, "#log-who")
        assert box.value == "" and app.focused is box

        await type_keys(app, pilot, str(first))  # no longer on the list: delivered, and db/ says when
        assert "已于" in text_of(app, "#log-status") and "送达" in text_of(app, "#log-status")

        await scan_like_a_scanner(app, pilot, payloads["丙"])  # another volunteer, nothing to deliver
        assert "丙" in text_of(app, "#log-who")
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, SupplyScreen)
        ledger = app.screen.query_one("#supply-ledger", PagedTable)
        assert (
            ledger.cursor_value.kind == "deliver" and ledger.total == 4
        )  # newest first, paged from the database
        figures = app.screen.query_one(SupplyFigures)
        assert figures.totals == [("大米", "斤", "grain_oil", 10)] and sum(figures.hours) == 2
        assert "大米 10斤" in str(figures.render())
    con = sqlite3.connect(db_path)
    assert con.execute("SELECT count(*) FROM handoff WHERE kind = 'deliver'").fetchone()[0] == 2
    con.close()


async def test_a_refused_delivery_says_why_and_writes_nothing(supply_post, db_path):
    payloads, (first, _) = supply_post
    app = make_app(db_path)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(app, pilot)
        app.push_screen(SupplyLogScreen())
        await settle(app, pilot)
        await type_keys(app, pilot, "1")
        assert "请先扫描" in text_of(app, "#log-status")
        await scan_like_a_scanner(app, pilot, "NOT-A-PASS")
        status = text_of(app, "#log-status")
        assert "不是通行证" in status and "MALFORMED" not in status  # the verdict in words, never its code
    con = sqlite3.connect(db_path)
    assert con.execute("SELECT count(*) FROM handoff WHERE kind = 'deliver'").fetchone()[0] == 0
    con.close()


async def test_take_an_order_form_a_run_and_print_its_voucher_from_the_keyboard(
    supply_post, db_path, tmp_path, monkeypatch
):
    import console.screens.supply.desk as desk

    monkeypatch.setattr(desk, "data_dir", lambda: tmp_path)
    payloads, _ = supply_post
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("h")
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        await type_keys(app, pilot, "")  # an empty order is refused, nothing saved
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        app.screen.query_one("#prompt-grid", Input).value = "1"
        app.screen.query_one("#prompt-door", Input).value = "花厅口村2号"
        app.screen.query_one("#prompt-goods", Input).value = "大米3斤 黄金1斤"  # off the menu: refused
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        app.screen.query_one("#prompt-door", Input).value = "花厅口村2号"
        app.screen.query_one("#prompt-grid", Input).value = "1"
        app.screen.query_one("#prompt-goods", Input).value = "大米x3"
        await pilot.press("enter")
        await settle(app, pilot)
        orders = app.screen.query_one("#supply-orders", PagedTable)
        assert orders.total == 1 and orders.cursor_value.items == "大米 3斤"
        await pilot.press("n")
        await settle(app, pilot)
        app.screen.query_one("#prompt-pass", Input).value = payloads["丙"]  # a grid 2 pass: no 窜格
        await pilot.press("enter")
        await settle(app, pilot)
        assert orders.total == 1
        assert isinstance(app.screen, RunDialog)  # kept open with the refusal, in words
        problem = str(app.screen.query_one("#run-problem", Static).render())
        assert "不是本网格的证" in problem and "CROSS_GRID" not in problem
        app.screen.query_one("#prompt-pass", Input).value = payloads["甲"]
        await pilot.press("enter")
        await settle(app, pilot)
        assert orders.total == 0
    vouchers = list(tmp_path.glob("print/*.pdf"))
    assert len(vouchers) == 1 and "花厅口村2号" in joined(vouchers[0])
    con = sqlite3.connect(db_path)
    assert (
        con.execute("SELECT count(*) FROM supply_order").fetchone()[0] == 3
    )  # two at the start, one taken here
    assert con.execute("SELECT count(*) FROM supply_run").fetchone()[0] == 2
    con.close()


async def test_the_grid_pane_shows_open_orders_and_todays_deliveries(supply_post, db_path):
    payloads, (first, _) = supply_post
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")  # the first grid
        await settle(app, pilot)
        assert "待配送 2 单 · 今日送达 0 户" in str(app.screen.query_one("#grid-supply", Static).render())


async def test_the_supply_screen_reads_once_when_opened_and_again_when_come_back_to(
    supply_post, db_path, monkeypatch
):
    from db.supply import queries as supply_queries

    counted = []
    real = supply_queries.ledger_count
    monkeypatch.setattr(supply_queries, "ledger_count", lambda: counted.append(1) or real())
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("h")
        await settle(app, pilot)
        assert isinstance(app.screen, SupplyScreen) and len(counted) == 1  # a million-row count, once
        app.push_screen(SupplyLogScreen())
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, SupplyScreen) and len(counted) == 2
