"""Roster reads: coverage, headline gaps, each person's load, and who could fill a gap."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import NamedTuple

from db.models import database_proxy as db
from db.roster.rules import DAY, HOUR, PersonFacts, ShiftFacts, evaluate, local_day_bounds
from db.roster.settings import Duty
from db.roster.writes import COUNTS, booked_near, day_slots, filled_count, shift_facts


class CoverageRow(NamedTuple):
    """A NamedTuple, not a frozen dataclass: a county board makes thousands, three times faster so."""

    shift_id: int
    post_id: int
    post: str
    kind: str
    grid: str
    starts_at: int
    ends_at: int
    needed: int
    assigned: tuple[int, ...]
    present: int
    night: bool

    @property
    def filled(self) -> int:
        return len(self.assigned)

    @property
    def gap(self) -> int:
        return max(0, self.needed - self.filled)


@dataclass(frozen=True)
class Headline:
    now: int
    next_3h: int
    tonight: int


@dataclass(frozen=True)
class PersonLoad:
    staff_id: int
    name: str
    role: str
    grid: str
    hours_week: float
    nights_week: int
    next_start: int | None
    next_post: str


@dataclass(frozen=True)
class OnShift:
    assignment_id: int
    staff_id: int
    name: str
    role: str
    phone: str
    state: str
    override_reason: str
    warnings: str


@dataclass(frozen=True)
class Candidate:
    staff_id: int
    name: str
    role: str
    grid: str
    same_grid: bool
    hours_week: float
    nights_week: int
    warnings: tuple
    no_shows: int = 0  # past the configured limit: ranked last, and shown why


def _filters(grid_code: str | None, kind: str | None) -> tuple[str, list]:
    clauses, params = [], []
    if grid_code:
        clauses.append("(g.code = ? OR g.code LIKE ?)")
        params += [grid_code, grid_code + "-%"]
    if kind:
        clauses.append("p.kind = ?")
        params.append(kind)
    return "".join(" AND " + c for c in clauses), params


# A shift lasts at most a day (roster.add_shift): its start bounds the index range, so weeks of
# past shifts are not read (SQLite chose a full scan for the GROUP BY without the hint).
_LIVE_IN_WINDOW = "s.cancelled = 0 AND s.starts_at < ? AND s.starts_at >= ? AND s.ends_at > ?"


def coverage(
    start: int, end: int, grid_code: str | None = None, kind: str | None = None, posts: int | None = None
) -> list[CoverageRow]:
    """Every live shift overlapping [start, end), with who holds it; grid, post, time order.

    ``posts``: only the shifts of the first so many posts that have any, in the board's order
    (what one screen shows: a few milliseconds however many posts there are)."""
    if grid_code:
        from db.grids.queries import grid_id_for

        grid_id_for(grid_code)  # an unknown grid is refused, not answered with an empty board
    where, params = _filters(grid_code, kind)
    index = "shift_time"
    if posts is not None:  # the posts first, then their shifts by shift_post_start: no read of every shift
        index = "shift_post_start"
        # The posts are found walking the grids in order, root by root (grid_parent, then grid_root),
        # and stop at the limit: sorting every post by its grid's sort_key cost 2.6 ms of the
        # database thread at three counties, against 0.1. The same order: a grid's sort_key starts
        # with its root's, followed by "-", which sorts before any letter or digit of a code.
        where += (
            " AND s.post_id IN (SELECT p.id FROM grid r INDEXED BY grid_parent"
            " JOIN grid g INDEXED BY grid_root ON g.root_id = r.id JOIN duty_post p ON p.grid_id = g.id"
            " WHERE r.parent_id IS NULL AND EXISTS (SELECT 1 FROM shift s WHERE s.post_id = p.id"
            f" AND {_LIVE_IN_WINDOW}){where} ORDER BY r.sort_key, g.sort_key, p.name, p.id LIMIT ?)"
        )
        params += [end, start - DAY, start, *params, posts]
    rows = db.execute_sql(
        "SELECT s.id, p.id, p.name, p.kind, g.code, s.starts_at, s.ends_at, s.needed,"
        f" group_concat(CASE WHEN a.{COUNTS} THEN a.staff_id END),"
        " sum(a.state IN ('present', 'done')), s.night"
        f" FROM shift s INDEXED BY {index} JOIN duty_post p ON p.id = s.post_id JOIN grid g ON g.id = p.grid_id"
        " LEFT JOIN assignment a ON a.shift_id = s.id AND a.removed_at IS NULL"
        f" WHERE {_LIVE_IN_WINDOW}{where}"
        " GROUP BY s.id ORDER BY g.sort_key, p.name, p.id, s.starts_at",
        [end, start - DAY, start, *params],
    ).fetchall()
    return [
        CoverageRow(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            tuple(int(x) for x in r[8].split(",")) if r[8] else (),
            r[9] or 0,
            bool(r[10]),
        )
        for r in rows
    ]


def tonight_window(now: int, duty: Duty) -> tuple[int, int]:
    """Tonight at the post: from the night start today (or now, if later) to the night's end."""
    local = datetime.fromtimestamp(now, duty.tz)
    start = local.replace(hour=duty.rules.night_start, minute=0, second=0, microsecond=0)
    if local.hour < duty.rules.night_end:
        start -= timedelta(days=1)
    end = (start + timedelta(days=1)).replace(hour=duty.rules.night_end)
    return max(now, int(start.timestamp())), int(end.timestamp())


def headline_window(now: int, duty: Duty) -> tuple[int, int]:
    """The hours the headline counts: from now (or tonight's start) to 3 hours on (or tonight's end)."""
    night_start, night_end = tonight_window(now, duty)
    return min(now, night_start), max(now + 3 * HOUR, night_end)


def headline(now: int, duty: Duty, grid_code: str | None = None, kind: str | None = None) -> Headline:
    """Open positions on shifts running now, starting in the next 3 hours, and tonight.

    Summed by SQLite over the headline's window (headline_of counts the same over loaded rows):
    no row of a post's name or holders is made, so a region's 1,500 posts cost 10-15 ms, not 130."""
    if grid_code:
        from db.grids.queries import grid_id_for

        grid_id_for(grid_code)
    first, last = headline_window(now, duty)
    night_start, night_end = tonight_window(now, duty)
    where, params = _filters(grid_code, kind)
    joins = " JOIN duty_post p ON p.id = s.post_id JOIN grid g ON g.id = p.grid_id" if where else ""
    gaps = db.execute_sql(
        "SELECT coalesce(sum(CASE WHEN starts_at <= ? AND ? < ends_at THEN gap END), 0),"
        " coalesce(sum(CASE WHEN ? < starts_at AND starts_at < ? THEN gap END), 0),"
        " coalesce(sum(CASE WHEN starts_at < ? AND ends_at > ? THEN gap END), 0) FROM ("
        f" SELECT s.starts_at, s.ends_at, max(0, s.needed - count(CASE WHEN a.{COUNTS} THEN 1 END)) AS gap"
        f" FROM shift s INDEXED BY shift_time{joins}"
        " LEFT JOIN assignment a ON a.shift_id = s.id AND a.removed_at IS NULL"
        f" WHERE {_LIVE_IN_WINDOW}{where} GROUP BY s.id)",
        [now, now, now, now + 3 * HOUR, night_end, night_start, last, first - DAY, first, *params],
    ).fetchone()
    return Headline(*gaps)


def board(
    start: int,
    hours: int,
    now: int,
    duty: Duty,
    grid_code: str | None = None,
    kind: str | None = None,
    posts: int | None = None,
) -> tuple[list[CoverageRow], Headline]:
    """The coverage board: its shifts from ``start`` (of its first ``posts`` posts, if given), and
    the headline, from the same read when the board holds the headline's hours and every post."""
    rows = coverage(start, start + hours * HOUR, grid_code, kind, posts)
    first, last = headline_window(now, duty)
    if posts is None and start <= first and last <= start + hours * HOUR:
        return rows, headline_of(rows, now, duty)
    return rows, headline(now, duty, grid_code, kind)


def headline_of(rows: list[CoverageRow], now: int, duty: Duty) -> Headline:
    """The headline counted over ``rows``, which must hold every shift in headline_window(now)."""
    night_start, night_end = tonight_window(now, duty)
    gap_now = sum(r.gap for r in rows if r.starts_at <= now < r.ends_at)
    gap_soon = sum(r.gap for r in rows if now < r.starts_at < now + 3 * HOUR)
    gap_night = sum(r.gap for r in rows if r.starts_at < night_end and r.ends_at > night_start)
    return Headline(gap_now, gap_soon, gap_night)


def week_bounds(day: date, duty: Duty) -> tuple[int, int]:
    """Monday 00:00 to the next Monday 00:00 at the post."""
    monday = day - timedelta(days=day.weekday())
    return local_day_bounds(monday, duty)[0], local_day_bounds(monday + timedelta(days=7), duty)[0]


def _loads(staff_ids: list[int], week: tuple[int, int]) -> dict[int, tuple[float, int]]:
    loads: dict[int, tuple[float, int]] = {}
    for chunk in range(0, len(staff_ids), 900):
        ids = staff_ids[chunk : chunk + 900]
        for staff_id, seconds, nights in db.execute_sql(
            "SELECT a.staff_id, sum(min(s.ends_at, ?) - max(s.starts_at, ?)), sum(s.night)"
            " FROM assignment a JOIN shift s ON s.id = a.shift_id AND s.cancelled = 0"
            f" WHERE a.removed_at IS NULL AND a.{COUNTS} AND s.starts_at < ? AND s.ends_at > ?"
            f" AND a.staff_id IN ({','.join('?' * len(ids))}) GROUP BY a.staff_id",
            [week[1], week[0], week[1], week[0], *ids],
        ).fetchall():
            loads[staff_id] = (seconds / HOUR, nights or 0)
    return loads


def person_loads(
    duty: Duty, now: int, root_id: int | None = None, offset: int = 0, limit: int = 100
) -> list[PersonLoad]:
    """Hours and nights this week and the next shift, busiest first, a page at a time."""
    week = week_bounds(datetime.fromtimestamp(now, duty.tz).date(), duty)
    scope = "" if root_id is None else " AND st.root_id = ?"
    rows = db.execute_sql(
        "SELECT st.id, st.name, st.role, g.code,"
        " coalesce(sum(min(s.ends_at, ?) - max(s.starts_at, ?)) FILTER (WHERE s.starts_at < ? AND s.ends_at > ?), 0),"
        " coalesce(sum(s.night) FILTER (WHERE s.starts_at < ? AND s.ends_at > ?), 0),"
        " min(s.starts_at) FILTER (WHERE s.starts_at >= ?)"
        " FROM staff st JOIN grid g ON g.id = st.home_grid_id"
        " JOIN assignment a ON a.staff_id = st.id AND a.removed_at IS NULL AND a.state <> 'no_show'"
        " JOIN shift s ON s.id = a.shift_id AND s.cancelled = 0"
        f" WHERE st.active = 1{scope} GROUP BY st.id ORDER BY 5 DESC, 6 DESC, st.id LIMIT ? OFFSET ?",
        [
            week[1],
            week[0],
            week[1],
            week[0],
            week[1],
            week[0],
            now,
            *([root_id] if root_id else []),
            limit,
            offset,
        ],
    ).fetchall()
    result = []
    for staff_id, name, role, grid, seconds, nights, next_start in rows:
        post = (
            db.execute_sql(
                "SELECT p.name FROM shift s JOIN duty_post p ON p.id = s.post_id"
                " JOIN assignment a ON a.shift_id = s.id AND a.removed_at IS NULL"
                " WHERE a.staff_id = ? AND s.starts_at = ? LIMIT 1",
                (staff_id, next_start),
            ).fetchone()
            if next_start
            else None
        )
        result.append(
            PersonLoad(
                staff_id, name, role, grid, seconds / HOUR, nights, next_start, post[0] if post else ""
            )
        )
    return result


def person_load_count(root_id: int | None = None) -> int:
    scope = "" if root_id is None else " AND st.root_id = ?"
    return db.execute_sql(
        "SELECT count(DISTINCT st.id) FROM staff st JOIN assignment a ON a.staff_id = st.id"
        f" AND a.removed_at IS NULL WHERE st.active = 1{scope}",
        [root_id] if root_id else [],
    ).fetchone()[0]


def on_shift(shift_id: int) -> list[OnShift]:
    rows = db.execute_sql(
        "SELECT a.id, st.id, st.name, st.role, st.phone, a.state, a.override_reason, a.warnings"
        " FROM assignment a JOIN staff st ON st.id = a.staff_id WHERE a.shift_id = ? AND a.removed_at IS NULL"
        " ORDER BY a.id",
        (shift_id,),
    ).fetchall()
    return [OnShift(*r) for r in rows]


def candidates(duty: Duty, shift_id: int, now: int, limit: int = 40) -> list[Candidate]:
    """People free and eligible for the shift, best first: own grid, fewest hours, fewest nights.

    Hard-rule failures are left out; soft warnings are listed with each person.
    The post's own grid and the reinforcement teams are searched first; the
    rest of the post only when they cannot fill the list (a county has 20,000).
    """
    shift: ShiftFacts = shift_facts(shift_id)
    found = _eligible(duty, shift, now, " AND (st.root_id = ? OR st.team_id IS NOT NULL)", [shift.root_id])
    if len(found) < limit:
        found += _eligible(duty, shift, now, " AND st.root_id <> ? AND st.team_id IS NULL", [shift.root_id])
    missed = repeated_no_shows(duty, now)
    found = [replace(c, no_shows=missed.get(c.staff_id, 0)) for c in found]
    found.sort(
        key=lambda c: (
            bool(c.no_shows),
            bool(c.warnings),
            not c.same_grid,
            c.hours_week,
            c.nights_week,
            c.staff_id,
        )
    )
    return found[:limit]


def live_assignment(staff_id: int, shift_id: int) -> int:
    """The id of the person's live assignment on the shift."""
    from db.errors import NotFound

    row = db.execute_sql(
        "SELECT id FROM assignment WHERE staff_id = ? AND shift_id = ? AND removed_at IS NULL",
        (staff_id, shift_id),
    ).fetchone()
    if row is None:
        raise NotFound("roster.not_assigned", staff=staff_id, shift=shift_id)
    return row[0]


def repeated_no_shows(duty: Duty, now: int) -> dict[int, int]:
    """People with at least ``noshow_limit`` no-shows on shifts begun in the last ``noshow_window_days``."""
    rules = duty.rules
    rows = db.execute_sql(
        "SELECT a.staff_id, count(*) FROM assignment a JOIN shift s ON s.id = a.shift_id"
        " WHERE a.state = 'no_show' AND a.removed_at IS NULL AND s.starts_at >= ? AND s.starts_at <= ?"
        " GROUP BY a.staff_id HAVING count(*) >= ?",
        (now - rules.noshow_window_days * DAY, now, rules.noshow_limit),
    ).fetchall()
    return dict(rows)


def _eligible(duty: Duty, shift: ShiftFacts, now: int, scope: str, params: list) -> list[Candidate]:
    allowed = duty.rules.post_roles.get(shift.kind, ())
    year = datetime.fromtimestamp(shift.starts_at, duty.tz).year
    people = db.execute_sql(
        "SELECT st.id, st.name, st.role, st.birth_year, st.root_id, st.team_id, st.last_negative_test, st.active,"
        " g.code FROM staff st JOIN grid g ON g.id = st.home_grid_id WHERE st.active = 1"
        f" AND st.role IN ({','.join('?' * len(allowed))}) AND st.birth_year BETWEEN ? AND ?"
        " AND st.last_negative_test IS NOT NULL AND st.id NOT IN"
        f" (SELECT staff_id FROM assignment WHERE shift_id = ? AND removed_at IS NULL){scope}",
        [*allowed, year - duty.rules.duty_age_max, year - duty.rules.duty_age_min, shift.id, *params],
    ).fetchall()
    booked = booked_near([p[0] for p in people], shift.starts_at, shift.ends_at)
    filled = filled_count(shift.id)
    loads = _loads(
        [p[0] for p in people], week_bounds(datetime.fromtimestamp(shift.starts_at, duty.tz).date(), duty)
    )
    found = []
    for row in people:
        # one starred tuple: mypy cannot count a starred row followed by more arguments
        person = PersonFacts(*(*row[:7], bool(row[7])))
        hard, soft = evaluate(person, shift, booked[person.id], filled, duty, now)
        if not hard:
            hours, nights = loads.get(person.id, (0.0, 0))
            found.append(
                Candidate(
                    person.id,
                    person.name,
                    person.role,
                    row[8],
                    person.root_id == shift.root_id,
                    hours,
                    nights,
                    tuple(soft),
                )
            )
    return found


def day_roster(
    duty: Duty, day: date, grid_code: str | None = None, post_id: int | None = None
) -> list[tuple]:
    """For the printed sheet: (post, kind, grid, start, end, needed, [(name, role, phone)])."""
    start = day_slots(day, duty)[0][0]
    rows = [
        r
        for r in coverage(start, start + DAY, grid_code)
        if r.starts_at >= start and (post_id is None or r.post_id == post_id)
    ]
    return [
        (
            r.post,
            r.kind,
            r.grid,
            r.starts_at,
            r.ends_at,
            r.needed,
            [(p.name, p.role, p.phone) for p in on_shift(r.shift_id) if p.state != "no_show"],
        )
        for r in rows
    ]


@dataclass(frozen=True)
class NearbyAssignment:
    assignment_id: int
    name: str
    post: str
    starts_at: int
    ends_at: int


def assignments_near(shift_id: int, excluding_staff: int, now: int) -> list[NearbyAssignment]:
    """Other people's assignments within a day of the shift and not yet over, to pick a swap partner from."""
    shift = shift_facts(shift_id)
    rows = db.execute_sql(
        "SELECT a.id, st.name, p.name, s.starts_at, s.ends_at FROM assignment a JOIN shift s ON s.id = a.shift_id"
        " AND s.cancelled = 0 JOIN duty_post p ON p.id = s.post_id JOIN staff st ON st.id = a.staff_id"
        " WHERE a.removed_at IS NULL AND a.staff_id <> ? AND a.shift_id <> ? AND s.starts_at BETWEEN ? AND ?"
        " AND s.ends_at > ? ORDER BY s.starts_at, p.name LIMIT 500",
        (excluding_staff, shift_id, shift.starts_at - DAY, shift.starts_at + DAY, now),
    ).fetchall()
    return [NearbyAssignment(*r) for r in rows]
