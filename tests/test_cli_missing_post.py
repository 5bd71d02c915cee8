"""A mistyped --db makes no post: every command that does not make one says the file does not
exist (exit 1) and creates nothing, not even the folder."""

from __future__ import annotations

import pytest

from console.cli import main
from console.cli.roles import COMMANDS, subcommands
from tests.cli_argv import PARSER, minimal_argv

# `county` names no post: its --db is the county's PostgreSQL URL (tests/test_county_cli.py).
READERS = [name for name in subcommands(PARSER) if not COMMANDS[name].makes_post and name != "county"]


@pytest.mark.parametrize("path", READERS)
def test_a_command_that_makes_no_post_never_creates_one(tmp_path, monkeypatch, capsys, path):
    monkeypatch.chdir(tmp_path)
    missing = tmp_path / "nosuchdir" / "x.db"
    assert main(["--db", str(missing)] + minimal_argv(path)) == 1
    err = capsys.readouterr().err
    assert err.startswith("cmdpost: ") and err.count("\n") == 1 and "不存在" in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no file, no folder, no output


def test_only_the_commands_that_make_a_post_may_create_one():
    makers = {name for name, row in COMMANDS.items() if row.makes_post}
    assert makers == {
        "import grids",
        "import households",
        "import staff",
        "import chain",
        "demo",
        "demo --force",
        "user add",
        "restore",
    }


def test_the_first_user_add_makes_the_post(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CMDPOST_NEW_PIN", "246810")
    post = tmp_path / "new" / "post.db"
    assert main(["--db", str(post), "user", "add", "laoli", "--role", "admin"]) == 0
    assert post.is_file()
    assert main(["--db", str(post), "audit", "verify"]) == 0  # now it exists, reading works


@pytest.mark.parametrize("path", READERS)
def test_an_empty_file_is_no_post_and_a_read_leaves_it_empty(tmp_path, monkeypatch, capsys, path):
    """SQLite takes an empty file as a new database: ``coverage`` once wrote a whole post into one
    (and kept the file's 0644 mode)."""
    monkeypatch.chdir(tmp_path)
    empty = tmp_path / "empty.db"
    empty.touch()
    assert main(["--db", str(empty)] + minimal_argv(path)) == 1
    err = capsys.readouterr().err
    assert err.startswith("cmdpost: ") and err.count("\n") == 1, err
    assert "空文件" in err or path == "supervise", err  # supervise opens read-only: "not a cmdpost database"
    assert empty.stat().st_size == 0 and sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]


@pytest.mark.parametrize("argv", [["coverage"], ["audit", "verify"], ["import", "grids", "grids.csv"]])
def test_another_programs_sqlite_file_is_never_written_into(tmp_path, monkeypatch, capsys, argv):
    import sqlite3

    monkeypatch.chdir(tmp_path)
    (tmp_path / "grids.csv").write_text("code,name\n1,第一网格\n", encoding="utf-8")
    other = tmp_path / "notes.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE notes(x)")
    con.execute("INSERT INTO notes VALUES ('mine')")
    con.commit()
    con.close()
    before = other.read_bytes()
    assert main(["--db", str(other)] + argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("cmdpost: ") and err.count("\n") == 1 and "notes" in err, err
    assert other.read_bytes() == before
