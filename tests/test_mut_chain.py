"""The chain reader's rules pinned where the mutation run (.ci/mutation chain) found them untested:
each test here fails when one rule of db/intake/chain*.py is changed (a wrong number, a wrong door,
a line recorded that should be asked about). Doors matched against the register: the plan's part."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.connection import open_database
from db.errors import NotFound
from db.grids.writes import upsert_grids, upsert_households
from db.intake import chain_doors, chain_plan
from db.intake.chain_doors import grid_scope, match_doors
from db.records import GridInput, HouseholdInput
from tests.conftest import refused
from tests.test_chain_corpus import register  # noqa: F401  (a fixture)

# More place names than the grid's doors are looked up with (chain_doors._MAX_PLACES): 201 villages
PLACES = [f"{chr(0x4E00 + 3 * n)}{chr(0x4E01 + 3 * n)}村" for n in range(chain_doors._MAX_PLACES + 1)]


@pytest.fixture
def many_places(tmp_path):
    """Grid 1 whose doors begin 201 ways; grid 10 and grid 2 hold doors that end the same way."""
    database = open_database(tmp_path / "post.db")
    upsert_grids([GridInput(c, c) for c in ("1", "1-1", "10", "2")], actor="test")
    rows = [HouseholdInput("1", f"{place}{n}号", 2, "", None, None, None) for n, place in enumerate(PLACES)]
    rows += [
        HouseholdInput("1-1", "东区211号", 3, "", None, None, None),
        HouseholdInput("1", "西区1211号", 4, "", None, None, None),  # ends with 211号, but is 1211号
        HouseholdInput("1", "南区5%号", 4, "", None, None, None),
        HouseholdInput("1", "南区57号", 4, "", None, None, None),
        HouseholdInput("1", "北区3_号", 4, "", None, None, None),
        HouseholdInput("1", "北区6\\号", 4, "", None, None, None),
        HouseholdInput("1", "北区37号", 4, "", None, None, None),
        HouseholdInput("10", "外村211号", 5, "", None, None, None),
        HouseholdInput("2", "二村211号", 5, "", None, None, None),
    ]
    upsert_households(rows, actor="test")
    yield database
    database.close()


def doors(found: list[chain_doors.Household]) -> list[str]:
    return [h.door for h in found]


def test_a_grid_of_many_places_finds_a_door_by_its_end(many_places):
    """Past 200 places the short door is looked for as the end of a registered one, in the grid only."""
    found = match_doors("1", ["211号"])["211号"]
    assert doors(found) == ["东区211号"]  # not 西区1211号, nor grid 10's or grid 2's 211号
    assert found[0].people == 3 and found[0].id > 0
    assert doors(match_doors("1", ["7号"])["7号"]) == [f"{PLACES[7]}7号"]


def test_a_door_by_its_end_lists_every_place_it_may_be_in_door_order(many_places):
    upsert_households([HouseholdInput("1", "中区211号", 1, "", None, None, None)], actor="test")
    assert doors(match_doors("1", ["211号"])["211号"]) == ["东区211号", "中区211号"]
    assert doors(match_doors("10", ["211号"])["211号"]) == ["外村211号"]


def test_like_wildcards_in_a_written_door_are_only_characters(many_places):
    """% and _ in what a resident wrote match themselves, never any character."""
    assert doors(match_doors("1", ["5%号"])["5%号"]) == ["南区5%号"]
    assert doors(match_doors("1", ["3_号"])["3_号"]) == []  # 3_ is written 3- once folded: no such door
    assert doors(match_doors("1", ["5x号"])["5x号"]) == []
    assert doors(match_doors("1", ["6\\号"])["6\\号"]) == ["北区6\\号"]  # the escape itself, escaped
    assert doors(match_doors("1", ["57\\号"])["57\\号"]) == []  # not 南区57号


def test_a_door_by_its_end_needs_a_number_first(many_places):
    assert match_doors("1", ["区211号"])["区211号"] == []  # would end 东区211号, but names no number first


def test_the_plan_over_a_grid_of_many_places(many_places):
    [d] = chain_plan.plan_chain("tests", "1", "1. 211号 2人").decisions
    assert (d.status, d.door) == ("ok", "东区211号")


def test_grid_scope_holds_the_grid_and_its_sub_grids_only(many_places):
    root, ids = grid_scope("1")
    codes = {
        code
        for (code,) in many_places.execute_sql(
            f"SELECT code FROM grid WHERE id IN ({','.join('?' * len(ids))})", ids
        )
    }
    assert codes == {"1", "1-1"}  # not 10
    assert grid_scope("1-1")[0] == root and len(grid_scope("1-1")[1]) == 1
    with refused(NotFound, "grid.not_found", code="9"):
        grid_scope("9")


# Each notation of one flat a register may hold, and one other way of writing it (chain_text.door_variants)
NOTATIONS = [
    ("1栋1单元201室", "1-1-201"),
    ("2幢1单元201", "2-1-201"),
    ("3幢1单元201室", "3-1-201"),
    ("4号楼1单元201", "4-1-201"),
    ("5号楼1单元201室", "5-1-201"),
    ("6#1-201", "6栋1单元201"),
    ("7栋1单元201", "7-1-201"),
    ("8-1-201", "8幢1单元201室"),
    ("1-301", "1栋301"),
    ("2栋301", "2#301"),
    ("3栋301室", "3#301"),
    ("4幢301", "4#301"),
    ("5幢301室", "5#301"),
    ("6号楼301", "6#301"),
    ("7号楼301室", "7#301"),
    ("401号", "401"),  # a bare number: 号 or 室 after it
    ("402室", "402"),
    ("403", "403"),  # a bare number the register holds bare
    ("501", "501室"),  # a room word after the register's bare number
    ("9栋1单元501", "9栋1单元501室"),  # a room word dropped
]


@pytest.fixture
def flats(tmp_path):
    database = open_database(tmp_path / "post.db")
    upsert_grids([GridInput("1", "一网格")], actor="test")
    upsert_households(
        [HouseholdInput("1", door, 3, "", None, None, None) for door, _ in NOTATIONS], actor="test"
    )
    yield database
    database.close()


@pytest.mark.parametrize("register_door, written", NOTATIONS)
def test_each_notation_of_a_flat_finds_the_register_door(flats, register_door, written):
    assert doors(match_doors("1", [written])[written]) == [register_door]


def test_a_flat_is_not_found_under_another_building_unit_or_room(flats):
    for written in ("1-2-201", "2-1-202", "11-1-201", "1-302", "404"):
        assert match_doors("1", [written])[written] == [], written


# -- a place written before the number (chain_text.short_form) ------------------------------------------


@pytest.mark.parametrize("written", ["东区12号", "西村12号"])
def test_a_door_written_with_another_place_is_not_taken_for_this_one(register, written):
    """The register holds 花厅口村12号 and 东区211号: 东区12号 is no door of either place. It was
    recorded as 花厅口村12号 (the grid's places were put before its number), a wrong door."""
    assert match_doors("1", [written])[written] == []
    [d] = chain_plan.plan_chain("tests", "1", f"1. {written} 2人").decisions
    assert (d.status, d.reason, d.door) == ("ask", "unknown_door", None)
    [d] = chain_plan.plan_chain("households", "1", f"1. {written} 2人").decisions
    assert (d.status, d.door, d.value) == ("ok", written, 2)  # a household new to the register


def test_a_door_written_with_a_place_the_register_leaves_out(register):
    upsert_households([HouseholdInput("1", "88号", 3, "", None, None, None)], actor="test")
    assert doors(match_doors("1", ["花厅口村88号"])["花厅口村88号"]) == ["88号"]
    [d] = chain_plan.plan_chain("tests", "1", "1. 花厅口村88号 2人").decisions
    assert (d.status, d.door, d.value) == ("ok", "88号", 2)


def test_a_grid_of_exactly_200_places_looks_each_one_up(tmp_path):
    """200 places is still the indexed lookups' work: none of them may be left out."""
    database = open_database(tmp_path / "post.db")
    upsert_grids([GridInput("1", "一网格")], actor="test")
    places = PLACES[: chain_doors._MAX_PLACES]
    rows = [HouseholdInput("1", f"{place}{n}号", 2, "", None, None, None) for n, place in enumerate(places)]
    upsert_households(rows, actor="test")
    written = [f"{n}号" for n in range(len(places))]
    found = match_doors("1", written)
    assert [doors(found[w]) for w in written] == [[f"{place}{n}号"] for n, place in enumerate(places)]
    database.close()


def test_a_door_without_a_place_does_not_hide_the_201st_place(tmp_path):
    """A register door with no place (7号) trims to nothing: it must not count as one of the places,
    or a grid of 201 places is taken for one of 200 and the last place's doors are never found."""
    database = open_database(tmp_path / "post.db")
    upsert_grids([GridInput("1", "一网格")], actor="test")
    rows = [HouseholdInput("1", "7号", 2, "", None, None, None)]  # first: the first row a scan meets
    rows += [HouseholdInput("1", f"{place}{n}号", 2, "", None, None, None) for n, place in enumerate(PLACES)]
    upsert_households(rows, actor="test")
    last = len(PLACES) - 1
    assert doors(match_doors("1", [f"{last}号"])[f"{last}号"]) == [f"{PLACES[last]}{last}号"]
    database.close()


def carried(database, door: str, written: str) -> None:
    upsert_households([HouseholdInput("1", door, 4, "", "13800001234", None, None)], actor="test")
    [hid] = database.execute_sql("SELECT id FROM household WHERE door = ?", (door,)).fetchone()
    assert match_doors("1", [written])[written] == [chain_doors.Household(hid, door, 4, "13800001234")]


def test_a_household_found_by_its_door_carries_its_register_fields(register):
    carried(register, "花厅口村211号", "花厅口村211号")


def test_a_household_found_by_its_door_s_end_carries_its_register_fields(many_places):
    carried(many_places, "东区211号", "211号")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(place=st.text(alphabet="东西南北村区花厅口", max_size=5), number=st.integers(1, 45))
def test_a_written_door_finds_only_itself_with_a_place_before_it_or_its_bare_number(register, place, number):
    """Whatever place a resident writes, the register door found holds the door as written (perhaps
    after a place the resident left out), or is the bare number a register with no places writes:
    never the same number in another place."""
    written = f"{place}{number}号"
    for found in match_doors("1", [written])[written]:
        assert found.door.endswith(written) or found.door == f"{number}号", (written, found.door)
