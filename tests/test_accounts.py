"""Accounts and roles: PIN hashes, sign-in lockout, and the database refusing writes by role."""

from __future__ import annotations

import sqlite3

import pytest

from db.accounts import operators as accounts
from db.audit.guard import guard_of, is_denied
from db.connection import open_database, open_readonly
from db.errors import NotFound, NotPermitted, RuleError, SignInError
from db.grids import writes
from db.models import database_proxy
from db.records import HouseholdInput
from db.supply import writes as supply
from tests.conftest import refused

NOW = 1_650_000_000
PIN = "246810"


@pytest.mark.production_scrypt
def test_pin_is_stored_as_a_salted_slow_hash(post_db):
    accounts.add_account("boss", "admin", PIN, now=NOW)
    stored = post_db.execute_sql("SELECT secret_hash FROM account").fetchone()[0]
    assert PIN not in stored and stored.startswith("scrypt$16384$8$1$")
    assert accounts.secret_matches(PIN, stored) and not accounts.secret_matches("246811", stored)
    assert accounts.hash_secret(PIN) != accounts.hash_secret(PIN)  # salted


def test_first_account_must_be_an_admin_and_names_are_unique(post_db):
    with pytest.raises(RuleError, match="first_is_admin"):
        accounts.add_account("op", "operator", PIN, now=NOW)
    accounts.add_account("boss", "admin", PIN, now=NOW)
    accounts.sign_in("boss", PIN, now=NOW)
    with pytest.raises(RuleError, match="exists"):
        accounts.add_account("BOSS", "operator", PIN, now=NOW)
    with pytest.raises(RuleError, match="bad_secret"):
        accounts.add_account("x", "operator", "123", now=NOW)
    with pytest.raises(RuleError, match="bad_name"):
        accounts.add_account("a b", "operator", PIN, now=NOW)


def test_nobody_signed_in_can_change_nothing_once_accounts_exist(closed_post):
    with pytest.raises(NotPermitted, match="sign_in_first"):
        writes.change_zone(1, "controlled", "解封评估", actor="x")
    with pytest.raises((NotPermitted, sqlite3.DatabaseError)) as caught:
        writes.upsert_households([HouseholdInput("1-1", "新1号", 2, "某", "", "", "")], actor="x")
    assert is_denied(caught.value)  # the guard's refusal, not some other database error
    assert closed_post.execute_sql("SELECT zone FROM grid WHERE code = '1'").fetchone()[0] == "sealed"


def test_supervisor_writes_nothing_whatever_path(closed_post):
    accounts.sign_in("watch", PIN, now=NOW)
    for attempt in (
        lambda: writes.change_zone(1, "controlled", "解封评估", actor="watch"),
        lambda: supply.add_item("米", "斤", "grain_oil", actor="watch", now=NOW),
        lambda: closed_post.execute_sql("DELETE FROM household"),
        lambda: closed_post.execute_sql("UPDATE staff SET name = 'x'"),
        lambda: closed_post.execute_sql("DROP TRIGGER audit_household_insert"),
        lambda: accounts.add_account("sneak", "admin", PIN, now=NOW),
    ):
        with refused(NotPermitted, "auth.read_only_role", name="watch"):
            attempt()
    assert closed_post.execute_sql("SELECT count(*) FROM household").fetchone()[0] == 41
    assert closed_post.execute_sql("SELECT count(*) FROM supply_item").fetchone()[0] == 0


def test_not_even_an_admin_changes_the_schema_or_its_guarded_settings(closed_post):
    """Only cmdpost itself (upgrades, trigger set-up) may: an admin's statement could drop the trail's guards."""
    accounts.sign_in("boss", PIN, now=NOW)
    for statement in (
        "DROP TRIGGER audit_entry_no_update",
        "CREATE TABLE sneak (x)",
        "PRAGMA writable_schema = 1",
        "PRAGMA user_version = 99",
        "PRAGMA foreign_keys = 0",
    ):
        with refused(NotPermitted, "auth.admin_only", name="boss"):
            closed_post.execute_sql(statement)
    version = closed_post.execute_sql("PRAGMA user_version").fetchone()[0]  # reading a setting is no change
    assert version > 0 and closed_post.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    closed_post.execute_sql("PRAGMA cache_size = -4000")  # nor is a setting that guards nothing
    assert (
        closed_post.execute_sql(
            "SELECT count(*) FROM sqlite_master WHERE name IN ('audit_entry_no_update', 'sneak')"
        ).fetchone()[0]
        == 1
    )


def test_a_statement_run_for_an_admin_is_checked_again_for_the_next_person(closed_post):
    """SQLite asks the guard when a statement is prepared: a cached one would run unchecked."""
    statement = "UPDATE grid SET name = name || '' WHERE code = '1'"
    watch = accounts.sign_in("watch", PIN, now=NOW)
    accounts.sign_in("boss", PIN, now=NOW)
    closed_post.execute_sql(statement)
    guard_of(closed_post).session = watch  # the very next statement is the supervisor's: nothing run between
    with refused(NotPermitted, "auth.read_only_role", name="watch"):
        closed_post.execute_sql(statement)


def test_a_supervisor_may_use_temporary_tables_to_read(closed_post):
    """Scratch space for a read (a temporary table) is no change to the post."""
    accounts.sign_in("watch", PIN, now=NOW)
    closed_post.execute_sql("CREATE TEMP TABLE picked (id INTEGER)")
    closed_post.execute_sql("INSERT INTO temp.picked SELECT id FROM household WHERE people > 3")
    assert closed_post.execute_sql("SELECT count(*) FROM temp.picked").fetchone()[0] > 0


def test_operator_works_but_cannot_manage_accounts(closed_post):
    accounts.sign_in("op", PIN, now=NOW)
    writes.change_zone(1, "controlled", "解封评估", actor="op")
    assert closed_post.execute_sql("SELECT zone FROM grid WHERE code = '1'").fetchone()[0] == "controlled"
    with pytest.raises(NotPermitted, match="admin_only"):
        accounts.add_account("new", "operator", PIN, now=NOW)
    with refused(NotPermitted, "auth.admin_only", name="op"):
        closed_post.execute_sql("UPDATE account SET role = 'admin' WHERE name = 'op'")
    assert closed_post.execute_sql("SELECT role FROM account WHERE name = 'op'").fetchone()[0] == "operator"


def test_wrong_pins_lock_the_account_and_the_lock_expires(closed_post):
    for left in (4, 3, 2, 1):
        with pytest.raises(SignInError) as err:
            accounts.sign_in("op", "000000", now=NOW)
        assert err.value.params == {"left": left}
    with pytest.raises(SignInError, match="now_locked"):
        accounts.sign_in("op", "000000", now=NOW)
    with refused(SignInError, "signin.locked", name="op", minutes=14):
        accounts.sign_in("op", PIN, now=NOW + 60)  # the right PIN does not help while locked
    with refused(SignInError, "signin.locked", name="op", minutes=1):  # the last seconds count as a minute
        accounts.sign_in("op", PIN, now=NOW + 15 * 60 - 1)
    assert accounts.sign_in("op", PIN, now=NOW + 15 * 60).role == "operator"  # over at its last second
    assert closed_post.execute_sql("SELECT failed_attempts FROM account WHERE name = 'op'").fetchone()[0] == 0


def test_after_a_lock_runs_out_the_count_starts_again(closed_post):
    for attempt in range(accounts.MAX_FAILURES):
        key, params = wrong_pin(attempt)
        with refused(SignInError, key, **params):
            accounts.sign_in("op", "000000", now=NOW)
    later = NOW + accounts.LOCK_SECONDS
    with refused(SignInError, "signin.wrong_left", left=accounts.MAX_FAILURES - 1):
        accounts.sign_in("op", "000000", now=later)
    assert closed_post.execute_sql(
        "SELECT failed_attempts, locked_until FROM account WHERE name = 'op'"
    ).fetchone() == (1, None)


def wrong_pin(attempt: int) -> tuple[str, dict]:
    """What the attempt-th wrong PIN in a row (from 0) is refused with: the attempts left, then locked."""
    left = accounts.MAX_FAILURES - 1 - attempt
    return ("signin.wrong_left", {"left": left}) if left else ("signin.now_locked", {"minutes": 15})


def test_admin_unlocks_and_disables_but_not_the_last_admin(closed_post):
    for attempt in range(5):
        key, params = wrong_pin(attempt)
        with refused(SignInError, key, **params):
            accounts.sign_in("op", "000000", now=NOW)
    accounts.sign_in("boss", PIN, now=NOW)
    accounts.unlock_account("op")
    accounts.disable_account("watch")
    with pytest.raises(RuleError, match="last_admin"):
        accounts.disable_account("boss")
    with refused(NotFound, "account.unknown"):
        accounts.unlock_account("nobody")
    accounts.sign_out()
    assert accounts.sign_in("op", PIN, now=NOW).name == "op"
    with pytest.raises(SignInError, match="disabled"):
        accounts.sign_in("watch", PIN, now=NOW)


def test_unknown_name_answers_exactly_like_a_wrong_pin(closed_post):
    answers = {}
    for name in ("nobody", "op"):
        answers[name] = []
        for _ in range(6):
            with pytest.raises(SignInError) as err:
                accounts.sign_in(name, "000000", now=NOW)
            answers[name].append((err.value.key, {k: v for k, v in err.value.params.items() if k != "name"}))
    assert answers["nobody"] == answers["op"]
    assert answers["op"][-1][0] == "signin.locked"


def test_supervisor_signs_in_over_a_read_only_connection(closed_post, db_path):
    closed_post.close()
    database = open_readonly(db_path)
    assert guard_of(database).closed
    assert accounts.sign_in("watch", PIN, now=NOW).role == "supervisor"
    for attempt in range(5):  # over SSH too, wrong PINs count and lock
        key, params = wrong_pin(attempt)
        with refused(SignInError, key, **params):
            accounts.sign_in("op", "000000", now=NOW)
    with pytest.raises(SignInError, match="signin.locked"):
        accounts.sign_in("op", PIN, now=NOW)
    database.close()
    database = open_database(db_path)
    assert database.execute_sql(
        "SELECT failed_attempts, locked_until FROM account WHERE name = 'op'"
    ).fetchone() == (5, NOW + 15 * 60)
    assert (
        database.execute_sql("SELECT count(*) FROM audit_entry WHERE actor = '(sign-in) op'").fetchone()[0]
        == 5
    )
    database.close()


def test_the_guard_survives_reopening(closed_post, db_path):
    closed_post.close()
    database = open_database(db_path)
    assert guard_of(database_proxy).closed and guard_of(database).session is None
    with refused(NotPermitted, "auth.sign_in_first"):
        database.execute_sql("DELETE FROM household")
    database.close()


def test_only_an_admin_makes_or_exports_the_signing_key(closed_post, db_path, tmp_path):
    from db.passes import keys as pass_keys
    from db.passes.keys import PassKeyError

    accounts.sign_in("op", PIN, now=NOW)
    with pytest.raises(PassKeyError, match="key_admin_only"):
        pass_keys.signing_key(db_path)
    assert not pass_keys.key_path(db_path).exists()
    accounts.sign_out()
    accounts.sign_in("boss", PIN, now=NOW)
    pass_keys.signing_key(db_path)
    accounts.sign_out()
    accounts.sign_in("op", PIN, now=NOW)
    assert pass_keys.signing_key(db_path)  # once made, operators sign passes with it
    with refused(PassKeyError, "passes.key_admin_only"):
        pass_keys.export_public(db_path, tmp_path / "verify.pem")


def test_restore_of_a_post_with_accounts_is_refused_in_db_without_an_admin(closed_post, db_path, tmp_path):
    from db.backup import copies as backup
    from db.backup.copies import BackupError

    copy = tmp_path / "copy.db"
    backup.backup_database(db_path, copy)
    closed_post.close()
    before = db_path.read_bytes()
    with pytest.raises(BackupError, match="admin_only"):
        backup.restore(copy, db_path)
    assert db_path.read_bytes() == before and not list(tmp_path.glob("post.db.replaced-*"))


def test_wrong_pins_typed_side_by_side_each_count(closed_post, monkeypatch):
    """Another console's attempt lands while this one's PIN is being checked: both count."""
    real = accounts.secret_matches
    meanwhile = []

    def checked_slowly(secret, stored):
        if not meanwhile:
            meanwhile.append(1)
            with refused(SignInError, "signin.wrong_left", left=4):
                accounts.sign_in("op", "000000", now=NOW)  # the attempt made beside this one
        return real(secret, stored)

    monkeypatch.setattr(accounts, "secret_matches", checked_slowly)
    with refused(SignInError, "signin.wrong_left", left=3):
        accounts.sign_in("op", "000001", now=NOW)
    assert closed_post.execute_sql("SELECT failed_attempts FROM account WHERE name = 'op'").fetchone()[0] == 2


def test_a_lock_set_meanwhile_stands_against_a_right_pin(closed_post, monkeypatch):
    real = accounts.secret_matches
    meanwhile = []

    def checked_slowly(secret, stored):
        if not meanwhile:
            meanwhile.append(1)
            for attempt in range(accounts.MAX_FAILURES):
                key, params = wrong_pin(attempt)
                with refused(SignInError, key, **params):
                    accounts.sign_in("op", "000000", now=NOW)
        return real(secret, stored)

    monkeypatch.setattr(accounts, "secret_matches", checked_slowly)
    with refused(SignInError, "signin.locked"):
        accounts.sign_in("op", PIN, now=NOW)
