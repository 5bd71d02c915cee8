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
from datetime import datetime

from console import i18n
from console.cli.chain import check_grid
from console.cli.post import open_post
from console.config import Config
from console.text.chain import missing_text, template_text
from db import fields as rules
from db.errors import CmdpostError, NotFound
from db.private_file import write_private_text
from db.registers import writes as registers

KINDS = ("households", "tests", "orders")


def latest_round() -> int:
    number = next((r.number for r in registers.rounds()), None)
    if number is None:
        raise NotFound("registers.no_rounds")
    return number


def run_chain_loop(args: argparse.Namespace, config: Config) -> int:
    code = rules.grid_code(args.grid, "grid")
    check_grid(args, config, code)
    today = datetime.now(config.tz).date()
    with open_post(args, config):
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
    if args.out:
        try:
            write_private_text(args.out, text)  # doors and masked phones: owner-only, never over the post
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
    """``chain template`` and ``chain missing`` (registered by console/cli/parser.py)."""
    chain = sub.add_parser(
        "chain",
        parents=[common],
        help="text to post into a grid's WeChat group: a chain template, or who has not answered",
    )
    chain.set_defaults(handler="chain_loop:run_chain_loop")
    actions = chain.add_subparsers(dest="action", required=True, metavar="{template,missing}")
    template = actions.add_parser(
        "template",
        parents=[common],
        help="a numbered chain with every door of the grid, for residents to complete",
    )
    template.add_argument("--kind", required=True, choices=KINDS, help="what the chain collects")
    missing = actions.add_parser(
        "missing",
        parents=[common],
        help="the doors a testing round has not heard from, with masked phone tails",
    )
    for parser in (template, missing):
        parser.add_argument("--grid", required=True, metavar="CODE", help="the grid or sub-grid")
        parser.add_argument(
            "--round", type=_positive, metavar="N", help="testing round (default: the latest)"
        )
        parser.add_argument("--out", metavar="FILE", help="write the text to FILE instead of the screen")
