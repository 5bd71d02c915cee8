"""Who is at the keyboard, and what the database lets them change.

Every connection cmdpost opens carries an SQLite authorizer. Once a post has accounts, a write
statement is allowed only if the signed-in role may make it, whatever code issued it: a screen,
the CLI, or a bug. The same connection exposes the signed-in name to the audit triggers, so the
trail names the person even for rows whose own columns do not.
"""

from __future__ import annotations

import getpass
import hashlib
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

from peewee import SqliteDatabase

from db.errors import NotPermitted
from db.schema import GRAMS_FUNCTION, grams

# The only account columns written while nobody (or a supervisor) is signed in: sign-in
# bookkeeping, so that failed attempts and lockouts are recorded for everyone.
SIGN_IN_COLUMNS = frozenset({"failed_attempts", "locked_until", "last_sign_in"})
_WRITES = {sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE}
_SCHEMA = {
    sqlite3.SQLITE_CREATE_INDEX,
    sqlite3.SQLITE_CREATE_TABLE,
    sqlite3.SQLITE_CREATE_TRIGGER,
    sqlite3.SQLITE_CREATE_VIEW,
    sqlite3.SQLITE_DROP_INDEX,
    sqlite3.SQLITE_DROP_TABLE,
    sqlite3.SQLITE_DROP_TRIGGER,
    sqlite3.SQLITE_DROP_VIEW,
    sqlite3.SQLITE_ALTER_TABLE,
    sqlite3.SQLITE_ATTACH,
    sqlite3.SQLITE_DETACH,
    sqlite3.SQLITE_CREATE_VTABLE,
    sqlite3.SQLITE_DROP_VTABLE,
}
_GUARDED_PRAGMAS = {"writable_schema", "user_version", "schema_version", "foreign_keys", "query_only"}


@dataclass(frozen=True)
class Session:
    account_id: int
    name: str
    role: str


@dataclass
class Guard:
    """Per-database state shared by all its connections (the UI thread and the database thread)."""

    session: Session | None = None
    # True once the post has an active account; until then the post is open, as on a new install.
    closed: bool = False
    readonly: bool = False
    fallback_actor: str = field(default_factory=lambda: _login_name())
    signing_in_as: str | None = None
    path: object = None  # the file, for a read-only console's sign-in bookkeeping
    row_audit: dict[str, bool] = field(
        default_factory=lambda: {"insert": True, "update": True, "delete": True}
    )
    _system: int = 0
    # (thread, account id) while db/accounts/operators.py records a sign-in whose PIN it has just checked:
    # the only moment the connection, with nobody signed in, may reset a failed count or write the
    # sign-in event. Per thread: the UI thread's connection shares this guard.
    _pin_proof: tuple[int, int] | None = None
    # The trail's last entry id before guard triggers found missing at this open were recorded
    # (0: none found): a post without accounts shows what this open found (db/audit/guard_triggers.py).
    restored_after: int = 0

    def actor(self) -> str:
        if self.session:
            return self.session.name
        return self.signing_in_as or self.fallback_actor

    @property
    def role(self) -> str | None:
        return self.session.role if self.session else None

    def may_write(self, table: str, column: str | None) -> bool:
        if self._system or not self.closed or self.role == "admin":
            return True
        if table == "account":
            return column in SIGN_IN_COLUMNS
        if self.role == "operator":
            return True
        if table != "audit_entry":
            return False
        # A supervisor writes their own sign-out event; nobody signed in writes only the sign-in
        # event of a PIN just checked (db/audit/guard_triggers.py makes every entry name its own actor).
        return (
            self.session is not None
            or self._pin_proof is not None
            and self._pin_proof[0] == threading.get_ident()
        )

    def authorize(self, action: int, arg1, arg2, dbname, trigger) -> int:
        if trigger is not None or dbname == "temp":
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_UPDATE and arg1 == "sqlite_master":
            # SQLite asks this while it connects a virtual table (household_fts) for a read, so
            # refusing it breaks search for a supervisor or nobody. SQLite itself refuses any
            # real write to sqlite_master unless writable_schema is on, which is guarded below.
            return sqlite3.SQLITE_OK
        if action in _WRITES:
            return sqlite3.SQLITE_OK if self.may_write(arg1, arg2) else sqlite3.SQLITE_DENY
        if action in _SCHEMA:
            return sqlite3.SQLITE_OK if self._system or not self.closed else sqlite3.SQLITE_DENY
        if action == sqlite3.SQLITE_PRAGMA and arg2 is not None and arg1 in _GUARDED_PRAGMAS:
            return sqlite3.SQLITE_OK if self._system or not self.closed else sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    @contextmanager
    def system(self):
        """Schema upgrades and trigger set-up: cmdpost itself, not a person."""
        self._system += 1
        try:
            yield
        finally:
            self._system -= 1

    @contextmanager
    def pin_checked(self, account_id: int):
        """While the sign-in of ``account_id`` with a right PIN is recorded (db/accounts/operators.py only)."""
        self._pin_proof = (threading.get_ident(), account_id)
        try:
            yield
        finally:
            self._pin_proof = None

    def pin_proven(self, account_id) -> int:
        return 1 if self._pin_proof == (threading.get_ident(), account_id) else 0

    def may_unlock(self) -> int:
        """1 when a lockout may be lifted without a PIN: an admin, cmdpost itself, or an open post."""
        return 1 if self._system or not self.closed or self.role == "admin" else 0

    def audit_enabled(self, op: str) -> int:
        return 1 if self.row_audit.get(op, True) else 0

    def install(self, conn: sqlite3.Connection) -> None:
        conn.create_function("cmdpost_actor", 0, self.actor)
        conn.create_function("cmdpost_audit", 1, self.audit_enabled)
        conn.create_function("cmdpost_chain", 9, chain_hash, deterministic=True)
        conn.create_function("cmdpost_pin_proven", 1, self.pin_proven)
        conn.create_function("cmdpost_may_unlock", 0, self.may_unlock)
        # The short-search index's tokens (schema 13), which its triggers compute.
        conn.create_function(GRAMS_FUNCTION, 3, grams, deterministic=True)
        conn.set_authorizer(self.authorize)


def chain_hash(prev, at, actor, op, table, row_id, grid_id, before, after) -> str:
    """SHA-256 over an entry's fields and the previous entry's hash: the audit trail's link."""
    parts = (prev, at, actor, op, table, row_id, grid_id, before, after)
    text = "\x1f".join("\x00" if p is None else str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "?"


class PostDatabase(SqliteDatabase):
    """SqliteDatabase whose every connection carries the post's guard."""

    def __init__(self, *args, guard: Guard | None = None, **kwargs) -> None:
        self.guard = guard or Guard()
        # SQLite asks the authorizer only when a statement is prepared. A cached statement, prepared
        # while an admin was signed in, would run unchecked for the next person: so no cache.
        kwargs.setdefault("cached_statements", 0)
        super().__init__(*args, **kwargs)

    def _add_conn_hooks(self, conn: sqlite3.Connection) -> None:
        super()._add_conn_hooks(conn)  # type: ignore[misc]  # peewee's own hook, missing from its stubs
        self.guard.install(conn)

    def execute_sql(self, sql, params=None):
        try:
            return super().execute_sql(sql, params)
        except Exception as exc:
            if is_denied(exc):
                raise denial(self.guard) from exc
            raise


def guard_of(db) -> Guard:
    """The guard of ``db`` (or of the database a proxy points at)."""
    target = getattr(db, "obj", None) or db
    return target.guard


def is_denied(exc: BaseException) -> bool:
    """True when SQLite refused a statement because the signed-in role may not make it."""
    return isinstance(exc, NotPermitted) or "not authorized" in str(exc)


def denial(guard: Guard) -> NotPermitted:
    if guard.session is None:
        return NotPermitted("auth.sign_in_first")
    if guard.role == "supervisor":
        return NotPermitted("auth.read_only_role", name=guard.session.name)
    return NotPermitted("auth.admin_only", name=guard.session.name)
