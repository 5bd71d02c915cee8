"""The ``cmdpost`` command: open the console, import CSV files, build demo posts."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path

from console import i18n
from console.config import Config, ConfigError, find_config, load_config
from db.errors import CmdpostError

DEMO_SCALES = ("village", "town", "county", "region")
CHAIN_KINDS = ("households", "tests", "orders")


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text}")
    return int(text)


OPTIONS_WITH_VALUES = ("--db", "--config", "--user")


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


def build_parser(commands: bool = True) -> argparse.ArgumentParser:
    def common(default):
        # Subcommands take the same options, but must not reset values given
        # before the subcommand name (cmdpost --db X import ...): hence SUPPRESS.
        options = argparse.ArgumentParser(add_help=False)
        options.add_argument("--db", metavar="PATH", default=default,
                             help="database file (default: from config.yaml)")
        options.add_argument("--config", metavar="PATH", default=default,
                             help="config file (default: ./config.yaml)")
        options.add_argument("--user", metavar="NAME", default=default,
                             help="sign in as NAME for changes (PIN from CMDPOST_PIN or asked)")
        return options

    from console.cli.args import OneLineParser

    parser = OneLineParser(prog="cmdpost", parents=[common(None)],
                                     description="Lockdown command post console / 疫情防控指挥部控制台")
    parser.add_argument("--demo", action="store_true",
                        help="open a village-size demo post (built on first use in the user data folder)")
    if not commands:
        parser.set_defaults(command=None)
        return parser
    sub = parser.add_subparsers(dest="command")

    imp = sub.add_parser("import", parents=[common(argparse.SUPPRESS)],
                         help="import grids, households or staff from CSV, or a pasted chain message (接龙)")
    kinds = imp.add_subparsers(dest="kind", required=True, metavar="{grids,households,staff,chain}")
    for kind in ("grids", "households", "staff"):
        csv_kind = kinds.add_parser(kind, parents=[common(argparse.SUPPRESS)], help=f"{kind} from a CSV file")
        csv_kind.add_argument("file", metavar="FILE.csv")
        csv_kind.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    chain = kinds.add_parser("chain", parents=[common(argparse.SUPPRESS)],
                             help="a chain message (接龙) pasted from WeChat, as text")
    chain.add_argument("file", metavar="FILE", help="text file holding the chain, or - to read it from stdin")
    chain.add_argument("--grid", required=True, metavar="CODE", help="the grid or sub-grid the chain belongs to")
    chain.add_argument("--as", dest="as_kind", required=True, choices=CHAIN_KINDS, help="what the chain records")
    chain.add_argument("--round", type=_positive, metavar="N", help="testing round (with --as tests)")
    chain.add_argument("--dry-run", action="store_true", help="read the chain and check it, write nothing")
    chain.add_argument("--json", action="store_true", help="print every entry as JSON")

    demo = sub.add_parser("demo", parents=[common(argparse.SUPPRESS)], help="build a demo database")
    demo.add_argument("--scale", choices=DEMO_SCALES, default="village")
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--force", action="store_true", help="replace an existing database")
    sub.add_parser("supervise", parents=[common(argparse.SUPPRESS)],
                   help="read-only console on the coverage board (for supervisors over SSH)")
    from console.cli.roster import add_commands

    add_commands(sub, common(argparse.SUPPRESS))
    from console.cli.passes import add_commands as add_pass_commands

    add_pass_commands(sub, common(argparse.SUPPRESS))
    from console.cli import registers as cli_registers

    cli_registers.add_commands(sub, common(argparse.SUPPRESS))
    from console.cli import supply as cli_supply

    cli_supply.add_commands(sub, common(argparse.SUPPRESS))
    from console.cli import accounts as cli_user

    cli_user.add_commands(sub, common(argparse.SUPPRESS))
    from console.cli import backup as cli_backup

    cli_backup.add_commands(sub, common(argparse.SUPPRESS))
    from console.cli import export as cli_export

    cli_export.add_commands(sub, common(argparse.SUPPRESS))
    from console.cli import chain_loop as cli_chain_loop

    cli_chain_loop.add_commands(sub, common(argparse.SUPPRESS))
    from console.cli import county as cli_county

    cli_county.add_commands(sub, common(argparse.SUPPRESS))
    from console.cli.numbers import limit_numbers

    return limit_numbers(parser)


def resolve(args: argparse.Namespace) -> Config:
    config = load_config(find_config(args.config))
    i18n.set_language(config.language)
    return config


def fail(message: str) -> int:
    print(f"cmdpost: {message}", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    """The one place where every failure becomes one line ``cmdpost: …`` and exit code 1 (2 for a
    usage error): nothing a user types ends in a traceback. CMDPOST_TRACEBACK=1 shows it instead."""
    from console.cli.args import not_utf8

    arguments = sys.argv[1:] if argv is None else argv
    try:
        bad = not_utf8(arguments)
        if bad is not None:  # argv decoded with surrogateescape: SQLite and the terminal cannot take it
            print(f"cmdpost: {i18n.t('cli.not_utf8', value=bad[:80])}", file=sys.stderr)
            return 2
        parser = build_parser(commands=not opens_console(arguments))
        args = parser.parse_args(arguments)
        if args.command in (None, "supervise") or (args.command == "county" and args.action == "board"):
            # Textual owns the terminal
            from console.terminal_guard import ends_with_terminal

            with ends_with_terminal():  # SIGHUP/SIGTERM end it cleanly from here on, start-up included
                return _dispatch(parser, args)
        from console.text.output import visible_controls

        with visible_controls():  # names and remarks printed are shown, never obeyed by the terminal
            return _dispatch(parser, args)
    except Exception as err:  # outside a command: building the parser, the output wrapper
        return _unexpected(err)


def _unexpected(err: BaseException) -> int:
    if os.environ.get("CMDPOST_TRACEBACK"):
        raise err
    text = " ".join(f"{type(err).__name__}: {err}".split())[:300]
    return fail(i18n.t("errors.unexpected", error=text))


def _post_path(args: argparse.Namespace, config: Config) -> Path:
    return Path(args.db).expanduser() if args.db else config.database


def _dispatch(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    try:
        from console.cli.args import check_paths, require_existing_post, uses_post
        from console.cli.roles import makes_post

        check_paths(args)
        config = resolve(args)
        if args.command not in (None, "supervise") and uses_post(args) and not makes_post(parser, args):
            require_existing_post(_post_path(args, config))  # a mistyped --db makes no post
        return _run(args, config)
    except ConfigError as err:
        return fail(i18n.error_text(err))
    except CmdpostError as err:
        return fail(i18n.error_text(err))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `cmdpost coverage | head`: the reader left; that is not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (stays open for the interpreter's exit flush)
        return 0
    except OSError as err:  # an --out in a missing folder, a full disk, a name the file system refuses
        return fail(i18n.t("cli.os_error", path=err.filename or "-", reason=err.strerror or str(err)))
    except Exception as err:  # a write the signed-in role may not make, refused by SQLite itself
        from db.audit.guard import denial, guard_of, is_denied
        from db.errors import is_busy
        from db.models import database_proxy

        if is_denied(err) and database_proxy.obj is not None:
            return fail(i18n.error_text(denial(guard_of(database_proxy))))
        if is_busy(err):  # waited BUSY_TIMEOUT_MS for another write: say so plainly
            return fail(i18n.t("reliability.busy"))
        return _unexpected(err)


def _run(args: argparse.Namespace, config: Config) -> int:
    from console.cli.accounts import install_sign_in

    install_sign_in(args, config)
    if args.command in ("user", "audit"):
        from console.cli import accounts as cli_user

        return (cli_user.run_user if args.command == "user" else cli_user.run_audit)(args, config)
    if args.command in ("sync", "county"):
        from console.cli import county as cli_county

        return (cli_county.run_sync if args.command == "sync" else cli_county.run_county)(args, config)
    if args.command == "chain":
        from console.cli.chain_loop import run_chain_loop
        return run_chain_loop(args, config)
    if args.command == "import" and args.kind == "chain":
        from console.cli.chain import run_chain
        return run_chain(args, config)
    if args.command == "import":
        from console.cli.csv_import import run_import
        return run_import(args, config)
    if args.command in ("coverage", "roster"):
        from console.cli import roster as cli_roster

        return (cli_roster.run_coverage if args.command == "coverage" else cli_roster.run_roster)(args, config)
    if args.command == "pass":
        from console.cli.passes import run_pass
        return run_pass(args, config)
    if args.command == "demo":
        from console.cli.demo import run_demo
        return run_demo(args, config)
    if args.command == "export":
        from console.cli import export as cli_export

        return cli_export.run(args, config)
    if args.command == "round":
        from console.cli import registers as cli_registers

        return cli_registers.run_round(args, config)
    if args.command in ("supply", "handoff"):
        from console.cli import supply as cli_supply

        return cli_supply.run(args, config)
    if args.command in ("backup", "restore"):
        from console.cli import backup as cli_backup

        return cli_backup.run(args, config)
    if args.command == "supervise":
        return run_supervisor(args, config)
    return run_console(args, config)


def run_console(args: argparse.Namespace, config: Config) -> int:
    opened = open_console(args, config)
    from console.app import CmdpostApp

    try:
        app = CmdpostApp(config=config, **opened)
        app.run()
    finally:  # also when the terminal went before the app ran (console/terminal_guard.py)
        opened["database"].close()
    return app.return_code or 0


def open_console(args: argparse.Namespace, config: Config) -> dict:
    """Everything the console needs before Textual is imported (the benchmark takes this path too).

    The database thread starts here, reading the first screen's data while Textual loads.
    """
    from console.cli.demo import build_demo, demo_path
    from db.connection import open_database
    from db.thread import start_with_first_look

    demo = bool(args.demo)
    path = Path(args.db).expanduser() if args.db else (demo_path() if demo else config.database)
    if demo and not path.exists():
        print(i18n.t("cli.demo_first_run", path=path), file=sys.stderr)
        build_demo(path, scale="village", seed=1, force=False)
    database = open_database(path)
    db_thread, look = start_with_first_look(database, datetime.now(config.tz).date().isoformat(), demo)
    return {"database": database, "db_path": path, "demo": demo, "db_thread": db_thread, "first_look": look}


def run_supervisor(args: argparse.Namespace, config: Config) -> int:
    from console.app import CmdpostApp
    from db.connection import open_readonly

    path = Path(args.db).expanduser() if args.db else config.database
    database = open_readonly(path)
    try:
        app = CmdpostApp(config=config, database=database, db_path=path, readonly=True, actor="supervisor")
        app.run()
    finally:
        database.close()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())
