"""Every subcommand, with arguments generated from the argparse parser itself: whatever is typed,
cmdpost answers with exit 0, 1 or 2 and no traceback, never through the catch-all "出错了" line
(each refusal has its own message), and it ends. Run in-process for speed, plus a few runs of the
real entry point in a subprocess."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.cli import build_parser, main
from console.cli.roles import subcommands
from db.connection import open_database
from tests.conftest import build_small_post

# Only stops a hang (a read of /dev/zero or a FIFO never ends); no speed is asserted. Generous, as
# the machine running the tests may be shared and slow.
HANG_BOUND_SECONDS = 120
EXAMPLES = 25
ROOT = Path(__file__).resolve().parent.parent
PARSER = build_parser()
# supervise opens a Textual console on the terminal: its paths are checked by test_supervise.py.
COMMANDS = [name for name in subcommands(PARSER) if name != "supervise"]
GLOBAL = {"--db", "--config", "--user", "-h", "--help", "--demo"}
RUNS = {"count": 0, "tracebacks": 0, 0: 0, 1: 0, 2: 0}


class Hang(BaseException):
    """Raised by the alarm: a BaseException, so no `except Exception` in cmdpost can swallow it."""


def _subparser(path: str) -> argparse.ArgumentParser:
    parser = PARSER
    for word in path.split():
        action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = action.choices[word]
    return parser


@pytest.fixture(scope="module")
def place(tmp_path_factory):
    """A post (no accounts: every command may run, so every path is reached), a FIFO, a folder."""
    root = tmp_path_factory.mktemp("fuzz")
    database = open_database(root / "post.db")
    build_small_post()
    database.close()
    os.mkfifo(root / "fifo")
    (root / "folder").mkdir()
    (root / "work").mkdir()
    (root / "grids.csv").write_text(
        "网格编号,网格名称,分区\n1,第一网格,封控区\n9,新网格,防范区\n", encoding="utf-8"
    )
    (root / "chain.txt").write_text(
        "#接龙\n今日菜单:大米\n1. 1号 大米1袋\n2. 2号 大米2袋\n", encoding="utf-8"
    )
    yield root
    print(
        f"\nCLI fuzz: {RUNS['count']} runs ({RUNS[0]} exit 0, {RUNS[1]} exit 1, {RUNS[2]} exit 2),"
        f" {RUNS['tracebacks']} tracebacks",
        file=sys.__stderr__,
    )


def hostile(root: Path) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(
            [
                "",
                "-",
                "\udcff",
                "x\udcfe.db",
                "9999-12-31",
                "0001-01-01",
                "2022-04-10",
                "2022-13-45",
                "1",
                "1-1",
                "3",
                "-1",
                "0",
                "99999999999999999999",
                "1e9",
                "x" * 300,
                "/dev/full",
                "/dev/zero",
                "/dev/null",
                str(root / "fifo"),
                str(root / "folder"),
                str(root / "missing" / "deep" / "f.csv"),
                str(root / "post.db"),
                str(root / ("y" * 260) / "f"),
                "\x1b[2J\x1b[H",
                "'; DROP TABLE grid;--",
                "\u202e有效",
                "大米",
                "admin",
                "=cmd|' /C calc'!A0",
            ]
        ),
        st.text(max_size=20),
    )


# Values a command can act on, so that runs reach past the refusals into the commands themselves.
PLAUSIBLE = [
    "1",
    "2",
    "1-1",
    "2-1",
    "2022-04-10",
    "2022-04-10 08:00",
    "大米",
    "out.html",
    "out.csv",
    "out.pdf",
    "3",
    "袋",
    "录错了",
    "copy.db",
    "花厅口村1号",
]


def _value(action: argparse.Action, root: Path) -> st.SearchStrategy[str]:
    if action.choices:
        usual = st.sampled_from([str(c) for c in action.choices])
    elif action.type not in (None, str):  # numbers: mostly numbers, sometimes junk
        usual = st.integers(-5, 50).map(str)
    else:
        usual = st.sampled_from(PLAUSIBLE + [str(root / "grids.csv"), str(root / "chain.txt")])
    return st.one_of(usual, usual, usual, hostile(root))


@st.composite
def command_line(draw, path: str, root: Path) -> list[str]:
    parser = _subparser(path)
    words = path.split()
    for action in parser._actions:
        flags = [f for f in action.option_strings if f not in GLOBAL]
        if isinstance(action, argparse._SubParsersAction) or (action.option_strings and not flags):
            continue
        if path == "demo" and "--force" in flags:
            continue  # a demo build over the fuzzed post takes seconds; test_replace_post.py covers it
        if not action.option_strings:
            words.append(draw(_value(action, root)))
        elif action.required or draw(st.booleans()):
            words.append(flags[0])
            if action.nargs != 0:
                words.append(draw(_value(action, root)))
    databases = [root / "post.db"] * 6 + [
        root / "missing" / "x.db",
        root / "fifo",
        root / "folder",
        root / ("z" * 300),
    ]
    if path in ("demo", "restore") or path.startswith("import"):
        databases.remove(root / "missing" / "x.db")  # these make a post there: seconds each, not a refusal
    front = ["--db", str(draw(st.sampled_from(databases)))]
    if draw(st.integers(0, 3)) == 0:
        front += ["--user", draw(st.sampled_from(["admin", "\udcff", "x" * 300]))]
    if draw(st.integers(0, 5)) == 0:
        front += [
            "--config",
            draw(st.sampled_from(["/dev/zero", str(root / "fifo"), str(root / "folder"), ""])),
        ]
    return front + words


def _run(argv: list[str], capsys) -> tuple[object, str]:
    def alarm(*_):
        raise Hang(argv)

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(HANG_BOUND_SECONDS)
    try:
        code = main(argv)
    except SystemExit as done:
        code = done.code
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    out, err = capsys.readouterr()
    return code, out + err


@pytest.mark.parametrize("path", COMMANDS)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_command_answers_any_arguments_in_one_clear_way(place, path, data, capsys, monkeypatch):
    monkeypatch.chdir(place / "work")  # a relative --out or DEST lands here, never in the checkout
    monkeypatch.setenv("CMDPOST_PIN", "123456")
    monkeypatch.delenv("CMDPOST_NEW_PIN", raising=False)  # `user add` would close the post
    argv = data.draw(command_line(path, place))
    code, text = _run(argv, capsys)
    RUNS["count"] += 1
    RUNS["tracebacks"] += "Traceback" in text
    RUNS[code] = RUNS.get(code, 0) + 1
    assert code in (0, 1, 2), (argv, code, text[-500:])
    assert "Traceback" not in text, (argv, text[-2000:])
    assert "出错了" not in text, (argv, text[-500:])  # the catch-all: a cause left unfixed


def test_a_tilde_naming_no_user_is_one_line(place, capsys, monkeypatch):
    # Found by the fuzz above: Path("~0").expanduser() raises RuntimeError, which reached the catch-all.
    monkeypatch.chdir(place / "work")
    code, text = _run(
        ["--db", str(place / "post.db"), "pass", "key", "--export-public", "~nosuchuser0/k.pem"], capsys
    )
    assert code == 1 and "~nosuchuser0/k.pem" in text and "出错了" not in text, text


def test_the_parser_walk_reaches_every_command():  # the fuzz above is not vacuous
    assert len(COMMANDS) > 50 and "roster generate" in COMMANDS and "backup" in COMMANDS


def _real(args: list, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(cwd), "XDG_CONFIG_HOME": str(cwd)}
    return subprocess.run(
        [sys.executable, "-m", "console", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        timeout=HANG_BOUND_SECONDS,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(
    "args, code",
    [
        ([b"--db", b"post.db", b"coverage", b"--grid", b"\xff\xfe"], 2),
        (["--config", "/dev/zero", "coverage"], 1),
        (["--db", "post.db", "import", "chain", "fifo", "--grid", "1", "--as", "orders"], 1),
        (["--db", "post.db", "restore", "fifo"], 1),
        (["--db", "post.db", "roster", "generate", "--from", "9999-12-31"], 1),
        (["--db", "y" * 300 + ".db", "coverage"], 1),
    ],
    ids=["not-utf8", "config-dev-zero", "chain-fifo", "restore-fifo", "year-9999", "long-db-path"],
)
def test_the_real_entry_point_answers_in_one_line(place, args, code):
    done = _real(args, place)
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == code and "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("cmdpost: "), err
