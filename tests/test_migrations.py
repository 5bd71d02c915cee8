"""Schema versions: an older file upgrades in place; unusable files are refused clearly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from console.cli import main
from db.connection import open_database, schema_version
from db.errors import DatabaseOpenError
from db.grids import queries
from db.schema import SCHEMA_VERSION

V1_DUMP = Path(__file__).parent / "fixtures" / "schema_v1.sql"


def make_v1_file(path: Path) -> None:
    con = sqlite3.connect(path)
    con.executescript(V1_DUMP.read_text(encoding="utf-8"))
    con.close()


def test_version_1_file_upgrades_without_losing_a_row(db_path):
    make_v1_file(db_path)
    tables = ("grid", "zone_change", "team", "staff", "household", "duty_post")
    with sqlite3.connect(db_path) as con:
        columns = {t: ", ".join(row[1] for row in con.execute(f"PRAGMA table_info({t})")) for t in tables}
        before = {t: con.execute(f"SELECT {columns[t]} FROM {t} ORDER BY id").fetchall() for t in tables}
    database = open_database(db_path)
    assert schema_version(database) == SCHEMA_VERSION > 1
    for table, rows in before.items():  # later versions may add columns; the old ones keep every value
        assert database.execute_sql(f"SELECT {columns[table]} FROM {table} ORDER BY id").fetchall() == rows
    # The totals added by version 2 are backfilled from the old rows.
    first = queries.grid_by_code("1")
    assert (first.households, first.residents, first.care_households, first.staff) == (2, 7, 1, 2)
    assert queries.grid_by_code("2").staff == 0  # the inactive volunteer does not count
    assert (db_path.parent / "post.db.v1.bak").is_file()
    database.close()


def test_upgraded_file_keeps_counting_new_rows(db_path):
    from db.grids import writes
    from db.records import HouseholdInput

    make_v1_file(db_path)
    database = open_database(db_path)
    writes.upsert_households([HouseholdInput("2-1", "花厅口村11号", 5)], actor="t")
    assert queries.grid_by_code("2").households == 2
    database.close()


def test_file_from_a_newer_cmdpost_is_refused(db_path):
    open_database(db_path).close()
    with sqlite3.connect(db_path) as con:
        con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    with pytest.raises(DatabaseOpenError) as caught:
        open_database(db_path)
    assert caught.value.key == "db.too_new"


def test_text_file_is_not_a_database(tmp_path, capsys):
    path = tmp_path / "notes.db"
    path.write_text("这不是数据库\n" * 100, encoding="utf-8")
    assert main(["--db", str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "不是 cmdpost 数据库" in err
    assert path.read_text(encoding="utf-8").startswith("这不是数据库")


def test_damaged_database_gets_one_line(tmp_path, capsys):
    path = tmp_path / "post.db"
    open_database(path).close()
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # smash the first page's b-tree header
    path.write_bytes(bytes(data))
    assert main(["--db", str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "损坏" in err


def test_unwritable_database_path(tmp_path, capsys, monkeypatch):
    # The suite may run as root, which ignores permission bits, so the refusal is simulated.
    monkeypatch.setattr("db.connection.os.access", lambda path, mode: False)
    assert main(["--db", str(tmp_path / "post.db")]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "没有写入权限" in err


def test_a_folder_is_not_a_database(tmp_path, capsys):
    assert main(["--db", str(tmp_path)]) == 1
    assert "是一个文件夹" in capsys.readouterr().err


def test_folder_that_cannot_be_created(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["--db", str(blocker / "sub" / "post.db")]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "无法创建数据库目录" in err


def test_a_second_upgrade_at_the_same_path_keeps_the_first_copy(tmp_path):
    """A v1 file upgraded, then another v1 file (a restored backup) upgraded at the same path: the
    first pre-upgrade copy used to be written over."""
    post = tmp_path / "post.db"
    make_v1_file(post)
    open_database(post).close()
    first = (tmp_path / "post.db.v1.bak").read_bytes()
    post.unlink()
    make_v1_file(post)
    open_database(post).close()
    assert (tmp_path / "post.db.v1.bak").read_bytes() == first
    assert (tmp_path / "post.db.v1.2.bak").is_file()
