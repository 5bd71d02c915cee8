"""A week of shifts for a demo post, filled through the real rules, with a few gaps
and one tired volunteer kept on past the rest rules (with the override on record)."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from db.models import database_proxy as db
from db.roster import writes as roster
from db.roster.settings import Duty, Rules

DEMO_DUTY = Duty(Rules(), ZoneInfo("Asia/Shanghai"))
GAP_RATE = 0.06  # places left open on purpose, so the coverage board has something to show
TIRED_REASON = "人手紧张,本人坚持连班"


def populate_roster(today: date, seed: int, actor: str, days_before: int = 1, days_after: int = 5) -> int:
    """Shifts from ``days_before`` days ago to ``days_after`` days ahead; returns assignments made."""
    rng = random.Random(seed * 7919)
    duty = DEMO_DUTY
    first = today - timedelta(days=days_before)
    roster.generate_shifts(duty, first, days_before + days_after + 1)
    now = roster.local_noon(today, duty)  # not the wall clock: a seed gives the same roster all day
    pools = _pools(duty)
    shifts = db.execute_sql(
        "SELECT s.id, g.root_id, p.kind, s.needed FROM shift s JOIN duty_post p ON p.id = s.post_id"
        " JOIN grid g ON g.id = p.grid_id WHERE s.cancelled = 0 ORDER BY s.starts_at, p.id").fetchall()
    turn: dict[tuple[int, str], int] = defaultdict(int)
    made = 0
    with db.atomic():
        for shift_id, root_id, kind, needed in shifts:
            pool = pools.get((root_id, kind), [])
            for _ in range(needed):
                if not pool or rng.random() < GAP_RATE:
                    continue
                made += _fill(duty, shift_id, pool, turn, (root_id, kind), now, actor)
        made += _tired_volunteer(duty, now, actor)
    return made


def _pools(duty: Duty) -> dict[tuple[int, str], list[int]]:
    """Who may stand at each kind of post in each grid, by the rules' role list."""
    people = db.execute_sql("SELECT id, root_id, role FROM staff WHERE active = 1 AND role <> 'grid_leader'"
                            " ORDER BY id").fetchall()
    pools: dict[tuple[int, str], list[int]] = defaultdict(list)
    for staff_id, root_id, role in people:
        for kind, roles in duty.rules.post_roles.items():
            if role in roles:
                pools[(root_id, kind)].append(staff_id)
    return pools


def _fill(duty: Duty, shift_id: int, pool: list[int], turn: dict, key: tuple, now: int, actor: str) -> int:
    """Try the pool in rotation; the first person the rules accept without warnings takes the place."""
    for attempt in range(min(len(pool), 12)):
        staff_id = pool[(turn[key] + attempt) % len(pool)]
        try:
            roster.assign(duty, staff_id, shift_id, actor=actor, now=now)
        except roster.RosterRefused:
            continue
        turn[key] += attempt + 1
        return 1
    return 0


def _tired_volunteer(duty: Duty, now: int, actor: str) -> int:
    """The seeds' volunteer asleep at the roadside: kept on for a second shift straight after the first."""
    row = db.execute_sql(
        "SELECT a.staff_id, s.ends_at, s.post_id FROM assignment a JOIN shift s ON s.id = a.shift_id"
        " JOIN staff st ON st.id = a.staff_id WHERE a.removed_at IS NULL AND st.role = 'volunteer'"
        " AND s.starts_at >= ? ORDER BY s.starts_at, a.id LIMIT 1", (now,)).fetchone()
    if row is None:
        return 0
    staff_id, ends_at, post_id = row
    following = db.execute_sql("SELECT id FROM shift WHERE post_id = ? AND starts_at = ? AND cancelled = 0",
                               (post_id, ends_at)).fetchone()
    if following is None:
        return 0
    taken = db.execute_sql("SELECT staff_id FROM assignment WHERE shift_id = ? AND removed_at IS NULL"
                           " ORDER BY id DESC LIMIT 1", (following[0],)).fetchone()
    if taken:  # make room: the colleague is stood down, and that stays on record
        roster.unassign(taken[0], following[0], actor=actor)
    try:
        roster.assign(duty, staff_id, following[0], actor=actor, override=TIRED_REASON, now=now)
    except roster.RosterRefused:
        return 0
    return 1
