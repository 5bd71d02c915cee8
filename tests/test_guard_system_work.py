"""cmdpost's own schema work (upgrades, trigger set-up, a big import's lifted triggers) on a post with
accounts: the guard refuses schema changes to every person, admin included, but never to cmdpost itself."""

from __future__ import annotations

import pytest

from db.accounts import operators as accounts
from db.audit import guard_triggers
from db.audit import trail as audit
from db.audit.guard import guard_of
from db.errors import NotPermitted
from db.grids import bulk, writes
from db.records import HouseholdInput
from tests.conftest import refused

NOW = 1_650_000_000
PIN = "246810"


@pytest.mark.parametrize("who", [None, "watch", "boss"])
def test_cmdpost_itself_changes_the_schema_and_its_settings_whoever_is_signed_in(closed_post, who):
    if who:
        accounts.sign_in(who, PIN, now=NOW)
    guard = guard_of(closed_post)
    assert guard.closed
    version = closed_post.execute_sql("PRAGMA user_version").fetchone()[0]
    with guard.system():
        closed_post.execute_sql("CREATE TABLE upkeep_scratch (x)")
        closed_post.execute_sql("DROP TABLE upkeep_scratch")
        closed_post.execute_sql(f"PRAGMA user_version = {version + 1}")
        closed_post.execute_sql(f"PRAGMA user_version = {version}")
    key = {None: "auth.sign_in_first", "watch": "auth.read_only_role", "boss": "auth.admin_only"}[who]
    for statement in ("CREATE TABLE upkeep_scratch (x)", f"PRAGMA user_version = {version + 1}"):
        with refused(NotPermitted, key):  # the same statements, made by the person, are refused
            closed_post.execute_sql(statement)
    assert closed_post.execute_sql("PRAGMA user_version").fetchone()[0] == version


def test_an_operator_imports_a_big_batch_on_a_post_with_accounts(closed_post):
    """A big import lifts the per-row triggers as cmdpost itself, and puts them back."""
    triggers = "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    before = closed_post.execute_sql(triggers).fetchall()
    accounts.sign_in("op", PIN, now=NOW)
    rows = [HouseholdInput("3-1", f"新村{n}号", 2, f"户{n}", "", "", "") for n in range(bulk.BULK_ROWS)]
    assert writes.upsert_households(rows, actor="op").created == bulk.BULK_ROWS
    assert closed_post.execute_sql(triggers).fetchall() == before
    assert (
        closed_post.execute_sql("SELECT count(*) FROM household WHERE door LIKE '新村%'").fetchone()[0] == 500
    )
    assert guard_triggers.ensure(closed_post) == [] and audit.verify_chain().broken_at is None
