"""`cmdpost user …` and signing the command line in with --user and CMDPOST_PIN."""

from __future__ import annotations

import pytest

from console.cli import main
from db import connection

PIN = "246810"


@pytest.fixture
def closed_file(post_db, db_path, monkeypatch):
    post_db.close()
    monkeypatch.setenv("CMDPOST_NEW_PIN", PIN)
    assert main(["--db", str(db_path), "user", "add", "laoli", "--role", "admin"]) == 0
    monkeypatch.setenv("CMDPOST_PIN", PIN)
    assert (
        main(["--db", str(db_path), "--user", "laoli", "user", "add", "xiaolin", "--role", "operator"]) == 0
    )
    monkeypatch.delenv("CMDPOST_PIN")
    yield db_path
    connection.AFTER_OPEN.clear()


def zone_of(db_path, code="1"):
    database = connection.open_database(db_path)
    zone = database.execute_sql("SELECT zone FROM grid WHERE code = ?", (code,)).fetchone()[0]
    database.close()
    return zone


def test_a_change_without_sign_in_is_refused_with_how_to(closed_file, capsys):
    code = main(
        ["--db", str(closed_file), "supply", "item", "add", "大米", "--unit", "斤", "--category", "grain_oil"]
    )
    assert code == 1
    assert "--user" in capsys.readouterr().err
    assert main(["--db", str(closed_file), "supply", "stock"]) == 0  # reading needs no sign-in


def test_signed_in_operator_changes_and_is_named(closed_file, monkeypatch, capsys):
    monkeypatch.setenv("CMDPOST_PIN", PIN)
    args = [
        "--db",
        str(closed_file),
        "--user",
        "xiaolin",
        "supply",
        "item",
        "add",
        "大米",
        "--unit",
        "斤",
        "--category",
        "grain_oil",
    ]
    assert main(args) == 0
    database = connection.open_database(closed_file)
    assert database.execute_sql("SELECT created_by FROM supply_item").fetchone()[0] == "xiaolin"
    assert (
        database.execute_sql("SELECT actor FROM audit_entry WHERE table_name = 'supply_item'").fetchone()[0]
        == "xiaolin"
    )
    database.close()
    assert main(["--db", str(closed_file), "--user", "xiaolin", "user", "add", "x", "--role", "admin"]) == 1
    assert "管理员" in capsys.readouterr().err


def test_wrong_pin_from_the_command_line_counts_and_writes_nothing(closed_file, monkeypatch, capsys):
    monkeypatch.setenv("CMDPOST_PIN", "000000")
    assert (
        main(
            [
                "--db",
                str(closed_file),
                "--user",
                "xiaolin",
                "supply",
                "item",
                "add",
                "米",
                "--unit",
                "斤",
                "--category",
                "grain_oil",
            ]
        )
        == 1
    )
    assert "还可再试 4 次" in capsys.readouterr().err
    monkeypatch.setenv("CMDPOST_PIN", PIN)
    assert main(["--db", str(closed_file), "--user", "laoli", "user", "list"]) == 0
    listing = capsys.readouterr().out
    assert "laoli\t管理员" in listing and "xiaolin\t操作员" in listing


def test_no_pin_and_no_terminal_is_a_clear_message(closed_file, capsys, monkeypatch):
    monkeypatch.delenv("CMDPOST_PIN", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["--db", str(closed_file), "--user", "laoli", "user", "list"]) == 1
    assert "CMDPOST_PIN" in capsys.readouterr().err


def test_restoring_a_post_with_accounts_needs_an_admin(closed_file, monkeypatch, tmp_path, capsys):
    copy = tmp_path / "copy.db"
    assert main(["--db", str(closed_file), "backup", str(copy)]) == 0
    assert main(["--db", str(closed_file), "restore", str(copy)]) == 1
    assert "--user" in capsys.readouterr().err
    monkeypatch.setenv("CMDPOST_PIN", PIN)
    assert main(["--db", str(closed_file), "--user", "xiaolin", "restore", str(copy)]) == 1
    assert main(["--db", str(closed_file), "--user", "laoli", "restore", str(copy)]) == 0


def test_the_command_line_locks_after_the_posts_own_number_of_wrong_pins(
    closed_file, monkeypatch, capsys, tmp_path
):
    config = tmp_path / "config.yaml"
    config.write_text("security:\n  lockout_after: 2\n", encoding="utf-8")
    monkeypatch.setenv("CMDPOST_PIN", "000000")
    wrong = ["--db", str(closed_file), "--config", str(config), "--user", "xiaolin", "supply", "stock"]
    assert main(wrong) == 1
    assert "还可再试 1 次" in capsys.readouterr().err
    assert main(wrong) == 1
    monkeypatch.setenv("CMDPOST_PIN", PIN)  # the right PIN, too late: locked as config.yaml says
    assert main(wrong) == 1
    assert "锁定" in capsys.readouterr().err
