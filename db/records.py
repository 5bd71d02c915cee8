"""Plain data passed in and out of the data layer: never lazy query objects.

The writes' inputs and outcomes (GridInput, HouseholdInput, StaffInput, RowProblem, WriteOutcome) live
in db/write_records.py and are imported from here as before; they are made on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from db.write_records import GridInput as GridInput
    from db.write_records import HouseholdInput as HouseholdInput
    from db.write_records import RowProblem as RowProblem
    from db.write_records import StaffInput as StaffInput
    from db.write_records import WriteOutcome as WriteOutcome

_WRITE_RECORDS = frozenset({"GridInput", "HouseholdInput", "StaffInput", "RowProblem", "WriteOutcome"})


def __getattr__(name: str) -> object:
    if name in _WRITE_RECORDS:
        from db import write_records

        return getattr(write_records, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class GridSummary(NamedTuple):
    id: int
    code: str
    name: str
    zone: str
    leader: str
    households: int
    residents: int
    care_households: int
    staff: int
    subgrids: int
    sealed_subgrids: int


class GridNode(NamedTuple):
    id: int
    code: str
    name: str
    level: int
    parent_id: int | None
    zone: str
    households: int
    residents: int


class HouseholdRow(NamedTuple):
    id: int
    root_id: int
    grid_code: str
    door: str
    head_name: str
    people: int
    phone: str
    care_tags: str
    note: str


class StaffRow(NamedTuple):
    id: int
    name: str
    role: str
    phone: str
    birth_year: int | None
    party_member: bool
    home_grid_code: str
    team: str
    last_negative_test: str | None


class ZoneChangeRow(NamedTuple):
    grid_code: str
    old_zone: str | None
    new_zone: str
    reason: str
    changed_at: str
    changed_by: str


class PostTotals(NamedTuple):
    grids: int
    subgrids: int
    households: int
    residents: int
    care_households: int
    staff: int
