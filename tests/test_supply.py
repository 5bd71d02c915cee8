"""Supply handoffs in the data layer: stock never negative, the append-only ledger, corrections,
double deliveries, the no-窜格 rule for runs, and special care first."""

from __future__ import annotations

import threading

import peewee
import pytest

from db.errors import NotFound, RuleError
from db.grids import queries
from db.passes import keys as pass_keys
from db.supply import queries as supply_queries
from db.supply import writes as supply
from tests.conftest import FIXED_NOW, refused
from tests.test_passes import NOW, add_delivery_staff, issue, signed

TZ = FIXED_NOW.tzinfo


@pytest.fixture
def depot(post_db, db_path):
    """The small post with delivery staff, passes for 甲 (grid 1) and 丙 (grid 2), and a stocked depot."""
    add_delivery_staff()
    supply.add_item("大米", "斤", "grain_oil", actor="t", now=NOW)
    supply.add_item("消毒液", "瓶", "disinfectant", actor="t", now=NOW)
    supply.add_item("降压药", "盒", "medicine", actor="t", now=NOW)
    supply.receive("大米", 100, "粮油公司", actor="t", now=NOW, tz=TZ)
    supply.receive("消毒液", 5, "网购平台", actor="t", now=NOW, tz=TZ)
    supply.receive("降压药", 3, "卫生院", actor="t", now=NOW, tz=TZ)
    post_db.passes = {
        name: signed(db_path, issue(post_db, name, grid)) for name, grid in (("甲", "1"), ("丙", "2"))
    }
    post_db.key = pass_keys.post_verifier(db_path)
    return post_db


def on_hand(name: str) -> int:
    return next(row.on_hand for row in supply_queries.stock() if row.name == name)


def order(door: int, *lines, grid: str = "1", urgent: bool = False) -> int:
    return supply.add_order(grid, f"花厅口村{door}号", lines, urgent=urgent, actor="t", now=NOW)


def run(depot, who: str, orders: list[int], grid: str = "1") -> int:
    return supply.create_run(depot.passes[who], orders, grid, key=depot.key, actor="t", now=NOW, tz=TZ)


def test_a_run_takes_the_goods_out_of_the_depot(depot):
    first, second = order(1, ("大米", 10)), order(2, ("大米", 20), ("消毒液", 2))
    run_id = run(depot, "甲", [first, second])
    assert on_hand("大米") == 70 and on_hand("消毒液") == 3
    assert [row.state for row in supply_queries.run_stops(run_id)] == ["on_run", "on_run"]
    dispatched = [row for row in supply_queries.ledger() if row.kind == "dispatch"]
    assert sorted((row.item, row.quantity, row.staff_name) for row in dispatched) == [
        ("大米", 30, "甲"),
        ("消毒液", 2, "甲"),
    ]


def test_stock_never_goes_negative_and_the_refusal_names_the_quantity_on_hand(depot):
    big = order(1, ("消毒液", 6))
    with pytest.raises(RuleError) as err:
        run(depot, "甲", [big])
    assert err.value.key == "supply.short" and err.value.params["on_hand"] == 5
    assert on_hand("消毒液") == 5 and supply_queries.order(big).state == "open"  # nothing written
    with pytest.raises(peewee.IntegrityError, match="CHECK constraint"):
        depot.execute_sql("UPDATE supply_stock SET on_hand = -1")  # the database refuses it too


def test_two_concurrent_runs_for_the_last_units_get_one_run_and_one_refusal(depot, db_path):
    first, second = order(1, ("降压药", 2)), order(2, ("降压药", 2))
    outcomes: list[str] = []

    def take(order_id: int) -> None:
        # peewee gives each thread its own connection: two operators, two connections.
        try:
            run(depot, "甲", [order_id])
            outcomes.append("ok")
        except RuleError as err:
            outcomes.append(err.key)
        finally:
            depot.close()

    threads = [threading.Thread(target=take, args=(o,)) for o in (first, second)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(outcomes) == ["ok", "supply.short"] and on_hand("降压药") == 1


def test_the_ledger_refuses_update_and_delete_in_the_database(depot):
    with pytest.raises(peewee.IntegrityError, match="append-only"):
        depot.execute_sql("UPDATE handoff SET quantity = 1")
    with pytest.raises(peewee.IntegrityError, match="append-only"):
        depot.execute_sql("DELETE FROM handoff")
    assert depot.execute_sql("SELECT count(*) FROM handoff WHERE kind = 'receive'").fetchone()[0] == 3


def test_a_correction_is_a_new_record_that_reverses_the_earlier_one(depot):
    received = supply.receive("大米", 50, "误录", actor="t", now=NOW, tz=TZ)
    assert on_hand("大米") == 150
    fix = supply.correct(received, "数量录错", actor="t", now=NOW + 5, tz=TZ)
    assert on_hand("大米") == 100 and fix > received
    rows = {row.id: row for row in supply_queries.ledger()}
    assert (
        rows[fix].kind == "correction" and rows[fix].corrects_id == received and rows[fix].stock_delta == -50
    )
    assert rows[received].corrected_by == fix and rows[received].quantity == 50  # the original is untouched
    with pytest.raises(RuleError) as err:
        supply.correct(received, "再来一次", actor="t", now=NOW, tz=TZ)
    assert err.value.key == "supply.already_corrected"


def test_a_receipt_already_handed_on_cannot_be_reversed(depot):
    run(depot, "甲", [order(1, ("降压药", 3))])
    first_receipt = next(r.id for r in supply_queries.ledger() if r.kind == "receive" and r.item == "降压药")
    with pytest.raises(RuleError) as err:
        supply.correct(first_receipt, "退货", actor="t", now=NOW, tz=TZ)
    assert err.value.key == "supply.short" and err.value.params["on_hand"] == 0


def test_what_a_run_took_out_is_brought_back_by_a_return_not_by_a_correction(depot):
    run_id = run(depot, "甲", [order(1, ("大米", 10))])
    dispatch = next(r.id for r in supply_queries.ledger() if r.kind == "dispatch")
    with pytest.raises(RuleError) as err:
        supply.correct(dispatch, "派错了", actor="t", now=NOW, tz=TZ)
    assert err.value.key == "supply.correct_dispatch" and err.value.params["run"] == run_id
    assert on_hand("大米") == 90  # nothing counted back while the order is still out on the run
    assert [row.state for row in supply_queries.run_stops(run_id)] == ["on_run"]


def test_the_same_order_delivered_twice_is_caught(depot):
    one = order(1, ("大米", 5))
    run(depot, "甲", [one])
    handoff = supply.deliver(
        depot.passes["甲"], one, key=depot.key, received_by="户主1", actor="t", now=NOW, tz=TZ
    )
    with pytest.raises(RuleError) as err:
        supply.deliver(depot.passes["甲"], one, key=depot.key, actor="t", now=NOW + 60, tz=TZ)
    assert err.value.key == "supply.already_delivered" and err.value.params["at"] == NOW
    day = FIXED_NOW.date().isoformat()
    root = depot.execute_sql("SELECT id FROM grid WHERE code = '1'").fetchone()[0]
    assert supply_queries.handoffs_today_by_root(day) == {root: 1}
    supply.correct(handoff, "送错门", actor="t", now=NOW + 90, tz=TZ)  # reversed: it may be delivered again
    assert supply_queries.handoffs_today_by_root(day) == {} and supply_queries.order(one).state == "on_run"
    supply.deliver(depot.passes["甲"], one, key=depot.key, actor="t", now=NOW + 120, tz=TZ)


def test_a_run_with_a_pass_for_another_grid_is_refused_cross_grid(depot):
    one = order(1, ("大米", 5))
    with pytest.raises(RuleError) as err:
        run(depot, "丙", [one], grid="1")
    assert err.value.key == "supply.pass_refused" and err.value.params["verdict"] == "CROSS_GRID"
    assert supply_queries.order(one).state == "open" and on_hand("大米") == 100


def test_a_run_refuses_orders_of_another_grid_and_a_delivery_by_someone_else(depot):
    other = order(3, ("大米", 5), grid="2")  # 花厅口村3号 is in 2-1
    with pytest.raises(RuleError) as err:
        run(depot, "甲", [other])
    assert err.value.key == "supply.order_other_grid"
    run(depot, "丙", [other], grid="2")
    with pytest.raises(RuleError) as err:
        supply.deliver(depot.passes["甲"], other, key=depot.key, actor="t", now=NOW, tz=TZ)
    assert err.value.params.get("verdict") == "CROSS_GRID"


def test_special_care_orders_come_first_then_urgent(depot):
    plain, urgent, care = order(1, ("大米", 1)), order(2, ("降压药", 1), urgent=True), order(20, ("大米", 1))
    assert [row.id for row in supply_queries.orders("1")] == [care, urgent, plain]


@pytest.mark.parametrize("qty", [0, -1, "abc", 10_000, "1.5"])
def test_bad_quantities_unknown_items_and_doors_are_refused(depot, qty):
    with pytest.raises(RuleError) as err:
        order(1, ("大米", qty))
    assert err.value.key == "supply.bad_quantity"
    with refused(NotFound, "supply.unknown_item"):
        order(1, ("黄金", 1))
    with refused(NotFound, "supply.unknown_door"):
        order(999, ("大米", 1))
    assert supply_queries.orders() == []


def test_open_orders_per_grid_for_the_tiles(depot):
    order(1, ("大米", 1)), order(2, ("大米", 1)), order(3, ("大米", 1), grid="2")
    roots = dict(depot.execute_sql("SELECT code, id FROM grid WHERE level = 0").fetchall())
    assert supply_queries.open_orders_by_root() == {roots["1"]: 2, roots["2"]: 1}


def test_a_volunteers_oldest_run_with_a_stop_left_is_still_offered(depot):
    doors = [
        int(row.door.removeprefix("花厅口村").removesuffix("号"))
        for row in queries.household_page(queries.grid_by_code("1").id, limit=22)
    ]
    runs = [run(depot, "甲", [order(door, ("大米", 1))]) for door in doors]
    stops = {r: supply_queries.run_stops(r)[0].id for r in runs}
    for newer in runs[1:]:  # every run but the oldest delivered: more than a screenful of finished runs
        supply.deliver(depot.passes["甲"], stops[newer], key=depot.key, actor="t", now=NOW, tz=TZ)
    staff_id = supply_queries.run(runs[0]).staff_id
    assert [r.id for r in supply_queries.open_runs_of_staff(staff_id)] == [runs[0]]


def test_a_run_of_the_next_orders_takes_urgent_ones_first_and_has_a_ceiling(depot):
    plain = order(1, ("大米", 1))
    urgent = order(2, ("降压药", 1), urgent=True)
    order(4, ("大米", 1))
    run_id, taken = supply.create_run_of_next(
        depot.passes["甲"], "1-1", 2, key=depot.key, actor="t", now=NOW, tz=TZ
    )
    assert taken == 2 and sorted(r.id for r in supply_queries.run_stops(run_id)) == sorted([urgent, plain])
    for stops in (0, supply.MAX_STOPS + 1):
        with pytest.raises(RuleError) as err:
            supply.create_run_of_next(
                depot.passes["甲"], "1", stops, key=depot.key, actor="t", now=NOW, tz=TZ
            )
        assert err.value.key == "supply.too_many_stops"
