"""Tests aimed at the mutants of db/audit/guard.py and db/audit/trail.py that survived the suite (issue 21)."""

from __future__ import annotations

import getpass

from db.audit import guard as guard_module
from db.audit.guard import Guard


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
