"""Supply refusals the first tests did not reach: the catalogue, an order's door and grid, a batch of
orders, cancelling, a run's grid and holder, deliveries on someone else's run, corrections of corrections.
Each refusal names its rule and leaves stock, orders and the ledger as they were."""

from __future__ import annotations

import pytest

from db.errors import NotFound, RuleError
from db.grids.writes import BatchError
from db.supply import queries as supply_queries
from db.supply import writes as supply
from tests.conftest import refused
from tests.test_passes import NOW, issue, signed
from tests.test_supply import TZ, depot, on_hand, order, run  # noqa: F401  (a fixture)


def _ledger_size(database) -> int:
    return database.execute_sql("SELECT count(*) FROM handoff").fetchone()[0]


def test_the_catalogue_takes_known_units_and_categories_once(depot):
    with refused(RuleError, "supply.bad_unit", value="吨"):
        supply.add_item("面粉", "吨", "grain_oil", actor="t", now=NOW)
    with refused(RuleError, "supply.bad_category", value="gold"):
        supply.add_item("面粉", "斤", "gold", actor="t", now=NOW)
    with refused(RuleError, "supply.item_exists", item="大米"):
        supply.add_item("大米", "kg", "grain_oil", actor="t", now=NOW)
    item = supply.add_item("面粉", "kg", "grain_oil", actor="t", now=NOW)
    assert depot.execute_sql(
        "SELECT name, unit, category, created_by FROM supply_item WHERE id = ?", (item,)
    ).fetchone() == ("面粉", "kg", "grain_oil", "t")


@pytest.mark.parametrize("raw,value", [("1", 1), ("9999", 9999), ("09999", 9999), (" 7 ", 7), ("１２", 12)])
def test_a_quantity_is_whole_and_within_the_cap(raw, value):
    assert supply.quantity(raw) == value


@pytest.mark.parametrize("raw", ["0", "10000", "000001", "", "1.0", "-3", "𐩀"])
def test_a_quantity_outside_the_cap_or_not_whole_is_refused(raw):
    with refused(RuleError, "supply.bad_quantity"):
        supply.quantity(raw)


def test_a_receipt_adds_to_stock_and_names_its_supplier(depot):
    handoff = supply.receive("大米", "25", "粮油公司", actor="t", now=NOW, tz=TZ)
    assert on_hand("大米") == 125
    row = next(r for r in supply_queries.ledger() if r.id == handoff)
    assert (row.kind, row.quantity, row.stock_delta, row.party) == ("receive", 25, 25, "粮油公司")
    with refused(NotFound, "supply.unknown_item", item="黄金"):
        supply.receive("黄金", 1, "某", actor="t", now=NOW, tz=TZ)
    assert on_hand("大米") == 125


def test_an_order_finds_its_door_in_the_grid_or_below_it_and_nowhere_else(depot):
    below = supply.add_order("1-1", "花厅口村2号", [("大米", 1)], actor="t", now=NOW)  # 2号 lies in 1-1-1
    assert supply_queries.order(below).state == "open"
    with refused(NotFound, "supply.unknown_door", door="花厅口村1号", grid="1-1"):
        supply.add_order("1-1", "花厅口村1号", [("大米", 1)], actor="t", now=NOW)  # 1号 lies in 1-2
    with refused(NotFound, "supply.unknown_door", door="花厅口村3号", grid="1"):
        supply.add_order("1", "花厅口村3号", [("大米", 1)], actor="t", now=NOW)  # 3号 lies in grid 2
    with refused(NotFound, "grid.not_found", code="9"):
        supply.add_order("9", "花厅口村1号", [("大米", 1)], actor="t", now=NOW)
    with refused(RuleError, "supply.empty_order"):
        supply.add_order("1", "花厅口村1号", [], actor="t", now=NOW)


def test_an_order_adds_up_repeated_items_and_medicine_makes_it_urgent(depot):
    plain = order(4, ("大米", 2), ("大米", 3))
    lines = depot.execute_sql(
        "SELECT item_id, quantity FROM supply_order_line WHERE order_id = ?", (plain,)
    ).fetchall()
    assert [q for _, q in lines] == [5]
    medicine = order(8, ("大米", 1), ("降压药", 1))
    urgent = {o: u for o, u in depot.execute_sql("SELECT id, urgent FROM supply_order").fetchall()}
    assert urgent == {plain: 0, medicine: 1}
    assert (
        supply.order_urgent(["降压药"])
        and not supply.order_urgent(["大米"])
        and supply.order_urgent([], True)
    )
    assert not supply.order_urgent([])


def test_a_batch_of_orders_is_all_or_nothing_with_each_problem_at_its_place(depot):
    batch = [
        ("花厅口村4号", [("大米", 1)], False, ""),
        ("花厅口村3号", [("大米", 1)], False, ""),
        ("花厅口村8号", [("黄金", 1)], False, ""),
    ]
    with pytest.raises(BatchError) as caught:
        supply.add_orders("1", batch, actor="t", now=NOW)
    assert [(p.index, p.key) for p in caught.value.problems] == [
        (1, "supply.unknown_door"),
        (2, "supply.unknown_item"),
    ]
    assert supply_queries.orders() == []
    good = [batch[0], ("花厅口村8号", [("消毒液", 2)], True, "放门口")]
    assert len(supply.add_orders("1", good, actor="t", now=NOW, dry_run=True)) == 2
    assert supply_queries.orders() == []  # a dry run keeps nothing
    ids = supply.add_orders("1", good, actor="t", now=NOW)
    assert [o.id for o in supply_queries.orders("1")] == [ids[1], ids[0]]  # the urgent one first
    with refused(NotFound, "grid.not_found", code="9"):
        supply.add_orders("9", good, actor="t", now=NOW)


def test_an_order_is_cancelled_once_and_a_correction_reopens_it(depot):
    one = order(4, ("大米", 1))
    cancel = supply.cancel_order(one, "户主取消", actor="t", now=NOW, tz=TZ)
    assert supply_queries.order(one).state == "cancelled"
    with refused(RuleError, "supply.order_not_open", order=one, state="cancelled"):
        supply.cancel_order(one, "再取消", actor="t", now=NOW, tz=TZ)
    with refused(RuleError, "supply.order_not_open", order=one, state="cancelled"):
        run(depot, "甲", [one])
    with refused(NotFound, "supply.no_order", order=9999):
        supply.cancel_order(9999, "无此单", actor="t", now=NOW, tz=TZ)
    fix = supply.correct(cancel, "取消错了", actor="t", now=NOW, tz=TZ)
    assert supply_queries.order(one).state == "open"
    with refused(RuleError, "supply.correct_correction", handoff=fix):
        supply.correct(fix, "再改", actor="t", now=NOW, tz=TZ)
    with refused(NotFound, "supply.no_handoff", handoff=9999):
        supply.correct(9999, "无此条", actor="t", now=NOW, tz=TZ)


def test_a_run_is_of_a_top_grid_for_the_passs_own_holder_and_not_empty(depot):
    one = order(4, ("大米", 1))
    before = _ledger_size(depot)
    with refused(RuleError, "supply.empty_run"):
        run(depot, "甲", [])
    with refused(RuleError, "supply.run_needs_top_grid", code="1-1"):
        run(depot, "甲", [one], grid="1-1")
    with refused(NotFound, "grid.not_found", code="9"):
        run(depot, "甲", [one], grid="9")
    with refused(RuleError, "supply.too_many_stops", stops=supply.MAX_STOPS + 1):
        run(depot, "甲", range(1, supply.MAX_STOPS + 2))
    holder = depot.execute_sql("SELECT staff_id FROM pass WHERE serial = '1-0001'").fetchone()[0]
    with refused(RuleError, "supply.pass_not_staff", staff=holder + 1):
        supply.create_run(
            depot.passes["甲"], [one], "1", key=depot.key, actor="t", now=NOW, tz=TZ, staff_id=holder + 1
        )
    assert _ledger_size(depot) == before and supply_queries.order(one).state == "open"
    listed_often = [one] * (supply.MAX_STOPS + 1)  # one order named many times is one stop
    run_id = supply.create_run(
        depot.passes["甲"], listed_often, "1", key=depot.key, actor="t", now=NOW, tz=TZ, staff_id=holder
    )
    assert [s.id for s in supply_queries.run_stops(run_id)] == [one] and on_hand("大米") == 99


def test_a_delivery_is_of_an_order_on_a_run_by_that_runs_volunteer(depot, db_path):
    one, waiting = order(4, ("大米", 1)), order(8, ("大米", 1))
    run_id = run(depot, "甲", [one])
    other = signed(db_path, issue(depot, "乙", "1"))  # a valid pass for grid 1, but not this run's volunteer
    with refused(RuleError, "supply.not_your_run", order=one, run=run_id):
        supply.deliver(other, one, key=depot.key, actor="t", now=NOW, tz=TZ)
    with refused(RuleError, "supply.order_not_on_run", order=waiting, state="open"):
        supply.deliver(depot.passes["甲"], waiting, key=depot.key, actor="t", now=NOW, tz=TZ)
    with refused(RuleError, "supply.not_your_run", order=one):
        supply.check_delivery(other, one, key=depot.key, now=NOW, tz=TZ)
    supply.check_delivery(depot.passes["甲"], one, key=depot.key, now=NOW, tz=TZ)  # would be recorded
    assert supply_queries.order(one).state == "on_run"  # the check itself wrote nothing
    from db.fields import FieldError

    with refused(FieldError, "field.too_long") as caught:
        supply.deliver(
            depot.passes["甲"], one, key=depot.key, received_by="户" * 31, actor="t", now=NOW, tz=TZ
        )
    assert caught.value.column == "received_by" and supply_queries.order(one).state == "on_run"
    handoff = supply.deliver(
        depot.passes["甲"], one, key=depot.key, received_by="户" * 30, actor="t", now=NOW, tz=TZ
    )
    row = next(r for r in supply_queries.ledger() if r.id == handoff)
    assert (row.kind, row.party, row.staff_name) == ("deliver", "户" * 30, "甲")
    run(depot, "甲", [waiting])
    unnamed = supply.deliver(depot.passes["甲"], waiting, key=depot.key, actor="t", now=NOW, tz=TZ)
    assert (
        next(r for r in supply_queries.ledger() if r.id == unnamed).party == ""
    )  # nobody named, nobody made up
    with refused(RuleError, "supply.already_delivered", order=one, handoff=handoff, at=NOW):
        supply.deliver(depot.passes["甲"], one, key=depot.key, actor="t", now=NOW, tz=TZ)


def test_checking_a_delivery_waits_for_no_write_lock(depot, db_path):
    """The logging screen checks before it asks who received the goods: a read, even while another
    operator's write holds the lock."""
    import sqlite3

    one = order(4, ("大米", 1))
    run(depot, "甲", [one])
    other = sqlite3.connect(db_path, timeout=0)
    other.execute("BEGIN IMMEDIATE")  # another console, mid-write
    try:
        supply.check_delivery(depot.passes["甲"], one, key=depot.key, now=NOW, tz=TZ)
    finally:
        other.rollback()
        other.close()


def test_a_return_is_of_a_known_run_and_no_more_than_it_holds(depot):
    run_id = run(depot, "甲", [order(4, ("大米", 6))])
    with refused(NotFound, "supply.no_run", run=9999):
        supply.return_goods(9999, "大米", 1, received_by="库管", actor="t", now=NOW, tz=TZ)
    with refused(RuleError, "supply_returns.too_many", wanted=7, held=6):
        supply.return_goods(run_id, "大米", 7, received_by="库管", actor="t", now=NOW, tz=TZ)
    supply.return_goods(run_id, "大米", 6, received_by="库管", actor="t", now=NOW, tz=TZ)
    assert on_hand("大米") == 100
    with refused(RuleError, "supply_returns.too_many", wanted=1, held=0):
        supply.return_goods(run_id, "大米", 1, received_by="库管", actor="t", now=NOW, tz=TZ)


def test_a_batchs_problems_name_the_field_and_the_values_and_orders_keep_their_note(depot):
    from db.fields import FieldError

    batch = [
        ("花厅口村3号", [("大米", 1)], False, ""),
        ("花厅口村4号", [("大米", "0")], False, ""),
        ("花厅口村8号", [("大米", 1)], False, "长" * 201),
    ]
    with pytest.raises(BatchError) as caught:
        supply.add_orders("1", batch, actor="t", now=NOW)
    door, qty, note = caught.value.problems
    assert (door.column, door.params) == ("order", {"door": "花厅口村3号", "grid": "1"})
    assert (qty.column, qty.key, qty.params) == ("order", "supply.bad_quantity", {"value": "0"})
    assert (note.index, note.column, note.key) == (2, "note", "field.too_long")  # a field's problem names it
    with refused(FieldError, "field.bad_grid_code") as bad:
        supply.add_orders("一网格", batch, actor="t", now=NOW)
    assert bad.value.column == "grid"
    [placed] = supply.add_orders("1", [("花厅口村4号", [("大米", 1)], False, "放门口")], actor="t", now=NOW)
    assert depot.execute_sql("SELECT note, source FROM supply_order WHERE id = ?", (placed,)).fetchone() == (
        "放门口",
        "chain",
    )


def test_a_cancellation_is_logged_on_its_grid_with_its_reason(depot):
    one = order(4, ("大米", 1))
    early = NOW - 3 * 3600  # 06:30 at the post, still the 9th in UTC: the day is the post's own
    cancel = supply.cancel_order(one, "户主取消", actor="t", now=early, tz=TZ)
    row = next(r for r in supply_queries.ledger("1") if r.id == cancel)
    assert (row.kind, row.order_id, row.reason, row.grid_code) == ("cancel", one, "户主取消", "1")
    day = depot.execute_sql("SELECT day FROM handoff WHERE id = ?", (cancel,)).fetchone()[0]
    assert day == "2022-04-10"


def test_a_run_of_the_next_orders_takes_only_its_own_grids_from_one_to_the_ceiling(depot):
    other = order(3, ("大米", 1), grid="2")
    first, second = order(4, ("大米", 1)), order(8, ("大米", 1))
    for stops in (0, supply.MAX_STOPS + 1):
        with refused(RuleError, "supply.too_many_stops", stops=stops, max=supply.MAX_STOPS):
            supply.create_run_of_next(
                depot.passes["甲"], "1", stops, key=depot.key, actor="t", now=NOW, tz=TZ
            )
    from db.fields import FieldError

    with refused(FieldError, "field.bad_grid_code") as bad:
        supply.create_run_of_next(depot.passes["甲"], "一网格", 1, key=depot.key, actor="t", now=NOW, tz=TZ)
    assert bad.value.column == "grid"
    run_id, taken = supply.create_run_of_next(
        depot.passes["甲"], "1-2", 1, key=depot.key, actor="t", now=NOW, tz=TZ
    )
    assert taken == 1 and [s.id for s in supply_queries.run_stops(run_id)] == [first]  # 1-2 goes with grid 1
    early = NOW - 3 * 3600  # 06:30 at the post, still the 9th in UTC: the day is the post's own
    run_id, taken = supply.create_run_of_next(
        depot.passes["甲"], "1", supply.MAX_STOPS, key=depot.key, actor="t", now=early, tz=TZ
    )
    assert taken == 1 and [s.id for s in supply_queries.run_stops(run_id)] == [second]
    assert supply_queries.order(other).state == "open"
    day = depot.execute_sql("SELECT DISTINCT day FROM handoff WHERE run_id = ?", (run_id,)).fetchall()
    assert day == [("2022-04-10",)]


def test_a_return_names_who_took_it_back_and_is_logged_on_the_runs_grid(depot):
    from db.fields import FieldError

    run_id = run(depot, "甲", [order(4, ("大米", 6))])
    for who, key in (("", "field.required"), ("库" * 31, "field.too_long")):
        with refused(FieldError, key) as caught:
            supply.return_goods(run_id, "大米", 1, received_by=who, actor="t", now=NOW, tz=TZ)
        assert caught.value.column == "received_by"
    with refused(FieldError, "field.too_long") as caught:
        supply.return_goods(
            run_id, "大米", 1, received_by="库管", reason="长" * 201, actor="t", now=NOW, tz=TZ
        )
    assert caught.value.column == "reason"
    with refused(RuleError, "supply_returns.too_many", item="大米", run=run_id, unit="斤"):
        supply.return_goods(run_id, "大米", 7, received_by="库管", actor="t", now=NOW, tz=TZ)
    early = NOW - 3 * 3600  # 06:30 at the post, still the 9th in UTC
    back = supply.return_goods(run_id, "大米", 1, received_by="库" * 30, actor="t", now=early, tz=TZ)
    row = next(r for r in supply_queries.ledger("1") if r.id == back)
    assert (row.kind, row.run_id, row.party, row.reason, row.grid_code) == (
        "return",
        run_id,
        "库" * 30,
        "",
        "1",
    )
    assert depot.execute_sql("SELECT day FROM handoff WHERE id = ?", (back,)).fetchone()[0] == "2022-04-10"


def test_a_correction_carries_what_it_reverses_and_may_take_the_last_unit(depot):
    one = order(4, ("大米", 2))
    run_id = run(depot, "甲", [one])
    handoff = supply.deliver(depot.passes["甲"], one, key=depot.key, actor="t", now=NOW, tz=TZ)
    early = NOW - 3 * 3600  # 06:30 at the post, still the 9th in UTC
    fix = supply.correct(handoff, "送错门", actor="t", now=early, tz=TZ)
    row = depot.execute_sql(
        "SELECT order_id, run_id, staff_id, root_id, corrects_id, reason, day FROM handoff WHERE id = ?",
        (fix,),
    ).fetchone()
    original = depot.execute_sql(
        "SELECT order_id, run_id, staff_id, root_id FROM handoff WHERE id = ?", (handoff,)
    ).fetchone()
    assert row == (*original, handoff, "送错门", "2022-04-10") and original[:2] == (one, run_id)
    with refused(RuleError, "supply.already_corrected", handoff=handoff):
        supply.correct(handoff, "再改", actor="t", now=NOW, tz=TZ)
    single = supply.receive("消毒液", 1, "网购平台", actor="t", now=NOW, tz=TZ)
    whole = supply.receive("降压药", 1, "卫生院", actor="t", now=NOW, tz=TZ)
    supply.correct(whole, "录重", actor="t", now=NOW, tz=TZ)  # 4 on hand, 1 reversed
    run(depot, "甲", [order(8, ("消毒液", 6))])  # every unit out
    with refused(RuleError, "supply.short", item="消毒液", wanted=1, on_hand=0, unit="瓶"):
        supply.correct(single, "退货", actor="t", now=NOW, tz=TZ)
    exact = supply.receive("消毒液", 2, "网购平台", actor="t", now=NOW, tz=TZ)
    supply.correct(exact, "全退", actor="t", now=NOW, tz=TZ)  # reverses exactly what is on hand
    assert on_hand("消毒液") == 0 and on_hand("降压药") == 3
    corrected = next(r for r in supply_queries.ledger() if r.corrects_id == exact)
    assert (corrected.quantity, corrected.stock_delta) == (2, -2)
    dispatch = next(r.id for r in supply_queries.ledger() if r.kind == "dispatch")
    with refused(RuleError, "supply.correct_dispatch", handoff=dispatch):
        supply.correct(dispatch, "派错", actor="t", now=NOW, tz=TZ)
