"""The logging screen says what db.supply.writes says about goods brought back and deliveries made already
(issue 13, item 11): the refusal names the return or the earlier delivery, and nothing is written."""

from __future__ import annotations

from textual.widgets import Input

from console.screens.supply.delivery_log import SupplyLogScreen
from db.connection import open_database
from db.passes import keys as pass_keys
from db.supply import holdings as supply_holdings
from db.supply import writes as supply
from tests.conftest import make_app, settle
from tests.test_passes import NOW
from tests.test_passes_ui import scan_like_a_scanner
from tests.test_supply import TZ
from tests.test_supply_console import query
from tests.test_supply_ui import supply_post, text_of, type_keys  # noqa: F401  (supply_post is a fixture)

DELIVERED_AT, RETURNED_AT = NOW + 60, NOW + 120


def deliveries(db_path) -> list[tuple]:
    return query(db_path, "SELECT order_id FROM handoff WHERE kind = 'deliver' ORDER BY id")


async def open_log(app, pilot, payload: str) -> None:
    await settle(app, pilot)
    app.push_screen(SupplyLogScreen())
    await settle(app, pilot)
    await scan_like_a_scanner(app, pilot, payload)


async def test_a_stop_whose_goods_went_back_and_a_stop_delivered_already_are_refused_with_why(
    supply_post, db_path
):
    payloads, (first, care) = supply_post
    database = open_database(db_path)
    supply.deliver(
        payloads["甲"], first, key=pass_keys.post_verifier(db_path), actor="t", now=DELIVERED_AT, tz=TZ
    )
    run_id = query(db_path, "SELECT id FROM supply_run")[0][0]
    supply.return_goods(
        run_id, "大米", 5, received_by="王库管", actor="t", now=RETURNED_AT, tz=TZ
    )  # the last 5斤
    database.close()
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_log(app, pilot, payloads["甲"])
        await type_keys(app, pilot, str(care))  # still on the list: the run's rice is back in the depot
        status = text_of(app, "#log-status")
        assert "退回" in status and "王库管" in status and supply_holdings.when(RETURNED_AT, TZ) in status
        assert (
            app.screen.picked is None
            and "签收人" not in app.screen.query_one("#log-input", Input).placeholder
        )
        await type_keys(app, pilot, str(first))  # delivered already: when, not "not on the list"
        status = text_of(app, "#log-status")
        assert "已于" in status and supply_holdings.when(DELIVERED_AT, TZ) in status
    assert deliveries(db_path) == [(first,)]


async def test_goods_returned_while_the_stop_is_picked_are_refused_at_save(supply_post, db_path):
    """The issue's own sequence: the return is recorded after the stop was picked, then Enter."""
    payloads, (first, care) = supply_post
    run_id = query(db_path, "SELECT id FROM supply_run")[0][0]
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_log(app, pilot, payloads["甲"])
        await type_keys(app, pilot, str(care))
        assert "签收人" in text_of(app, "#log-status")  # picked: nothing refused it yet
        app.db_thread.call(
            supply.return_goods, run_id, "大米", 10, received_by="王库管", actor="t", now=RETURNED_AT, tz=TZ
        )  # another desk takes the whole run's rice back
        await type_keys(app, pilot, "王阿姨")
        status = text_of(app, "#log-status")
        assert "已保存" not in status and "退回" in status and "王库管" in status
    assert deliveries(db_path) == []
