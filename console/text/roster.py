"""Turning roster rule results and times into the operator's words."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from console.i18n import role_label, t
from db.roster.rules import Violation

if TYPE_CHECKING:  # the planner imports OR-Tools: only for the types
    from db.roster.planner import Plan


def clock(epoch: int, tz: ZoneInfo, with_date: bool = False) -> str:
    return datetime.fromtimestamp(epoch, tz).strftime("%m-%d %H:%M" if with_date else "%H:%M")


def violation_text(violation: Violation, tz: ZoneInfo) -> str:
    params = dict(violation.params)
    for name in ("start", "end"):
        if name in params:
            params[name] = clock(params[name], tz, with_date=name == "start")
    if "role" in params:
        params["role"] = role_label(params["role"])
    if "kind" in params:
        params["kind"] = t(f"post_kind.{params['kind']}")
    return t(f"roster.rule.{violation.code}", **params)


def open_reason_text(reason: Violation, board: bool = False) -> str:
    """Why a place a roster plan left open stays open (db/roster/planner.py, roster_plan.open.*).

    ``board``: said on the coverage board, where people who could stand there with warnings are
    offered by the shift panel rather than refused by a plan's settings."""
    params = dict(reason.params)
    if "rule" in params:
        params["rule"] = t(f"roster_plan.rule.{params['rule']}")
    if board and reason.code == "would_warn":
        return t("roster_plan.open.board_would_warn", **params)
    return t(f"roster_plan.open.{reason.code}", **params)


FIRST_YEAR, LAST_YEAR = 1970, 2999


def parse_local_time(text: str, tz: ZoneInfo) -> int:
    """'2022-04-12 08:00' (or with a T, or seconds) at the post, as epoch seconds; ValueError otherwise."""
    cleaned = text.strip().replace("T", " ").replace("/", "-")
    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            moment = datetime.strptime(cleaned, pattern)
        except ValueError:
            continue
        # A year far from now is a typo; near datetime's ends, "the next day" would overflow.
        if not FIRST_YEAR <= moment.year <= LAST_YEAR:
            break
        return int(moment.replace(tzinfo=tz).timestamp())
    raise ValueError(text)


def placement_lines(placement, tz: ZoneInfo) -> list[str]:
    """A sign-up line as a direct assignment (db/roster/signups.py): where it goes, or why it cannot."""
    head = {
        "line": placement.line,
        "name": placement.name,
        "staff": placement.staff_id,
        "start": clock(placement.starts_at, tz, True),
    }
    if placement.problem:
        why = t(f"signup.place.{placement.problem}", choices=" / ".join(placement.choices))
        return [t("signup.place_refused", why=why, **head)]
    lines = [
        t("signup.place_line", grid=placement.grid, post=placement.post, shift=placement.shift_id, **head)
    ]
    lines += ["    × " + violation_text(v, tz) for v in placement.hard]
    lines += ["    ! " + violation_text(v, tz) for v in placement.soft if v not in placement.hard]
    return lines


def plan_open_lines(result: Plan, tz: ZoneInfo) -> list[str]:
    """A plan's places left open, each with why, under their heading (nothing when none is open).
    Shared by `roster plan` and the plan preview, so both say it the same way."""
    lines = [
        t(
            "roster_plan.open_line",
            start=clock(o.starts_at, tz, True),
            end=clock(o.ends_at, tz),
            grid=o.grid,
            post=o.post,
            shift=o.shift_id,
            open=o.open,
            why=open_reason_text(o.reason),
        )
        for o in result.open_places
    ]
    return [t("roster_plan.open_header"), *lines] if lines else []


def plan_fairness_lines(result: Plan) -> list[str]:
    """A plan's fairness figures, then the people it kept away for repeated no-shows."""
    fair = result.fairness
    figures = t(
        "roster_plan.fairness",
        people=fair.people,
        low=fair.nights_min,
        high=fair.nights_max,
        spread=fair.nights_spread,
        hours_low=f"{fair.hours_min:.0f}",
        hours_high=f"{fair.hours_max:.0f}",
    )
    avoided = [
        t("roster_plan.avoided", name=name, staff=pid, count=count) for pid, name, count in result.avoided
    ]
    return [figures, *avoided]


def plan_header_lines(result: Plan, tz: ZoneInfo) -> list[str]:
    """A plan's window, its counts and time, and whether it is the best found before a stop."""
    header = t(
        "roster_plan.header",
        start=clock(result.start, tz, True),
        end=clock(result.end, tz, True),
        planned=len(result.assignments),
        open=sum(o.open for o in result.open_places),
        seconds=f"{result.seconds:.1f}",
    )
    if result.complete:
        return [header]
    return [header, t("roster_plan.stopped" if result.stopped else "roster_plan.best_so_far")]


def signup_offer_text(offer) -> str:
    """One sign-up line read: who offers which day, hour and kind of post (the CLI and the screen)."""
    kind = t(f"post_kind.{offer.kind}") if offer.kind else t("signup.any_post")
    return t(
        "signup.offer",
        line=offer.line,
        name=offer.name,
        staff=offer.staff_id,
        day=offer.day.isoformat(),
        hour=f"{offer.slot_hour:02d}:00",
        kind=kind,
    )
