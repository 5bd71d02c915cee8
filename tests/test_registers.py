"""Registers: testing rounds and their coverage, call-backs, special-care check-ins across midnight,
building daily reports."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from db.errors import RuleError
from db.grids import queries
from db.grids.writes import BatchError
from db.registers import queries as register_queries
from db.registers import writes as registers
from tests.conftest import refused

TZ = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> int:
    return int(datetime(2022, 4, day, hour, minute, tzinfo=TZ).timestamp())


@pytest.fixture
def round_one(post_db):
    return registers.create_round(1, "2022-04-10", actor="t")


def test_round_numbers_are_unique(round_one):
    with refused(RuleError, "registers.round_exists"):
        registers.create_round(1, "2022-04-11", actor="t")


def test_coverage_per_grid_and_subgrid_in_households_and_people(round_one):
    outcome = registers.mark_tested(
        round_one, "1", [("花厅口村1号", 2), ("花厅口村2号", "3人")], source="hand", actor="t"
    )
    assert (outcome.created, outcome.updated) == (2, 0)
    root = queries.grid_by_code("1").id
    rows = {c.code: c for c in register_queries.round_coverage(round_one, root)}
    assert (rows["1"].tested_households, rows["1"].tested_people, rows["1"].households) == (2, 5, 30)
    assert (
        rows["1-2"].tested_households == 1 and rows["1-1-1"].tested_households == 1
    )  # 1号 in 1-2, 2号 in 1-1-1
    assert rows["1-1"].tested_households == 1  # a unit's result counts for its sub-grid
    again = registers.mark_tested(round_one, "1", [("花厅口村1号", 1)], source="chain", actor="t")
    assert (again.created, again.updated) == (0, 1)
    assert register_queries.coverage_by_root(round_one)[root] == (2, 4)


def test_a_door_outside_the_grid_refuses_the_whole_batch(round_one):
    with pytest.raises(BatchError) as caught:
        registers.mark_tested(
            round_one, "1", [("花厅口村1号", 2), ("花厅口村3号", 2)], source="hand", actor="t"
        )
    assert [p.key for p in caught.value.problems] == ["registers.unknown_door"]  # 3号 is in grid 2
    assert register_queries.coverage_by_root(round_one) == {}


def test_callback_list_shrinks_and_remembers_the_last_call(round_one):
    root = queries.grid_by_code("1").id
    assert register_queries.untested_count(round_one, root) == 30
    registers.mark_tested(round_one, "1", [("花厅口村1号", 2)], source="hand", actor="t")
    first = register_queries.untested_page(round_one, root, limit=1)[0]
    registers.record_callback(round_one, first.household_id, "no_answer", actor="t")
    registers.record_callback(round_one, first.household_id, "reached", "明早补采", actor="t")
    again = register_queries.untested_page(round_one, root, limit=1)[0]
    assert register_queries.untested_count(round_one, root) == 29
    assert (again.door, again.last_outcome, again.last_note) == (first.door, "reached", "明早补采")


def care_household() -> int:
    return next(h.id for h in queries.household_page(None, "花厅口村10号"))


def test_overdue_care_rolls_over_at_local_midnight(post_db):
    hid = care_household()
    registers.care_checkin(hid, "safe", "", checked_by="网格员", tz=TZ, now=at(10, 23, 50))
    today, tomorrow = "2022-04-10", "2022-04-11"
    assert hid not in [c.household_id for c in register_queries.care_register(today) if not c.today]
    overdue = [c.household_id for c in register_queries.care_register(tomorrow) if not c.today]
    assert hid in overdue  # a check-in at 23:50 does not cover the next day
    registers.care_checkin(hid, "safe", "", checked_by="网格员", tz=TZ, now=at(11, 0, 5))
    assert register_queries.care_overdue_count(tomorrow) == register_queries.care_overdue_count(today)


def test_care_rules(post_db):
    ordinary = next(h.id for h in queries.household_page(None, "花厅口村1号"))
    with refused(RuleError, "registers.not_special_care"):
        registers.care_checkin(ordinary, "safe", "", checked_by="甲", tz=TZ)
    with pytest.raises(RuleError) as caught:
        registers.care_checkin(care_household(), "problem", "", checked_by="甲", tz=TZ)
    assert caught.value.key == "registers.problem_needs_note"


def test_missing_building_reports_come_first(post_db):
    root = queries.grid_by_code("1").id
    units = register_queries.unit_reports("2022-04-10", root)
    assert [u.code for u in units] == ["1-1-1", "1-2"]  # the unit, and the sub-grid that has no units
    registers.unit_report(units[0].grid_id, "normal", "蓝周瑜", "", actor="t", tz=TZ, now=at(10, 9))
    after = register_queries.unit_reports("2022-04-10", root)
    assert [(u.code, u.today) for u in after] == [("1-2", ""), ("1-1-1", "normal")]
    with refused(RuleError, "registers.report_needs_unit"):
        registers.unit_report(root, "normal", "x", "", actor="t", tz=TZ)  # a whole grid is not a building


def test_more_tested_than_live_there_is_refused(round_one):
    with pytest.raises(BatchError) as caught:
        registers.mark_tested(round_one, "1", [("花厅口村1号", 9)], source="hand", actor="t")  # 2 registered
    assert caught.value.problems[0].key == "registers.more_than_registered"
