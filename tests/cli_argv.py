"""The shortest command line the parser accepts for a subcommand: every required argument given a
plain value. Shared by the tests that walk every subcommand (role table, missing --db)."""

from __future__ import annotations

import argparse

from console.cli import build_parser

PARSER = build_parser()
GLOBAL = {"--db", "--config", "--user", "-h", "--help", "--demo"}
VALUES = {
    "first": "2022-04-10",
    "date": "2022-04-10",
    "out": "out.html",
    "export_public": "verify.pem",
    "file": "grids.csv",
    "dest": "copy.db",
    "payload": "CP1.x",
    "name": "大米",
    "grid": "1",
}


def subparser(path: str) -> argparse.ArgumentParser:
    parser = PARSER
    for word in path.split():
        action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = action.choices[word]
    return parser


def minimal_argv(path: str) -> list[str]:
    words = path.split()
    for action in subparser(path)._actions:
        flags = [f for f in action.option_strings if f not in GLOBAL]
        if isinstance(action, argparse._SubParsersAction) or (action.option_strings and not flags):
            continue
        if action.option_strings and not action.required:
            continue
        value = (
            str(next(iter(action.choices)))
            if action.choices
            else "1"
            if action.type not in (None, str)
            else VALUES.get(action.dest, "1")
        )
        words += ([flags[0]] if flags else []) + [value]
    PARSER.parse_args(words)  # raises SystemExit if the walk above missed what the parser needs
    return words
