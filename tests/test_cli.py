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
