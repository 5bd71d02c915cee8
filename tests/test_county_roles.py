"""Who may write what at the county: a post only its own rows; county users read, never write."""

from __future__ import annotations

import itertools
import json
import os
from urllib.parse import quote

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.connection import open_database
from db.county import board, outbox, pg_access, sync
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
        conn.execute(
            "INSERT INTO county.change (post_id, seq, table_name, row_id, op, data)"
            " VALUES (%s, 100000, 'household', 1, 'delete', NULL)",
            (a_id,),
        )
    with pytest.raises(sync.CountyError) as err:  # B's role sending A's file: refused, nothing merged
        sync.sync(post_db, as_b)
    assert err.value.key == "county.not_this_role"
    with psycopg.connect(as_b) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("UPDATE county.row_current SET data = '{}' WHERE post_id = %s", (a_id,))
    with psycopg.connect(as_b) as conn:  # nor read them: a post sees only where its own sync stands
        assert (
            conn.execute("SELECT count(*) FROM county.change WHERE post_id = %s", (a_id,)).fetchone()[0] == 0
        )
        assert conn.execute("SELECT count(*) FROM county.change").fetchone()[0] > 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT count(*) FROM county.row_current")


def test_county_users_read_and_never_write(post_db, pg_cluster, county_url):
    reader = _role(pg_cluster, county_url, "county_reader")
    sync.sync(post_db, county_url)
    with psycopg.connect(reader) as conn:
        figures = board.posts(conn, 1649554200, (1649599200, 1649631600), "2022-04-10")
        assert [f.households for f in figures] == [
            post_db.execute_sql("SELECT count(*) FROM household").fetchone()[0]
        ]
        for statement in (
            "DELETE FROM county.row_current",
            "INSERT INTO county.quarantine (post_id, reason) SELECT post_id, 'x' FROM county.post",
            "UPDATE county.post SET name = 'x'",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
            conn.rollback()
    with pytest.raises(sync.CountyError) as err:
        sync.sync(post_db, reader)
    assert err.value.key == "county.not_permitted"


# --- county users bound to one post (row-level security on every table holding a post's rows) ---


def _user_url(url: str, name: str, password: str) -> str:
    database = url.split("@/")[1].split("?")[0]
    return url.split("://")[0] + f"://{name}:{quote(password)}@/{database}?" + url.split("?", 1)[1]


def _add_user(url, monkeypatch, name, post=None):
    from console.cli import main

    monkeypatch.setenv("CMDPOST_COUNTY_PASSWORD", f"pw {name} ü")
    argv = ["county", "user", "add", name, "--db", url] + (["--post", post] if post else [])
    assert main(argv) == 0
    return _user_url(url, name, f"pw {name} ü")


def _user_name():
    return f"u{os.getpid()}_{next(_numbers)}"


@pytest.fixture
def two_posts(post_db, second_post, county_url):
    sync.sync(post_db, county_url)
    sync.sync(second_post, county_url)
    return outbox.identity(post_db).uid, outbox.identity(second_post).uid


def _posts_seen(conn) -> dict[str, set[str]]:
    return {
        table: {r[0] for r in conn.execute(f"SELECT DISTINCT post_id FROM county.{table}").fetchall()}
        for table in pg_access.POST_TABLES
    }


def test_a_post_bound_user_reads_its_post_only_and_the_county_reader_all(two_posts, county_url, monkeypatch):
    a, b = two_posts
    bound = _add_user(county_url, monkeypatch, _user_name(), post=a)
    everyone = _add_user(county_url, monkeypatch, _user_name())
    with psycopg.connect(bound) as conn:
        seen = _posts_seen(conn)
        assert all(posts <= {a} for posts in seen.values()), seen
        assert seen["row_current"] == seen["change"] == seen["post"] == {a}
        for table in ("change", "row_current", "post_state", "post_totals", "verify_key", "post"):
            assert (
                conn.execute(f"SELECT count(*) FROM county.{table} WHERE post_id = %s", (b,)).fetchone()[0]
                == 0
            )
        # nor through the planner's statistics, which hold sample values of a table's columns
        assert conn.execute("SELECT count(*) FROM pg_stats WHERE schemaname = 'county'").fetchone()[0] == 0
        assert [f.post_id for f in board.posts(conn, 1649554200, (1649599200, 1649631600), "2022-04-10")] == [
            a
        ]
    with psycopg.connect(everyone) as conn:
        seen = _posts_seen(conn)
        assert seen["row_current"] == seen["change"] == seen["post"] == {a, b}
        assert len(board.posts(conn, 1649554200, (1649599200, 1649631600), "2022-04-10")) == 2


def test_a_post_bound_users_report_holds_its_post_only(two_posts, county_url, monkeypatch, capsys):
    from console.cli import main

    a, _ = two_posts
    bound = _add_user(county_url, monkeypatch, _user_name(), post=a)
    capsys.readouterr()
    assert main(["county", "report", "--db", bound, "--format", "json"]) == 0
    assert [r["post_id"] for r in json.loads(capsys.readouterr().out)] == [a]


async def test_a_post_bound_users_board_shows_its_post_only(two_posts, county_url, monkeypatch):
    from console.config import Config
    from console.screens.county.board import CountyApp

    a, _ = two_posts
    app = CountyApp(Config(), _add_user(county_url, monkeypatch, _user_name(), post=a))
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):
            if app.loads:
                break
            await pilot.pause(0.05)
        assert [f.post_id for f in app.figures] == [a]
        assert app.query_one("#county-posts").row_count == 1


def test_a_post_bound_user_writes_nothing_not_even_its_own_post(two_posts, county_url, monkeypatch, post_db):
    a, b = two_posts
    bound = _add_user(county_url, monkeypatch, _user_name(), post=a)
    me = bound.split("://")[1].split(":")[0]
    writes_ = [
        (
            "INSERT INTO county.change (post_id, seq, table_name, row_id, op) VALUES (%s, 999999, 'grid', 1, 'delete')",
        ),
        (
            "INSERT INTO county.row_current (post_id, table_name, row_id, seq, data) VALUES (%s, 'grid', 99, 1, '{}')",
        ),
        ("UPDATE county.row_current SET data = '{}' WHERE post_id = %s",),
        ("DELETE FROM county.row_current WHERE post_id = %s",),
        ("INSERT INTO county.quarantine (post_id, reason) VALUES (%s, 'x')",),
        ("INSERT INTO county.verify_key (post_id, public_pem) VALUES (%s, 'x')",),
        ("UPDATE county.post SET name = 'x' WHERE post_id = %s",),
        ("UPDATE county.post_totals SET households = 0 WHERE post_id = %s",),
        ("INSERT INTO county.reader_post (db_role, post_id) VALUES ('" + me + "', %s)",),
        ("DELETE FROM county.reader_post WHERE post_id = %s",),
    ]
    with psycopg.connect(bound) as conn:
        for (statement,) in writes_:
            for post in (a, b):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(statement, (post,))
                conn.rollback()
    with pytest.raises(sync.CountyError) as err:
        sync.sync(post_db, bound)
    assert err.value.key == "county.not_permitted"


def test_a_bound_user_given_the_county_wide_role_by_mistake_still_reads_its_post_only(
    two_posts, county_url, pg_cluster, monkeypatch
):
    a, _ = two_posts
    name = _user_name()
    bound = _add_user(county_url, monkeypatch, name, post=a)
    with psycopg.connect(county_url, autocommit=True) as admin:
        admin.execute(f"GRANT county_reader TO {name}")
    with psycopg.connect(bound) as conn:
        assert all(posts <= {a} for posts in _posts_seen(conn).values())


def test_adding_a_county_user_refuses_what_it_cannot_do_in_one_line(
    two_posts, county_url, monkeypatch, capsys
):
    from console.cli import main

    monkeypatch.setenv("CMDPOST_COUNTY_PASSWORD", "pw")
    taken = _user_name()
    _add_user(county_url, monkeypatch, taken)
    capsys.readouterr()
    for argv in (
        ["county", "user", "add", "Bad-Name"],
        ["county", "user", "add", "pg_x"],
        ["county", "user", "add", "county_reader"],
        ["county", "user", "add", taken],
        ["county", "user", "add", _user_name(), "--post", "0" * 32],
        ["county", "user", "add", _user_name(), "--post", "not-a-post"],
        ["county", "user", "remove", "x"],
        ["county", "user"],
        ["county", "report", "extra"],
        ["county", "init", "--post", two_posts[0]],
    ):
        assert main([*argv, "--db", county_url]) == 1, argv
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("cmdpost: "), (argv, err)
    with psycopg.connect(county_url) as conn:
        assert conn.execute("SELECT count(*) FROM county.reader_post").fetchone()[0] == 0
    monkeypatch.delenv("CMDPOST_COUNTY_PASSWORD")
    assert main(["county", "user", "add", _user_name(), "--db", county_url]) == 1  # no terminal to ask
    assert "CMDPOST_COUNTY_PASSWORD" in capsys.readouterr().err


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=70), post=st.one_of(st.none(), st.text(max_size=40)))
def test_any_user_name_or_post_id_is_made_exactly_as_given_or_refused(county_url, name, post):
    with psycopg.connect(county_url, autocommit=True) as conn:
        roles = conn.execute("SELECT count(*) FROM pg_roles").fetchone()[0]
        try:
            pg_access.add_user(conn, name, "pw", post)
        except pg_access.CountyUserError:
            assert conn.execute("SELECT count(*) FROM pg_roles").fetchone()[0] == roles
            return
        assert post is None and pg_access.ROLE_NAME.fullmatch(name)
        assert conn.execute("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", (name,)).fetchone() == (
            True,
        )
        conn.execute(f'DROP ROLE "{name}"')
