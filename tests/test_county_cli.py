"""cmdpost sync / county on the command line, the county board through Pilot, the header's stamp."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.cli import main
from console.config import Config
from db.county import outbox, sync
from db.grids import writes
from db.records import HouseholdInput
from db.schema import SCHEMA_VERSION
from tests.conftest import make_app
from tests.county_pg import county_url, pg_cluster  # noqa: F401 - fixtures


def test_sync_prints_one_line_and_stamps_the_time(post_db, db_path, county_url, capsys):
    assert main(["sync", "--db", str(db_path), "--to", county_url]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "已向县级同步" in out[0]
    assert sync.last_sync(db_path) is not None
    assert main(["sync", "--db", str(db_path), "--to", county_url]) == 0
    assert "没有需要同步的新变更" in capsys.readouterr().out


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://nobody@/x?host=/nonexistent-cmdpost-socket",
        "http://county/x",
        "postgresql://a@/b?nonsense=1",
    ],
)
def test_a_county_out_of_reach_is_one_line_and_exit_1(post_db, db_path, url, capsys):
    assert main(["sync", "--db", str(db_path), "--to", url]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("cmdpost: ")
    assert not sync.stamp_path(db_path).exists()


def test_county_report_as_json_and_csv(post_db, db_path, county_url, capsys):
    main(["sync", "--db", str(db_path), "--to", county_url])
    capsys.readouterr()
    households = post_db.execute_sql("SELECT count(*), sum(people) FROM household").fetchone()
    assert main(["county", "report", "--db", county_url, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [(r["households"], r["residents"]) for r in report] == [households]
    assert {"open_now", "open_soon", "open_tonight", "post_id", "synced_at"} <= set(report[0])
    assert main(["county", "report", "--db", county_url, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0]["households"] == str(households[0])


def test_county_init_is_idempotent(county_url, capsys):
    assert main(["county", "init", "--db", county_url]) == 0
    assert main(["county", "init", "--db", county_url]) == 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk=st.text(max_size=40))
def test_any_address_gives_a_county_error_or_a_connection(junk):
    for url in (junk, f"postgresql://{junk}", f"postgresql://u@/db?host=/nonexistent-cmdpost&{junk}"):
        try:
            sync.connect(url).close()
        except sync.CountyError:
            pass


def test_the_outbox_covers_every_table_a_post_writes(post_db):
    tables = {
        r[0]
        for r in post_db.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name NOT LIKE '%_fts%' AND name NOT IN ('grid_total', 'round_total', 'supply_stock',"
            " 'sync_outbox', 'account')"
        )
    }
    triggers = {r[0] for r in post_db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    missing = [
        f"outbox_{t}_{op}"
        for t in sorted(tables)
        for op in ("insert", "update", "delete")
        if f"outbox_{t}_{op}" not in triggers
    ]
    assert not missing, "a table added by a migration needs outbox triggers (db/schema/v11.py)"
    assert SCHEMA_VERSION >= 10


def test_no_pin_hash_leaves_the_post(post_db):
    from db.accounts import operators

    operators.add_account("admin1", "admin", "482910", now=1649554200)
    changes = outbox.read_batch(post_db, 0, 100000)
    account_entries = [c for c in changes if c.table == "audit_entry" and c.data["table_name"] == "account"]
    assert account_entries  # the trail's record of the account goes, with the hash cut short
    hash_ = post_db.execute_sql("SELECT secret_hash FROM account").fetchone()[0]
    for change in changes:
        assert hash_ not in json.dumps(change.data)
        assert change.table != "account"
        assert "secret_hash" not in (change.data or {})


async def test_the_board_shows_each_post_and_follows_a_sync(post_db, db_path, county_url):
    from console.screens.county.board import CountyApp

    sync.sync(post_db, county_url)
    app = CountyApp(Config(), county_url)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):
            if app.loads:
                break
            await pilot.pause(0.05)
        table = app.query_one("#county-posts")
        assert table.row_count == 1 and app.figures[0].households == 41
        writes.upsert_households([HouseholdInput("3", "新来1号", 2, "", "", "", "")], actor="test")
        sync.sync(post_db, county_url)
        for _ in range(100):
            if app.figures and app.figures[0].households == 42:
                break
            await pilot.pause(0.05)
        assert app.figures[0].households == 42 and app.loads >= 2
        assert app.query_one("#county-grids").row_count == 3


async def test_the_board_says_in_one_line_when_the_county_is_out_of_reach():
    from console.screens.county.board import CountyApp

    app = CountyApp(Config(), "postgresql://nobody@/x?host=/nonexistent-cmdpost-socket")
    async with app.run_test() as pilot:
        for _ in range(100):
            if app.problem:
                break
            await pilot.pause(0.05)
        assert app.problem.startswith("无法连接县级数据库")


async def test_the_console_header_shows_when_the_post_last_synced(post_db, db_path):
    app = make_app(db_path)
    assert "已同步" not in app.header_status()
    sync.record_sync(db_path, sync.SyncResult("0" * 32, 1, 1, 1), "postgresql://u@county/x")
    assert "已同步" in app.header_status()


def test_the_boards_open_places_are_the_posts_own_headline(tmp_path, county_url):
    """The county counts open places from the synced rows as the post's coverage board counts them."""
    import time

    import psycopg

    from console.cli.demo import build_demo
    from db.connection import open_database
    from db.county import board
    from db.roster.queries import headline
    from db.roster.settings import Duty

    path = tmp_path / "village.db"
    build_demo(path, "village", 1, progress=lambda *a, **k: None)
    database = open_database(path)
    try:
        with database.guard.system():  # no-shows and removed places count as open, at both ends
            database.execute_sql("UPDATE assignment SET state = 'no_show' WHERE id % 5 = 0")
            database.execute_sql("UPDATE assignment SET removed_at = created_at WHERE id % 5 = 1")
        sync.sync(database, county_url)
        duty = Duty(Config().rules, Config().tz)
        starts = [
            r[0] for r in database.execute_sql("SELECT starts_at FROM shift ORDER BY starts_at").fetchall()
        ]
        moments = [
            int(time.time()),
            starts[len(starts) // 2] + 600,
            starts[len(starts) // 3] - 1800,
            starts[-1] - 7200,
        ]
        with psycopg.connect(county_url) as conn:
            for now in moments:
                mine = headline(now, duty)
                (county,) = board.posts(conn, *board.moment(duty, now))
                assert (county.open_now, county.open_soon, county.open_tonight) == (
                    mine.now,
                    mine.next_3h,
                    mine.tonight,
                ), now
            assert any(board.posts(conn, *board.moment(duty, now))[0].open_soon for now in moments)
    finally:
        database.close()


async def test_a_slow_read_that_ends_after_a_newer_one_never_shows_its_older_figures(monkeypatch):
    """During a county-size sync a read takes seconds: two reloads may end in the wrong order."""
    import threading

    from console.screens.county import board as board_screen
    from console.screens.county.board import CountyApp
    from db.county import board

    def figures(households):
        return [board.PostFigures("a" * 32, "甲", households, 0, 0, 0, 0, None, 0, 0, None, False)]

    first_started, release = threading.Event(), threading.Event()
    calls = []

    def posts(conn, *args):
        calls.append(1)
        if len(calls) == 1:  # the older read: still running when the newer one starts and ends
            first_started.set()
            release.wait(10)
            return figures(1)
        return figures(2)

    class Connection:
        def close(self):
            pass

    monkeypatch.setattr(board_screen.board, "posts", posts)
    monkeypatch.setattr(board_screen.board, "grid_coverage", lambda conn, post_id: [])
    monkeypatch.setattr(CountyApp, "listen", lambda self: None)
    monkeypatch.setattr(CountyApp, "_connect", lambda self: Connection())
    app = CountyApp(Config(), "postgresql://unused@/x")

    async def until(condition) -> None:
        for _ in range(1500):  # a generous bound (30 s) that only stops a hang, not a measure of speed
            if condition():
                return
            await pilot.pause(0.02)

    async with app.run_test() as pilot:
        await until(first_started.is_set)
        app.load()  # a sync's notify: the newer read
        await until(lambda: app.loads)
        release.set()
        # Not workers.wait_for_complete(): it raises WorkerCancelled for the older read when that read
        # is still finishing (a loaded machine), which is the very thing under test.
        await until(lambda: not any(worker.is_running for worker in app.workers))
        await pilot.pause(0.1)
        assert [f.households for f in app.figures] == [2] and app.loads == 1
