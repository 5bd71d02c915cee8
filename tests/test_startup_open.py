"""Opening a post at start: another program's SQLite file is still refused, and a post's file is not
opened a second time to find that out."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db import connection
from db.connection import SQLITE_MAGIC, open_database
from db.errors import DatabaseOpenError


def test_another_programs_sqlite_file_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
    before = path.read_bytes()
    with pytest.raises(DatabaseOpenError) as caught:
        open_database(path)
    assert caught.value.key == "db.foreign" and caught.value.params["tables"] == "photos"
    assert path.read_bytes() == before


def test_a_posts_file_is_opened_once(db_path, monkeypatch):
    open_database(db_path).close()
    looked = []
    monkeypatch.setattr(connection, "_refuse_foreign", looked.append)
    open_database(db_path).close()
    assert looked == []  # its header's version is not 0: no second connection to look at its tables


def test_a_file_whose_header_says_version_0_is_looked_into(db_path, monkeypatch):
    with sqlite3.connect(db_path) as con:
        con.execute("CREATE TABLE t (x)")  # an SQLite file, version 0, but no post yet
        con.execute("DROP TABLE t")
    looked = []
    monkeypatch.setattr(connection, "_refuse_foreign", looked.append)
    open_database(db_path).close()
    assert looked == [db_path]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(version=st.binary(min_size=4, max_size=4), rest=st.binary(max_size=600))
def test_any_header_after_the_magic_opens_or_is_refused_in_one_line(tmp_path, version, rest):
    """The header's version bytes decide whether the file is looked into first: whatever they and the
    rest say, the open ends in a post or in one refusal, never in another error."""
    path = tmp_path / "odd.db"
    path.write_bytes(SQLITE_MAGIC + bytes(44) + version + rest)
    try:
        open_database(path).close()
    except DatabaseOpenError:
        pass
    finally:
        for leftover in tmp_path.iterdir():
            leftover.unlink()
