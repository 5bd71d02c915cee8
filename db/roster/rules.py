"""The roster's rules, as one pure function over plain data.

Hard rules refuse an assignment; soft rules warn and need a recorded reason to
override. Times are UTC epoch seconds; local hours come from the post's zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from db.roster.settings import Duty

HOUR = 3600
DAY = 24 * HOUR
WEEK = 7 * DAY


@dataclass(frozen=True)
class ShiftFacts:
    id: int
    post_id: int
    post_name: str
    kind: str
    root_id: int
    starts_at: int
    ends_at: int
    needed: int
    night: bool
    cancelled: bool


@dataclass(frozen=True)
class PersonFacts:
    id: int
    name: str
    role: str
    birth_year: int | None
    root_id: int
    team_id: int | None
    last_negative_test: str | None
    active: bool


@dataclass(frozen=True)
class Booked:
    """Another shift the person already holds."""

    shift_id: int
    post_name: str
    starts_at: int
    ends_at: int
    night: bool


@dataclass(frozen=True)
class Violation:
    code: str  # catalogue key roster.rule.<code>
    params: dict = field(default_factory=dict)


def is_night(starts_at: int, ends_at: int, duty: Duty) -> bool:
    """Whether any hour of the shift falls in the configured night window."""
    start, end = duty.rules.night_start, duty.rules.night_end
    for moment in range(starts_at, ends_at, HOUR):
        hour = datetime.fromtimestamp(moment, duty.tz).hour
        if (start <= hour or hour < end) if start > end else (start <= hour < end):
            return True
    return False


def negative_test_taken_at(last_negative_test: str, duty: Duty) -> int:
    """A test dated D counts from the start of D at the post: the strict reading of a date."""
    return _day_start(last_negative_test, duty.tz)


@lru_cache(maxsize=4096)
def _day_start(day_text: str, tz) -> int:
    # Cached: a roster plan asks this for the same few dates hundreds of thousands of times.
    day = date.fromisoformat(day_text)
    return int(datetime(day.year, day.month, day.day, tzinfo=tz).timestamp())


@lru_cache(maxsize=4096)
def _local_year(moment: int, tz) -> int:
    return datetime.fromtimestamp(moment, tz).year


def negative_test_valid_at(last_negative_test: str | None, moment: int, duty: Duty) -> bool:
    if not last_negative_test:
        return False
    return moment - negative_test_taken_at(last_negative_test, duty) <= duty.rules.test_valid_hours * HOUR


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def busiest_window(shift: ShiftFacts, booked: list[Booked], span: int) -> int:
    """The most seconds on duty in any window of ``span`` seconds that touches the new shift."""
    spans = [(b.starts_at, b.ends_at) for b in booked] + [(shift.starts_at, shift.ends_at)]
    starts = {s for s, _ in spans} | {e - span for _, e in spans}
    best = 0
    for window in starts:
        if _overlap(window, window + span, shift.starts_at, shift.ends_at) == 0:
            continue
        best = max(best, sum(_overlap(window, window + span, s, e) for s, e in spans))
    return best


def _busiest_over(shift: ShiftFacts, booked: list[Booked], span: int, limit_hours: float) -> int:
    """``busiest_window``, or 0 when even all the time on duty near the shift is within the limit.

    No window of ``span`` touching the shift holds more than everything within ``span`` either side of
    it, so then no window need be measured: most people a roster plan considers are far from any limit,
    and measuring every window for each of them was most of the plan's time.
    """
    low, high = shift.starts_at - span, shift.ends_at + span
    near = shift.ends_at - shift.starts_at + sum(_overlap(low, high, b.starts_at, b.ends_at) for b in booked)
    return busiest_window(shift, booked, span) if near > limit_hours * HOUR else 0


def evaluate(
    person: PersonFacts, shift: ShiftFacts, booked: list[Booked], filled: int, duty: Duty, now: int
) -> tuple[list[Violation], list[Violation]]:
    """(hard, soft) violations of assigning ``person`` to ``shift``.

    ``booked`` holds the person's other live assignments near the shift, and
    ``filled`` the places already taken on the shift by other people.
    """
    rules = duty.rules
    hard: list[Violation] = []
    soft: list[Violation] = []
    if shift.cancelled:
        hard.append(Violation("cancelled"))
    if not person.active:
        hard.append(Violation("inactive"))
    if any(b.shift_id == shift.id for b in booked):
        hard.append(Violation("already"))
    elif filled >= shift.needed:
        hard.append(Violation("full", {"needed": shift.needed}))
    for other in booked:
        if other.shift_id != shift.id and _overlap(
            other.starts_at, other.ends_at, shift.starts_at, shift.ends_at
        ):
            hard.append(
                Violation(
                    "overlap", {"post": other.post_name, "start": other.starts_at, "end": other.ends_at}
                )
            )
    year = _local_year(shift.starts_at, duty.tz)
    if person.birth_year is None:
        hard.append(Violation("age_unknown"))
    elif not rules.duty_age_min <= year - person.birth_year <= rules.duty_age_max:
        hard.append(
            Violation(
                "age",
                {"age": year - person.birth_year, "low": rules.duty_age_min, "high": rules.duty_age_max},
            )
        )
    # A shift days ahead is judged on today's test (people are retested before it),
    # with a warning when that test will have lapsed by the time the shift starts.
    reference = min(shift.starts_at, now)
    if not negative_test_valid_at(person.last_negative_test, reference, duty):
        hard.append(
            Violation("test", {"hours": rules.test_valid_hours, "date": person.last_negative_test or "—"})
        )
    elif not negative_test_valid_at(person.last_negative_test, shift.starts_at, duty):
        soft.append(Violation("test_lapses", {"date": person.last_negative_test}))
    if person.role not in rules.post_roles.get(shift.kind, ()):
        hard.append(Violation("role", {"role": person.role, "kind": shift.kind}))
    soft += _rest_and_hours(shift, [b for b in booked if b.shift_id != shift.id], duty)
    if person.root_id != shift.root_id and person.team_id is None:
        soft.append(Violation("outside_grid"))
    return hard, soft


def _rest_and_hours(shift: ShiftFacts, booked: list[Booked], duty: Duty) -> list[Violation]:
    rules = duty.rules
    soft = []
    before = [b for b in booked if b.ends_at <= shift.starts_at]
    after = [b for b in booked if b.starts_at >= shift.ends_at]
    if before:
        last = max(before, key=lambda b: b.ends_at)
        need = rules.min_rest_after_night_hours if last.night else rules.min_rest_hours
        gap = (shift.starts_at - last.ends_at) / HOUR
        if gap < need:
            soft.append(
                Violation("rest_before", {"gap": round(gap, 1), "need": need, "post": last.post_name})
            )
    if after:
        following = min(after, key=lambda b: b.starts_at)
        need = rules.min_rest_after_night_hours if shift.night else rules.min_rest_hours
        gap = (following.starts_at - shift.ends_at) / HOUR
        if gap < need:
            soft.append(
                Violation("rest_after", {"gap": round(gap, 1), "need": need, "post": following.post_name})
            )
    day_hours = _busiest_over(shift, booked, DAY, rules.max_hours_per_24h) / HOUR
    if day_hours > rules.max_hours_per_24h:
        soft.append(Violation("hours_24h", {"hours": round(day_hours, 1), "max": rules.max_hours_per_24h}))
    week_hours = _busiest_over(shift, booked, WEEK, rules.max_hours_per_week) / HOUR
    if week_hours > rules.max_hours_per_week:
        soft.append(Violation("hours_week", {"hours": round(week_hours, 1), "max": rules.max_hours_per_week}))
    return soft


def local_day_bounds(day: date, duty: Duty) -> tuple[int, int]:
    start = datetime(day.year, day.month, day.day, tzinfo=duty.tz)
    end = start + timedelta(days=1)
    return int(start.timestamp()), int(end.replace(tzinfo=duty.tz).timestamp())
