"""A week of shifts for a demo post, filled through the real rules, with a few gaps
and one tired volunteer kept on past the rest rules (with the override on record)."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from db.grids.writes import utc_now
from db.models import database_proxy as db
from db.roster import writes as roster
from db.roster.rules import WEEK, Booked, PersonFacts, ShiftFacts, evaluate
from db.roster.settings import Duty, Rules

DEMO_DUTY = Duty(Rules(), ZoneInfo("Asia/Shanghai"))
GAP_RATE = 0.06  # places left open on purpose, so the coverage board has something to show
TIRED_REASON = "人手紧张,本人坚持连班"


def populate_roster(today: date, seed: int, actor: str, days_before: int = 1, days_after: int = 5) -> int:
    """Shifts from ``days_before`` days ago to ``days_after`` days ahead; returns assignments made.

    Each place is offered to the pool in rotation, and the first person ``duty_rules.evaluate``
    (the rules roster.assign applies) accepts without warnings takes it. The facts are read once
    and kept up to date here rather than re-read for every try: most tries are refused, and one
    savepoint and four queries a try were 95% of a big demo's build (issue 18).
    """
    rng = random.Random(seed * 7919)
    duty = DEMO_DUTY
    first = today - timedelta(days=days_before)
    roster.generate_shifts(duty, first, days_before + days_after + 1)
    now = roster.local_noon(today, duty)  # not the wall clock: a seed gives the same roster all day
    pools = _pools(duty)
    board = _Board.read()
    turn: dict[tuple[int, str], int] = defaultdict(int)
    made: list[tuple[int, int]] = []
    for shift in board.shifts:
        pool = pools.get((shift.root_id, shift.kind), [])
        for _ in range(shift.needed):
            if not pool or rng.random() < GAP_RATE:
                continue
            staff_id = _fill(duty, board, shift, pool, turn, (shift.root_id, shift.kind), now)
            if staff_id is not None:
                made.append((shift.id, staff_id))
    with db.atomic():
        stamp = utc_now()
        db.cursor().executemany(
            "INSERT INTO assignment (shift_id, staff_id, override_reason, warnings, created_at, created_by)"
            " VALUES (?, ?, '', '', ?, ?)",
            [(shift_id, staff_id, stamp, actor) for shift_id, staff_id in made],
        )
        return len(made) + _tired_volunteer(duty, now, actor)


class _Board:
    """The shifts to fill and, for each person, the live assignments the rules look at."""

    def __init__(
        self,
        shifts: list[ShiftFacts],
        people: dict[int, PersonFacts],
        booked: dict[int, list[Booked]],
        filled: dict[int, int],
    ) -> None:
        self.shifts, self.people, self.booked, self.filled = shifts, people, booked, filled

    @classmethod
    def read(cls) -> _Board:
        # one starred tuple: mypy cannot count a starred row followed by more arguments
        shifts = [
            ShiftFacts(*(*row[:8], bool(row[8]), bool(row[9])))
            for row in db.execute_sql(
                "SELECT s.id, s.post_id, p.name, p.kind, g.root_id, s.starts_at, s.ends_at, s.needed, s.night,"
                " s.cancelled FROM shift s JOIN duty_post p ON p.id = s.post_id JOIN grid g ON g.id = p.grid_id"
                " WHERE s.cancelled = 0 ORDER BY s.starts_at, p.id"
            ).fetchall()
        ]
        people = {
            row[0]: PersonFacts(*(*row[:7], bool(row[7])))
            for row in db.execute_sql(
                "SELECT id, name, role, birth_year, root_id, team_id, last_negative_test, active FROM staff"
            ).fetchall()
        }
        booked: dict[int, list[Booked]] = defaultdict(list)
        filled: dict[int, int] = defaultdict(int)
        for staff_id, shift_id, post, starts, ends, night in db.execute_sql(  # a demo added to a live post
            "SELECT a.staff_id, s.id, p.name, s.starts_at, s.ends_at, s.night FROM assignment a"
            " JOIN shift s ON s.id = a.shift_id AND s.cancelled = 0 JOIN duty_post p ON p.id = s.post_id"
            f" WHERE a.removed_at IS NULL AND a.{roster.COUNTS}"
        ).fetchall():
            booked[staff_id].append(Booked(shift_id, post, starts, ends, bool(night)))
            filled[shift_id] += 1
        return cls(shifts, people, booked, filled)

    def accepts(self, duty: Duty, staff_id: int, shift: ShiftFacts, now: int) -> bool:
        """True when the rules take ``staff_id`` on ``shift`` with no warning, on roster.check's facts."""
        mine = self.booked[staff_id]
        near = [b for b in mine if b.ends_at > shift.starts_at - WEEK and b.starts_at < shift.ends_at + WEEK]
        filled = self.filled[shift.id] - sum(b.shift_id == shift.id for b in mine)
        hard, soft = evaluate(self.people[staff_id], shift, near, filled, duty, now)
        return not hard and not soft

    def take(self, staff_id: int, shift: ShiftFacts) -> None:
        self.booked[staff_id].append(
            Booked(shift.id, shift.post_name, shift.starts_at, shift.ends_at, shift.night)
        )
        self.filled[shift.id] += 1


def _pools(duty: Duty) -> dict[tuple[int, str], list[int]]:
    """Who may stand at each kind of post in each grid, by the rules' role list."""
    people = db.execute_sql(
        "SELECT id, root_id, role FROM staff WHERE active = 1 AND role <> 'grid_leader' ORDER BY id"
    ).fetchall()
    pools: dict[tuple[int, str], list[int]] = defaultdict(list)
    for staff_id, root_id, role in people:
        for kind, roles in duty.rules.post_roles.items():
            if role in roles:
                pools[(root_id, kind)].append(staff_id)
    return pools


def _fill(
    duty: Duty, board: _Board, shift: ShiftFacts, pool: list[int], turn: dict, key: tuple, now: int
) -> int | None:
    """Try the pool in rotation; the first person the rules accept without warnings takes the place."""
    for attempt in range(min(len(pool), 12)):
        staff_id = pool[(turn[key] + attempt) % len(pool)]
        if board.accepts(duty, staff_id, shift, now):
            board.take(staff_id, shift)
            turn[key] += attempt + 1
            return staff_id
    return None


def _tired_volunteer(duty: Duty, now: int, actor: str) -> int:
    """The seeds' volunteer asleep at the roadside: kept on for a second shift straight after the first."""
    row = db.execute_sql(
        "SELECT a.staff_id, s.ends_at, s.post_id FROM assignment a JOIN shift s ON s.id = a.shift_id"
        " JOIN staff st ON st.id = a.staff_id WHERE a.removed_at IS NULL AND st.role = 'volunteer'"
        " AND s.starts_at >= ? ORDER BY s.starts_at, a.id LIMIT 1",
        (now,),
    ).fetchone()
    if row is None:
        return 0
    staff_id, ends_at, post_id = row
    following = db.execute_sql(
        "SELECT id FROM shift WHERE post_id = ? AND starts_at = ? AND cancelled = 0", (post_id, ends_at)
    ).fetchone()
    if following is None:
        return 0
    taken = db.execute_sql(
        "SELECT staff_id FROM assignment WHERE shift_id = ? AND removed_at IS NULL ORDER BY id DESC LIMIT 1",
        (following[0],),
    ).fetchone()
    if taken:  # make room: the colleague is stood down, and that stays on record
        roster.unassign(taken[0], following[0], actor=actor)
    try:
        roster.assign(duty, staff_id, following[0], actor=actor, override=TIRED_REASON, now=now)
    except roster.RosterRefused:
        return 0
    return 1
