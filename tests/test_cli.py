"""The cmdpost command: --demo builds once and reuses, and errors are one line."""

from __future__ import annotations

from console import cli


def test_demo_builds_the_village_once_then_reuses_it(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    opened = []
    monkeypatch.setattr("console.app.CmdpostApp.run", lambda app: opened.append((app.db_path, app.demo)))
    assert cli.main(["--demo"]) == 0
    demo_file = tmp_path / "cmdpost" / "demo-village.db"
    assert opened == [(demo_file, True)]
    built = demo_file.stat().st_ino  # a build writes a new file and renames it over the old one
    assert cli.main(["--demo"]) == 0
    # Not its time: each start records the demo admin's sign-in, written into the file as it closes.
    assert len(opened) == 2 and demo_file.stat().st_ino == built


def test_demo_command_without_db_never_touches_the_post_database(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    config = tmp_path / "config.yaml"
    live = tmp_path / "live.db"
    config.write_text(f"database: {live}\n", encoding="utf-8")
    assert cli.main(["demo", "--config", str(config), "--force"]) == 0
    assert not live.exists()
    assert (tmp_path / "cmdpost" / "demo-village.db").is_file()
    assert "1,500" in capsys.readouterr().out


def test_options_before_the_subcommand_are_kept(tmp_path):
    args = cli.build_parser().parse_args(["--db", str(tmp_path / "x.db"), "import", "grids", "f.csv"])
    assert args.db == str(tmp_path / "x.db")


def test_the_console_launch_is_told_apart_from_commands_without_building_them():
    from console.cli import build_parser, opens_console

    assert opens_console(["--db", "post.db", "--demo"])
    assert opens_console(["--db", "import", "--user", "supervise"])  # option values, not commands
    assert not opens_console(["--db", "post.db", "supervise"])
    assert not opens_console(["import", "grids", "g.csv"])
    assert not opens_console(["--help"])
    args = build_parser(commands=False).parse_args(["--db", "post.db", "--demo"])
    assert (args.command, args.db, args.demo) == (None, "post.db", True)


def test_an_unknown_option_is_refused_when_opening_the_console(capsys):
    import pytest

    from console.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["--db", "post.db", "--colour"])
    assert exited.value.code == 2 and "--colour" in capsys.readouterr().err


def test_every_command_names_a_handler_that_exists():
    """The dispatch table: each command's parser names "module:function" in console/cli/."""
    from console.cli.roles import subcommands
    from tests.cli_argv import PARSER, minimal_argv

    seen = set()
    for command in subcommands(PARSER):
        args = PARSER.parse_args(minimal_argv(command.split(" --")[0]))
        handler = cli.handler_of(args)
        assert callable(handler) and handler.__module__.startswith("console.cli."), command
        seen.add(args.handler)
    assert cli.handler_of(cli.build_parser(commands=False).parse_args([])).__name__ == "run_console"
    assert len(seen) >= 15  # not one catch-all: each group has its own


def test_opening_the_console_imports_no_command_module(tmp_path):
    """Start-up time: `cmdpost` with no command builds the small parser and imports only the
    console's own path (tui, post, session, args), never a subcommand's module."""
    import subprocess
    import sys

    code = f"""
import sys
import console.cli.tui
console.cli.tui.run_console = lambda args, config: 0
from console.cli import main
assert main(["--db", {str(tmp_path / "post.db")!r}]) == 0
print(" ".join(sorted(m for m in sys.modules if m.startswith("console.cli"))))
"""
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )
    assert result.returncode == 0, result.stderr
    loaded = set(result.stdout.split())
    assert loaded <= {
        "console.cli",
        "console.cli.args",
        "console.cli.parser",
        "console.cli.post",
        "console.cli.session",
        "console.cli.tui",
    }, loaded
