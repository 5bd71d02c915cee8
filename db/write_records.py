"""What the writes take in and give back: a grid, household or staff member to add or change, one bad
value in a batch, and what a batch changed. Read through db/records.py, which makes them only when
first used: five frozen dataclasses made at import were 3-5 ms of every start of the console."""

from __future__ import annotations

from dataclasses import dataclass, field


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
