"""The county sync: outbox batches to PostgreSQL, idempotent, resumable, checked as they arrive."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from db.county import outbox, sync
from db.grids import writes
from db.records import GridInput, HouseholdInput
from tests.conftest import build_small_post
from tests.county_pg import county_url, pg_cluster  # noqa: F401 - fixtures

ROOT = Path(__file__).resolve().parent.parent


def _county(url, sql, params=()):
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()


def _current(url, table):
    return {
        r[0]: r[1]
        for r in _county(url, "SELECT row_id, data FROM county.row_current WHERE table_name = %s", (table,))
    }


def _seqs(url):
    return [r[0] for r in _county(url, "SELECT seq FROM county.change ORDER BY seq")]


def test_first_sync_sends_every_row(post_db, county_url):
    ident = outbox.identity(post_db)
    result = sync.sync(post_db, county_url, batch=50)
    assert result.sent == ident.last_seq and result.batches > 1
    households = _current(county_url, "household")
    assert len(households) == post_db.execute_sql("SELECT count(*) FROM household").fetchone()[0]
    assert _seqs(county_url) == list(range(1, ident.last_seq + 1))
    again = sync.sync(post_db, county_url, batch=50)
    assert again.sent == 0 and _seqs(county_url) == list(range(1, ident.last_seq + 1))


def test_changes_and_deletes_arrive_and_the_record_keeps_every_version(post_db, county_url):
    sync.sync(post_db, county_url)
    row_id, door = post_db.execute_sql("SELECT id, door FROM household ORDER BY id LIMIT 1").fetchone()
    grid = post_db.execute_sql(
        "SELECT g.code FROM household h JOIN grid g ON g.id = h.grid_id WHERE h.id = ?", (row_id,)
    ).fetchone()[0]
    writes.upsert_households([HouseholdInput(grid, door, 9, "新户主", "", "", "")], actor="test")
    post_db.execute_sql("DELETE FROM household WHERE id = (SELECT max(id) FROM household)")
    gone = post_db.execute_sql("SELECT max(seq) FROM sync_outbox").fetchone()[0]
    result = sync.sync(post_db, county_url)
    assert result.sent >= 2
    now = _current(county_url, "household")
    assert now[row_id]["people"] == 9 and now[row_id]["head_name"] == "新户主"
    assert len(now) == post_db.execute_sql("SELECT count(*) FROM household").fetchone()[0]
    versions = _county(
        county_url,
        "SELECT data->>'people' FROM county.change WHERE table_name = 'household'"
        " AND row_id = %s ORDER BY seq",
        (row_id,),
    )
    assert len(versions) == 2 and versions[-1][0] == "9"
    assert _county(county_url, "SELECT op FROM county.change WHERE seq = %s", (gone,))[0][0] == "delete"
    # the kept totals the board reads follow the update and the delete
    assert _county(county_url, "SELECT households, residents FROM county.post_totals") == [
        post_db.execute_sql("SELECT count(*), sum(people) FROM household").fetchone()
    ]


def test_the_county_record_is_never_edited_in_place(post_db, county_url):
    sync.sync(post_db, county_url)
    for statement in ("UPDATE county.change SET data = '{}'", "DELETE FROM county.change"):
        with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
            _county(county_url, statement)


def test_a_bulk_import_still_reaches_the_outbox(post_db, county_url):
    before = post_db.execute_sql("SELECT count(*) FROM sync_outbox").fetchone()[0]
    writes.upsert_households(
        [HouseholdInput("3", f"批量{n}号", 2, "", "", "", "") for n in range(800)], actor="test"
    )
    lines = post_db.execute_sql(
        "SELECT count(*) FROM sync_outbox WHERE table_name = 'household' AND seq > ?", (before,)
    ).fetchone()[0]
    assert lines == 800
    sync.sync(post_db, county_url)
    assert (
        len(_current(county_url, "household"))
        == post_db.execute_sql("SELECT count(*) FROM household").fetchone()[0]
    )


KILLED_SYNC = """
import os, sys, time
sys.path.insert(0, {root!r})
from db.connection import open_readonly
from db.county import sync
database = open_readonly({path!r})
def hold(batch):
    if batch == 3:
        print("written", flush=True)
        time.sleep(120)
sync.sync(database, {url!r}, batch=7, before_commit=hold)
"""


def test_a_sync_killed_mid_batch_resumes_with_no_duplicate_and_no_gap(post_db, db_path, county_url):
    last = outbox.identity(post_db).last_seq
    script = KILLED_SYNC.format(root=str(ROOT), path=str(db_path), url=county_url)
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "written"  # batch 3 inserted, not committed
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert _seqs(county_url) == list(range(1, 15))  # batches 1 and 2 committed; 3 rolled back
    result = sync.sync(post_db, county_url, batch=7)
    assert result.sent == last - 14
    assert _seqs(county_url) == list(range(1, last + 1))
    assert (
        len(_current(county_url, "household"))
        == post_db.execute_sql("SELECT count(*) FROM household").fetchone()[0]
    )


def test_a_post_whose_chain_does_not_verify_is_quarantined_never_merged(post_db, county_url, monkeypatch):
    real = outbox.read_batch

    def altered(database, after, limit):
        changes = real(database, after, limit)
        out = []
        for c in changes:
            if c.table == "audit_entry" and c.row_id == 2:
                c = c._replace(data={**c.data, "actor": "someone else"})
            out.append(c)
        return out

    monkeypatch.setattr(outbox, "read_batch", altered)
    with pytest.raises(sync.CountyError) as refused:
        sync.sync(post_db, county_url)
    assert refused.value.key == "county.chain_broken" and "altered" in refused.value.params["reason"]
    assert _county(county_url, "SELECT count(*) FROM county.row_current")[0][0] == 0
    assert _county(county_url, "SELECT count(*) FROM county.quarantine")[0][0] == 1
    monkeypatch.setattr(outbox, "read_batch", real)
    with pytest.raises(sync.CountyError) as again:
        sync.sync(post_db, county_url)
    assert again.value.key == "county.quarantined"


def test_a_verified_chain_is_followed_across_batches(post_db, county_url):
    sync.sync(post_db, county_url, batch=3)
    entries = post_db.execute_sql(
        "SELECT count(*), max(hash) FILTER (WHERE id = (SELECT max(id) FROM audit_entry)) FROM audit_entry"
    ).fetchone()
    state = _county(county_url, "SELECT chain_last_id, chain_head FROM county.post_state")[0]
    assert state == (entries[0], entries[1])


@pytest.mark.parametrize(
    "url, key",
    [
        ("mysql://x@y/z", "county.bad_url"),
        ("postgresql://nobody@/x?host=/nonexistent-cmdpost-socket", "county.unreachable"),
        ("postgresql://x@/y?nonsense=1", "county.bad_url_reason"),
        ("postgresql://x@[::1/y", "county.bad_url_reason"),
    ],
)
def test_a_bad_address_gives_one_line(post_db, url, key):
    with pytest.raises(sync.CountyError) as err:
        sync.sync(post_db, url)
    assert err.value.key == key


def test_a_wrong_password_gives_one_line_and_the_post_goes_on(post_db, pg_cluster, county_url):
    wrong = county_url.replace(f":{pg_cluster.password}@", ":wrong@")
    with pytest.raises(sync.CountyError) as err:
        sync.sync(post_db, wrong)
    assert err.value.key == "county.unreachable" and "password" in err.value.params["reason"]
    assert "wrong" not in err.value.params["reason"]
    writes.upsert_households([HouseholdInput("3", "离线1号", 2, "", "", "", "")], actor="test")


def test_a_post_on_an_older_schema_syncs_what_it_has(tmp_path, county_url, capsys):
    from console.cli import main
    from db.audit.guard import PostDatabase
    from db.connection import PRAGMAS, migrate
    from db.models import database_proxy

    path = tmp_path / "old.db"
    old = PostDatabase(str(path), pragmas=PRAGMAS, lock_type="IMMEDIATE")
    old.connect()
    migrate(old, path, target=9)
    database_proxy.initialize(old)
    build_small_post()
    households = old.execute_sql("SELECT count(*) FROM household").fetchone()[0]
    old.close()
    assert main(["sync", "--db", str(path), "--to", county_url]) == 0
    assert len(_current(county_url, "household")) == households
    assert "county" not in capsys.readouterr().err


def test_a_county_database_not_set_up_says_so(post_db, pg_cluster):
    with pytest.raises(sync.CountyError) as err:
        sync.sync(post_db, pg_cluster.url("postgres"))
    assert err.value.key == "county.not_set_up"


def test_another_file_under_the_same_post_id_is_refused(post_db, tmp_path, county_url):
    from db.connection import open_database

    sync.sync(post_db, county_url)
    uid = outbox.identity(post_db).uid
    other = open_database(tmp_path / "other.db")
    writes.upsert_grids([GridInput("9", "别处")], actor="test")
    build_small_post()
    writes.upsert_households(
        [HouseholdInput("9", f"别处{n}号", 1, "", "", "", "") for n in range(60)], actor="test"
    )
    with other.guard.system():
        other.execute_sql("UPDATE post_meta SET value = ? WHERE key = 'post_uid'", (uid,))
    with pytest.raises(sync.CountyError) as err:
        sync.sync(other, county_url)
    assert err.value.key in ("county.post_diverged", "county.post_behind")
    assert err.value.key == "county.post_diverged"
    other.close()
