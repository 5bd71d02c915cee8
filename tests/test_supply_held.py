"""A delivery takes only what its run still holds (issue 13, item 11): goods brought back to the
depot cannot also be at a door, and a delivery made already is refused with its time. The rule is
db.supply.writes's; the CLI says what it said."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.i18n import error_text
from db.errors import CmdpostError, RuleError
from db.supply import holdings as supply_holdings
from db.supply import queries as supply_queries
from db.supply import writes as supply
from tests.test_passes import NOW
from tests.test_passes_cli import cli_post  # noqa: F401  (cli_post is a fixture)
from tests.test_passes_cli import run as run_cli
from tests.test_supply import TZ, depot, on_hand, order, run  # noqa: F401  (depot is a fixture)
from tests.test_supply_cli import stocked  # noqa: F401  (a fixture)

LATER = NOW + 3600


def deliver(depot, order_id: int, at: int = LATER) -> int:
    return supply.deliver(
        depot.passes["甲"], order_id, key=depot.key, received_by="户主", actor="t", now=at, tz=TZ
    )


def give_back(run_id: int, item: str, amount: int, at: int = NOW + 600) -> int:
    return supply.return_goods(
        run_id, item, amount, received_by="王库管", reason="住户不在家", actor="李值班", now=at, tz=TZ
    )


def rice_id() -> int:
    return next(row.item_id for row in supply_queries.stock() if row.name == "大米")


def ledger_size(depot) -> int:
    return depot.execute_sql("SELECT count(*) FROM handoff").fetchone()[0]


def test_goods_brought_back_cannot_also_be_delivered_and_the_refusal_names_the_return(depot):
    eggs = order(1, ("消毒液", 1))
    run_id = run(depot, "甲", [eggs])
    returned = give_back(run_id, "消毒液", 1)  # the run's last bottle is back in the depot
    before = ledger_size(depot)
    for attempt in (
        lambda: supply.check_delivery(depot.passes["甲"], eggs, key=depot.key, now=LATER, tz=TZ),
        lambda: deliver(depot, eggs),
    ):
        with pytest.raises(RuleError) as err:
            attempt()
        assert err.value.key == "supply.goods_returned"
        assert {
            k: err.value.params[k] for k in ("handoff", "at", "received_by", "actor", "volunteer", "held")
        } == {
            "handoff": returned,
            "at": NOW + 600,
            "received_by": "王库管",
            "actor": "李值班",
            "volunteer": "甲",
            "held": 0,
        }
        text = error_text(err.value)
        assert f"#{returned}" in text and supply_holdings.when(NOW + 600, TZ) in text and "王库管" in text
    assert ledger_size(depot) == before and supply_queries.order(eggs).state == "on_run"  # nothing written
    assert on_hand("消毒液") == 5  # back in the depot, and only there


def test_a_run_delivers_what_is_left_after_a_partial_return(depot):
    small, big = order(1, ("大米", 10)), order(2, ("大米", 20))
    run_id = run(depot, "甲", [small, big])
    give_back(run_id, "大米", 10)  # 20 of the 30 still on the run
    deliver(depot, big)
    with pytest.raises(RuleError) as err:
        deliver(depot, small)
    assert err.value.key == "supply.goods_returned" and (
        err.value.params["held"],
        err.value.params["wanted"],
    ) == (0, 10)
    assert supply_holdings.held(run_id, rice_id()) == 0


def test_a_corrected_return_puts_the_goods_back_on_the_run(depot):
    one = order(1, ("大米", 10))
    run_id = run(depot, "甲", [one])
    returned = give_back(run_id, "大米", 10)
    supply.correct(returned, "点错了", actor="t", now=NOW + 900, tz=TZ)
    deliver(depot, one)
    assert on_hand("大米") == 90 and supply_queries.order(one).state == "delivered"


def test_a_delivery_made_already_is_refused_with_its_record_and_time(depot):
    one = order(1, ("大米", 5))
    run(depot, "甲", [one])
    first = deliver(depot, one, NOW + 60)
    with pytest.raises(RuleError) as err:
        supply.check_delivery(depot.passes["甲"], one, key=depot.key, now=LATER, tz=TZ)
    assert err.value.key == "supply.already_delivered"
    assert (err.value.params["handoff"], err.value.params["at"]) == (first, NOW + 60)
    assert supply_holdings.when(NOW + 60, TZ) in error_text(err.value)


def test_a_check_writes_nothing_and_passes_what_deliver_takes(depot):
    one = order(1, ("大米", 5))
    run(depot, "甲", [one])
    before = ledger_size(depot)
    supply.check_delivery(depot.passes["甲"], one, key=depot.key, now=LATER, tz=TZ)
    assert ledger_size(depot) == before and supply_queries.order(one).state == "on_run"


STEPS = st.lists(
    st.tuples(st.sampled_from(("deliver", "return", "correct")), st.integers(0, 2), st.integers(1, 12)),
    max_size=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_whatever_operators_do_no_unit_is_both_at_a_door_and_in_the_depot(depot, steps):
    """Deliveries, returns and corrections in any order and amount: every unit that left with the
    run is at a door, back in the depot or still on the run, never two of these."""
    with depot.atomic() as txn:  # each example on the same post, rolled back after
        orders = [
            order(door, ("大米", 5 * (n + 1))) for n, door in enumerate((1, 2, 4))
        ]  # 5 + 10 + 15 = 30 out
        run_id = run(depot, "甲", orders)
        rice = rice_id()
        for kind, which, amount in steps:
            try:
                if kind == "deliver":
                    deliver(depot, orders[which])
                elif kind == "return":
                    give_back(run_id, "大米", amount)
                else:
                    rows = [r.id for r in supply_queries.ledger() if r.kind in ("deliver", "return")]
                    if rows:
                        supply.correct(rows[which % len(rows)], "点错了", actor="t", now=LATER, tz=TZ)
            except CmdpostError:
                pass
            at_doors = sum(
                5 * (n + 1) for n, o in enumerate(orders) if supply_queries.order(o).state == "delivered"
            )
            back = on_hand("大米") - 70
            assert back >= 0 and at_doors + back <= 30
            assert supply_holdings.held(run_id, rice) == 30 - at_doors - back
        txn.rollback()


def test_the_cli_refuses_a_delivery_of_returned_goods_and_a_second_delivery(stocked, db_path, capsys):
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
    code, out, _ = run_cli(
        capsys, "supply", "return", "1", "大米", "10", "--received-by", "王库管", "--db", db
    )
    assert code == 0, out
    for argv in (
        ("supply", "deliver", "1", "--pass", stocked["甲"]),
        ("handoff", "deliver", "--order", "1", "--pass", stocked["甲"]),
    ):
        code, out, err = run_cli(capsys, *argv, "--db", db)
        assert code == 1 and out == "" and len(err.strip().splitlines()) == 1
        assert err.startswith("cmdpost: ") and "退回" in err and "王库管" in err
    con = sqlite3.connect(db_path)
    try:
        assert con.execute("SELECT count(*) FROM handoff WHERE kind = 'deliver'").fetchone() == (0,)
        returned = con.execute("SELECT id FROM handoff WHERE kind = 'return'").fetchone()[0]
    finally:
        con.close()
    assert run_cli(capsys, "supply", "correct", str(returned), "--reason", "点错了", "--db", db)[0] == 0
    assert run_cli(capsys, "supply", "deliver", "1", "--pass", stocked["甲"], "--db", db)[0] == 0
    code, out, err = run_cli(capsys, "supply", "deliver", "1", "--pass", stocked["甲"], "--db", db)
    assert code == 1 and "已于" in err and "送达" in err and "#" in err


@pytest.mark.parametrize("role", ["supervisor", None])
def test_only_a_role_that_may_write_records_a_delivery_and_a_check_writes_nothing_for_any(depot, role):
    """A supervisor, or nobody signed in on a post with accounts: the delivery is refused by the
    database and nothing is written; the check (a read) answers as it would for an operator."""
    from db.audit.guard import Session, guard_of, is_denied

    one = order(1, ("大米", 5))
    run(depot, "甲", [one])
    before = ledger_size(depot)
    guard = guard_of(depot)
    guard.closed, guard.session = True, (Session(1, "督导", role) if role else None)
    try:
        supply.check_delivery(depot.passes["甲"], one, key=depot.key, now=LATER, tz=TZ)
        with pytest.raises(Exception) as caught:
            deliver(depot, one)
        assert is_denied(caught.value)
        guard.session = Session(2, "值班", "operator")
        deliver(depot, one)
    finally:
        guard.closed, guard.session = False, None
    assert ledger_size(depot) == before + 1 and supply_queries.order(one).state == "delivered"
