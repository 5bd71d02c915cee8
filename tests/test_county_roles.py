"""Who may write what at the county: a post only its own rows; county users read, never write."""

from __future__ import annotations

import itertools
import os
from urllib.parse import quote

import psycopg
import pytest

from db.connection import open_database
from db.county import board, outbox, sync
from tests.conftest import build_small_post
from tests.county_pg import county_url, pg_cluster  # noqa: F401 - fixtures

_numbers = itertools.count(1)


def _role(pg_cluster, url, group):
    name = f"r{os.getpid()}_{next(_numbers)}"
    with psycopg.connect(pg_cluster.url(), autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {name} LOGIN PASSWORD 'pw-{name}' IN ROLE {group}")
    database = url.split("@/")[1].split("?")[0]
    return pg_cluster.url(database, user=name, password=quote(f"pw-{name}"))


@pytest.fixture
def second_post(tmp_path):
    database = open_database(tmp_path / "b.db")
    build_small_post()
    yield database
    database.close()


def test_a_post_cannot_change_another_posts_rows(post_db, second_post, pg_cluster, county_url):
    as_a, as_b = _role(pg_cluster, county_url, "county_post"), _role(pg_cluster, county_url, "county_post")
    sync.sync(post_db, as_a)
    sync.sync(second_post, as_b)
    a_id = outbox.identity(post_db).uid
    with psycopg.connect(as_b) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("INSERT INTO county.change (post_id, seq, table_name, row_id, op, data)"
                     " VALUES (%s, 100000, 'household', 1, 'delete', NULL)", (a_id,))
    with pytest.raises(sync.CountyError) as err:  # B's role sending A's file: refused, nothing merged
        sync.sync(post_db, as_b)
    assert err.value.key == "county.not_this_role"
    with psycopg.connect(as_b) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("UPDATE county.row_current SET data = '{}' WHERE post_id = %s", (a_id,))
    with psycopg.connect(as_b) as conn:  # nor read them: a post sees only where its own sync stands
        assert conn.execute("SELECT count(*) FROM county.change WHERE post_id = %s", (a_id,)).fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM county.change").fetchone()[0] > 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT count(*) FROM county.row_current")


def test_county_users_read_and_never_write(post_db, pg_cluster, county_url):
    reader = _role(pg_cluster, county_url, "county_reader")
    sync.sync(post_db, county_url)
    with psycopg.connect(reader) as conn:
        figures = board.posts(conn, 1649554200, (1649599200, 1649631600), "2022-04-10")
        assert [f.households for f in figures] == [post_db.execute_sql("SELECT count(*) FROM household").fetchone()[0]]
        for statement in ("DELETE FROM county.row_current", "INSERT INTO county.quarantine (post_id, reason)"
                          " SELECT post_id, 'x' FROM county.post", "UPDATE county.post SET name = 'x'"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
            conn.rollback()
    with pytest.raises(sync.CountyError) as err:
        sync.sync(post_db, reader)
    assert err.value.key == "county.not_permitted"
