"""Why a place stays open: what the roster plan says of the places it leaves, and the coverage board
of the place under its cursor. Also who the plan may consider: the people whose role stands at posts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from db.models import database_proxy as db
from db.roster import writes
from db.roster.queries import coverage
from db.roster.rules import PersonFacts, ShiftFacts, Violation, evaluate
from db.roster.settings import Duty


@dataclass(frozen=True)
class OpenPlace:
    shift_id: int
    post: str
    grid: str
    starts_at: int
    ends_at: int
    open: int
    reason: Violation  # catalogue key roster_plan.open.<code>


def people_of(duty: Duty, root_id: int | None = None) -> tuple[dict[int, PersonFacts], dict[int, str]]:
    """Active staff whose role may stand at some kind of post (of one grid and the teams, given
    ``root_id``), and their home grid's code."""
    roles = sorted({r for allowed in duty.rules.post_roles.values() for r in allowed})
    grid = "" if root_id is None else " AND (st.root_id = ? OR st.team_id IS NOT NULL)"
    rows = db.execute_sql(
        "SELECT st.id, st.name, st.role, st.birth_year, st.root_id, st.team_id, st.last_negative_test, st.active,"
        f" g.code FROM staff st JOIN grid g ON g.id = st.home_grid_id WHERE st.active = 1"
        f" AND st.role IN ({','.join('?' * len(roles))}){grid} ORDER BY st.id",
        roles + ([] if root_id is None else [root_id]),
    ).fetchall()
    return (
        {r[0]: PersonFacts(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7])) for r in rows},
        {r[0]: r[8] for r in rows},
    )


def open_place(
    shift: ShiftFacts,
    grid: str,
    count: int,
    considered: int,
    local_people: LocalPeople,
    booked,
    duty: Duty,
    now: int,
    not_reached: str | None,
) -> OpenPlace:
    """Why nobody fills the place: planning stopped (or ran out of time) first, or the rule that rules most out."""
    if not_reached:
        reason = Violation(not_reached)
    elif considered:
        reason = Violation("taken", {"people": considered})
    else:
        local = local_people(shift.root_id, shift.kind)
        if not local:
            reason = Violation("no_role")
        else:
            hard = [_hard_only(p, shift, booked.get(p.id, []), duty, now) for p in local]
            free = sum(not h for h in hard)
            why = Counter(h[0].code for h in hard if h)
            if free:
                reason = Violation("would_warn", {"people": free})
            else:
                code, n = why.most_common(1)[0]
                reason = Violation("nobody", {"rule": code, "people": n, "of": len(local)})
    return OpenPlace(shift.id, shift.post_name, grid, shift.starts_at, shift.ends_at, count, reason)


class LocalPeople:
    """Each grid's people and the teams, by the kind of post their role allows: sorted out once per
    grid and kind, not once per open place (20,000 people times a thousand places at a county)."""

    def __init__(self, people: dict[int, PersonFacts], duty: Duty) -> None:
        self.people, self.duty = people, duty
        self.found: dict[tuple[int, str], list[PersonFacts]] = {}

    def __call__(self, root_id: int, kind: str) -> list[PersonFacts]:
        if (root_id, kind) not in self.found:
            allowed = self.duty.rules.post_roles.get(kind, ())
            self.found[(root_id, kind)] = [
                p for p in self.people.values() if p.role in allowed and (p.root_id == root_id or p.team_id)
            ]
        return self.found[(root_id, kind)]


def _hard_only(person: PersonFacts, shift: ShiftFacts, held, duty: Duty, now: int):
    """The hard rules alone: the soft ones (hours over a week of bookings) are the slow part of evaluate."""
    near = [b for b in held if b.ends_at > shift.starts_at and b.starts_at < shift.ends_at]
    return evaluate(person, shift, near, 0, duty, now)[0]


def why_open(duty: Duty, shift_id: int, now: int) -> OpenPlace | None:
    """Why a shift still has open places, judged as the plan judges what it leaves open; None when full."""
    shift = writes.shift_facts(shift_id)
    row = next((r for r in coverage(shift.starts_at, shift.ends_at) if r.shift_id == shift_id), None)
    if row is None or row.gap <= 0 or shift.cancelled:
        return None
    people = people_of(duty, shift.root_id)[0]
    booked = writes.booked_near(list(people), shift.starts_at, shift.ends_at) if people else {}
    return open_place(shift, row.grid, row.gap, 0, LocalPeople(people, duty), booked, duty, now, None)
