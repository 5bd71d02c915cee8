"""One part of a roster plan as a CP-SAT model: who may fill which open place, at what cost.

Every hard rule of db/roster/rules.py is a constraint: a pair the rules refuse gets no
variable, and two overlapping shifts of one person exclude each other. Soft rules are costs
(or constraints, when the plan may break none): a warning against a kept assignment is the
pair's own cost, rest and 24-hour limits between two new shifts are pair costs, and the
weekly limit is a linear constraint with a violation flag. Fairness is a convex cost on each
person's nights and hours over the plan's rolling week.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from db.roster.availability import offers_shift
from db.roster.rules import DAY, HOUR, WEEK, Booked, PersonFacts, ShiftFacts, _overlap, evaluate
from db.roster.settings import Duty

UNFILLED = 10_000
# Tiring someone (rest, 24-hour and weekly limits) costs more than an open place, unless the operator
# asks to stretch people; a test lapsing before the shift, or a cross-grid place, costs less.
TIRING = ("rest_before", "rest_after", "hours_24h", "hours_week")
TIRING_COST, STRETCH_COST = 15_000, 3_000
SOFT_COST = {"test_lapses": 1_000, "outside_grid": 500}
REPEATED_NO_SHOW = 2 * UNFILLED  # people past the no-show limit: the plan leaves the place open (and says so)
AVAILABLE = 800  # a volunteer who offered this shift by sign-up chain is preferred
NIGHT_STEP = 40  # each night above 1, 2, 3 … costs again: nights spread before hours
NIGHT_STEPS = 5
HOUR_STEP = 2  # each hour above 16, 32, 48 … costs again
HOUR_STEPS = (16, 32, 48)
PER_PLACE = 12  # people offered per open place (least busy first): enough choice, a model that stays small
GAP_LIMIT = 0.002  # within 0.2 % of the best possible: less than one open place, far less than a broken rule


@dataclass
class Part:
    """The open places of one grid (or the leftovers), the people who may fill them, what they hold."""

    label: str
    shifts: list[ShiftFacts]
    open: dict[int, int]
    people: list[PersonFacts]
    booked: dict[int, list[Booked]]
    fair_span: tuple[int, int]
    avoid: frozenset[int] = frozenset()
    chosen: list[tuple[int, int]] = field(default_factory=list)
    optimal: bool = True
    considered: dict[int, int] = field(default_factory=dict)  # shift id → people the rules let stand there
    offers: dict[int, int] = field(default_factory=dict)  # person id → places offered to them
    solver_seconds: float = 0.0  # how long the solver itself took (the rest was building the model)
    solved: bool = True  # False: the time ran out before any plan for this part was found
    available: frozenset = frozenset()  # (staff id, day, slot hour, kind) volunteers offered by sign-up


def booked_of(shift: ShiftFacts) -> Booked:
    return Booked(shift.id, shift.post_name, shift.starts_at, shift.ends_at, shift.night)


class _StopWatch(cp_model.CpSolverSolutionCallback):
    """Ends the search at the next solution once the operator has asked to stop."""

    def __init__(self, stop: threading.Event) -> None:
        super().__init__()
        self._stop = stop

    def on_solution_callback(self) -> None:
        if self._stop.is_set():
            self.stop_search()


def soft_cost(code: str, stretch: bool) -> int:
    if code in TIRING:
        return STRETCH_COST if stretch else TIRING_COST
    return SOFT_COST.get(code, TIRING_COST)


def solve(
    part: Part,
    duty: Duty,
    now: int,
    *,
    allow_soft: bool,
    stretch: bool,
    seconds: float,
    workers: int,
    stop: threading.Event,
) -> None:
    """Fill ``part.chosen`` with (staff id, shift id) pairs; ``part.optimal`` says whether proven best."""
    model = cp_model.CpModel()
    costs: list = []
    pairs: dict[tuple[int, int], cp_model.IntVar] = {}
    by_person: dict[int, list[ShiftFacts]] = {}
    for shift in part.shifts:
        _offer(model, costs, pairs, by_person, part, shift, duty, now, allow_soft, stretch)
    if not pairs:
        part.chosen, part.optimal = [], True
        return
    for shift in part.shifts:
        taking = [pairs[(p.id, shift.id)] for p in part.people if (p.id, shift.id) in pairs]
        if len(taking) > part.open[shift.id]:
            model.add(cp_model.LinearExpr.sum(taking) <= part.open[shift.id])
    people = {p.id: p for p in part.people}
    for pid, shifts in by_person.items():
        shifts.sort(key=lambda s: s.starts_at)
        _between_shifts(
            model,
            costs,
            pairs,
            people[pid],
            shifts,
            part.booked.get(pid, []),
            duty,
            now,
            allow_soft and stretch,
            soft_cost("rest_before", stretch),
        )
        _fairness(model, costs, pairs, pid, shifts, part.booked.get(pid, []), part.fair_span)
    # Costs are (variable, weight) pairs summed once: Python's sum() of expressions made model
    # building, not solving, the slow part of a county week.
    model.minimize(cp_model.LinearExpr.weighted_sum([v for v, _ in costs], [w for _, w in costs]))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, seconds)
    solver.parameters.num_workers = workers
    solver.parameters.relative_gap_limit = GAP_LIMIT
    began = time.monotonic()
    status = solver.solve(model, _StopWatch(stop))
    part.solver_seconds = time.monotonic() - began
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        part.chosen, part.optimal = [], False
        part.solved = status == cp_model.INFEASIBLE  # no plan at all for lack of time: its places say so
        return
    part.optimal = status == cp_model.OPTIMAL
    part.chosen = [key for key, x in pairs.items() if solver.boolean_value(x)]


def _offer(
    model,
    costs,
    pairs,
    by_person,
    part: Part,
    shift: ShiftFacts,
    duty: Duty,
    now: int,
    allow_soft: bool,
    stretch: bool,
) -> None:
    """The people the rules let stand on ``shift``, least busy first, at most a few per open place."""
    allowed = duty.rules.post_roles.get(shift.kind, ())
    limit = max(PER_PLACE, PER_PLACE * part.open[shift.id])
    offered = 0
    # Those offered least so far come first (then the order of part.people: least busy first), so
    # each place gets different people rather than the same dozen everywhere.
    offered_here = {
        p.id
        for p in part.people
        if part.available and offers_shift(part.available, p.id, shift.starts_at, shift.kind, duty)
    }
    order = sorted(
        range(len(part.people)),
        key=lambda i: (part.people[i].id not in offered_here, part.offers.get(part.people[i].id, 0), i),
    )
    for person in (part.people[i] for i in order):
        if person.role not in allowed:
            continue
        near = [
            b
            for b in part.booked.get(person.id, ())
            if b.ends_at > shift.starts_at - WEEK and b.starts_at < shift.ends_at + WEEK
        ]
        hard, soft = evaluate(person, shift, near, 0, duty, now)
        if hard or (soft and not allow_soft):
            continue
        x = pairs[(person.id, shift.id)] = model.new_bool_var("")
        by_person.setdefault(person.id, []).append(shift)
        part.considered[shift.id] = part.considered.get(shift.id, 0) + 1
        cost = sum(soft_cost(v.code, stretch) for v in soft) - UNFILLED
        cost += REPEATED_NO_SHOW if person.id in part.avoid else 0
        costs.append((x, cost - (AVAILABLE if person.id in offered_here else 0)))
        offered += 1
        part.offers[person.id] = part.offers.get(person.id, 0) + 1
        if offered >= limit:
            return


def _between_shifts(
    model,
    costs,
    pairs,
    person: PersonFacts,
    shifts: list[ShiftFacts],
    mine: list[Booked],
    duty: Duty,
    now: int,
    allow_soft: bool,
    cost: int,
) -> None:
    """Two new shifts of one person: overlapping ones exclude each other; too close ones cost (or exclude).

    Closeness is judged by the rules' own measures, pair by pair (rest after the first, hours in the
    busiest 24 hours holding both); what three shifts together break is caught when the plan is checked.
    """
    rules = duty.rules
    for i, first in enumerate(shifts):
        x = pairs[(person.id, first.id)]
        rest = (rules.min_rest_after_night_hours if first.night else rules.min_rest_hours) * HOUR
        for second in shifts[i + 1 :]:
            if second.starts_at >= first.ends_at + DAY:
                break
            y = pairs[(person.id, second.id)]
            gap = second.starts_at - first.ends_at
            if gap < 0:
                model.add_bool_or([x.Not(), y.Not()])
                continue
            both_hours = min(first.ends_at - first.starts_at + second.ends_at - second.starts_at, DAY - gap)
            if gap >= rest and both_hours <= rules.max_hours_per_24h * HOUR:
                continue
            if not allow_soft:
                model.add_bool_or([x.Not(), y.Not()])
                continue
            both = model.new_bool_var("")
            model.add_bool_or([x.Not(), y.Not(), both])
            costs.append((both, cost))
    _weekly_hours(model, costs, pairs, person.id, shifts, mine, duty, allow_soft, cost)


def _weekly_hours(
    model,
    costs,
    pairs,
    pid: int,
    shifts: list[ShiftFacts],
    mine: list[Booked],
    duty: Duty,
    allow_soft: bool,
    cost: int,
) -> None:
    limit = duty.rules.max_hours_per_week * HOUR
    if sum(b.ends_at - b.starts_at for b in mine) + sum(s.ends_at - s.starts_at for s in shifts) <= limit:
        return  # even all of it together stays within the weekly limit
    for window in sorted({s.starts_at for s in shifts} | {s.ends_at - WEEK for s in shifts}):
        kept = sum(_overlap(window, window + WEEK, b.starts_at, b.ends_at) for b in mine)
        terms = [
            (_overlap(window, window + WEEK, s.starts_at, s.ends_at) // 60, pairs[(pid, s.id)])
            for s in shifts
        ]
        terms = [(minutes, x) for minutes, x in terms if minutes]
        if kept + sum(m for m, _ in terms) * 60 <= limit:
            continue
        room = (limit - kept) // 60
        minutes, chosen = [m for m, _ in terms], [x for _, x in terms]
        if not allow_soft:
            model.add(cp_model.LinearExpr.weighted_sum(chosen, minutes) <= max(0, room))
            continue
        over = model.new_bool_var("")
        model.add(
            cp_model.LinearExpr.weighted_sum([*chosen, over], [*minutes, -sum(minutes)]) <= max(0, room)
        )
        costs.append((over, cost))


def _fairness(
    model, costs, pairs, pid: int, shifts: list[ShiftFacts], mine: list[Booked], span: tuple[int, int]
) -> None:
    """Convex costs on nights and hours held in the plan's span: the busiest pay most for one more."""
    held = [b for b in mine if b.ends_at > span[0] and b.starts_at < span[1]]
    nights = sum(b.night for b in held) + cp_model.LinearExpr.sum(
        [pairs[(pid, s.id)] for s in shifts if s.night]
    )
    hours = sum(
        _overlap(span[0], span[1], b.starts_at, b.ends_at) for b in held
    ) // HOUR + cp_model.LinearExpr.weighted_sum(
        [pairs[(pid, s.id)] for s in shifts], [(s.ends_at - s.starts_at) // HOUR for s in shifts]
    )
    if any(s.night for s in shifts):
        for step in range(1, NIGHT_STEPS + 1):
            excess = model.new_int_var(0, 100, "")
            model.add(excess >= nights - step)
            costs.append((excess, NIGHT_STEP))
    for step in HOUR_STEPS:
        excess = model.new_int_var(0, 1000, "")
        model.add(excess >= hours - step)
        costs.append((excess, HOUR_STEP))
