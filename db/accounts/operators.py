"""Operator accounts: admin, operator, supervisor; PINs as scrypt hashes; sign-in with lockout.

A post with no accounts is open, as on a new install: the first account must be an admin, and from
then on every change needs someone signed in (db/audit/guard.py enforces it on the connection).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import unicodedata
from dataclasses import dataclass

from db.audit import trail as audit
from db.audit.guard import Session, denial, guard_of
from db.connection import has_accounts
from db.errors import NotFound, RuleError, SignInError
from db.models import database_proxy as db
from db.vocab import ACCOUNT_ROLES as ROLES

MIN_SECRET, MAX_SECRET = 6, 128
MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60
# scrypt at n=2**14, r=8: about 16 MiB and a few tens of ms per try, so guessing a 6-digit PIN
# offline takes hours per account instead of a second.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


@dataclass(frozen=True)
class AccountRow:
    id: int
    name: str
    full_name: str
    role: str
    disabled: bool
    failed_attempts: int
    locked_until: int | None
    last_sign_in: int | None


def hash_secret(secret: str, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def secret_matches(secret: str, stored: str) -> bool:
    try:
        _, n, r, p, salt, digest = stored.split("$")
        fresh = hashlib.scrypt(
            secret.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=len(digest) // 2
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(fresh.hex(), digest)


@functools.cache
def _dummy_hash() -> str:
    """A hash to check unknown names against, made on first need: at import it cost every start-up
    (and every CLI command) one scrypt, 50 ms."""
    return hash_secret("not a real pin", b"\0" * 16)


def prepare_sign_in() -> None:
    """Make the comparison hash ahead of the first sign-in (the console does while the PIN is typed)."""
    _dummy_hash()


def _name(text: str) -> str:
    name = unicodedata.normalize("NFKC", text or "").strip()
    if not name or len(name) > 40 or any(c.isspace() or unicodedata.category(c)[0] == "C" for c in name):
        raise RuleError("account.bad_name")
    return name


def _secret(secret: str) -> str:
    if not (MIN_SECRET <= len(secret or "") <= MAX_SECRET):
        raise RuleError("account.bad_secret", least=MIN_SECRET)
    return secret


def require_admin() -> None:
    """Account changes are for admins; on an open post (no accounts yet) anyone may start one."""
    guard = guard_of(db)
    if guard.closed and guard.role != "admin":
        raise denial(guard)


def _row(name: str) -> tuple:
    row = db.execute_sql(
        "SELECT id, name, full_name, role, disabled, failed_attempts, locked_until, last_sign_in"
        " FROM account WHERE name = ?",
        (name,),
    ).fetchone()
    if row is None:
        raise NotFound("account.unknown", name=name)
    return row


def list_accounts() -> list[AccountRow]:
    rows = db.execute_sql(
        "SELECT id, name, full_name, role, disabled, failed_attempts, locked_until, last_sign_in"
        " FROM account ORDER BY disabled, role, name"
    ).fetchall()
    return [AccountRow(r[0], r[1], r[2], r[3], bool(r[4]), *r[5:]) for r in rows]


def add_account(name: str, role: str, secret: str, *, now: int, full_name: str = "") -> int:
    name, secret = _name(name), _secret(secret)
    if role not in ROLES:
        raise RuleError("account.bad_role", role=role)
    hashed = hash_secret(secret)
    with db.atomic():
        require_admin()
        if not has_accounts(db) and role != "admin":
            raise RuleError("account.first_is_admin")
        if db.execute_sql("SELECT 1 FROM account WHERE name = ?", (name,)).fetchone():
            raise RuleError("account.exists", name=name)
        account_id = db.execute_sql(
            "INSERT INTO account(name, full_name, role, secret_hash, created_at, created_by) VALUES (?,?,?,?,?,?)",
            (name, full_name.strip()[:40], role, hashed, now, guard_of(db).actor()),
        ).lastrowid
    guard_of(db).closed = True
    return account_id


def _active_admins(excluding: int) -> int:
    return db.execute_sql(
        "SELECT count(*) FROM account WHERE role = 'admin' AND disabled = 0 AND id != ?", (excluding,)
    ).fetchone()[0]


def disable_account(name: str) -> None:
    with db.atomic():
        require_admin()
        account_id, name, _, role, disabled, *_ = _row(name)
        if role == "admin" and not disabled and _active_admins(account_id) == 0:
            raise RuleError("account.last_admin", name=name)
        db.execute_sql("UPDATE account SET disabled = 1 WHERE id = ?", (account_id,))


def enable_account(name: str) -> None:
    with db.atomic():
        require_admin()
        db.execute_sql("UPDATE account SET disabled = 0 WHERE id = ?", (_row(name)[0],))


def set_secret(name: str, secret: str) -> None:
    """A new PIN (admin only); it also lifts a lockout."""
    hashed = hash_secret(_secret(secret))
    with db.atomic():
        require_admin()
        db.execute_sql(
            "UPDATE account SET secret_hash = ?, failed_attempts = 0, locked_until = NULL WHERE id = ?",
            (hashed, _row(name)[0]),
        )


def unlock_account(name: str) -> None:
    with db.atomic():
        require_admin()
        db.execute_sql(
            "UPDATE account SET failed_attempts = 0, locked_until = NULL WHERE id = ?", (_row(name)[0],)
        )


def sign_in(
    name: str, secret: str, *, now: int, max_failures: int = MAX_FAILURES, lock_seconds: int = LOCK_SECONDS
) -> Session:
    """Check the PIN and make this account the connection's session. Every attempt is recorded.

    Wrong PINs count up; at ``max_failures`` the account locks for ``lock_seconds``. An unknown
    name is answered exactly like a known one (same count-down, same lock), so names cannot be
    probed. A read-only console (``cmdpost supervise``) records its attempts through a separate
    short connection that may only write sign-in bookkeeping, so SSH is no way round the lockout.
    """
    _dummy_hash()  # made (once) before the lookup, so a known and an unknown name take the same time
    guard = guard_of(db)
    name = unicodedata.normalize("NFKC", name or "").strip()
    row = db.execute_sql(
        "SELECT id, name, role, secret_hash, disabled, failed_attempts, locked_until"
        " FROM account WHERE name = ?",
        (name,),
    ).fetchone()
    if row is None:
        secret_matches(secret, _dummy_hash())
        failures, locked_until = _unknown.get(name.casefold(), (0, None))
        _check_lock(name, locked_until, now)
        failures, lock = _count_failure(failures, locked_until, now, max_failures, lock_seconds)
        _unknown[name.casefold()] = (failures, lock)
        _refuse(name, failures, lock, max_failures, lock_seconds)
    account_id, name, role, stored, disabled, failures, locked_until = row
    if disabled:
        raise SignInError("signin.disabled", name=name)
    _check_lock(name, locked_until, now)
    good = secret_matches(secret, stored)
    failures, lock = _record_attempt(guard, account_id, name, role, good, now, max_failures, lock_seconds)
    if not good:
        _refuse(name, failures, lock, max_failures, lock_seconds)
    guard.session = Session(account_id, name, role)
    return guard.session


_unknown: dict[str, tuple[int, int | None]] = {}


def _check_lock(name: str, locked_until: int | None, now: int) -> None:
    if locked_until and locked_until > now:
        raise SignInError("signin.locked", name=name, minutes=max(1, (locked_until - now + 59) // 60))


def _count_failure(
    failures: int, locked_until: int | None, now: int, max_failures: int, lock_seconds: int
) -> tuple[int, int | None]:
    failures = (0 if locked_until else failures) + 1  # a lock that ran out starts the count again
    return failures, (now + lock_seconds if failures >= max_failures else None)


def _refuse(name: str, failures: int, lock: int | None, max_failures: int, lock_seconds: int):
    if lock:
        raise SignInError("signin.now_locked", name=name, minutes=lock_seconds // 60)
    raise SignInError("signin.wrong_left", left=max_failures - failures)


def _record_attempt(
    guard, account_id: int, name: str, role: str, good: bool, now: int, max_failures: int, lock_seconds: int
) -> tuple[int, int | None]:
    """Count the attempt and return (failures, lock). The count is read again under the write lock:
    attempts made side by side (the console, ``supervise``, the CLI) each add one, and a lock one of
    them set stands even against a right PIN checked meanwhile."""
    from db.connection import open_bookkeeper

    writer = open_bookkeeper(guard.path) if guard.readonly else db
    # A failed attempt is not the account holder's act: the trail says so.
    writer.guard.signing_in_as = name if good else f"(sign-in) {name}"
    try:
        with writer.atomic():
            failures, locked_until = writer.execute_sql(
                "SELECT failed_attempts, locked_until FROM account WHERE id = ?", (account_id,)
            ).fetchone()
            _check_lock(name, locked_until, now)
            if good:
                with writer.guard.pin_checked(account_id):  # the one way to reset a count: the right PIN
                    writer.execute_sql(
                        "UPDATE account SET failed_attempts = 0, locked_until = NULL, last_sign_in = ?"
                        " WHERE id = ?",
                        (now, account_id),
                    )
                    audit.record_event("sign_in", {"name": name, "role": role}, database=writer)
                return 0, None
            failures, lock = _count_failure(failures, locked_until, now, max_failures, lock_seconds)
            writer.execute_sql(
                "UPDATE account SET failed_attempts = ?, locked_until = ? WHERE id = ?",
                (failures, lock, account_id),
            )
            return failures, lock
    except SignInError:
        raise
    except Exception as exc:
        raise SignInError("signin.cannot_record", reason=str(exc)) from exc
    finally:
        writer.guard.signing_in_as = None
        if writer is not db:
            writer.close()


def sign_out() -> None:
    guard = guard_of(db)
    if guard.session and not guard.readonly:
        with db.atomic():
            audit.record_event("sign_out", {"name": guard.session.name})
    guard.session = None


def open_session(name: str) -> Session:
    """The session of a trusted start-up path (the demo post), without a PIN. Recorded as such."""
    account_id, name, _, role, disabled, *_ = _row(name)
    if disabled:
        raise SignInError("signin.disabled", name=name)
    guard = guard_of(db)
    guard.session = Session(account_id, name, role)
    if not guard.readonly:
        with db.atomic():
            audit.record_event("sign_in", {"name": name, "role": role, "without_pin": True})
    return guard.session
