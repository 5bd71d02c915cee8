"""Plain data passed in and out of the data layer: never lazy query objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


@dataclass(frozen=True)
class GridInput:
    code: str
    name: str
    zone: str = ""


@dataclass(frozen=True)
class HouseholdInput:
    """None in an optional field means "not given": an existing household keeps its value."""

    grid_code: str
    door: str
    people: str | int
    head_name: str | None = None
    phone: str | None = None
    care_tags: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class StaffInput:
    """None in an optional field means "not given": an existing person keeps the value."""

    name: str
    role: str
    home_grid_code: str
    phone: str | None = None
    birth_year: str | int | None = None
    party_member: str | bool | None = None
    last_negative_test: str | None = None
    team: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class RowProblem:
    """One bad value in a batch: ``index`` is the 0-based position in the batch."""

    index: int
    column: str
    key: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class WriteOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: tuple[str, ...] = ()


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
