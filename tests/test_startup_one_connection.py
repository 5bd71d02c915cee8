"""The console's start opens the post on the database thread, which keeps the post's one connection:
opened on the main thread too, the schema was parsed and the connection's hooks installed twice."""

from __future__ import annotations

import threading

import pytest

from db.audit.guard import PostDatabase
from db.errors import DatabaseOpenError
from db.thread import open_with_first_look
from tests.conftest import FIXED_NOW

DAY = FIXED_NOW.date().isoformat()


def test_the_start_connects_to_the_post_once_on_its_database_thread(post_db, db_path, monkeypatch):
    post_db.close()
    connected: list[str] = []
    original = PostDatabase._add_conn_hooks

    def hooks(self, conn):
        connected.append(threading.current_thread().name)
        return original(self, conn)

    monkeypatch.setattr(PostDatabase, "_add_conn_hooks", hooks)
    database, thread, look = open_with_first_look(db_path, DAY, demo=False, first_tiles=60)
    try:
        assert [s.code for s in look.result().board.summaries] == ["1", "2", "3"]
        assert thread.call(lambda: database.execute_sql("SELECT count(*) FROM grid").fetchone()[0]) == 12
        assert connected == ["cmdpost-db"]
    finally:
        thread.close(database)


def test_a_post_that_cannot_be_opened_is_told_and_leaves_no_thread(tmp_path):
    bad = tmp_path / "not-a-post.db"
    bad.write_bytes(b"this is no SQLite file at all" * 10)
    before = {t.ident for t in threading.enumerate()}
    with pytest.raises(DatabaseOpenError):
        open_with_first_look(bad, DAY, demo=False)
    left = [t for t in threading.enumerate() if t.ident not in before and t.is_alive()]
    assert left == []
