"""The household search on a closed post: nobody signed in, or a supervisor, may read it.

SQLite asks the authorizer about an UPDATE of sqlite_master while it connects the trigram index
(household_fts) on a fresh connection; refusing it failed every search with "vtable constructor
failed" for anyone who may not write.
"""

from __future__ import annotations

import peewee
import pytest

from db.accounts import operators as accounts
from db.grids import household_search
from db.connection import open_database
from db.errors import NotPermitted

NOW = 1_650_000_000
PIN = "246810"


@pytest.fixture
def closed_path(post_db, db_path):
    """The small post with an admin and a supervisor, closed, then reopened on a fresh connection."""
    accounts._unknown.clear()
    accounts.add_account("boss", "admin", PIN, now=NOW)
    accounts.sign_in("boss", PIN, now=NOW)
    accounts.add_account("watch", "supervisor", PIN, now=NOW)
    accounts.sign_out()
    post_db.close()
    return db_path


@pytest.mark.parametrize("who", [None, "watch", "boss"])
@pytest.mark.parametrize("text", ["花厅口村1", "户主", "1"])
def test_search_works_for_every_role_on_a_fresh_connection(closed_path, who, text):
    database = open_database(closed_path)
    try:
        if who:
            accounts.sign_in(who, PIN, now=NOW)
        assert household_search.search_count(text) > 0
        assert household_search.search_page(text)
    finally:
        database.close()


def test_the_schema_table_stays_unwritable_for_nobody(closed_path):
    database = open_database(closed_path)
    try:
        assert household_search.search_count("花厅口村1") > 0
        with pytest.raises((NotPermitted, peewee.DatabaseError)):
            database.execute_sql("UPDATE sqlite_master SET sql = sql WHERE name = 'household'")
        with pytest.raises((NotPermitted, peewee.DatabaseError)):
            database.execute_sql("PRAGMA writable_schema = 1")
        with pytest.raises(NotPermitted):
            database.execute_sql("UPDATE household SET people = 9")
    finally:
        database.close()
