"""Roster writes: shifts, assignments, swaps, copies and attendance.

Each function runs in one IMMEDIATE transaction and applies db/roster/rules.py
inside it, so two operators racing for the last place get one assignment and
one refusal. A removed assignment is kept with who removed it and when.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from db.errors import NotFound, RuleError
from db.fields import reason as parse_reason
from db.grids.writes import utc_now
from db.models import database_proxy as db
from db.roster.rules import WEEK, Booked, PersonFacts, ShiftFacts, Violation, evaluate, is_night
from db.roster.settings import Duty

COUNTS = "state <> 'no_show'"  # a no-show holds no place on the shift


class RosterRefused(RuleError):
    """The assignment breaks hard rules, or soft ones with no override reason."""

    def __init__(self, hard: list[Violation], soft: list[Violation], overridable: bool) -> None:
        super().__init__("roster.refused", count=len(hard) + len(soft))
        self.hard, self.soft, self.overridable = hard, soft, overridable


@dataclass(frozen=True)
class Assigned:
    assignment_id: int
    warnings: tuple[Violation, ...]


@dataclass(frozen=True)
class CopyOutcome:
    copied: int
    refusals: tuple[tuple[str, str, int, tuple[Violation, ...]], ...]  # person, post, start, why


def epoch_now() -> int:
    return int(time.time())


def local_noon(day: date, duty: Duty) -> int:
    return int(datetime(day.year, day.month, day.day, 12, tzinfo=duty.tz).timestamp())


# -- shifts ------------------------------------------------------------------------


def day_slots(day: date, duty: Duty) -> list[tuple[int, int]]:
    """The day's shifts as (start, end) from the configured change hours; the last may cross midnight."""
    hours = sorted(duty.rules.shift_hours)
    slots = []
    for index, hour in enumerate(hours):
        start = datetime(day.year, day.month, day.day, hour, tzinfo=duty.tz)
        if index + 1 < len(hours):
            end = start.replace(hour=hours[index + 1])
        else:
            nxt = day + timedelta(days=1)
            end = datetime(nxt.year, nxt.month, nxt.day, hours[0], tzinfo=duty.tz)
        slots.append((int(start.timestamp()), int(end.timestamp())))
    return slots


def generate_shifts(duty: Duty, first_day: date, days: int, post_ids: list[int] | None = None) -> int:
    """Create the shifts of ``days`` days for the posts (all by default); existing ones are kept."""
    if not 1 <= days <= 62:
        raise RuleError("roster.days_range", days=days)
    with db.atomic():
        where = "" if post_ids is None else f" WHERE id IN ({','.join('?' * len(post_ids))})"
        posts = db.execute_sql(
            "SELECT id, need, night_need FROM duty_post" + where, post_ids or []
        ).fetchall()
        rows = []
        for offset in range(days):
            for start, end in day_slots(first_day + timedelta(days=offset), duty):
                night = is_night(start, end, duty)
                rows += [
                    (pid, start, end, night_need if night and night_need is not None else need, int(night))
                    for pid, need, night_need in posts
                ]
        before = db.execute_sql("SELECT count(*) FROM shift").fetchone()[0]
        db.cursor().executemany(
            "INSERT OR IGNORE INTO shift (post_id, starts_at, ends_at, needed, night) VALUES (?,?,?,?,?)",
            rows,
        )
        return db.execute_sql("SELECT count(*) FROM shift").fetchone()[0] - before


def set_post_need(post_id: int, need: int, night_need: int | None = None) -> None:
    """How many people a post needs per shift (and at night, if different), for shifts made from now on."""
    for value in (need, night_need):
        if value is not None and not 0 <= value <= 50:
            raise RuleError("roster.needed_range", needed=value)
    with db.atomic():
        if not db.execute_sql(
            "UPDATE duty_post SET need = ?, night_need = ? WHERE id = ?", (need, night_need, post_id)
        ).rowcount:
            raise NotFound("roster.no_post", post=post_id)


def add_shift(duty: Duty, post_id: int, starts_at: int, ends_at: int, needed: int) -> int:
    if ends_at <= starts_at:
        raise RuleError("roster.end_before_start")
    if ends_at - starts_at > 24 * 3600:
        raise RuleError("roster.too_long")
    if not 0 <= needed <= 50:
        raise RuleError("roster.needed_range", needed=needed)
    with db.atomic():
        if not db.execute_sql("SELECT 1 FROM duty_post WHERE id = ?", (post_id,)).fetchone():
            raise NotFound("roster.no_post", post=post_id)
        if db.execute_sql(
            "SELECT 1 FROM shift WHERE post_id = ? AND starts_at = ? AND cancelled = 0", (post_id, starts_at)
        ).fetchone():
            raise RuleError("roster.shift_exists")
        return db.execute_sql(
            "INSERT INTO shift (post_id, starts_at, ends_at, needed, night) VALUES (?,?,?,?,?)",
            (post_id, starts_at, ends_at, needed, int(is_night(starts_at, ends_at, duty))),
        ).lastrowid


def move_shift(duty: Duty, shift_id: int, starts_at: int, ends_at: int, *, actor: str) -> None:
    """Move a shift in time; refused if it would put anyone on it in two places at once."""
    if ends_at <= starts_at:
        raise RuleError("roster.end_before_start")
    if ends_at - starts_at > 24 * 3600:  # as add_shift: the coverage board reads shifts up to a day long
        raise RuleError("roster.too_long")
    with db.atomic():
        shift_facts(shift_id)
        clash = db.execute_sql(
            "SELECT s.name FROM assignment a JOIN staff s ON s.id = a.staff_id"
            " JOIN assignment o ON o.staff_id = a.staff_id AND o.removed_at IS NULL AND o.shift_id <> a.shift_id"
            " JOIN shift x ON x.id = o.shift_id AND x.cancelled = 0"
            " WHERE a.shift_id = ? AND a.removed_at IS NULL AND x.starts_at < ? AND x.ends_at > ? LIMIT 1",
            (shift_id, ends_at, starts_at),
        ).fetchone()
        if clash:
            raise RuleError("roster.move_clash", name=clash[0])
        db.execute_sql(
            "UPDATE shift SET starts_at = ?, ends_at = ?, night = ? WHERE id = ?",
            (starts_at, ends_at, int(is_night(starts_at, ends_at, duty)), shift_id),
        )


def cancel_shift(shift_id: int, why: str, *, actor: str) -> int:
    """Cancel a shift; the people on it are taken off it (and kept on record). Returns how many."""
    why = parse_reason(why)
    with db.atomic():
        shift = shift_facts(shift_id)
        if shift.cancelled:
            raise RuleError("roster.already_cancelled")
        db.execute_sql("UPDATE shift SET cancelled = 1, note = ? WHERE id = ?", (why, shift_id))
        return db.execute_sql(
            "UPDATE assignment SET removed_at = ?, removed_by = ? WHERE shift_id = ? AND removed_at IS NULL",
            (utc_now(), actor, shift_id),
        ).rowcount


# -- facts for the rules ------------------------------------------------------------

_SHIFT = (
    "SELECT s.id, s.post_id, p.name, p.kind, g.root_id, s.starts_at, s.ends_at, s.needed, s.night,"
    " s.cancelled FROM shift s JOIN duty_post p ON p.id = s.post_id JOIN grid g ON g.id = p.grid_id"
)


def shift_facts(shift_id: int) -> ShiftFacts:
    row = db.execute_sql(_SHIFT + " WHERE s.id = ?", (shift_id,)).fetchone()
    if row is None:
        raise NotFound("roster.no_shift", shift=shift_id)
    # one starred tuple: mypy cannot count a starred row followed by more arguments
    return ShiftFacts(*(*row[:8], bool(row[8]), bool(row[9])))


def person_facts(staff_id: int) -> PersonFacts:
    row = db.execute_sql(
        "SELECT id, name, role, birth_year, root_id, team_id, last_negative_test, active"
        " FROM staff WHERE id = ?",
        (staff_id,),
    ).fetchone()
    if row is None:
        raise NotFound("roster.no_staff", staff=staff_id)
    return PersonFacts(*(*row[:7], bool(row[7])))  # one starred tuple, as above


def booked_near(staff_ids: list[int], start: int, end: int) -> dict[int, list[Booked]]:
    """Each person's live assignments within a week either side of [start, end)."""
    found: dict[int, list[Booked]] = {sid: [] for sid in staff_ids}
    for chunk in range(0, len(staff_ids), 900):
        ids = staff_ids[chunk : chunk + 900]
        rows = db.execute_sql(
            "SELECT a.staff_id, s.id, p.name, s.starts_at, s.ends_at, s.night FROM assignment a"
            " JOIN shift s ON s.id = a.shift_id AND s.cancelled = 0 JOIN duty_post p ON p.id = s.post_id"
            f" WHERE a.removed_at IS NULL AND a.{COUNTS} AND a.staff_id IN ({','.join('?' * len(ids))})"
            " AND s.ends_at > ? AND s.starts_at < ?",
            [*ids, start - WEEK, end + WEEK],
        ).fetchall()
        for staff_id, *rest in rows:
            found[staff_id].append(Booked(rest[0], rest[1], rest[2], rest[3], bool(rest[4])))
    return found


def filled_count(shift_id: int, excluding: int | None = None) -> int:
    return db.execute_sql(
        f"SELECT count(*) FROM assignment WHERE shift_id = ? AND removed_at IS NULL AND {COUNTS}"
        " AND staff_id IS NOT ?",
        (shift_id, excluding),
    ).fetchone()[0]


def check(
    duty: Duty, staff_id: int, shift_id: int, now: int | None = None
) -> tuple[list[Violation], list[Violation]]:
    """What the rules say about this assignment, without making it."""
    shift, person = shift_facts(shift_id), person_facts(staff_id)
    booked = booked_near([staff_id], shift.starts_at, shift.ends_at)[staff_id]
    return evaluate(person, shift, booked, filled_count(shift_id, staff_id), duty, now or epoch_now())


# -- assignments --------------------------------------------------------------------


def _insert(staff_id: int, shift_id: int, soft: list[Violation], override: str, actor: str) -> int:
    return db.execute_sql(
        "INSERT INTO assignment (shift_id, staff_id, override_reason, warnings, created_at, created_by)"
        " VALUES (?,?,?,?,?,?)",
        (shift_id, staff_id, override, ",".join(v.code for v in soft), utc_now(), actor),
    ).lastrowid


def _override(hard: list[Violation], soft: list[Violation], override: str | None) -> str:
    if hard:
        raise RosterRefused(hard, soft, overridable=False)
    if soft and not (override or "").strip():
        raise RosterRefused(hard, soft, overridable=True)
    return parse_reason(override, "override") if soft else ""


def assign(
    duty: Duty,
    staff_id: int,
    shift_id: int,
    *,
    actor: str,
    override: str | None = None,
    now: int | None = None,
) -> Assigned:
    """Put a person on a shift. Soft warnings need ``override``: the reason goes on record."""
    with db.atomic():
        hard, soft = check(duty, staff_id, shift_id, now)
        why = _override(hard, soft, override)
        return Assigned(_insert(staff_id, shift_id, soft, why, actor), tuple(soft))


def unassign(staff_id: int, shift_id: int, *, actor: str) -> None:
    """Take someone off a shift. Once they have checked in, the attendance is a record: it stays."""
    with db.atomic():
        state = db.execute_sql(
            "SELECT state FROM assignment WHERE staff_id = ? AND shift_id = ? AND removed_at IS NULL",
            (staff_id, shift_id),
        ).fetchone()
        if state and state[0] in ("present", "done"):
            raise RuleError("roster.attended")
        changed = db.execute_sql(
            "UPDATE assignment SET removed_at = ?, removed_by = ? WHERE staff_id = ?"
            " AND shift_id = ? AND removed_at IS NULL",
            (utc_now(), actor, staff_id, shift_id),
        ).rowcount
        if not changed:
            raise NotFound("roster.not_assigned", staff=staff_id, shift=shift_id)


def swap(
    duty: Duty,
    first_id: int,
    second_id: int,
    *,
    actor: str,
    override: str | None = None,
    now: int | None = None,
) -> None:
    """Two people exchange shifts; each is checked on the other's shift as if off their own."""
    with db.atomic():
        rows = db.execute_sql(
            "SELECT id, staff_id, shift_id FROM assignment WHERE id IN (?, ?) AND removed_at IS NULL",
            (first_id, second_id),
        ).fetchall()
        if len(rows) != 2:
            raise NotFound("roster.no_assignment")
        (_, staff_a, shift_a), (_, staff_b, shift_b) = rows
        if staff_a == staff_b or shift_a == shift_b:
            raise RuleError("roster.swap_same")
        moment = now or epoch_now()
        if min(shift_facts(shift_a).ends_at, shift_facts(shift_b).ends_at) <= moment:
            raise RuleError("roster.swap_over")  # a finished shift is a record of who stood there
        stamp = utc_now()
        db.execute_sql(
            "UPDATE assignment SET removed_at = ?, removed_by = ? WHERE id IN (?, ?)",
            (stamp, actor, first_id, second_id),
        )
        hard_a, soft_a = check(duty, staff_a, shift_b, now)
        hard_b, soft_b = check(duty, staff_b, shift_a, now)
        why = _override(hard_a + hard_b, soft_a + soft_b, override)
        _insert(staff_a, shift_b, soft_a, why, actor)
        _insert(staff_b, shift_a, soft_b, why, actor)


def copy_day(
    duty: Duty,
    source: date,
    days: int,
    *,
    actor: str,
    grid_root: int | None = None,
    override: str | None = None,
    now: int | None = None,
) -> CopyOutcome:
    """Repeat ``source``'s assignments on each of the next ``days`` days at the same posts and hours.

    Every copy passes the rules on its own; the ones that don't are listed, not forced.
    """
    start, end = day_slots(source, duty)[0][0], day_slots(source + timedelta(days=1), duty)[0][0]
    scope = "" if grid_root is None else " AND g.root_id = ?"
    with db.atomic():
        rows = db.execute_sql(
            "SELECT a.staff_id, st.name, s.post_id, p.name, s.starts_at, s.ends_at FROM assignment a"
            " JOIN shift s ON s.id = a.shift_id AND s.cancelled = 0 JOIN duty_post p ON p.id = s.post_id"
            " JOIN grid g ON g.id = p.grid_id JOIN staff st ON st.id = a.staff_id"
            f" WHERE a.removed_at IS NULL AND s.starts_at >= ? AND s.starts_at < ?{scope}"
            " ORDER BY s.starts_at, p.name",
            [start, end, *([grid_root] if grid_root else [])],
        ).fetchall()
        if not rows:
            return CopyOutcome(0, ())
        generate_shifts(duty, source + timedelta(days=1), days, sorted({r[2] for r in rows}))
        copied, refusals = 0, []
        for offset in range(1, days + 1):
            for staff_id, name, post_id, post_name, starts_at, _ends_at in rows:
                local = datetime.fromtimestamp(starts_at, duty.tz) + timedelta(days=offset)
                target = db.execute_sql(
                    "SELECT id FROM shift WHERE post_id = ? AND starts_at = ? AND cancelled = 0",
                    (post_id, int(local.timestamp())),
                ).fetchone()
                if target is None:
                    continue
                hard, soft = check(duty, staff_id, target[0], now)
                if hard or (soft and not override):
                    if not any(v.code == "already" for v in hard):
                        refusals.append((name, post_name, int(local.timestamp()), tuple(hard + soft)))
                    continue
                _insert(staff_id, target[0], soft, parse_reason(override, "override") if soft else "", actor)
                copied += 1
        return CopyOutcome(copied, tuple(refusals))


# -- attendance ---------------------------------------------------------------------


def _set_state(
    assignment_id: int, state: str, allowed_from: tuple[str, ...], column: str | None, at: int | None
) -> None:
    with db.atomic():
        row = db.execute_sql(
            "SELECT state FROM assignment WHERE id = ? AND removed_at IS NULL", (assignment_id,)
        ).fetchone()
        if row is None:
            raise NotFound("roster.no_assignment")
        if row[0] not in allowed_from:
            raise RuleError(f"roster.cannot_{state}", state=row[0])
        stamp = f", {column} = {int(at or epoch_now())}" if column else ""
        db.execute_sql(f"UPDATE assignment SET state = ?{stamp} WHERE id = ?", (state, assignment_id))


CHECK_IN_EARLY = 2 * 3600  # people arrive early; a day early is a mistake


def _within_shift(assignment_id: int, at: int, early: int, late: int | None = CHECK_IN_EARLY) -> None:
    row = db.execute_sql(
        "SELECT s.starts_at, s.ends_at FROM assignment a JOIN shift s ON s.id = a.shift_id WHERE a.id = ?",
        (assignment_id,),
    ).fetchone()
    if row and (at < row[0] - early or (late is not None and at > row[1] + late)):
        raise RuleError("roster.not_on_duty_time")


def check_in(assignment_id: int, at: int | None = None) -> None:
    at = at or epoch_now()
    _within_shift(assignment_id, at, CHECK_IN_EARLY)
    _set_state(assignment_id, "present", ("assigned", "no_show"), "checked_in_at", at)


def check_out(assignment_id: int, at: int | None = None) -> None:
    _set_state(assignment_id, "done", ("present",), "checked_out_at", at)


def mark_no_show(assignment_id: int, at: int | None = None) -> None:
    """Only once the shift has begun: before that the person may still come."""
    _within_shift(assignment_id, at or epoch_now(), 0, late=None)
    _set_state(assignment_id, "no_show", ("assigned",), None, None)
