"""``cmdpost round …`` and ``cmdpost export …``: testing rounds and the registers, from the shell."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path

from console import i18n
from console.cli.post import open_post
from console.cli.session import cli_actor
from console.config import Config
from db.errors import RuleError

ACTOR = "cmdpost round"


def add_commands(sub, common) -> None:
    rnd = sub.add_parser("round", parents=[common], help="testing rounds (核酸检测轮次)")
    rnd.set_defaults(handler="registers:run_round")
    verbs = rnd.add_subparsers(dest="verb", required=True)
    create = verbs.add_parser("create", parents=[common])
    create.add_argument("number", type=int)
    create.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    create.add_argument("--note", default="")
    verbs.add_parser("list", parents=[common])
    cover = verbs.add_parser("coverage", parents=[common], help="tested households and people per grid")
    cover.add_argument("number", type=int)
    cover.add_argument("--grid", metavar="CODE", help="one grid, with its sub-grids and units")

    exp = sub.add_parser(
        "export",
        parents=[common],
        help="a register, or supply records (console/cli/export.py), as CSV (Excel) or a paper list to print",
    )
    exp.set_defaults(handler="export:run")
    exp.add_argument("register", choices=("callbacks", "care", "reports", "handoffs", "orders", "stock"))
    exp.add_argument("--grid", metavar="CODE", help="the grid (callbacks, care, reports: required)")
    exp.add_argument("--round", type=int, metavar="N", help="testing round (callbacks; default the latest)")
    exp.add_argument("--date", metavar="YYYY-MM-DD", help="day (care, reports; default today)")
    exp.add_argument("--out", required=True, metavar="FILE.csv|FILE.pdf|FILE.html")
    exp.add_argument(
        "--print",
        action="store_true",
        help="also send the PDF to the printer (CUPS lp; config.yaml printing.printer, else the default)",
    )


def run_round(args: argparse.Namespace, config: Config) -> int:
    from db.grids import queries
    from db.registers import queries as register_queries
    from db.registers import writes as registers

    with open_post(args, config):
        if args.verb == "create":
            registers.create_round(args.number, args.date, actor=cli_actor(ACTOR), note=args.note)
            print(i18n.t("registers.round_created", number=args.number, date=args.date))
        elif args.verb == "list":
            for test_round in registers.rounds():
                print(f"{test_round.number}\t{test_round.held_on}\t{test_round.note}")
        else:
            test_round = registers.round_by_number(args.number)
            root = queries.grid_id_for(args.grid) if args.grid else None
            for row in register_queries.round_coverage(test_round.id, root):
                indent = "  " * row.level
                print(
                    f"{indent}{row.code} {row.name}\t{row.tested_households}/{row.households}"
                    f"\t{row.percent:.0f}%\t{row.tested_people}/{row.residents}"
                )
    return 0


def run_export(args: argparse.Namespace, config: Config) -> int:
    from console.sheets.printer import printer_if_asked, send_and_say
    from console.sheets.registers import export

    day = args.date or datetime.now(config.tz).date().isoformat()
    try:
        date.fromisoformat(day)
    except ValueError:
        raise RuleError("registers.bad_date", value=day) from None
    printer = printer_if_asked(Path(args.out), args.print, config.printer)
    with open_post(args, config):
        path = export(
            args.register,
            args.grid,
            Path(args.out),
            post_name=config.post_name,
            round_number=args.round,
            day=day,
            tz=config.tz,
        )
    print(i18n.t("roster.printed", path=path))
    if printer:
        print(send_and_say(path, printer))
    return 0
