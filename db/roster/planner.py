"""Plan the gaps: fill a window's open places fairly with a constraint solver, then apply the plan.

The problem is split by grid, which is sound because a person stands outside their own grid only
with a warning: each grid's open places are planned with its own people and the reinforcement
teams (whose new shifts are carried into the grids planned after), and what is left open is then
offered to everyone else, at the cost of the cross-grid warning. Existing assignments are kept.

``plan`` only reads. ``apply`` writes the plan through ``writes.assign``, so each assignment is
checked by the rules again, all in one transaction: all of it or none.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from db.models import database_proxy as db
from db.roster import writes
from db.roster.availability import offered
from db.roster.open_places import LocalPeople, OpenPlace, open_place, people_of
from db.roster.plan_model import Part, booked_of, solve
from db.roster.queries import coverage, repeated_no_shows
from db.roster.rules import DAY, PersonFacts, ShiftFacts, Violation, evaluate
from db.roster.settings import Duty

WORK_SHARE = 0.9  # of the time allowed, for the parts; the rest for judging and explaining the result
OUTSIDERS_PER_PLACE = 30  # the least busy people from other grids offered for each place left open


@dataclass(frozen=True)
class PlannedAssignment:
    staff_id: int
    name: str
    staff_grid: str
    shift_id: int
    post: str
    grid: str
    starts_at: int
    ends_at: int
    night: bool
    warnings: tuple[
        Violation, ...
    ]  # the soft rules this assignment breaks: listed, and overridden with a reason


@dataclass(frozen=True)
class Fairness:
    people: int
    nights_min: int
    nights_max: int
    hours_min: float
    hours_max: float

    @property
    def nights_spread(self) -> int:
        return self.nights_max - self.nights_min


@dataclass(frozen=True)
class Plan:
    start: int
    end: int
    assignments: tuple[PlannedAssignment, ...]
    open_places: tuple[OpenPlace, ...]
    fairness: Fairness
    complete: bool  # every part solved to proven optimum (False: the best plan found in the time allowed)
    stopped: bool  # the operator stopped it: the grids not reached keep their gaps
    avoided: tuple[tuple[int, str, int], ...]  # (staff id, name, no-shows): past the no-show limit
    seconds: float

    @property
    def soft_broken(self) -> int:
        return sum(len(a.warnings) for a in self.assignments)


Progress = Callable[[int, int], None]


@dataclass
class Problem:
    """What the plan needs from the database, read at once; solving it needs no database."""

    start: int
    end: int
    now: int
    shifts: dict[int, ShiftFacts]
    open_count: dict[int, int]
    grid_of: dict[int, str]
    people: dict[int, PersonFacts]
    home: dict[int, str]
    booked: dict
    avoid: dict[int, int]
    available: frozenset = frozenset()


def gather(duty: Duty, first_day: date, days: int, now: int, grid_code: str | None = None) -> Problem:
    """Read the open places of ``days`` days from ``first_day`` and the people who might fill them."""
    from db.errors import RuleError

    if not 1 <= days <= 31:
        raise RuleError("roster_plan.days_range", days=days)
    start = writes.day_slots(first_day, duty)[0][0]
    end = writes.day_slots(first_day + timedelta(days=days), duty)[0][0]
    rows = [r for r in coverage(start, end, grid_code) if r.gap and r.starts_at >= start and r.ends_at > now]
    people, home = people_of(duty)
    return Problem(
        start,
        end,
        now,
        _shift_facts([r.shift_id for r in rows]),
        {r.shift_id: r.gap for r in rows},
        {r.shift_id: r.grid for r in rows},
        people,
        home,
        writes.booked_near(list(people), start, end) if people else {},
        repeated_no_shows(duty, now),
        frozenset(offered(duty, first_day - timedelta(days=1), first_day + timedelta(days=days))),
    )


def plan(
    duty: Duty, first_day: date, days: int, now: int, *, grid_code: str | None = None, **options
) -> Plan:
    """The best plan found for the open places of ``days`` days from ``first_day`` (see ``solve_problem``)."""
    return solve_problem(gather(duty, first_day, days, now, grid_code), duty, **options)


def solve_problem(
    problem: Problem,
    duty: Duty,
    *,
    allow_soft: bool = True,
    stretch: bool = False,
    seconds: float = 60.0,
    workers: int = 2,
    stop: threading.Event | None = None,
    progress: Progress | None = None,
) -> Plan:
    """Plan each grid, then the leftovers, within ``seconds``; ``stop`` ends it early, keeping what is done.

    ``allow_soft`` False: no assignment may break a soft rule. ``stretch``: tiring someone (rest and
    hour limits) costs less than an open place, so the plan fills more by breaking them (each listed).
    """
    began, stop = time.monotonic(), stop or threading.Event()
    start, end, now = problem.start, problem.end, problem.now
    shifts, grid_of, people, home = problem.shifts, problem.grid_of, problem.people, problem.home
    open_count = dict(problem.open_count)
    booked = {pid: list(held) for pid, held in problem.booked.items()}
    avoid = problem.avoid
    fair_span = (
        min(start, end - 7 * DAY),
        end,
    )  # the rolling week that ends with the plan, or the whole plan
    roots = sorted({s.root_id for s in shifts.values()})
    by_root: dict[int, list[PersonFacts]] = {}
    for person in people.values():
        by_root.setdefault(person.root_id, []).append(person)
    teams = [p for p in people.values() if p.team_id is not None]
    places: dict[int, list[ShiftFacts]] = {}
    for shift in shifts.values():
        places.setdefault(shift.root_id, []).append(shift)
    rounds = (False, True) if stretch else (False,)  # tire people only for places nobody rested can take
    parts_total, stopped, optimal = (len(roots) + 1) * len(rounds), False, True
    chosen: list[tuple[int, int]] = []
    considered: Counter = Counter()
    reached: set[int] = set()
    done, spent = 0, [0.0, 0.0]  # the solver's seconds, the parts solved (see _solve)

    def solve(part: Part) -> None:  # one part, with the time and the parts still to come as they are now
        _solve(
            part, duty, now, allow_soft, tiring, workers, limit, began, parts_total - done + 1, stop, spent
        )

    for tiring in rounds:
        # A tenth kept for what follows the parts: each assignment judged again, the open places' reasons.
        limit = seconds * WORK_SHARE * (0.5 if stretch and not tiring else 1.0)
        for root in roots:
            done += 1
            if stop.is_set() or time.monotonic() - began > limit:
                optimal = False
                break
            reached.add(root)
            # Grouped once above: 200 grids each sifting 20,000 people was seconds of a county week.
            crew = {p.id: p for p in by_root.get(root, [])} | {p.id: p for p in teams}
            part = Part(
                f"grid {root}",
                [s for s in places[root] if open_count[s.id]],
                {},
                _least_busy(list(crew.values()), booked, avoid),
                booked,
                fair_span,
                frozenset(avoid),
                available=problem.available,
            )
            part.open = {s.id: open_count[s.id] for s in part.shifts}
            if part.shifts:
                solve(part)
                optimal &= part.optimal
                if not part.solved:
                    reached.discard(root)  # its places are open for want of time, not of people
                _take(part, shifts, open_count, booked, chosen, considered)
            if progress:
                progress(done, parts_total)
        done += 1
        if allow_soft and not stop.is_set() and any(open_count.values()) and time.monotonic() - began < limit:
            left = [s for s in shifts.values() if open_count[s.id]]
            part = Part(
                "others",
                left,
                {s.id: open_count[s.id] for s in left},
                _outsiders(left, people, booked, duty, now),
                booked,
                fair_span,
                frozenset(avoid),
                available=problem.available,
            )
            solve(part)
            optimal &= part.optimal
            _take(part, shifts, open_count, booked, chosen, considered)
    stopped = stopped or stop.is_set()
    if progress:
        progress(parts_total, parts_total)
    planned = tuple(_planned(chosen, shifts, people, home, grid_of, booked, duty, now))
    local_people = LocalPeople(people, duty)
    open_places = tuple(
        open_place(
            shifts[sid],
            grid_of[sid],
            n,
            considered[sid],
            local_people,
            booked,
            duty,
            now,
            None if shifts[sid].root_id in reached else "stopped" if stopped else "timeout",
        )
        for sid, n in sorted(open_count.items(), key=lambda kv: (shifts[kv[0]].starts_at, kv[0]))
        if n
    )
    return Plan(
        start,
        end,
        planned,
        open_places,
        fairness(list(people), booked, fair_span),
        optimal and not stopped,
        stopped,
        tuple((pid, people[pid].name if pid in people else "", n) for pid, n in sorted(avoid.items())),
        time.monotonic() - began,
    )


def _solve(
    part: Part,
    duty: Duty,
    now: int,
    allow_soft: bool,
    stretch: bool,
    workers: int,
    seconds: float,
    began: float,
    parts_left: int,
    stop: threading.Event,
    spent: list[float],
) -> None:
    """Solve one part in its share of the time left, less what building each model is taking.

    ``spent`` holds the solver's seconds and the parts solved so far. Without setting aside the
    building time of the parts still to come, the first grids of a county took all the time and the
    last were never reached; a share that is short still gives each its best plan found so far.
    """
    elapsed = time.monotonic() - began
    building = (elapsed - spent[0]) / spent[1] if spent[1] else 0.0
    left = max(1, parts_left)
    budget = max(0.1, (seconds - elapsed - building * left) / left)
    solve(part, duty, now, allow_soft=allow_soft, stretch=stretch, seconds=budget, workers=workers, stop=stop)
    spent[0] += part.solver_seconds
    spent[1] += 1


def _take(part: Part, shifts, open_count, booked, chosen, considered) -> None:
    for staff_id, shift_id in part.chosen:
        open_count[shift_id] -= 1
        booked.setdefault(staff_id, []).append(booked_of(shifts[shift_id]))
        chosen.append((staff_id, shift_id))
    considered.update(part.considered)


def _least_busy(people: list[PersonFacts], booked, avoid) -> list[PersonFacts]:
    """Own grid before the teams, those past the no-show limit last, the least hours held first."""
    return sorted(
        people,
        key=lambda p: (
            p.id in avoid,
            p.team_id is not None,
            sum(b.ends_at - b.starts_at for b in booked.get(p.id, ())),
            p.id,
        ),
    )


def _shift_facts(ids: list[int]) -> dict[int, ShiftFacts]:
    found = {}
    for chunk in range(0, len(ids), 900):
        part = ids[chunk : chunk + 900]
        for row in db.execute_sql(
            "SELECT s.id, s.post_id, p.name, p.kind, g.root_id, s.starts_at, s.ends_at, s.needed, s.night,"
            " s.cancelled FROM shift s JOIN duty_post p ON p.id = s.post_id JOIN grid g ON g.id = p.grid_id"
            f" WHERE s.id IN ({','.join('?' * len(part))})",
            part,
        ).fetchall():
            # one starred tuple: mypy cannot count a starred row followed by more arguments
            found[row[0]] = ShiftFacts(*(*row[:8], bool(row[8]), bool(row[9])))
    return found


def _outsiders(
    left: list[ShiftFacts], people: dict[int, PersonFacts], booked, duty: Duty, now: int
) -> list[PersonFacts]:
    """For the places a grid could not fill: the least busy people of other grids the rules allow there."""

    def load(pid: int) -> int:
        return sum(b.ends_at - b.starts_at for b in booked.get(pid, []))

    others = sorted((p for p in people.values() if p.team_id is None), key=lambda p: (load(p.id), p.id))
    chosen: dict[int, PersonFacts] = {}
    for shift in left:
        found = 0
        for person in others:
            if person.root_id == shift.root_id:
                continue
            if not evaluate(person, shift, booked.get(person.id, []), 0, duty, now)[0]:
                chosen[person.id] = person
                found += 1
                if found >= OUTSIDERS_PER_PLACE:
                    break
    return list(chosen.values())


def _planned(chosen, shifts, people, home, grid_of, booked, duty: Duty, now: int):
    """Each planned assignment with the soft rules it breaks, judged against everything else held."""
    for staff_id, shift_id in sorted(chosen, key=lambda c: (shifts[c[1]].starts_at, c[1], c[0])):
        shift = shifts[shift_id]
        others = [b for b in booked.get(staff_id, []) if b.shift_id != shift_id]
        soft = evaluate(people[staff_id], shift, others, 0, duty, now)[1]
        yield PlannedAssignment(
            staff_id,
            people[staff_id].name,
            home[staff_id],
            shift_id,
            shift.post_name,
            grid_of[shift_id],
            shift.starts_at,
            shift.ends_at,
            shift.night,
            tuple(soft),
        )


def fairness(people: list[int], booked, span: tuple[int, int]) -> Fairness:
    """Nights and hours each person holds in ``span``, over the people who hold any shift there."""
    nights, hours = [], []
    for pid in people:
        held = [b for b in booked.get(pid, []) if b.ends_at > span[0] and b.starts_at < span[1]]
        if held:
            nights.append(sum(b.night for b in held))
            hours.append(sum(min(b.ends_at, span[1]) - max(b.starts_at, span[0]) for b in held) / 3600)
    if not nights:
        return Fairness(0, 0, 0, 0.0, 0.0)
    return Fairness(len(nights), min(nights), max(nights), min(hours), max(hours))


def apply(duty: Duty, result: Plan, *, actor: str, reason: str, now: int | None = None) -> int:
    """Write every planned assignment through ``writes.assign`` in one transaction; returns how many.

    Each is checked by the rules again; a soft rule it breaks is overridden with ``reason``, which
    goes on record with it. If any is refused (the roster changed since the plan), nothing is written.
    """
    with db.atomic():
        for item in result.assignments:
            writes.assign(duty, item.staff_id, item.shift_id, actor=actor, override=reason, now=now)
    return len(result.assignments)
