"""The ``cmdpost`` parser, and the dispatch table it carries.

Each command's parser names the function that runs it: ``set_defaults(handler="module:function")``,
a module of this package. The name is a string so that nothing is imported for it until main runs
that one command, and opening the console (no command at all) builds a parser without the twenty
subcommands and imports none of their modules (``opens_console``).
"""

from __future__ import annotations

import argparse

from console import i18n
from console.cli.args import OneLineParser
from console.config import Config, find_config, load_config

DEMO_SCALES = ("village", "town", "county", "region")
CHAIN_KINDS = ("households", "tests", "orders")
OPTIONS_WITH_VALUES = ("--db", "--config", "--user")
# The modules whose add_commands registers their commands, in the order --help lists them.
COMMAND_MODULES = (
    "roster",
    "passes",
    "registers",
    "supply",
    "accounts",
    "backup",
    "export",
    "chain_loop",
    "county",
)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text}")
    return int(text)


def opens_console(argv: list[str]) -> bool:
    """True when ``argv`` names no command (and asks for no help): the console itself is opened,
    and the parser need not be built with twenty subcommands and their modules (15 ms of each start)."""
    expect_value = False
    for token in argv:
        if expect_value:
            expect_value = False
        elif token in OPTIONS_WITH_VALUES:
            expect_value = True
        elif token in ("-h", "--help") or not token.startswith("-"):
            return False
    return True


def common_options(default: object) -> OneLineParser:
    # Subcommands take the same options, but must not reset values given
    # before the subcommand name (cmdpost --db X import ...): hence SUPPRESS.
    options = OneLineParser(add_help=False)
    options.add_argument(
        "--db", metavar="PATH", default=default, help="database file (default: from config.yaml)"
    )
    options.add_argument(
        "--config", metavar="PATH", default=default, help="config file (default: ./config.yaml)"
    )
    options.add_argument(
        "--user",
        metavar="NAME",
        default=default,
        help="sign in as NAME for changes (PIN from CMDPOST_PIN or asked)",
    )
    return options


def build_parser(commands: bool = True) -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="cmdpost",
        parents=[common_options(None)],
        description="Lockdown command post console / 疫情防控指挥部控制台",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a village-size demo post (built on first use in the user data folder)",
    )
    parser.set_defaults(command=None, handler="tui:run_console")
    if not commands:
        return parser
    sub = parser.add_subparsers(dest="command")
    common = common_options(argparse.SUPPRESS)
    _add_import(sub, common)
    demo = sub.add_parser("demo", parents=[common], help="build a demo database")
    demo.add_argument("--scale", choices=DEMO_SCALES, default="village")
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--force", action="store_true", help="replace an existing database")
    demo.set_defaults(handler="demo:run_demo")
    sub.add_parser(
        "supervise",
        parents=[common],
        help="read-only console on the coverage board (for supervisors over SSH)",
    ).set_defaults(handler="tui:run_supervisor")
    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(f"console.cli.{name}").add_commands(sub, common)
    from console.cli.numbers import limit_numbers

    return limit_numbers(parser)


def _add_import(sub: argparse._SubParsersAction[OneLineParser], common: OneLineParser) -> None:
    imp = sub.add_parser(
        "import",
        parents=[common],
        help="import grids, households or staff from CSV, or a pasted chain message (接龙)",
    )
    kinds = imp.add_subparsers(dest="kind", required=True, metavar="{grids,households,staff,chain}")
    for kind in ("grids", "households", "staff"):
        csv_kind = kinds.add_parser(kind, parents=[common], help=f"{kind} from a CSV file")
        csv_kind.add_argument("file", metavar="FILE.csv")
        csv_kind.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        csv_kind.set_defaults(handler="csv_import:run_import")
    chain = kinds.add_parser(
        "chain", parents=[common], help="a chain message (接龙) pasted from WeChat, as text"
    )
    chain.add_argument("file", metavar="FILE", help="text file holding the chain, or - to read it from stdin")
    chain.add_argument(
        "--grid", required=True, metavar="CODE", help="the grid or sub-grid the chain belongs to"
    )
    chain.add_argument(
        "--as", dest="as_kind", required=True, choices=CHAIN_KINDS, help="what the chain records"
    )
    chain.add_argument("--round", type=_positive, metavar="N", help="testing round (with --as tests)")
    chain.add_argument("--dry-run", action="store_true", help="read the chain and check it, write nothing")
    chain.add_argument("--json", action="store_true", help="print every entry as JSON")
    chain.set_defaults(handler="chain:run_chain")


def resolve(args: argparse.Namespace) -> Config:
    config = load_config(find_config(args.config))
    i18n.set_language(config.language)
    return config
