"""Tests aimed at the mutants of db/accounts/operators.py that survived the suite (issue 21).

Each pins a rule a wrong line would break: the PIN hash's cost and format, a lockout that never locks
or never ends, a count that never starts again, a wrong role let in.
"""

from __future__ import annotations

import sqlite3

import pytest

from db.accounts import operators as accounts
from db.audit.guard import guard_of
from db.errors import RuleError, SignInError
from tests.conftest import CHEAP_SCRYPT_N, refused

NOW = 1_650_000_000
PIN = "246810"
SALT = bytes(range(16))
# scrypt(b"246810", salt=00 01 .. 0f, n=2**14, r=8, p=1, dklen=32), from hashlib directly
KNOWN_DIGEST = "2d428995ded426cdcd9be3fbe3361c078d9b5f22b7ae996faee473568571fcc3"
# the same for "pïn☃246810" (its UTF-8 bytes)
KNOWN_DIGEST_UNICODE = "7ef892f1b31bfe654a23911d74aadda7d417332d855120593f78cb2899d5cc0a"


# -- the hash at its production cost: the suite lowers it elsewhere (tests/conftest.py) ---------------------


@pytest.mark.production_scrypt
def test_production_cost_of_the_pin_hash_is_pinned():
    assert (accounts.SCRYPT_N, accounts.SCRYPT_R, accounts.SCRYPT_P) == (2**14, 8, 1)
    assert accounts.hash_secret(PIN, SALT) == f"scrypt$16384$8$1${SALT.hex()}${KNOWN_DIGEST}"
    assert accounts.hash_secret("pïn☃246810", SALT).endswith(f"${KNOWN_DIGEST_UNICODE}")


@pytest.mark.production_scrypt
def test_a_known_hash_checks_and_nothing_else_does():
    stored = f"scrypt$16384$8$1${SALT.hex()}${KNOWN_DIGEST}"
    assert accounts.secret_matches(PIN, stored)
    assert not accounts.secret_matches("246811", stored)
    assert not accounts.secret_matches(PIN, stored[:-2] + "00")
    # a stored hash that is not one: refused, never an error
    for broken in ("", "scrypt$16384$8$1", f"scrypt$x$8$1${SALT.hex()}${KNOWN_DIGEST}", "scrypt$3$8$1$00$00"):
        assert accounts.secret_matches(PIN, broken) is False


@pytest.mark.production_scrypt
def test_unknown_names_are_checked_against_a_hash_of_the_same_cost():
    # An unknown name must cost as much as a known one, or timing tells which names exist.
    assert accounts._dummy_hash().startswith("scrypt$16384$8$1$")


def test_the_suite_hashes_cheaply_unless_asked(post_db):
    assert accounts.SCRYPT_N == CHEAP_SCRYPT_N
    assert accounts.hash_secret(PIN).startswith(f"scrypt${CHEAP_SCRYPT_N}$8$1$")


# -- sign-in ------------------------------------------------------------------------------------------------


@pytest.fixture
def closed_post(post_db):
    """An admin, an operator and a supervisor (an account named XXXX among them); nobody signed in."""
    accounts._unknown.clear()
    accounts.add_account("boss", "admin", PIN, now=NOW)
    accounts.sign_in("boss", PIN, now=NOW)
    accounts.add_account("op", "operator", PIN, now=NOW)
    accounts.add_account("XXXX", "operator", "135790", now=NOW)
    accounts.sign_out()
    return post_db


@pytest.mark.parametrize("empty", ["", None, "  ", "\u3000"])
def test_an_empty_name_signs_nobody_in_whatever_accounts_exist(closed_post, empty):
    with refused(SignInError, "signin.wrong_left", left=accounts.MAX_FAILURES - 1):
        accounts.sign_in(empty, "135790", now=NOW)
    assert guard_of(closed_post).session is None


def answers_to_wrong_pins(name: str) -> list[tuple[str, dict]]:
    """What five wrong PINs, a try during the lock, and a wrong PIN once it ran out are answered with."""
    answers = []
    for when in [NOW] * accounts.MAX_FAILURES + [NOW + 59, NOW + accounts.LOCK_SECONDS]:
        with pytest.raises(SignInError) as caught:
            accounts.sign_in(name, "000000", now=when)
        answers.append((caught.value.key, caught.value.params))
    return answers


@pytest.mark.parametrize("name", ["op", "nobody"])
def test_a_lock_names_the_account_ends_on_time_and_the_count_starts_again(closed_post, name):
    # The same for an unknown name as for a known one, or the answers would tell which names exist.
    assert answers_to_wrong_pins(name) == [
        *[("signin.wrong_left", {"left": left}) for left in (4, 3, 2, 1)],
        ("signin.now_locked", {"name": name, "minutes": 15}),
        ("signin.locked", {"name": name, "minutes": 15}),  # 14 minutes 1 second left: 15, rounded up
        ("signin.wrong_left", {"left": 4}),  # the lock ran out: a new count, not a new lock at once
    ]


def test_a_locked_account_is_not_even_checked_against_its_pin(closed_post, monkeypatch):
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(SignInError):
            accounts.sign_in("op", "000000", now=NOW)
    checked = []
    real = accounts.secret_matches
    monkeypatch.setattr(accounts, "secret_matches", lambda *a: checked.append(a) or real(*a))
    with refused(SignInError, "signin.locked", name="op", minutes=15):
        accounts.sign_in("op", PIN, now=NOW + 1)
    assert checked == []  # no guess is tried, right or wrong, until the lock ends


def test_a_disabled_account_is_refused_by_name_even_with_its_pin(closed_post):
    accounts.sign_in("boss", PIN, now=NOW)
    accounts.disable_account("op")
    accounts.sign_out()
    with refused(SignInError, "signin.disabled", name="op"):
        accounts.sign_in("op", PIN, now=NOW)
    assert guard_of(closed_post).session is None


def test_the_session_is_the_account_signed_in(closed_post):
    session = accounts.sign_in("op", PIN, now=NOW)
    account_id = closed_post.execute_sql("SELECT id FROM account WHERE name = 'op'").fetchone()[0]
    assert session == accounts.Session(account_id, "op", "operator") == guard_of(closed_post).session


def test_a_lock_set_meanwhile_is_named_when_it_stops_a_right_pin(closed_post, monkeypatch):
    # Another console locks the account while this one checks a right PIN: the lock stands, and says whose.
    real = accounts.secret_matches

    def checked_slowly(secret, stored):
        if secret == PIN:
            for _ in range(accounts.MAX_FAILURES):
                with pytest.raises(SignInError):
                    accounts.sign_in("op", "000000", now=NOW)
        return real(secret, stored)

    monkeypatch.setattr(accounts, "secret_matches", checked_slowly)
    with refused(SignInError, "signin.locked", name="op", minutes=15):
        accounts.sign_in("op", PIN, now=NOW)


def test_a_sign_in_that_cannot_be_recorded_is_refused_with_the_reason(closed_post, monkeypatch):
    # A right PIN whose sign-in event cannot be written (the file locked past the busy timeout, a full
    # disk): nobody is signed in, and the reason is given, never a traceback.
    def cannot_write(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(accounts.audit, "record_event", cannot_write)
    with refused(SignInError, "signin.cannot_record", reason="database is locked"):
        accounts.sign_in("op", PIN, now=NOW)
    assert guard_of(closed_post).session is None


def test_the_bookkeeping_connection_is_closed_and_the_posts_is_not(closed_post, db_path, monkeypatch):
    from db import connection

    accounts.sign_in("op", PIN, now=NOW)
    assert not closed_post.is_closed()  # a writable console keeps its one connection
    closed_post.close()
    opened, real = [], connection.open_bookkeeper

    def kept(path):
        opened.append(real(path))
        return opened[-1]

    monkeypatch.setattr(connection, "open_bookkeeper", kept)
    database = connection.open_readonly(db_path)
    try:
        accounts.sign_in("op", PIN, now=NOW)
        with pytest.raises(SignInError):
            accounts.sign_in("op", "000000", now=NOW)
        assert len(opened) == 2 and all(writer.is_closed() for writer in opened)
        assert not database.is_closed()
    finally:
        database.close()


# -- account management -------------------------------------------------------------------------------------


def test_a_pin_hash_has_a_salt_of_its_own_of_16_bytes(post_db):
    salts = {accounts.hash_secret(PIN).split("$")[4] for _ in range(3)}
    assert len(salts) == 3 and all(len(bytes.fromhex(s)) == 16 for s in salts)


@pytest.mark.parametrize("name", ["", None, "   ", "a" * 41, "op\x1b[2J", "o\u200bp", "o\np", "o\u3000p"])
def test_a_name_that_cannot_be_typed_back_or_shown_is_refused(post_db, name):
    with refused(RuleError, "account.bad_name"):
        accounts.add_account(name, "admin", PIN, now=NOW)
    assert post_db.execute_sql("SELECT count(*) FROM account").fetchone()[0] == 0


def test_a_name_of_up_to_40_characters_is_taken_as_typed(post_db):
    accounts.add_account("a" * 40, "admin", PIN, now=NOW)
    accounts.sign_in("a" * 40, PIN, now=NOW)
    accounts.add_account("ｂｏｓｓ", "admin", PIN, now=NOW + 1)  # full-width: read as on any keyboard
    names = [row.name for row in accounts.list_accounts()]
    assert sorted(names) == ["a" * 40, "boss"]


def test_a_pin_is_6_to_128_characters(post_db):
    for bad in ("12345", "1" * 129, "", None):
        with refused(RuleError, "account.bad_secret", least=6):
            accounts.add_account("boss", "admin", bad, now=NOW)
    accounts.add_account("boss", "admin", "1" * 128, now=NOW)
    assert accounts.sign_in("boss", "1" * 128, now=NOW).name == "boss"
    accounts.add_account("op", "operator", "123456", now=NOW)


@pytest.mark.parametrize("role", ["root", "Admin", "", "supervisor "])
def test_only_the_three_roles_exist(post_db, role):
    with refused(RuleError, "account.bad_role", role=role):
        accounts.add_account("boss", role, PIN, now=NOW)
    assert post_db.execute_sql("SELECT count(*) FROM account").fetchone()[0] == 0


def test_an_account_without_a_full_name_has_none(post_db):
    accounts.add_account("boss", "admin", PIN, now=NOW)
    assert [(row.name, row.full_name) for row in accounts.list_accounts()] == [("boss", "")]


def test_the_first_account_is_an_admin_and_a_name_is_taken_once(post_db):
    with refused(RuleError, "account.first_is_admin"):
        accounts.add_account("op", "operator", PIN, now=NOW)
    accounts.add_account("boss", "admin", PIN, now=NOW, full_name="  许文倡" + "长" * 50)
    accounts.sign_in("boss", PIN, now=NOW)
    with refused(RuleError, "account.exists", name="boss"):
        accounts.add_account("ｂｏｓｓ", "operator", PIN, now=NOW)
    assert [row.full_name for row in accounts.list_accounts()] == ["许文倡" + "长" * 37]  # 40 characters
