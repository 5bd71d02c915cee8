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
    built_at = demo_file.stat().st_mtime_ns
    assert cli.main(["--demo"]) == 0
    assert len(opened) == 2 and demo_file.stat().st_mtime_ns == built_at


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
