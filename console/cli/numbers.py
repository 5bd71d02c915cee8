"""Numbers on the command line, refused at the boundary when no record could ever carry them.

``type=int`` accepts "99999999999999999999", which SQLite cannot hold (OverflowError, a
traceback) and ``timedelta`` cannot add. ``limit_numbers`` swaps every ``type=int`` option of the
parser and its subcommands for ``whole_number``, so argparse answers with its usual one-line usage
error instead.
"""

from __future__ import annotations

import argparse

LIMIT = 10**12  # far past any id, count or day span cmdpost keeps, well inside SQLite's 64 bits


def whole_number(text: str) -> int:
    try:
        value = int(text) if len(text) <= 20 else None
    except ValueError:
        value = None
    if value is None or not -LIMIT <= value <= LIMIT:
        raise argparse.ArgumentTypeError(f"not a usable whole number: {text[:24]}")
    return value


def limit_numbers(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    for action in parser._actions:
        if action.type is int:
            action.type = whole_number
        if isinstance(action, argparse._SubParsersAction):
            for sub in {id(p): p for p in action.choices.values()}.values():
                limit_numbers(sub)
    return parser
