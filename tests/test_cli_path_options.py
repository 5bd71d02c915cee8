"""Every option that names a file goes through the CLI's path checks, so a path no command can use
(here "~user" for a user this machine does not have) gets one line before any output, not a crash
after it. Found by the CLI fuzz test: `audit verify --write-head ~0` printed the verdict, then
"RuntimeError: Could not determine home directory"."""

from __future__ import annotations

import argparse

import pytest

from console.cli.args import READ_PATHS, WRITE_PATHS
from tests.cli_argv import PARSER
from tests.test_passes_cli import run

NOBODY = "~cmdpost-no-such-user-0/x"


def _file_options(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """(subcommand path, option, dest) for every option whose value is a file, across the parser."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for word, sub in action.choices.items():
                yield from _file_options(sub, (*path, word))
        elif action.option_strings and action.metavar and "FILE" in str(action.metavar):
            yield " ".join(path), action.option_strings[0], action.dest


FILE_OPTIONS = sorted(set(_file_options(PARSER)))


def test_the_walk_finds_the_file_options():
    assert {"--write-head", "--head", "--bulletin", "--out", "--key"} <= {o for _, o, _ in FILE_OPTIONS}


@pytest.mark.parametrize(("command", "option", "dest"), FILE_OPTIONS)
def test_every_file_option_is_checked_before_use(command, option, dest):
    assert dest in READ_PATHS + WRITE_PATHS, f"{command} {option}: not in console/cli/args.py's lists"


@pytest.mark.parametrize(
    "argv",
    [
        ["audit", "verify", "--write-head", NOBODY],
        ["audit", "verify", "--head", NOBODY],
        ["pass", "verify", "CP1.x", "--key", "k.pem", "--bulletin", NOBODY],
    ],
)
def test_a_home_of_nobody_is_one_line_and_no_output(capsys, tmp_path, argv):
    code, out, err = run(capsys, "--db", str(tmp_path / "post.db"), *argv)
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and "~cmdpost-no-such-user-0" in err and "Error" not in err, err


def test_a_bad_path_is_refused_in_the_language_the_config_chose(capsys, tmp_path):
    import re

    from console.cli import main
    from tests.conftest import TEST_CONFIG

    english = tmp_path / "en.yaml"
    text = re.sub(r"(?m)^language: .*$", "language: en", TEST_CONFIG.read_text(encoding="utf-8"))
    assert "language: en" in text
    english.write_text(text, encoding="utf-8")

    code = main(
        ["--db", str(tmp_path / "post.db"), "audit", "verify", "--head", NOBODY, "--config", str(english)]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "names no user on this machine" in err, err
