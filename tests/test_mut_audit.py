"""Tests aimed at the mutants of db/audit/guard.py and db/audit/trail.py that survived the suite (issue 21)."""

from __future__ import annotations

import getpass
import threading

import pytest

from db.accounts import operators as accounts
from db.audit import guard as guard_module
from db.audit import trail as audit
from db.audit.guard import Guard, guard_of
from db.connection import open_database
from db.errors import NotPermitted
from db.grids import household_search

NOW = 1_650_000_000
PIN = "246810"


def test_with_no_login_name_the_trail_names_an_unknown_actor(monkeypatch):
    # Some containers report no login name at all: the entry still names someone, "?", never a made-up
    # name nor an error at start-up.
    def no_login_name():
        raise OSError("no login name")

    monkeypatch.setattr(getpass, "getuser", no_login_name)
    assert guard_module._login_name() == "?"
    assert Guard().actor() == "?"


def test_the_chain_link_is_declared_pure_to_sqlite(post_db):
    # The same entry always gives the same hash: SQLite may then use it where only a pure function may
    # stand (a generated column, an index), and may call it once for a repeated expression.
    post_db.execute_sql(
        "CREATE TEMP TABLE relinked (prev TEXT, link AS (cmdpost_chain(prev, 1, 'a', 'b', 'c', 2, 3, NULL, NULL)))"
    )
    post_db.execute_sql("INSERT INTO temp.relinked (prev) VALUES ('')")
    link = post_db.execute_sql("SELECT link FROM temp.relinked").fetchone()[0]
    assert link == guard_module.chain_hash("", 1, "a", "b", "c", 2, 3, None, None)


@pytest.mark.parametrize("who", ["watch", None])
def test_a_supervisor_or_nobody_searches_households_on_a_fresh_connection(closed_post, db_path, who):
    # Connecting the search index makes SQLite ask to update sqlite_master, once per connection: a read,
    # which the guard lets through for every role (SQLite itself refuses a real write there).
    closed_post.close()
    database = open_database(db_path)
    try:
        if who:
            accounts.sign_in(who, PIN, now=NOW)
        assert household_search.search_count("花厅口村1") > 0
    finally:
        database.close()


def test_a_pin_checked_on_another_thread_lets_nothing_be_written_here(closed_post):
    # The UI thread's connection shares the guard with the database thread: a right PIN being recorded
    # on one must not let the other, with nobody signed in, append to the trail.
    account_id = closed_post.execute_sql("SELECT id FROM account WHERE name = 'op'").fetchone()[0]
    entered, done = threading.Event(), threading.Event()

    def signing_in():
        with guard_of(closed_post).pin_checked(account_id):
            entered.set()
            done.wait(10)  # not a speed limit: only stops a failed test from hanging

    other = threading.Thread(target=signing_in)
    other.start()
    try:
        entered.wait(10)
        entries = audit.count_entries()
        with pytest.raises(NotPermitted):
            audit.record_event("sign_in", {"name": "op", "role": "operator"})
        assert audit.count_entries() == entries
    finally:
        done.set()
        other.join()
