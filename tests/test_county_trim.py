"""Trimming the post's outbox (db/county/trim.py): only what the county holds, numbers never reused."""

from __future__ import annotations

import shutil
import uuid

import psycopg
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from db.connection import open_database
from db.county import outbox, sync, trim
from db.grids import writes
from db.models import database_proxy
from db.records import HouseholdInput
from tests.conftest import build_small_post
from tests.county_pg import county_url, pg_cluster  # noqa: F401 - fixtures


def _county(url, sql, params=()):
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()


def _county_seqs(url, post_id):
    return [
        r[0]
        for r in _county(url, "SELECT seq FROM county.change WHERE post_id = %s ORDER BY seq", (post_id,))
    ]


def _post_seqs(database):
    return [r[0] for r in database.execute_sql("SELECT seq FROM sync_outbox ORDER BY seq").fetchall()]


def _households_here(database):
    return {r[0] for r in database.execute_sql("SELECT id FROM household").fetchall()}


def _households_there(url, post_id):
    return {
        r[0]
        for r in _county(
            url,
            "SELECT row_id FROM county.row_current WHERE post_id = %s AND table_name = 'household'",
            (post_id,),
        )
    }


_doors = iter(range(10**9))


def _new_households(n):
    writes.upsert_households(
        [HouseholdInput("3", f"新户{next(_doors)}号", 2, "", "", "", "") for _ in range(n)], actor="test"
    )


def test_a_trimmed_post_syncs_its_next_changes_with_no_gap_and_no_duplicate(post_db, county_url):
    uid = outbox.identity(post_db).uid
    result = sync.sync(post_db, county_url, trim_after_hours=0)
    assert result.aged_seq == result.last_seq
    assert trim.trim(post_db, result.last_seq, result.aged_seq, keep=0) == result.last_seq - 1
    assert _post_seqs(post_db) == [result.last_seq]  # the county's newest stays: the next sync compares it
    _new_households(3)
    assert _post_seqs(post_db)[1] == result.last_seq + 1  # the numbers go on
    again = sync.sync(post_db, county_url)
    assert again.sent >= 3 and _county_seqs(county_url, uid) == list(range(1, again.last_seq + 1))
    assert _households_there(county_url, uid) == _households_here(post_db)


def test_the_numbers_go_on_when_every_line_but_the_last_is_trimmed_and_that_too_is_deleted(
    post_db, county_url
):
    result = sync.sync(post_db, county_url, trim_after_hours=0)
    trim.trim(post_db, result.last_seq, result.aged_seq, keep=0)
    with post_db.guard.system():  # even a file whose outbox was emptied by hand never reuses a number
        post_db.execute_sql("DELETE FROM sync_outbox")
    assert outbox.identity(post_db).last_seq == result.last_seq
    _new_households(1)
    assert min(_post_seqs(post_db)) == result.last_seq + 1


def test_nothing_the_county_lacks_is_ever_trimmed(post_db, county_url):
    result = sync.sync(post_db, county_url, trim_after_hours=0)
    _new_households(5)
    unsent = [s for s in _post_seqs(post_db) if s > result.last_seq]
    trim.trim(post_db, result.last_seq, result.aged_seq, keep=0)
    assert set(unsent) <= set(_post_seqs(post_db))
    # a county claiming more than this file holds (another file, a forged answer) trims nothing
    before = _post_seqs(post_db)
    assert trim.trim(post_db, 10**9, 10**9, keep=0) == 0 and _post_seqs(post_db) == before


def test_lines_stay_until_the_county_has_held_them_long_enough_and_the_newest_are_kept(post_db, county_url):
    uid = outbox.identity(post_db).uid
    result = sync.sync(post_db, county_url, trim_after_hours=2)
    assert result.aged_seq == 0 and trim.trim(post_db, result.last_seq, result.aged_seq, keep=0) == 0
    half = result.last_seq // 2
    with psycopg.connect(county_url) as conn:  # the first half arrived three hours ago
        conn.execute("ALTER TABLE county.change DISABLE TRIGGER change_append_only")
        conn.execute(
            "UPDATE county.change SET received_at = now() - interval '3 hours'"
            " WHERE post_id = %s AND seq <= %s",
            (uid, half),
        )
        conn.execute("ALTER TABLE county.change ENABLE TRIGGER change_append_only")
    result = sync.sync(post_db, county_url, trim_after_hours=2)
    assert result.aged_seq == half
    assert (
        trim.trim(post_db, result.last_seq, result.aged_seq, keep=result.last_seq - 10) == 10
    )  # the count holds
    assert trim.trim(post_db, result.last_seq, result.aged_seq, keep=0) == half - 10  # the interval holds
    assert min(_post_seqs(post_db)) == half + 1


def test_a_county_behind_what_the_post_has_trimmed_is_told_in_one_line(post_db, county_url, pg_cluster):
    result = sync.sync(post_db, county_url, trim_after_hours=0)
    trim.trim(post_db, result.last_seq, result.aged_seq, keep=0)
    with psycopg.connect(
        pg_cluster.url(), autocommit=True
    ) as admin:  # a county restored from an empty backup
        admin.execute("CREATE DATABASE county_restored")
    restored = pg_cluster.url("county_restored")
    try:
        from db.county import pg_schema

        with psycopg.connect(restored) as conn:
            pg_schema.install(conn)
        with pytest.raises(sync.CountyError) as err:
            sync.sync(post_db, restored)
        assert err.value.key == "county.post_trimmed" and err.value.params["first"] == result.last_seq
        assert _county(restored, "SELECT count(*) FROM county.change") == [(0,)]
    finally:
        with psycopg.connect(pg_cluster.url(), autocommit=True) as admin:
            admin.execute("DROP DATABASE county_restored WITH (FORCE)")


def test_the_sync_command_trims_as_config_yaml_says(post_db, db_path, county_url, tmp_path, capsys):
    from console.cli import main

    config = tmp_path / "config.yaml"
    config.write_text("county:\n  trim_after_hours: 0\n  keep_synced: 5\n", encoding="utf-8")
    assert main(["sync", "--db", str(db_path), "--to", county_url]) == 0  # the defaults: 72 hours
    assert len(_post_seqs(post_db)) == outbox.identity(post_db).last_seq
    database_proxy.initialize(post_db)  # the command left its own read-only connection there
    _new_households(1)
    assert main(["--config", str(config), "sync", "--db", str(db_path), "--to", county_url]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 2 and "已清理" in out[1]
    assert len(_post_seqs(post_db)) == 5  # the newest keep_synced


# --- any sequence of changes, syncs (some cut off mid-way) and trims ---


class Cut(Exception):
    """A sync cut off with a batch written and not committed."""


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("trim") / "template.db"
    database = open_database(path)
    build_small_post()
    database.close()
    return path


def _fresh_post(template, folder):
    path = folder / f"{uuid.uuid4().hex}.db"
    shutil.copyfile(template, path)
    database = open_database(path)
    with database.guard.system():
        database.execute_sql("UPDATE post_meta SET value = ? WHERE key = 'post_uid'", (uuid.uuid4().hex,))
    return database


# Each step makes some changes (or none), deletes a household or not, then syncs, is cut off
# mid-sync, or trims: so there are unsent lines at most trims.
OPS = st.lists(
    st.tuples(
        st.integers(0, 8),
        st.one_of(st.none(), st.integers(0, 40)),
        st.one_of(
            st.tuples(st.just("sync"), st.integers(1, 40)),
            st.tuples(st.just("cut"), st.integers(1, 40), st.integers(1, 3)),
            st.tuples(st.just("trim"), st.integers(0, 8), st.booleans()),
        ),
    ),
    max_size=8,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
@example(ops=[(0, None, ("sync", 40)), (3, None, ("trim", 0, True))])  # unsent lines at a trim
def test_any_run_of_changes_syncs_and_trims_loses_nothing_unsent(template, tmp_path, county_url, ops):
    database = _fresh_post(template, tmp_path)
    try:
        uid = outbox.identity(database).uid
        first_meaning = {}  # every line's (table, row, op) as first seen: a number never means two changes
        results = []
        for changes, delete, op in ops:
            if changes:
                _new_households(changes)
            if delete is not None:
                database.execute_sql(
                    "DELETE FROM household WHERE id = (SELECT id FROM household ORDER BY id"
                    " LIMIT 1 OFFSET ?)",
                    (delete,),
                )
            if op[0] == "sync":
                results.append(sync.sync(database, county_url, batch=op[1], trim_after_hours=0))
            elif op[0] == "cut":

                def cut(n, at=op[2]):
                    if n == at:
                        raise Cut

                try:
                    results.append(
                        sync.sync(database, county_url, batch=op[1], before_commit=cut, trim_after_hours=0)
                    )
                except Cut:
                    pass
            elif results:  # a trim after the newest sync, or (stale) after the first one
                r = results[-1] if op[2] else results[0]
                trim.trim(database, r.last_seq, r.aged_seq, keep=op[1])
            for seq, table, row_id, line_op in database.execute_sql(
                "SELECT seq, table_name, row_id, op FROM sync_outbox"
            ).fetchall():
                assert first_meaning.setdefault(seq, (table, row_id, line_op)) == (table, row_id, line_op)
            held = _county_seqs(county_url, uid)
            assert held == list(range(1, len(held) + 1))
            post_last = outbox.identity(database).last_seq
            assert set(range(len(held) + 1, post_last + 1)) <= set(_post_seqs(database)), (
                "an unsent line went"
            )
        final = sync.sync(database, county_url, batch=25)
        assert _county_seqs(county_url, uid) == list(range(1, outbox.identity(database).last_seq + 1))
        assert final.last_seq == outbox.identity(database).last_seq
        assert _households_there(county_url, uid) == _households_here(database)
        there = dict(
            (
                (s, (t, r, o))
                for s, t, r, o in _county(
                    county_url,
                    "SELECT seq, table_name, row_id, op FROM county.change WHERE post_id = %s",
                    (uid,),
                )
            )
        )
        for seq, meaning in first_meaning.items():
            assert there[seq][:2] == meaning[:2]
    finally:
        database.close()
