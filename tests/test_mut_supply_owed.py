"""The survivors of the supply mutation run (db/supply/writes.py) that owed a test: most changed only what a
refusal names (the item, the amount wanted, the units an item may take, the field at fault), which the
operator reads to put it right, so each refusal here is pinned by its key and every named argument."""

from __future__ import annotations

import os
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db.errors import RuleError
from db.fields import FieldError
from db.supply import queries as supply_queries
from db.supply import writes as supply
from db.vocab import SUPPLY_CATEGORIES
from tests.conftest import refused
from tests.test_passes import NOW
from tests.test_supply import TZ, depot, on_hand, order, run  # noqa: F401  (a fixture)


@pytest.fixture
def machine_clock_in_utc():
    """The machine's own zone set to UTC, unlike the post's (Asia/Shanghai): a day taken from the machine's
    clock rather than the post's then differs in the post's early morning."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def _field_refused(call, column: str, key: str, **params) -> None:
    with refused(FieldError, key, **params) as caught:
        call()
    assert caught.value.column == column  # the form marks this field, the CLI names it


# -- quantities, items and receipts ------------------------------------------------------------


def test_a_long_bad_quantity_is_shown_cut_to_twenty_characters():
    with refused(RuleError, "supply.bad_quantity", value="十" * 20):
        supply.quantity("十" * 25)
    with refused(RuleError, "supply.bad_quantity", value="0"):
        supply.quantity("0")


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40))
def test_any_quantity_typed_is_taken_whole_or_refused_showing_at_most_twenty_characters(text):
    try:
        value = supply.quantity(text)
    except RuleError as err:
        assert err.key == "supply.bad_quantity"
        shown = err.params["value"]
        assert isinstance(shown, str) and len(shown) <= 20
    else:
        assert 1 <= value <= supply.MAX_QUANTITY


def test_an_items_name_takes_thirty_characters_and_no_more(post_db):
    supply.add_item("米" * 30, "斤", "grain_oil", actor="t", now=NOW)
    _field_refused(
        lambda: supply.add_item("面" * 31, "斤", "grain_oil", actor="t", now=NOW),
        "name",
        "field.too_long",
        max=30,
    )
    _field_refused(
        lambda: supply.add_item("  ", "斤", "grain_oil", actor="t", now=NOW), "name", "field.required"
    )


def test_a_wrong_unit_or_category_is_refused_naming_the_ones_it_may_take(post_db):
    with refused(RuleError, "supply.bad_unit", value="吨", units="斤 kg 份 箱 瓶 盒 袋 包 个 桶"):
        supply.add_item("大米", "吨", "grain_oil", actor="t", now=NOW)
    with refused(RuleError, "supply.bad_category", value="toys", categories=" ".join(SUPPLY_CATEGORIES)):
        supply.add_item("大米", "斤", "toys", actor="t", now=NOW)
    assert "grain_oil medicine" not in " ".join(SUPPLY_CATEGORIES)  # the categories named one by one
    assert supply_queries.stock() == []


def test_a_suppliers_name_takes_sixty_characters_and_no_more(depot):
    supply.receive("大米", 1, "粮" * 60, actor="t", now=NOW, tz=TZ)
    receive = supply.receive
    _field_refused(
        lambda: receive("大米", 1, "粮" * 61, actor="t", now=NOW, tz=TZ), "supplier", "field.too_long", max=60
    )
    _field_refused(lambda: receive("大米", 1, "", actor="t", now=NOW, tz=TZ), "supplier", "field.required")
    assert on_hand("大米") == 101


def test_a_receipt_is_logged_on_the_posts_own_day_not_the_machines(depot, machine_clock_in_utc):
    early = NOW - 3 * 3600  # 06:30 at the post; on a machine kept in UTC still the 9th
    handoff = supply.receive("大米", 1, "粮油公司", actor="t", now=early, tz=TZ)
    assert depot.execute_sql("SELECT day FROM handoff WHERE id = ?", (handoff,)).fetchone() == ("2022-04-10",)


# -- orders ------------------------------------------------------------------------------------


def test_an_order_is_not_urgent_and_has_no_note_unless_asked(depot):
    plain = supply.add_order("1", "花厅口村4号", [("大米", 2)], actor="t", now=NOW)
    row = supply_queries.order(plain)
    assert row.urgent is False and row.note == ""


def test_an_order_or_a_run_for_a_bad_grid_code_names_the_grid_field(depot):
    _field_refused(
        lambda: supply.add_order("", "花厅口村4号", [("大米", 2)], actor="t", now=NOW),
        "grid",
        "field.required",
    )
    _field_refused(
        lambda: supply.create_run(depot.passes["甲"], [1], " ", key=depot.key, actor="t", now=NOW, tz=TZ),
        "grid",
        "field.required",
    )


# -- runs --------------------------------------------------------------------------------------


def test_a_run_takes_two_hundred_stops_and_no_more(depot):
    supply.receive("大米", supply.MAX_STOPS, "粮油公司", actor="t", now=NOW, tz=TZ)
    doors = [f"花厅口村{n}号" for n in range(1, 41) if n % 4 != 3]  # the households of grid 1
    orders = [(doors[i % len(doors)], [("大米", 1)], False, "") for i in range(supply.MAX_STOPS)]
    ids = supply.add_orders("1", orders, actor="t", now=NOW)
    with refused(RuleError, "supply.too_many_stops", stops=supply.MAX_STOPS + 1, max=supply.MAX_STOPS):
        run(depot, "甲", [*ids, max(ids) + 1])
    run_id = run(depot, "甲", ids)
    assert len(supply_queries.run_stops(run_id)) == supply.MAX_STOPS == 200


def test_a_run_by_the_wrong_pass_names_the_place_and_the_pass(depot):
    one = order(1, ("大米", 5))
    with refused(RuleError, "supply.pass_refused", verdict="CROSS_GRID", place="1"):
        run(depot, "丙", [one], grid="1")
    holder = depot.execute_sql("SELECT staff_id FROM pass WHERE serial = '1-0001'").fetchone()[0]
    with refused(RuleError, "supply.pass_not_staff", serial="1-0001", staff=holder + 1):
        supply.create_run(
            depot.passes["甲"], [one], "1", key=depot.key, actor="t", now=NOW, tz=TZ, staff_id=holder + 1
        )


def test_an_order_of_another_grid_is_refused_naming_the_order_and_the_runs_grid(depot):
    other = order(3, ("大米", 5), grid="2")  # 花厅口村3号 is in 2-1
    with refused(RuleError, "supply.order_other_grid", order=other, grid="1"):
        run(depot, "甲", [order(1, ("大米", 1)), other])


def test_a_run_short_of_stock_names_the_item_the_amount_wanted_and_its_unit(depot):
    big = order(1, ("消毒液", 4), ("大米", 1))
    more = order(2, ("消毒液", 2))
    with refused(RuleError, "supply.short", item="消毒液", wanted=6, on_hand=5, unit="瓶"):
        run(depot, "甲", [big, more])
    assert on_hand("消毒液") == 5 and on_hand("大米") == 100


def test_a_dispatch_names_the_volunteer_who_took_the_goods(depot):
    run_id = run(depot, "甲", [order(1, ("大米", 5))])
    dispatch = [row for row in supply_queries.ledger() if row.kind == "dispatch"]
    assert [(row.run_id, row.party) for row in dispatch] == [(run_id, "甲")]
