"""The ``cmdpost`` command: open the console, or run one command of the command line.

``main`` parses (console/cli/parser.py), installs the sign-in (session.py), and runs the function
the command's parser names in its dispatch table, importing its module only then. It is the one
place where every failure becomes one line ``cmdpost: …``. Each command's module reads its
arguments, opens the post (post.py, ``open_post``), calls db/ and prints; the rules are db/'s.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable

from console import i18n
from console.cli.parser import build_parser, opens_console, resolve
from console.config import Config, ConfigError
from db.errors import CmdpostError

__all__ = ["build_parser", "handler_of", "main", "opens_console", "resolve"]

Handler = Callable[[argparse.Namespace, Config], int]


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
        if owns_terminal(args):
            from console.terminal_guard import ends_with_terminal

            with ends_with_terminal():  # SIGHUP/SIGTERM end it cleanly from here on, start-up included
                return _dispatch(parser, args)
        from console.text.output import visible_controls

        with visible_controls():  # names and remarks printed are shown, never obeyed by the terminal
            return _dispatch(parser, args)
    except Exception as err:  # outside a command: building the parser, the output wrapper
        return _unexpected(err)


def owns_terminal(args: argparse.Namespace) -> bool:
    """The console, the supervisor's console and the county board: Textual owns the terminal."""
    return args.command in (None, "supervise") or (args.command == "county" and args.action == "board")


def handler_of(args: argparse.Namespace) -> Handler:
    """The function the dispatch table names for the parsed command, its module imported now."""
    module, _, name = args.handler.partition(":")
    handler: Handler = getattr(importlib.import_module(f"console.cli.{module}"), name)
    return handler


def _unexpected(err: BaseException) -> int:
    if os.environ.get("CMDPOST_TRACEBACK"):
        raise err
    text = " ".join(f"{type(err).__name__}: {err}".split())[:300]
    return fail(i18n.t("errors.unexpected", error=text))


def _dispatch(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    try:
        from console.cli.args import check_paths, require_existing_post, uses_post
        from console.cli.post import post_path
        from console.cli.session import install_sign_in

        # --config first, so that a FIFO or device is never read; then the config, so that a bad
        # path among the rest is refused in the language the operator chose.
        check_paths(args, ("config",))
        config = resolve(args)
        check_paths(args)
        if args.command not in (None, "supervise") and uses_post(args):
            from console.cli.roles import makes_post

            if not makes_post(parser, args):
                require_existing_post(post_path(args, config))  # a mistyped --db makes no post
        install_sign_in(args, config)
        return handler_of(args)(args, config)
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


if __name__ == "__main__":
    sys.exit(main())
