"""Account management an admin does (a new PIN, enabling again, the list), the demo's trusted session
and signing out: each pinned by what it writes and who may do it."""

from __future__ import annotations

import pytest

from db.accounts import operators as accounts
from db.audit import trail as audit
from db.audit.guard import guard_of
from db.audit.trail import AuditFilter
from db.errors import NotFound, NotPermitted, RuleError, SignInError
from tests.conftest import refused

NOW = 1_650_000_000
PIN = "246810"
NEW_PIN = "135790"


@pytest.fixture
def closed_post(post_db):
    """The small post with an admin, an operator and a supervisor; nobody signed in."""
    accounts._unknown.clear()
    accounts.add_account("boss", "admin", PIN, now=NOW, full_name="王主任")
    accounts.sign_in("boss", PIN, now=NOW)
    accounts.add_account("op", "operator", PIN, now=NOW)
    accounts.add_account("watch", "supervisor", PIN, now=NOW)
    accounts.sign_out()
    return post_db


def _lock_out(name: str) -> None:
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(SignInError):
            accounts.sign_in(name, "000000", now=NOW)


def _state(database, name: str) -> tuple:
    return database.execute_sql(
        "SELECT failed_attempts, locked_until, disabled FROM account WHERE name = ?", (name,)
    ).fetchone()


def test_an_admin_sets_a_new_pin_which_also_lifts_a_lockout(closed_post):
    _lock_out("op")
    accounts.sign_in("boss", PIN, now=NOW)
    accounts.set_secret("op", NEW_PIN)
    assert _state(closed_post, "op") == (0, None, 0)
    assert _state(closed_post, "watch") == (0, None, 0)  # only the named account
    accounts.sign_out()
    with refused(SignInError, "signin.wrong_left", left=accounts.MAX_FAILURES - 1):
        accounts.sign_in("op", PIN, now=NOW)  # the old PIN is gone
    assert accounts.sign_in("op", NEW_PIN, now=NOW).name == "op"
    assert accounts.sign_in("watch", PIN, now=NOW).name == "watch"  # others keep theirs


def test_a_new_pin_is_refused_to_all_but_an_admin_and_must_be_a_pin(closed_post):
    stored = closed_post.execute_sql("SELECT secret_hash FROM account WHERE name = 'op'").fetchone()[0]
    for who, key in (
        (None, "auth.sign_in_first"),
        ("watch", "auth.read_only_role"),
        ("op", "auth.admin_only"),
    ):
        if who:
            accounts.sign_in(who, PIN, now=NOW)
        with refused(NotPermitted, key):
            accounts.set_secret("op", NEW_PIN)
    accounts.sign_in("boss", PIN, now=NOW)
    with refused(RuleError, "account.bad_secret", least=accounts.MIN_SECRET):
        accounts.set_secret("op", "123")
    with refused(NotFound, "account.unknown", name="nobody"):
        accounts.set_secret("nobody", NEW_PIN)
    assert (
        closed_post.execute_sql("SELECT secret_hash FROM account WHERE name = 'op'").fetchone()[0] == stored
    )


def test_a_disabled_account_is_enabled_again_by_an_admin_only(closed_post):
    accounts.sign_in("boss", PIN, now=NOW)
    accounts.disable_account("op")
    assert _state(closed_post, "op")[2] == 1
    accounts.sign_in("watch", PIN, now=NOW)
    with refused(NotPermitted, "auth.read_only_role", name="watch"):
        accounts.enable_account("op")
    assert _state(closed_post, "op")[2] == 1
    accounts.sign_in("boss", PIN, now=NOW)
    with refused(NotFound, "account.unknown", name="nobody"):
        accounts.enable_account("nobody")
    accounts.enable_account("op")
    assert _state(closed_post, "op")[2] == 0 and _state(closed_post, "watch")[2] == 0
    assert accounts.sign_in("op", PIN, now=NOW).role == "operator"


def test_the_last_admin_is_named_when_refused_and_others_are_disabled(closed_post):
    accounts.sign_in("boss", PIN, now=NOW)
    with refused(RuleError, "account.last_admin", name="boss"):
        accounts.disable_account("boss")
    accounts.disable_account("watch")
    assert _state(closed_post, "watch")[2] == 1 and _state(closed_post, "boss")[2] == 0
    assert _state(closed_post, "op")[2] == 0
    accounts.add_account("deputy", "admin", PIN, now=NOW)
    accounts.disable_account("deputy")  # an admin, but not the last one
    accounts.disable_account("deputy")  # already disabled: nothing to refuse
    assert _state(closed_post, "deputy")[2] == 1
    with refused(RuleError, "account.last_admin", name="boss"):
        accounts.disable_account("boss")


def test_the_account_list_gives_each_row_its_own_fields(closed_post):
    accounts.sign_in("boss", PIN, now=NOW + 5)
    _lock_out("op")
    accounts.disable_account("watch")
    ids = dict(closed_post.execute_sql("SELECT name, id FROM account").fetchall())
    listed = {row.name: row for row in accounts.list_accounts()}
    assert [row.name for row in accounts.list_accounts()] == ["boss", "op", "watch"]  # disabled last
    boss, op, watch = listed["boss"], listed["op"], listed["watch"]
    assert (boss.id, boss.full_name, boss.role, boss.disabled, boss.last_sign_in) == (
        ids["boss"],
        "王主任",
        "admin",
        False,
        NOW + 5,
    )
    assert (op.id, op.failed_attempts, op.locked_until) == (ids["op"], 5, NOW + accounts.LOCK_SECONDS)
    assert (watch.id, watch.role, watch.disabled) == (ids["watch"], "supervisor", True)


def test_a_lock_names_the_account_it_locked(closed_post):
    for _ in range(accounts.MAX_FAILURES - 1):
        with pytest.raises(SignInError):
            accounts.sign_in("op", "000000", now=NOW)
    with refused(SignInError, "signin.now_locked", name="op", minutes=15) as caught:
        accounts.sign_in("op", "000000", now=NOW)
    assert type(caught.value.params["minutes"]) is int  # shown as "15 分钟", never "15.0"


def test_the_demo_session_opens_without_a_pin_and_the_trail_says_so(closed_post):
    session = accounts.open_session("boss")
    ids = dict(closed_post.execute_sql("SELECT name, id FROM account").fetchall())
    assert session == guard_of(closed_post).session and (session.account_id, session.name, session.role) == (
        ids["boss"],
        "boss",
        "admin",
    )
    entry = audit.page_entries(AuditFilter(table="sign_in"), 0, 1)[0]
    assert entry.after == {"name": "boss", "role": "admin", "without_pin": True} and entry.actor == "boss"
    accounts.disable_account("watch")
    with refused(SignInError, "signin.disabled", name="watch"):
        accounts.open_session("watch")
    with refused(NotFound, "account.unknown", name="nobody"):
        accounts.open_session("nobody")
    assert guard_of(closed_post).session.name == "boss"


def test_a_read_only_console_opens_a_session_but_writes_nothing(closed_post, db_path):
    from db.connection import open_readonly

    closed_post.close()
    database = open_readonly(db_path)
    before = database.execute_sql("SELECT count(*) FROM audit_entry").fetchone()[0]
    assert accounts.open_session("watch").role == "supervisor"
    accounts.sign_out()
    assert guard_of(database).session is None
    assert database.execute_sql("SELECT count(*) FROM audit_entry").fetchone()[0] == before
    database.close()


def test_signing_out_records_who_and_nobody_signed_in_signs_out_quietly(closed_post):
    accounts.sign_in("op", PIN, now=NOW)
    before = audit.count_entries()
    accounts.sign_out()
    assert guard_of(closed_post).session is None and audit.count_entries() == before + 1
    entry = audit.page_entries(AuditFilter(table="sign_out"), 0, 1)[0]
    assert (entry.actor, entry.after) == ("op", {"name": "op"})
    accounts.sign_out()  # nobody signed in: nothing to record, no error
    assert audit.count_entries() == before + 1


def test_a_name_is_read_as_typed_on_any_keyboard(closed_post):
    """Full-width letters and a stray space (a phone's input method) still name the account."""
    assert accounts.sign_in("ｏｐ ", PIN, now=NOW).name == "op"


def test_an_unknown_name_counts_once_whatever_its_case(closed_post):
    for attempt, typed in enumerate(("Nobody", "NOBODY", "nobody")):
        with refused(SignInError, "signin.wrong_left", left=accounts.MAX_FAILURES - 1 - attempt):
            accounts.sign_in(typed, "000000", now=NOW)


def test_a_sign_in_is_recorded_in_the_persons_name_and_a_failure_as_an_attempt(closed_post):
    guard = guard_of(closed_post)
    with pytest.raises(SignInError):
        accounts.sign_in("op", "000000", now=NOW)
    assert guard.signing_in_as is None and guard.actor() == guard.fallback_actor  # the attempt's name is gone
    failed = closed_post.execute_sql(
        "SELECT actor FROM audit_entry WHERE table_name = 'account' ORDER BY id DESC LIMIT 1"
    ).fetchone()[0]
    assert failed == "(sign-in) op"
    accounts.sign_in("op", PIN, now=NOW + 9)
    entry = audit.page_entries(AuditFilter(table="sign_in"), 0, 1)[0]
    assert (entry.actor, entry.after) == ("op", {"name": "op", "role": "operator"})
    assert _state(closed_post, "op")[:2] == (0, None)
    assert (
        closed_post.execute_sql("SELECT last_sign_in FROM account WHERE name = 'op'").fetchone()[0] == NOW + 9
    )


def test_a_posts_own_lockout_figures_are_used(closed_post):
    for left in (1, 0):
        key = "signin.wrong_left" if left else "signin.now_locked"
        with refused(SignInError, key):
            accounts.sign_in("op", "000000", now=NOW, max_failures=2, lock_seconds=120)
    with refused(SignInError, "signin.locked", name="op", minutes=2):
        accounts.sign_in("op", PIN, now=NOW, max_failures=2, lock_seconds=120)
    assert accounts.sign_in("op", PIN, now=NOW + 120, max_failures=2, lock_seconds=120).name == "op"
