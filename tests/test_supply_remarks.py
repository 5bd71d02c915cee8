"""What the volunteer needs (issue 16, item 6): the resident's remark in open orders and on the
voucher, and the voucher counting households, not orders."""

from __future__ import annotations

from console.sheets.supply import write_voucher
from db.connection import open_database
from db.passes import keys as pass_keys
from db.supply import writes as supply
from tests.conftest import FIXED_NOW, make_app, settle
from tests.test_passes import NOW
from tests.test_supply_ui import supply_post  # noqa: F401  (a fixture)
from tests.test_ui import screen_text
from widgets.paged_table import PagedTable

REMARK = "老人家，麻烦放门口"


def two_orders_for_one_door(db_path, payload: str) -> int:
    database = open_database(db_path)
    orders = [
        supply.add_order("1", "花厅口村5号", [("大米", 2)], note=REMARK, actor="t", now=NOW),
        supply.add_order("1", "花厅口村5号", [("大米", 1)], actor="t", now=NOW),
    ]
    run_id = supply.create_run(
        payload, orders, "1", key=pass_keys.post_verifier(db_path), actor="t", now=NOW, tz=FIXED_NOW.tzinfo
    )
    database.close()
    return run_id


def test_the_voucher_shows_remarks_and_counts_households_not_orders(supply_post, db_path, tmp_path):
    payloads, _ = supply_post
    run_id = two_orders_for_one_door(db_path, payloads["甲"])
    database = open_database(db_path)
    page = write_voucher(run_id, tmp_path / "v.html", post_name="指挥部", tz=FIXED_NOW.tzinfo).read_text(
        "utf-8"
    )
    database.close()
    assert REMARK in page
    assert "共 1 户" in page and "共 2 户" not in page


async def test_open_orders_show_the_residents_remark(supply_post, db_path):
    database = open_database(db_path)
    supply.add_order("1", "花厅口村9号", [("大米", 2)], note=REMARK, actor="t", now=NOW)
    database.close()
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("h")
        await settle(app, pilot)
        assert app.screen.query_one("#supply-orders", PagedTable).total == 1
        assert REMARK[:4] in screen_text(app)
