"""``cmdpost chain template|missing --grid CODE``: the text to post into a grid's WeChat group.

template: a header with the date and the format line, then one numbered line per household that
already holds its door (for a testing round, only the doors not yet tested), so each resident completes
their own line and the reply is read door by door. missing: the doors a round has not heard from, with
masked phone tails: the call-back list in the group's own form. To stdout, or --out FILE. The console
copies the same text to the clipboard (console/screens: registers and supply).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path

from console import i18n
from console.cli_chain import check_grid
from console.config import Config
from db.intake import chain_loop
from db.grids import queries
from db.registers import writes as registers
from db import fields as rules
from db.supply import queries as supply_queries
from db.connection import open_database
from db.errors import CmdpostError, NotFound

KINDS = ("households", "tests", "orders")


def template_text(grid_code: str, kind: str, today: date, round_number: int | None = None) -> str:
    """On the database thread: the template for the grid (a testing round: its untested doors only)."""
    grid = queries.grid_by_code(grid_code)
    round_id = registers.round_by_number(round_number).id if kind == "tests" and round_number else None
    doors = chain_loop.grid_doors(grid_code, round_id)
    lines = [i18n.t(f"chain_loop.title_{kind}", grid=f"{grid.code} {grid.name}", date=today.isoformat(),
                    round=round_number or "")]
    if kind == "orders":
        menu = "、".join(f"{row.name}({row.unit})" for row in supply_queries.stock())
        if menu:
            lines.append(i18n.t("chain_loop.menu", menu=menu))
    lines.append(i18n.t(f"chain_loop.format_{kind}"))
    lines += [f"{n}. {d.door} " for n, d in enumerate(doors, 1)]
    return "\n".join(lines) + "\n"


def missing_text(grid_code: str, round_number: int, today: date) -> str:
    """On the database thread: the doors the round has not heard from, with masked phone tails."""
    grid = queries.grid_by_code(grid_code)
    doors = chain_loop.grid_doors(grid_code, registers.round_by_number(round_number).id)
    lines = [i18n.t("chain_loop.missing_title", grid=f"{grid.code} {grid.name}", round=round_number,
                    date=today.isoformat(), count=len(doors))]
    for n, d in enumerate(doors, 1):
        tail = chain_loop.phone_tail(d.phone)
        lines.append(f"{n}. {d.door} " + (i18n.t("chain_loop.tail", tail=tail) if tail else i18n.t("chain_loop.no_phone")))
    return "\n".join(lines) + "\n"


def latest_round() -> int:
    number = next((r.number for r in registers.rounds()), None)
    if number is None:
        raise NotFound("registers.no_rounds")
    return number


def run_chain_loop(args: argparse.Namespace, config: Config) -> int:
    code = rules.grid_code(args.grid, "grid")
    path = check_grid(args, config, code)
    today = datetime.now(config.tz).date()
    database = open_database(path)
    try:
        if args.action == "missing":
            text = missing_text(code, args.round or latest_round(), today)
        else:
            if args.round is not None and args.kind != "tests":
                print(f"cmdpost: {i18n.t('chain_loop.round_only_tests')}", file=sys.stderr)
                return 2
            number = (args.round or latest_round()) if args.kind == "tests" else None
            text = template_text(code, args.kind, today, number)
    except CmdpostError as err:
        print(f"cmdpost: {i18n.error_text(err)}", file=sys.stderr)
        return 1
    finally:
        database.close()
    if args.out:
        try:
            Path(args.out).write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"cmdpost: {args.out}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        print(i18n.t("chain_loop.written", path=args.out, lines=text.count("\n")))
        return 0
    sys.stdout.write(text)
    return 0


def _positive(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 10_000:
        raise argparse.ArgumentTypeError(f"invalid positive number: {text!r}")
    return int(text)


def add_commands(sub, common) -> None:
    """``chain template`` and ``chain missing`` (registered by console/cli.py)."""
    chain = sub.add_parser("chain", parents=[common],
                           help="text to post into a grid's WeChat group: a chain template, or who has not answered")
    actions = chain.add_subparsers(dest="action", required=True, metavar="{template,missing}")
    template = actions.add_parser("template", parents=[common],
                                  help="a numbered chain with every door of the grid, for residents to complete")
    template.add_argument("--kind", required=True, choices=KINDS, help="what the chain collects")
    missing = actions.add_parser("missing", parents=[common],
                                 help="the doors a testing round has not heard from, with masked phone tails")
    for parser in (template, missing):
        parser.add_argument("--grid", required=True, metavar="CODE", help="the grid or sub-grid")
        parser.add_argument("--round", type=_positive, metavar="N", help="testing round (default: the latest)")
        parser.add_argument("--out", metavar="FILE", help="write the text to FILE instead of the screen")
