"""With nobody signed in the connection writes only sign-in bookkeeping, whatever code runs on it."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.accounts import operators as accounts
from db.audit import trail as audit
from db.audit.guard import guard_of
from db.errors import NotPermitted, SignInError
from db.grids import writes

NOW = 1_650_000_000
PIN = "246810"
FUTURE = int(time.time()) + 3600  # a lock still running by the database's own clock


@pytest.fixture
def locked_post(closed_post):
    """An admin, an operator and a supervisor; the operator locked out; nobody signed in."""
    now = int(time.time())
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(SignInError):
            accounts.sign_in("op", "000000", now=now)
    return closed_post


def _lock(database):
    return database.execute_sql(
        "SELECT failed_attempts, locked_until, last_sign_in FROM account WHERE name = 'op'"
    ).fetchone()


def _lift(database):
    database.execute_sql("UPDATE account SET failed_attempts = 0, locked_until = NULL WHERE name = 'op'")


def _forge(database, actor="boss"):
    """A correctly hashed entry 'by' someone else, appended straight to the trail."""
    database.execute_sql(
        "INSERT INTO audit_entry(at, actor, op, table_name, row_id, grid_id, before, after, prev_hash, hash)"
        " SELECT at, ?, 'event', 'sign_in', NULL, NULL, NULL, '{}', prev, cmdpost_chain(prev, at, ?, 'event',"
        " 'sign_in', NULL, NULL, NULL, '{}') FROM (SELECT '2022-04-10T01:00:00Z' AS at, COALESCE((SELECT hash"
        " FROM audit_entry ORDER BY id DESC LIMIT 1), '') AS prev)",
        (actor, actor),
    )


def test_nobody_signed_in_cannot_lift_a_lockout(locked_post):
    before = _lock(locked_post)
    assert before[0] == accounts.MAX_FAILURES and before[1] > time.time()
    with pytest.raises(Exception, match="sign-in bookkeeping|not authorized|sign_in_first"):
        _lift(locked_post)
    assert _lock(locked_post) == before
    with pytest.raises(SignInError, match="signin.locked"):
        accounts.sign_in("op", PIN, now=int(time.time()))


@pytest.mark.parametrize("who", ["op", "watch"])
def test_no_role_but_an_admin_lifts_a_lockout_by_sql(locked_post, who):
    accounts.sign_in("boss" if who == "op" else who, PIN, now=NOW)
    if who == "op":  # an operator other than the locked one
        accounts.add_account("op2", "operator", PIN, now=NOW)
        accounts.sign_out()
        accounts.sign_in("op2", PIN, now=NOW)
    before = _lock(locked_post)
    with pytest.raises(
        Exception, match="sign-in bookkeeping|not authorized|NotPermitted|admin_only|read_only"
    ):
        _lift(locked_post)
    assert _lock(locked_post) == before


def test_an_admin_still_unlocks_and_a_right_pin_still_resets(locked_post):
    accounts.sign_in("boss", PIN, now=NOW)
    accounts.unlock_account("op")
    accounts.sign_out()
    with pytest.raises(SignInError):
        accounts.sign_in("op", "000000", now=NOW)
    assert _lock(locked_post)[0] == 1
    accounts.sign_in("op", PIN, now=NOW)  # the right PIN resets the count, through the guard
    assert _lock(locked_post)[:2] == (0, None)


def test_a_lock_that_ran_out_restarts_the_count(locked_post):
    locked_post.execute_sql("SELECT 1")
    with guard_of(locked_post).system():  # time passes: the lock ran out an hour ago
        locked_post.execute_sql(
            "UPDATE account SET locked_until = ? WHERE name = 'op'", (int(time.time()) - 3600,)
        )
    with pytest.raises(SignInError) as err:
        accounts.sign_in("op", "000000", now=int(time.time()))
    assert err.value.params["left"] == accounts.MAX_FAILURES - 1 and _lock(locked_post)[:2] == (1, None)


def test_nobody_signed_in_cannot_append_to_the_trail(locked_post):
    entries = audit.count_entries()
    for attempt in (
        lambda: _forge(locked_post),
        lambda: audit.record_event("sign_in", {"name": "boss", "role": "admin"}),
    ):
        with pytest.raises(NotPermitted):
            attempt()
    assert audit.count_entries() == entries


@pytest.mark.parametrize("who", ["boss", "op2", "watch"])
def test_nobody_appends_an_entry_in_another_name(locked_post, who):
    accounts.sign_in("boss", PIN, now=NOW)
    accounts.add_account("op2", "operator", PIN, now=NOW)
    accounts.sign_out()
    accounts.sign_in(who, PIN, now=NOW)
    entries = audit.count_entries()
    with pytest.raises(Exception, match="names the signed-in person"):
        _forge(locked_post, actor="someone" if who == "boss" else "boss")
    assert audit.count_entries() == entries


def test_sign_in_events_and_bookkeeping_still_recorded(locked_post):
    accounts.sign_in("watch", PIN, now=NOW)
    accounts.sign_out()
    kinds = [e.table_name for e in audit.page_entries(audit.AuditFilter(), 0, 3)]
    assert kinds[:2] == ["sign_out", "sign_in"]
    assert audit.verify_chain().broken_at is None


def test_a_post_without_accounts_runs_with_no_sign_in(post_db):
    writes.change_zone(1, "controlled", "解封评估", actor="x")
    audit.record_event("backup", {"path": "x"})
    assert post_db.execute_sql("SELECT zone FROM grid WHERE code = '1'").fetchone()[0] == "controlled"
    accounts.add_account("boss", "admin", PIN, now=NOW)  # the first account needs nobody signed in
    assert guard_of(post_db).closed


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    failed=st.one_of(st.none(), st.integers(-3, 12)),
    locked=st.one_of(st.none(), st.integers(0, FUTURE * 2)),
    last=st.one_of(st.none(), st.integers(0, FUTURE)),
)
def test_fuzz_no_update_by_nobody_shortens_a_lock(locked_post, failed, locked, last):
    before = _lock(locked_post)
    sets = {
        k: v
        for k, v in (("failed_attempts", failed), ("locked_until", locked), ("last_sign_in", last))
        if v is not None or k != "failed_attempts"
    }
    try:
        with locked_post.atomic():
            locked_post.execute_sql(
                "UPDATE account SET " + ", ".join(f"{k} = ?" for k in sets) + " WHERE name = 'op'",
                tuple(sets.values()),
            )
            after = _lock(locked_post)
            raise RuntimeError("roll back, to try the next from the same lock")
    except RuntimeError:
        assert after[1] is not None and after[1] >= before[1] and after[2] == before[2]
        assert after[0] == before[0] + 1
    except Exception:
        pass  # refused
    assert _lock(locked_post) == before
