"""The role table (console/cli/roles.py, printed in the README) against the parser and the post.

Every subcommand of the parser must have its row, and every row is run for every role on a copy of
a post: a "no" changes nothing and writes no file, whatever the command prints; a "yes" is never
refused for its role (it may still fail for its made-up arguments, e.g. an unknown id).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from console import i18n
from console.cli import main
from console.cli.roles import COMMANDS, NO, ROLES, YES, readme_rows, readme_screen_rows, subcommands
from db.accounts import operators as accounts
from db.audit.guard import SIGN_IN_COLUMNS
from db.backup import copies as backup
from db.connection import open_database
from db.passes import keys as pass_keys
from tests.cli_argv import PARSER, minimal_argv
from tests.conftest import build_small_post
from tests.test_print_cli import fake_tools

ROOT = Path(__file__).resolve().parent.parent
PIN = "246810"
SIGNED_IN = {"admin": "boss", "operator": "op", "supervisor": "watch", "nobody": None, "open post": None}
REFUSALS = (
    "auth.sign_in_first",
    "auth.read_only_role",
    "auth.admin_only",
    "restore.admin_only",
    "demo.admin_only",
    "backup.key_admin_only",
    "passes.key_admin_only",
)
CHECKED = {"cells": 0, "refused": 0}


def _refusal_marks() -> list[str]:
    """The fixed part of each "your role may not" message, as the CLI prints it."""
    i18n.set_language("zh")
    return [max(i18n.t(key, name="\0").split("\0"), key=len) for key in REFUSALS]


@pytest.fixture(scope="module")
def posts(tmp_path_factory):
    """Two posts to copy: one with an admin, an operator and a supervisor (and a signing key), one
    without accounts; a backup of the first to restore, and its verify-only key."""
    root = tmp_path_factory.mktemp("roles")
    for name, closed in (("closed.db", True), ("open.db", False)):
        database = open_database(root / name)
        build_small_post()
        if closed:
            accounts._unknown.clear()
            accounts.add_account("boss", "admin", PIN, now=1_650_000_000)
            accounts.sign_in("boss", PIN, now=1_650_000_000)
            accounts.add_account("op", "operator", PIN, now=1_650_000_000)
            accounts.add_account("watch", "supervisor", PIN, now=1_650_000_000)
            pass_keys.export_public(root / name, root / "verify.pem")
            accounts.sign_out()
        database.close()
    backup.backup_database(root / "closed.db", root / "backup.db")
    (root / "grids.csv").write_text(
        "网格编号,网格名称,分区\n1,第一网格,防范区\n9,新网格,防范区\n", encoding="utf-8"
    )
    yield root
    print(
        f"\nrole table: {CHECKED['cells']} command × role cells run, {CHECKED['refused']} refused by role",
        file=__import__("sys").__stderr__,
    )


def _argv(row: str, root: Path) -> tuple[list[str], bool]:
    """The command line for a table row, and whether it names the post with --db."""
    base = " ".join(word for word in row.split() if not word.startswith("--"))
    words = minimal_argv(base)
    if base == "restore":
        words[-1] = str(root / "backup.db")
    extra = {
        "demo --force": ["--force"],
        "backup --with-key": ["--with-key"],
        "restore --check": ["--check"],
        "pass verify --key": ["--key", str(root / "verify.pem")],
        "pass key --export-public": ["--export-public", "verify-out.pem"],
        "audit verify --write-head": ["--write-head", "head.json"],
        "roster plan --apply": ["--apply"],
        "roster signup --apply": ["--apply"],
        "roster signup --assign": ["--assign"],
        "roster signup --assign --apply": ["--assign", "--apply"],
        "backup --write-head": ["--write-head", "head.json"],
        # to the fake lp the test puts on PATH: a real printer is never used
        **{
            f"{base} --print": ["--out", "out.pdf", "--print"]
            for base in ("roster print", "supply run print", "export", "pass print")
        },
    }.get(row, [])
    return words + extra, row != "pass verify --key"


def _state(folder: Path, post: Path) -> tuple:
    """Everything a command could change: each table's rows (sign-in bookkeeping and the trail's
    sign-in entries aside) and the files in the folder."""
    files = sorted(p.name for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm")))
    con = sqlite3.connect(f"file:{post}?mode=ro", uri=True)
    try:
        tables = [
            r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        ]
        rows = {}
        for table in tables:
            if table in ("sync_outbox", "sqlite_sequence", "household_grams_fts"):
                # They only follow the rows compared here (a sign-in's audit entry adds an outbox line);
                # the short-search index holds no content to read (its shadow tables are compared).
                continue
            if table == "audit_entry":
                # Sign-in events and the account updates they make (account rows are compared apart).
                rows[table] = con.execute(
                    "SELECT count(*) FROM audit_entry WHERE NOT (op = 'event' AND table_name"
                    " LIKE 'sign%') AND NOT (op = 'update' AND table_name = 'account')"
                ).fetchall()
                continue
            columns = [
                r[1] for r in con.execute(f'PRAGMA table_info("{table}")') if r[1] not in SIGN_IN_COLUMNS
            ]
            names = ", ".join(f'"{c}"' for c in columns)
            rows[table] = sorted(map(repr, con.execute(f'SELECT {names} FROM "{table}"')))
    finally:
        con.close()
    return files, rows


def test_every_subcommand_has_its_row_and_every_row_its_command():
    commands = set(subcommands(PARSER))
    bases = {" ".join(w for w in name.split() if not w.startswith("--")) for name in COMMANDS}
    assert commands - set(COMMANDS) == set(), "a command without its row in console/cli/roles.py"
    assert bases - commands == set(), "a row for a command the parser does not have"
    for name, row in COMMANDS.items():
        assert len(row.cells) == len(ROLES) and set(row.cells) <= {YES, NO, "sign-in"}, name


def test_the_readme_shows_the_table_as_it_is_in_code():
    readme = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    for line in readme_rows() + readme_screen_rows():
        assert line in readme, f"README.md lacks (or differs in) the line: {line}"


@pytest.mark.parametrize("row", [name for name in COMMANDS if name != "supervise"])
def test_each_role_may_do_exactly_what_its_cell_says(posts, tmp_path, monkeypatch, capsys, row):
    marks = _refusal_marks()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CMDPOST_PIN", PIN)
    monkeypatch.setenv("CMDPOST_NEW_PIN", PIN)
    monkeypatch.delenv("CMDPOST_USER", raising=False)
    fake_tools(posts / "bin")
    monkeypatch.setenv("PATH", f"{posts / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
    for role, cell in zip(ROLES, COMMANDS[row].cells):
        for old in tmp_path.iterdir():
            shutil.rmtree(old) if old.is_dir() else old.unlink()
        post = tmp_path / "post.db"
        shutil.copy(posts / ("open.db" if role == "open post" else "closed.db"), post)
        shutil.copy(posts / "grids.csv", tmp_path / "grids.csv")
        if role != "open post":  # the post's signing key, beside it
            shutil.copy(pass_keys.key_path(posts / "closed.db"), pass_keys.key_path(post))
        words, with_db = _argv(row, posts)
        user = ["--user", SIGNED_IN[role]] if SIGNED_IN[role] else []
        before = _state(tmp_path, post)
        try:
            main(user + (["--db", str(post)] if with_db else []) + words)
        except SystemExit:
            pass
        out, err = capsys.readouterr()
        refused = any(mark in err for mark in marks)
        CHECKED["cells"] += 1
        CHECKED["refused"] += refused
        assert "Traceback" not in err, (row, role, err)
        if cell == NO:
            after = _state(tmp_path, post)
            changed = [t for t in after[1] if after[1][t] != before[1].get(t)]
            assert after == before, f"{row} as {role} changed {changed} or wrote a file: {after[0]}"
        else:
            assert not refused, f"{row} as {role} was refused for its role: {err}"
