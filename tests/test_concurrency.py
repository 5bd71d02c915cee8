"""Concurrent use: several writers, a supervisor's read-only reader and a backup on one file at once.

Four writer processes make real db/ writes (one household per call, each its own transaction)
while a bulk import writes thousands of rows in one transaction; a read-only process polls the
file the way ``cmdpost supervise`` does and must see each marker row the test writes within
seconds; a backup runs in the middle of it all. No error may surface anywhere ("database is
locked" included), and at the end every row is counted: nothing lost, nothing doubled.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time
import traceback

import pytest

from db.backup import copies as backup
from db.connection import open_database, open_readonly
from db.grids import writes
from db.records import GridInput, HouseholdInput

WRITERS = 4
WRITES_EACH = 120
BULK_ROWS = 5_000
MARKERS = 10
pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")


def writer(path: str, number: int, results) -> None:
    try:
        open_database(path)
        for n in range(WRITES_EACH):
            writes.upsert_households(
                [HouseholdInput("1", f"写{number}-{n}号", 1 + n % 5)], actor=f"writer{number}"
            )
        results.put(("writer", number, WRITES_EACH, None))
    except BaseException:
        results.put(("writer", number, None, traceback.format_exc()))


def bulk(path: str, results) -> None:
    try:
        open_database(path)
        rows = [HouseholdInput("2", f"导入{n}号", 2) for n in range(BULK_ROWS)]
        outcome = writes.upsert_households(rows, actor="cmdpost import")
        results.put(("bulk", 0, outcome.created, None))
    except BaseException:
        results.put(("bulk", 0, None, traceback.format_exc()))


def reader(path: str, markers, results) -> None:
    """The supervisor: polls read-only, and reports how long each marker took to become visible."""
    try:
        database = open_readonly(path)
        pending: dict[str, float] = {}
        seen = polls = 0
        while seen < MARKERS:
            try:
                while True:
                    door = markers.get_nowait()
                    pending[door] = time.monotonic()
            except queue.Empty:
                pass
            polls += 1
            database.execute_sql("SELECT count(*) FROM household").fetchone()
            for door in [
                d
                for d in pending
                if database.execute_sql("SELECT 1 FROM household WHERE door = ?", (d,)).fetchone()
            ]:
                results.put(("seen", door, time.monotonic() - pending.pop(door), None))
                seen += 1
            time.sleep(0.05)
        results.put(("reader", 0, (polls, seen), None))
    except BaseException:
        results.put(("reader", 0, None, traceback.format_exc()))


def test_writers_reader_and_backup_together_lose_nothing_and_never_see_locked(tmp_path):
    path = tmp_path / "post.db"
    database = open_database(path)
    writes.upsert_grids(
        [GridInput("1", "第一网格", "封控区"), GridInput("2", "第二网格", "管控区")], actor="test"
    )
    database.close()
    fork = multiprocessing.get_context("fork")
    results, markers = fork.Queue(), fork.Queue()
    procs = [fork.Process(target=reader, args=(str(path), markers, results))]
    procs += [fork.Process(target=writer, args=(str(path), k, results)) for k in range(WRITERS)]
    procs.append(fork.Process(target=bulk, args=(str(path), results)))
    for proc in procs:
        proc.start()
    database = open_database(path)  # this test is the operator's console: it writes the markers
    copies, backup_errors = [], []

    def take_backup() -> None:
        try:
            copies.append(backup.backup_database(path, tmp_path / "during.db", pages=8))
        except Exception as exc:  # reported below, never swallowed
            backup_errors.append(repr(exc))

    backup_thread = threading.Thread(target=take_backup)
    try:
        for m in range(MARKERS):
            writes.upsert_households([HouseholdInput("1", f"标记{m}号", 1)], actor="operator")
            markers.put(f"标记{m}号")
            if m == 2:
                backup_thread.start()
            time.sleep(0.1)
        backup_thread.join(60)
        outcomes, latencies, errors = {}, [], []
        deadline = (
            time.monotonic() + 60
        )  # not a speed limit: only stops a stuck process from hanging the suite
        while len(outcomes) < WRITERS + 2 and time.monotonic() < deadline:
            kind, who, value, error = results.get(timeout=max(0.1, deadline - time.monotonic()))
            if error:
                errors.append(f"{kind} {who}: {error}")
            if kind == "seen":
                latencies.append(value)
            else:
                outcomes[(kind, who)] = value
    finally:
        for proc in procs:
            proc.join(30)
            if proc.is_alive():
                proc.kill()
    assert errors == [] and backup_errors == []
    assert not any("locked" in text for text in errors + backup_errors)
    assert all(outcomes[("writer", k)] == WRITES_EACH for k in range(WRITERS))
    assert outcomes[("bulk", 0)] == BULK_ROWS
    assert len(latencies) == MARKERS  # how soon the reader saw each is for a benchmark, not a test
    polls, seen = outcomes[("reader", 0)]
    assert seen == MARKERS and polls >= 1
    rows = database.execute_sql("SELECT count(*), count(DISTINCT door) FROM household").fetchone()
    assert rows == (WRITERS * WRITES_EACH + BULK_ROWS + MARKERS,) * 2
    for k in range(WRITERS):
        assert (
            database.execute_sql(
                "SELECT count(*) FROM household WHERE door LIKE ?", (f"写{k}-%",)
            ).fetchone()[0]
            == WRITES_EACH
        )
    database.close()
    copy = copies[0].path
    assert backup.check_backup(copy) >= 1  # the copy taken mid-run is itself sound


def _hold_write_lock(
    path, seconds: float, held: threading.Event, committed: threading.Event | None = None
) -> None:
    """Another process's long import: the write lock taken and kept for ``seconds``."""
    import sqlite3

    con = sqlite3.connect(path, isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    held.set()
    time.sleep(seconds)
    con.execute("COMMIT")
    if committed is not None:
        committed.set()
    con.close()


def test_a_write_waits_its_turn_behind_a_long_one(post_db, db_path):
    held, committed = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(db_path, 1.5, held, committed))
    holder.start()
    assert held.wait(10)
    writes.upsert_households([HouseholdInput("1-1", "排队1号", 1)], actor="operator")  # no error: it waited
    assert committed.is_set()  # it really was behind the other write, which had finished first
    holder.join()
    assert post_db.execute_sql("SELECT count(*) FROM household WHERE door = '排队1号'").fetchone()[0] == 1


def test_when_the_wait_runs_out_the_cli_says_busy_plainly(post_db, db_path, monkeypatch, capsys):
    from console.cli import main
    from db import connection

    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 300)
    monkeypatch.setitem(connection.PRAGMAS, "busy_timeout", 300)
    post_db.close()
    held = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(db_path, 3, held))
    holder.start()
    assert held.wait(10)
    try:
        code = main(
            ["--db", str(db_path), "supply", "item", "add", "大米", "--unit", "袋", "--category", "grain_oil"]
        )
    finally:
        holder.join()
    err = capsys.readouterr().err
    assert code == 1
    assert "数据库正忙" in err and "locked" not in err and "Traceback" not in err
