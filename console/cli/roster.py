"""``cmdpost coverage`` and ``cmdpost roster …``: the roster for scripts and cron."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from console import i18n
from console.cli.post import open_post, post_path
from console.cli.session import cli_actor
from console.config import Config
from console.sheets.spreadsheet import SpreadsheetWriter
from db.errors import RuleError
from db.roster.rules import HOUR
from db.roster.settings import Duty

ACTOR = "cmdpost roster"


def add_commands(sub, common) -> None:
    cov = sub.add_parser("coverage", parents=[common], help="shifts and their gaps for the coming hours")
    cov.add_argument("--at", metavar='"YYYY-MM-DD HH:MM"', help="start of the window (default: now)")
    cov.add_argument("--hours", type=int, default=24)
    cov.add_argument("--grid", metavar="CODE")
    cov.add_argument(
        "--kind", choices=("checkpoint", "control_point", "isolation_point", "depot", "delivery_point")
    )
    cov.add_argument("--format", choices=("text", "csv", "json"), default="text")
    cov.set_defaults(handler="roster:run_coverage")

    ros = sub.add_parser("roster", parents=[common], help="assign, unassign, generate or print shifts")
    ros.set_defaults(handler="roster:run_roster")
    verbs = ros.add_subparsers(dest="verb", required=True)
    for verb in ("assign", "unassign"):
        cmd = verbs.add_parser(verb, parents=[common])
        cmd.add_argument("staff_id", type=int)
        cmd.add_argument("shift_id", type=int)
        if verb == "assign":
            cmd.add_argument("--override", metavar="REASON", help="go ahead despite warnings; recorded")
    gen = verbs.add_parser("generate", parents=[common], help="create shifts from config's shift hours")
    gen.add_argument("--from", dest="first", metavar="YYYY-MM-DD", required=True)
    gen.add_argument("--days", type=int, default=7)
    add = verbs.add_parser("add-shift", parents=[common], help="add one shift at a post")
    add.add_argument("--post", type=int, required=True, metavar="POST_ID")
    add.add_argument("--start", required=True, metavar='"YYYY-MM-DD HH:MM"')
    add.add_argument("--end", required=True, metavar='"YYYY-MM-DD HH:MM"')
    add.add_argument("--need", type=int, default=2)
    move = verbs.add_parser("move-shift", parents=[common], help="move one shift in time")
    move.add_argument("shift_id", type=int)
    move.add_argument("--start", required=True, metavar='"YYYY-MM-DD HH:MM"')
    move.add_argument("--end", required=True, metavar='"YYYY-MM-DD HH:MM"')
    cancel = verbs.add_parser(
        "cancel-shift", parents=[common], help="cancel one shift (its people are stood down)"
    )
    cancel.add_argument("shift_id", type=int)
    cancel.add_argument("--reason", required=True)
    need = verbs.add_parser("need", parents=[common], help="people a post needs per shift, for new shifts")
    need.add_argument("--post", type=int, required=True, metavar="POST_ID")
    need.add_argument("--day", type=int, required=True)
    need.add_argument("--night", type=int, help="at night, if different")
    prn = verbs.add_parser("print", parents=[common], help="a day's roster as a sheet to pin on a wall")
    prn.add_argument("--date", metavar="YYYY-MM-DD", required=True)
    prn.add_argument("--grid", metavar="CODE")
    prn.add_argument("--post", type=int, metavar="POST_ID")
    prn.add_argument("--out", metavar="FILE.pdf|FILE.html", required=True)
    prn.add_argument(
        "--print",
        action="store_true",
        help="also send the PDF to the printer (CUPS lp; config.yaml printing.printer, else the default)",
    )
    from console.cli.roster_plan import add_commands as add_plan_commands

    add_plan_commands(verbs, common)


# A roster's days, far wider than any lockdown: date arithmetic near year 9999 overflows.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2999, 12, 31)


def _day(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise RuleError("roster.bad_time", value=text) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise RuleError("roster.bad_time", value=text)
    return day


def _moment(text: str, config: Config) -> int:
    from console.text.roster import parse_local_time

    try:
        return parse_local_time(text, config.tz)
    except ValueError:
        raise RuleError("roster.bad_time", value=text) from None


def run_coverage(args: argparse.Namespace, config: Config) -> int:
    from console.text.roster import clock
    from db.roster import queries as roster_queries

    duty = Duty(config.rules, config.tz)
    if not 1 <= args.hours <= 24 * 14:
        raise RuleError("roster.hours_range", hours=args.hours)
    start = _moment(args.at, config) if args.at else int(datetime.now(config.tz).timestamp())
    with open_post(args, config):
        rows = roster_queries.coverage(start, start + args.hours * HOUR, args.grid, args.kind)
        head = roster_queries.headline(start, duty, args.grid, args.kind)
    iso = lambda epoch: datetime.fromtimestamp(epoch, config.tz).isoformat()  # noqa: E731
    records: list[dict[str, Any]] = [
        {
            "shift_id": r.shift_id,
            "post_id": r.post_id,
            "post": r.post,
            "grid": r.grid,
            "start": iso(r.starts_at),
            "end": iso(r.ends_at),
            "needed": r.needed,
            "assigned": list(r.assigned),
            "present": r.present,
            "gap": r.gap,
        }
        for r in rows
    ]
    if args.format == "json":
        json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
        print()
    elif args.format == "csv":
        writer = SpreadsheetWriter(sys.stdout)
        writer.writerow(
            ["shift_id", "post_id", "post", "grid", "start", "end", "needed", "assigned", "present", "gap"]
        )
        for record in records:
            writer.writerow(
                [
                    *list(record.values())[:7],
                    " ".join(map(str, record["assigned"])),
                    record["present"],
                    record["gap"],
                ]
            )
    else:
        print(
            i18n.t(
                "coverage.header",
                start=clock(start, config.tz, True),
                hours=args.hours,
                now=head.now,
                soon=head.next_3h,
                tonight=head.tonight,
            )
        )
        for r in rows:
            mark = "  !" if r.gap else ""
            print(
                f"#{r.shift_id:<6} "
                + i18n.t(
                    "coverage.line",
                    start=clock(r.starts_at, config.tz, True),
                    end=clock(r.ends_at, config.tz),
                    grid=r.grid,
                    post=f"{r.post} (#{r.post_id})",
                    needed=r.needed,
                    filled=r.filled,
                    present=r.present,
                    gap=r.gap,
                )
                + mark
            )
    return 0


def run_roster(args: argparse.Namespace, config: Config) -> int:
    from db.roster import writes as roster

    duty = Duty(config.rules, config.tz)
    with open_post(args, config):
        if args.verb == "assign":
            return _assign(args, duty)
        if args.verb == "plan":
            from console.cli.roster_plan import run_plan

            return run_plan(args, config)
        if args.verb == "signup":
            from console.cli.roster_plan import run_signup

            return run_signup(args, config)
        if args.verb == "message":
            from console.cli.roster_plan import run_message

            return run_message(args, config)
        if args.verb in ("checkin", "checkout", "noshow"):
            from console.cli.roster_plan import run_attendance

            return run_attendance(args, config)
        if args.verb == "unassign":
            roster.unassign(args.staff_id, args.shift_id, actor=cli_actor(ACTOR))
            print(i18n.t("roster.unassigned", staff=args.staff_id, shift=args.shift_id))
            return 0
        if args.verb in ("add-shift", "move-shift"):
            start, end = _moment(args.start, config), _moment(args.end, config)
            if args.verb == "add-shift":
                shift = roster.add_shift(duty, args.post, start, end, args.need)
            else:
                roster.move_shift(duty, args.shift_id, start, end, actor=cli_actor(ACTOR))
                shift = args.shift_id
            print(i18n.t("roster.shift_saved", shift=shift))
            return 0
        if args.verb == "cancel-shift":
            count = roster.cancel_shift(args.shift_id, args.reason, actor=cli_actor(ACTOR))
            print(i18n.t("roster.shift_cancelled", shift=args.shift_id, count=count))
            return 0
        if args.verb == "need":
            roster.set_post_need(args.post, args.day, args.night)
            print(i18n.t("roster.need_saved", post=args.post))
            return 0
        if args.verb == "generate":
            count = roster.generate_shifts(duty, _day(args.first), args.days)
            print(i18n.t("roster.generated", count=count))
            return 0
        from console.sheets.printer import printer_if_asked, send_and_say
        from console.sheets.roster import sheet_bulletin, write_sheet

        printer = printer_if_asked(Path(args.out), args.print, config.printer)
        bulletin = sheet_bulletin(post_path(args, config), config)
        path = write_sheet(
            duty,
            _day(args.date),
            Path(args.out),
            grid_code=args.grid,
            post_id=args.post,
            post_name=config.post_name,
            bulletin=bulletin,
        )
        print(i18n.t("roster.printed", path=path))
        if printer:
            print(send_and_say(path, printer))
        return 0


def _assign(args: argparse.Namespace, duty: Duty) -> int:
    from console.text.roster import violation_text
    from db.roster import writes as roster

    try:
        result = roster.assign(
            duty, args.staff_id, args.shift_id, actor=cli_actor(ACTOR), override=args.override
        )
    except roster.RosterRefused as refused:
        for title, found in (("roster.hard", refused.hard), ("roster.soft", refused.soft)):
            if found:
                print(i18n.t(title) + ":", file=sys.stderr)
                for violation in found:
                    print("  - " + violation_text(violation, duty.tz), file=sys.stderr)
        if refused.overridable:
            print(i18n.t("roster.override_hint"), file=sys.stderr)
        return 1
    print(i18n.t("roster.assigned", staff=args.staff_id, shift=args.shift_id))
    for violation in result.warnings:
        print("  ! " + violation_text(violation, duty.tz))
    return 0
