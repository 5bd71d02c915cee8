"""A mistyped --db makes no post: every command that does not make one says the file does not
exist (exit 1) and creates nothing, not even the folder."""

from __future__ import annotations

import pytest

from console.cli import main
from console.cli_roles import COMMANDS, subcommands
from tests.cli_argv import PARSER, minimal_argv

READERS = [name for name in subcommands(PARSER) if not COMMANDS[name].makes_post]


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
    assert makers == {"import grids", "import households", "import staff", "import chain", "demo", "demo --force",
                      "user add", "restore"}


def test_the_first_user_add_makes_the_post(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CMDPOST_NEW_PIN", "246810")
    post = tmp_path / "new" / "post.db"
    assert main(["--db", str(post), "user", "add", "laoli", "--role", "admin"]) == 0
    assert post.is_file()
    assert main(["--db", str(post), "audit", "verify"]) == 0  # now it exists, reading works
