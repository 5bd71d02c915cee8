"""``cmdpost roster plan`` and the attendance verbs (checkin, checkout, noshow) for scripts."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from datetime import datetime

from console import i18n
from console.cli.session import cli_actor
from console.config import Config
from db.roster.settings import Duty

ACTOR = "cmdpost roster"
ATTENDANCE = ("checkin", "checkout", "noshow")


def add_commands(verbs, common) -> None:
    plan = verbs.add_parser("plan", parents=[common], help="fill the open places of a window fairly (CP-SAT)")
    plan.add_argument("--from", dest="first", metavar="YYYY-MM-DD", required=True)
    plan.add_argument("--days", type=int, default=7)
    plan.add_argument("--grid", metavar="CODE")
    plan.add_argument("--apply", action="store_true", help="write the plan (all of it or nothing)")
    plan.add_argument(
        "--override", metavar="REASON", help="recorded with each assignment that breaks a soft rule"
    )
    plan.add_argument(
        "--stretch", action="store_true", help="fill places even by breaking rest and hour limits"
    )
    plan.add_argument("--no-warnings", action="store_true", help="break no soft rule at all")
    plan.add_argument("--seconds", type=int, default=120, help="time allowed; the best plan so far is kept")
    plan.add_argument("--at", metavar='"YYYY-MM-DD HH:MM"', help="judge tests and what is past as of then")
    plan.add_argument("--format", choices=("text", "json"), default="text")
    msg = verbs.add_parser("message", parents=[common], help="text for the volunteers' group chat")
    msg.add_argument("--kind", choices=("gaps", "tomorrow", "changes"), required=True)
    msg.add_argument("--grid", metavar="CODE")
    msg.add_argument("--at", metavar='"YYYY-MM-DD HH:MM"', help="as of then (default: now)")
    msg.add_argument("--out", metavar="FILE", help="also write it to FILE")
    sign = verbs.add_parser(
        "signup", parents=[common], help="read a sign-up chain (接龙报名) into availability"
    )
    sign.add_argument("file", metavar="FILE", help="the chain as pasted (UTF-8), or - for standard input")
    sign.add_argument("--today", metavar="YYYY-MM-DD", help="the chain's day, for 今天/明天 (default: today)")
    sign.add_argument(
        "--apply", action="store_true", help="record the offers (only when every line is clear)"
    )
    sign.add_argument(
        "--assign", action="store_true", help="put each line straight on its shift, not availability"
    )
    sign.add_argument("--at", metavar='"YYYY-MM-DD HH:MM"', help="judge tests and what is past as of then")
    for verb in ATTENDANCE:
        cmd = verbs.add_parser(verb, parents=[common], help=f"{verb} for one person on one shift")
        cmd.add_argument("staff_id", type=int)
        cmd.add_argument("shift_id", type=int)
        cmd.add_argument("--at", metavar='"YYYY-MM-DD HH:MM"', help="when (default: now)")


def run_plan(args: argparse.Namespace, config: Config) -> int:
    from console.cli.roster import _day, _moment
    from db.errors import RuleError
    from db.roster import planner
    from db.roster.writes import epoch_now

    duty = Duty(config.rules, config.tz)
    if not 1 <= args.seconds <= 3600:
        raise RuleError("roster_plan.seconds_range", seconds=args.seconds)
    first = _day(args.first)
    now = _moment(args.at, config) if args.at else epoch_now()
    stop = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: stop.set())  # Ctrl+C: keep the best plan so far
    try:
        problem = planner.gather(duty, first, args.days, now, args.grid)
        result = planner.solve_problem(
            problem,
            duty,
            allow_soft=not args.no_warnings,
            stretch=args.stretch,
            seconds=args.seconds,
            stop=stop,
            progress=_progress,
        )
    finally:
        signal.signal(signal.SIGINT, previous)
    applied = None
    if args.apply and result.assignments:
        reason = args.override or i18n.t("roster_plan.default_reason")
        applied = planner.apply(duty, result, actor=cli_actor(ACTOR), reason=reason, now=now)
    if args.format == "json":
        json.dump(plan_record(result, config, applied), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print_plan(result, config, applied)
    return 0


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(
            f"\r{i18n.t('roster_plan.progress', done=done, total=total)}",
            end="" if done < total else "\n",
            file=sys.stderr,
            flush=True,
        )


def plan_record(result, config: Config, applied: int | None) -> dict:
    from console.text.roster import open_reason_text, violation_text

    iso = lambda epoch: datetime.fromtimestamp(epoch, config.tz).isoformat()  # noqa: E731
    fair = result.fairness
    return {
        "from": iso(result.start),
        "to": iso(result.end),
        "complete": result.complete,
        "stopped": result.stopped,
        "seconds": round(result.seconds, 2),
        "applied": applied,
        "assignments": [
            {
                "staff_id": a.staff_id,
                "name": a.name,
                "staff_grid": a.staff_grid,
                "shift_id": a.shift_id,
                "post": a.post,
                "grid": a.grid,
                "start": iso(a.starts_at),
                "end": iso(a.ends_at),
                "night": a.night,
                "warnings": [w.code for w in a.warnings],
                "warning_text": [violation_text(w, config.tz) for w in a.warnings],
            }
            for a in result.assignments
        ],
        "open": [
            {
                "shift_id": o.shift_id,
                "post": o.post,
                "grid": o.grid,
                "start": iso(o.starts_at),
                "end": iso(o.ends_at),
                "open": o.open,
                "reason": o.reason.code,
                "reason_text": open_reason_text(o.reason),
            }
            for o in result.open_places
        ],
        "fairness": {
            "people": fair.people,
            "nights_min": fair.nights_min,
            "nights_max": fair.nights_max,
            "nights_spread": fair.nights_spread,
            "hours_min": fair.hours_min,
            "hours_max": fair.hours_max,
        },
        "soft_broken": result.soft_broken,
        "avoided": [{"staff_id": pid, "name": name, "no_shows": n} for pid, name, n in result.avoided],
    }


def print_plan(result, config: Config, applied: int | None) -> None:
    from console.text.roster import (
        clock,
        plan_fairness_lines,
        plan_header_lines,
        plan_open_lines,
        violation_text,
    )

    tz = config.tz
    for line in plan_header_lines(result, tz):
        print(line)
    for a in result.assignments:
        print(
            i18n.t(
                "roster_plan.line",
                start=clock(a.starts_at, tz, True),
                end=clock(a.ends_at, tz),
                grid=a.grid,
                post=a.post,
                shift=a.shift_id,
                name=a.name,
                staff=a.staff_id,
                home=a.staff_grid,
            )
        )
        for warning in a.warnings:
            print("    ! " + violation_text(warning, tz))
    for line in plan_open_lines(result, tz) + plan_fairness_lines(result):
        print(line)
    if result.soft_broken:
        print(i18n.t("roster_plan.soft_count", count=result.soft_broken))
    if applied is not None:
        print(i18n.t("roster_plan.applied", count=applied))
    elif result.assignments:
        print(i18n.t("roster_plan.apply_hint"))


def run_attendance(args: argparse.Namespace, config: Config) -> int:
    from console.cli.roster import _moment
    from db.roster import writes
    from db.roster.queries import live_assignment, repeated_no_shows

    at = _moment(args.at, config) if args.at else None
    assignment = live_assignment(args.staff_id, args.shift_id)
    if args.verb == "checkin":
        writes.check_in(assignment, at)
    elif args.verb == "checkout":
        writes.check_out(assignment, at)
    else:
        writes.mark_no_show(assignment, at)
    print(i18n.t(f"roster_plan.{args.verb}_done", staff=args.staff_id, shift=args.shift_id))
    if args.verb == "noshow":
        duty = Duty(config.rules, config.tz)
        count = repeated_no_shows(duty, at or writes.epoch_now()).get(args.staff_id)
        if count:
            print(i18n.t("roster_plan.noshow_limit", count=count, days=config.rules.noshow_window_days))
    return 0


def run_message(args: argparse.Namespace, config: Config) -> int:
    from pathlib import Path

    from console.cli.roster import _moment
    from console.roster_message import compose, write_message
    from db.roster.writes import epoch_now

    now = _moment(args.at, config) if args.at else epoch_now()
    if args.grid:
        from db.grids.queries import grid_id_for

        grid_id_for(args.grid)  # an unknown grid is refused, not answered with an empty message
    text = compose(args.kind, Duty(config.rules, config.tz), now, config.post_name, args.grid)
    sys.stdout.write(text)
    if args.out:
        path = write_message(text, Path(args.out).expanduser())
        print(i18n.t("roster_message.written", path=path), file=sys.stderr)
    return 0


def run_signup(args: argparse.Namespace, config: Config) -> int:
    from datetime import datetime
    from pathlib import Path

    from console.cli.roster import _day, _moment
    from console.text.roster import signup_offer_text
    from db.errors import RuleError
    from db.intake.signup import read_signup
    from db.roster import signups
    from db.roster.writes import epoch_now

    try:
        text = (
            sys.stdin.read() if args.file == "-" else Path(args.file).expanduser().read_text(encoding="utf-8")
        )
    except (OSError, UnicodeDecodeError):
        raise RuleError("signup.unreadable", path=args.file) from None
    duty = Duty(config.rules, config.tz)
    today = _day(args.today) if args.today else datetime.now(config.tz).date()
    now = _moment(args.at, config) if args.at else epoch_now()
    offers, problems = read_signup(text, duty, today)
    if not args.assign:
        for offer in offers:
            print(signup_offer_text(offer))
    for problem in problems:
        print(
            i18n.t(
                "signup.problem_line",
                line=problem.line,
                why=i18n.t(f"signup.problem.{problem.code}"),
                text=problem.text,
            ),
            file=sys.stderr,
        )
    if problems:
        raise RuleError("signup.has_problems", count=len(problems))
    if args.assign:
        return _signup_assign(args, config, duty, offers, now)
    if args.apply:
        made = signups.accept(duty, offers, problems, (), actor=cli_actor(ACTOR), reason="")[0]
        print(i18n.t("signup.recorded", count=made))
    elif offers:
        print(i18n.t("signup.apply_hint"))
    return 0


def _signup_assign(args: argparse.Namespace, config: Config, duty: Duty, offers, now: int) -> int:
    """Each line straight onto its shift: the preview lists where, with warnings or why not."""
    from console.text.roster import placement_lines
    from db.roster import signups

    placed = signups.place(offers, duty, now)
    for placement in placed:
        first, *rest = placement_lines(placement, config.tz)
        print(first, file=sys.stderr if placement.refused else sys.stdout)
        for more in rest:
            print(more, file=sys.stderr if placement.refused else sys.stdout)
    refused = [p for p in placed if p.refused]
    if refused:
        raise signups.SignupRefused(refused)
    if not args.apply:
        if placed:
            print(i18n.t("signup.assign_hint"))
        return 0
    try:
        made = signups.accept(
            duty,
            offers,
            [],
            [o.line for o in offers],
            actor=cli_actor(ACTOR),
            reason=i18n.t("signup.default_reason"),
            now=now,
        )[1]
    except signups.SignupRefused as error:  # the roster changed since the preview above
        for placement in error.refusals:
            for text in placement_lines(placement, config.tz):
                print(text, file=sys.stderr)
        raise
    print(i18n.t("signup.assigned", count=made))
    return 0
