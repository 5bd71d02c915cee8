"""Goods returned from a run to the depot, and the day's figures: totals per grid and item,
deliveries per hour (corrected records count for nothing)."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from db.errors import CmdpostError, NotFound, RuleError
from db.supply import queries as supply_queries
from db.supply import report as supply_report
from db.supply import writes as supply
from tests.conftest import refused
from tests.test_passes import NOW
from tests.test_passes_cli import cli_post  # noqa: F401
from tests.test_passes_cli import run as run_cli
from tests.test_supply import TZ, depot, on_hand, order, run  # noqa: F401  (depot is a fixture)
from tests.test_supply_cli import stocked  # noqa: F401

pytestmark = pytest.mark.usefixtures("fixed_cli_clock")  # the CLI's runs and returns fall on the tests' day

DAY = datetime.fromtimestamp(NOW, TZ).date()
MIDNIGHT = int(datetime.combine(DAY, time(0), TZ).timestamp())


def deliver(depot, order_id: int, at: int = NOW) -> int:
    return supply.deliver(
        depot.passes["甲"], order_id, key=depot.key, received_by="户主", actor="t", now=at, tz=TZ
    )


def test_a_return_puts_stock_back_and_shows_who_received_it(depot):
    first, second = order(1, ("大米", 10)), order(2, ("大米", 20))
    run_id = run(depot, "甲", [first, second])
    deliver(depot, first)
    assert on_hand("大米") == 70
    returned = supply.return_goods(
        run_id, "大米", 20, received_by="王库管", reason="住户不在家", actor="t", now=NOW, tz=TZ
    )
    assert on_hand("大米") == 90
    row = supply_queries.ledger()[0]
    assert (row.id, row.kind, row.party, row.staff_name, row.quantity, row.reason) == (
        returned,
        "return",
        "王库管",
        "甲",
        20,
        "住户不在家",
    )


def test_no_more_comes_back_than_the_run_still_holds(depot):
    first, second = order(1, ("大米", 10)), order(2, ("大米", 20))
    run_id = run(depot, "甲", [first, second])
    deliver(depot, first)  # 10 of the 30 reached a door
    with pytest.raises(RuleError) as err:
        supply.return_goods(run_id, "大米", 21, received_by="王库管", actor="t", now=NOW, tz=TZ)
    assert err.value.key == "supply_returns.too_many" and err.value.params["held"] == 20
    supply.return_goods(run_id, "大米", 15, received_by="王库管", actor="t", now=NOW, tz=TZ)
    with refused(RuleError, "supply_returns.too_many"):
        supply.return_goods(run_id, "大米", 6, received_by="王库管", actor="t", now=NOW, tz=TZ)
    with refused(RuleError, "supply_returns.too_many"):  # not on this run at all
        supply.return_goods(run_id, "消毒液", 1, received_by="王库管", actor="t", now=NOW, tz=TZ)
    with refused(NotFound, "supply.no_run"):
        supply.return_goods(999, "大米", 1, received_by="王库管", actor="t", now=NOW, tz=TZ)
    with refused(CmdpostError, "field.required"):  # who took the goods back must be on record
        supply.return_goods(run_id, "大米", 1, received_by=" ", actor="t", now=NOW, tz=TZ)
    assert on_hand("大米") == 85


def test_a_corrected_return_takes_the_stock_out_again(depot):
    run_id = run(depot, "甲", [order(1, ("大米", 10))])
    returned = supply.return_goods(run_id, "大米", 4, received_by="王库管", actor="t", now=NOW, tz=TZ)
    supply.correct(returned, "点错了", actor="t", now=NOW, tz=TZ)
    assert on_hand("大米") == 90
    supply.return_goods(run_id, "大米", 10, received_by="王库管", actor="t", now=NOW, tz=TZ)  # all 10 again
    assert on_hand("大米") == 100


def test_totals_per_grid_and_item_and_deliveries_per_hour(depot):
    one, two = order(1, ("大米", 10), ("消毒液", 2)), order(2, ("大米", 20))
    three = order(3, ("大米", 5), grid="2")
    run(depot, "甲", [one, two])
    supply.create_run(depot.passes["丙"], [three], "2", key=depot.key, actor="t", now=NOW, tz=TZ)
    deliver(depot, one, NOW)
    wrong = deliver(depot, two, NOW + 3600)
    supply.correct(wrong, "扫错", actor="t", now=NOW + 3700, tz=TZ)
    supply.deliver(depot.passes["丙"], three, key=depot.key, actor="t", now=NOW, tz=TZ)
    figures = {
        (r.grid_code, r.item): (r.delivered, r.dispatched) for r in supply_report.totals(DAY.isoformat())
    }
    assert figures == {("1", "大米"): (10, 30), ("1", "消毒液"): (2, 2), ("2", "大米"): (5, 5)}
    hours = supply_report.deliveries_per_hour(DAY.isoformat(), MIDNIGHT)
    hour = (NOW - MIDNIGHT) // 3600
    assert len(hours) == 24 and hours[hour] == 2 and sum(hours) == 2  # the reversed delivery is not counted
    assert supply_report.post_totals(DAY.isoformat())[0][:2] in (("大米", "斤"), ("消毒液", "瓶"))
    assert {name: qty for name, _, _, qty in supply_report.post_totals(DAY.isoformat())} == {
        "大米": 15,
        "消毒液": 2,
    }


def test_cli_return_exits_1_on_too_many_and_writes_nothing(stocked, capsys):
    db = stocked["db"]
    assert (
        run_cli(
            capsys, "supply", "order", "add", "--grid", "1", "--door", "花厅口村1号", "大米=10", "--db", db
        )[0]
        == 0
    )
    assert (
        run_cli(capsys, "supply", "run", "create", "--grid", "1", "--pass", stocked["甲"], "1", "--db", db)[0]
        == 0
    )
    code, _, err = run_cli(
        capsys, "supply", "return", "1", "大米", "11", "--received-by", "王库管", "--db", db
    )
    assert code == 1 and "只剩 10斤" in err
    code, out, _ = run_cli(
        capsys, "supply", "return", "1", "大米", "10", "--received-by", "王库管", "--db", db
    )
    assert code == 0 and "已退回中转站" in out
    code, out, _ = run_cli(capsys, "supply", "ledger", "--limit", "1", "--db", db)
    assert out.split("\t")[2] == "退回" and out.split("\t")[6] == "王库管"
    assert "50\t斤" in run_cli(capsys, "supply", "stock", "--db", db)[1]
