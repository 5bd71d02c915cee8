"""A reviewed sign-up chain accepted: each offer recorded as availability, or put straight on a shift.

An offer names a person, a day, a shift hour and perhaps a kind of post or a post. For a direct
assignment it must point at one shift: the post the line names, or else the only post of its kind in
the person's own grid with a place open then. Several such posts is a question for the operator
(the line should name one), never a guess. ``place`` reads what each offer would become; ``accept``
writes every line the operator chose, each assignment through ``writes.assign`` and its rules, all in
one transaction: one refusal and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from db.errors import RuleError
from db.models import database_proxy as db
from db.roster import writes
from db.roster.availability import record_offers
from db.roster.rules import Violation
from db.roster.settings import Duty


@dataclass(frozen=True)
class Placement:
    """What one offer would become as a direct assignment."""

    line: int
    staff_id: int
    name: str
    shift_id: int | None
    post: str
    grid: str
    starts_at: int
    problem: str  # '' or catalogue key signup.place.<code>: no_shift, full, which_post
    choices: tuple[str, ...]  # which_post: the posts it could be
    hard: tuple[Violation, ...]  # the rules that refuse it
    soft: tuple[Violation, ...]  # the warnings it would be recorded with

    @property
    def refused(self) -> bool:
        return bool(self.problem or self.hard)


class SignupRefused(RuleError):
    """Some lines could not be assigned; nothing was written. ``refusals``: the placements, with why."""

    def __init__(self, refusals: list[Placement]) -> None:
        super().__init__(
            "signup.refused", count=len(refusals), lines=", ".join(str(p.line) for p in refusals)
        )
        self.refusals = refusals


def _starts_at(offer, duty: Duty) -> int:
    day = offer.day
    return int(datetime(day.year, day.month, day.day, offer.slot_hour, tzinfo=duty.tz).timestamp())


def _shifts_then(offer, duty: Duty) -> list[tuple]:
    """(shift id, post name, grid code, grid root, places open) of the shifts the offer could mean."""
    sql = (
        "SELECT s.id, p.name, g.code, g.root_id, s.needed - (SELECT count(*) FROM assignment a"
        f" WHERE a.shift_id = s.id AND a.removed_at IS NULL AND a.{writes.COUNTS})"
        " FROM shift s JOIN duty_post p ON p.id = s.post_id JOIN grid g ON g.id = p.grid_id"
        " WHERE s.starts_at = ? AND s.cancelled = 0"
    )
    params: list = [_starts_at(offer, duty)]
    if offer.post:
        sql, params = sql + " AND p.name = ?", [*params, offer.post]
    elif offer.kind:
        sql, params = sql + " AND p.kind = ?", [*params, offer.kind]
    return db.execute_sql(sql + " ORDER BY s.id", params).fetchall()


def place_one(offer, duty: Duty, now: int) -> Placement:
    starts_at = _starts_at(offer, duty)
    found = _shifts_then(offer, duty)
    if not offer.post:
        home = writes.person_facts(offer.staff_id).root_id
        found = [row for row in found if row[3] == home]
    open_rows = [row for row in found if row[4] > 0]

    def answer(row=None, problem="", choices=()) -> Placement:
        if row is None:
            return Placement(
                offer.line,
                offer.staff_id,
                offer.name,
                None,
                "",
                "",
                starts_at,
                problem,
                tuple(choices),
                (),
                (),
            )
        hard, soft = writes.check(duty, offer.staff_id, row[0], now)
        return Placement(
            offer.line,
            offer.staff_id,
            offer.name,
            row[0],
            row[1],
            row[2],
            starts_at,
            problem,
            (),
            tuple(hard),
            tuple(soft),
        )

    if len(open_rows) == 1:
        return answer(open_rows[0])
    if len(open_rows) > 1:
        return answer(problem="which_post", choices=[row[1] for row in open_rows])
    if len(found) == 1:
        return answer(found[0])  # a full shift: the rules say so (shift_full), with the post named
    return answer(problem="full" if found else "no_shift")


def place(offers, duty: Duty, now: int) -> list[Placement]:
    """What each offer would become as a direct assignment (a read: nothing is written)."""
    return [place_one(offer, duty, now) for offer in offers]


def accept(
    duty: Duty, offers, problems, assign_lines, *, actor: str, reason: str, now: int | None = None
) -> tuple[int, int]:
    """Record the offers as availability, and put those on ``assign_lines`` straight on their shifts.

    Refused, writing nothing, while any line of the chain has a problem. Each assignment goes through
    ``writes.assign`` (a warning is overridden with ``reason``, on record); if any is refused, nothing at
    all is written and ``SignupRefused`` lists every refused line. Returns (offers recorded, assigned).
    """
    if problems:
        raise RuleError("signup.has_problems", count=len(problems))
    assign_lines = set(assign_lines)
    moment = now or writes.epoch_now()
    refused: list[Placement] = []
    assigned = 0
    with db.atomic():
        recorded = record_offers([o for o in offers if o.line not in assign_lines], [], actor=actor)
        for offer in (o for o in offers if o.line in assign_lines):
            placed = place_one(offer, duty, moment)  # again, inside the transaction: what is true now
            if placed.refused or placed.shift_id is None:
                refused.append(placed)
                continue
            try:
                writes.assign(duty, offer.staff_id, placed.shift_id, actor=actor, override=reason, now=moment)
                assigned += 1
            except writes.RosterRefused as error:  # e.g. two lines of the chain for the last place
                refused.append(replace(placed, hard=tuple(error.hard) or tuple(error.soft)))
        if refused:
            raise SignupRefused(refused)  # leaving the block by it undoes every write above
    return recorded, assigned
