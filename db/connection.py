"""Opening the post's database: checks, pragmas and migrations.

Every connection runs in WAL mode with foreign keys on, ``synchronous=FULL``
(a committed record is on disk before the commit returns, so it survives a
power cut) and a busy timeout, so a second writer waits instead of failing.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from peewee import DatabaseProxy, SqliteDatabase

from db.audit.guard import Guard, PostDatabase
from db.errors import DatabaseOpenError, is_read_only
from db.models import database_proxy
from db.private_file import create_if_missing, private_dirs
from db.schema import MIGRATIONS, SCHEMA_VERSION

# A write waits this long for another to finish before giving up. A county-size CSV import
# holds the write lock for 10-20 s (155,000 households on a shared 2-core laptop): at the old
# 10 s, an operator's save during such an import failed with "database is locked". Writes run
# off the event loop, so waiting costs the operator nothing but the wait.
BUSY_TIMEOUT_MS = 120_000
PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "full",
    "busy_timeout": BUSY_TIMEOUT_MS,
    "cache_size": -32_000,
    # Statement journals of trigger-heavy bulk writes stay in memory, not in
    # millions of small writes to a temporary file.
    "temp_store": "memory",
}
SQLITE_MAGIC = b"SQLite format 3\x00"
# The file header holds the user_version at bytes 60-63. A post's is set with its schema and only goes
# up, so a header that says anything but 0 is no other program's file: the look into its tables (a
# second connection that parses the whole schema, 8-20 ms of every start) is only for a 0, which may
# also be a post just made whose version is still in its WAL.
HEADER_BYTES = 100
# Called with each database open_database returns: the CLI signs its user in here, so every
# command that opens the post runs as that person without each one asking.
AFTER_OPEN: list = []


def readonly_uri(path: str | Path) -> str:
    """An SQLite URI that opens ``path`` read-only. The path is percent-encoded: a name holding
    ``?`` or ``#`` would otherwise end the file name there and open (or make) another file."""
    return f"{Path(path).resolve().as_uri().replace('file://', 'file:', 1)}?mode=ro"


def _check_file(path: Path) -> None:
    parent = path.parent
    try:
        private_dirs(parent)
    except OSError as exc:
        raise DatabaseOpenError(
            "db.cannot_create_dir", path=str(parent), reason=exc.strerror or str(exc)
        ) from exc
    if path.is_dir():
        raise DatabaseOpenError("db.is_directory", path=str(path))
    if path.exists():
        if not os.access(path, os.R_OK | os.W_OK):
            raise DatabaseOpenError("db.not_writable", path=str(path))
        if path.stat().st_size:
            with path.open("rb") as fh:
                header = fh.read(HEADER_BYTES)
            if header[:16] != SQLITE_MAGIC:
                raise DatabaseOpenError("db.not_a_database", path=str(path))
            if int.from_bytes(header[60:64], "big") == 0:
                _refuse_foreign(path)
    if not os.access(parent, os.W_OK):
        raise DatabaseOpenError("db.not_writable", path=str(parent))
    try:
        create_if_missing(
            path
        )  # owner-only: it will hold names, phones and PIN hashes (and so will -wal/-shm)
    except OSError as exc:
        raise DatabaseOpenError("db.open_failed", path=str(path), reason=exc.strerror or str(exc)) from None


def _refuse_foreign(path: Path) -> None:
    """Another program's SQLite file (schema version 0, tables of its own) is never written into: opening
    it as a post would turn it to WAL and add cmdpost's whole schema beside its tables. Looked at
    read-only, before any pragma runs."""
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri().replace('file://', 'file:', 1)}?mode=ro", uri=True)
        try:
            version = con.execute("PRAGMA user_version").fetchone()[0]
            tables = [
                row[0]
                for row in con.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name"
                )
            ]
        finally:
            con.close()
    except sqlite3.Error:
        return  # damaged or locked: the open that follows says what is wrong
    if version == 0 and tables:
        raise DatabaseOpenError("db.foreign", path=str(path), tables="、".join(tables[:5]))


def schema_version(db: SqliteDatabase) -> int:
    return db.execute_sql("PRAGMA user_version").fetchone()[0]


def _backup_before_upgrade(db: SqliteDatabase, path: Path, version: int) -> Path:
    """Keep a consistent copy of the file as it was, before changing its schema."""
    target = path.with_name(f"{path.name}.v{version}.bak")
    number = 1
    # A name never reused: a second file upgraded at this path (a v1 backup restored, say) would
    # otherwise write its copy over the first one's. Made owner-only, like the database.
    while not create_if_missing(target):
        number += 1
        target = path.with_name(f"{path.name}.v{version}.{number}.bak")
    dest = sqlite3.connect(target)
    try:
        db.connection().backup(dest)
    finally:
        dest.close()
    return target


def migrate(
    db: SqliteDatabase,
    path: Path | None = None,
    target: int = SCHEMA_VERSION,
    on_upgrade: Callable[[int, int], None] | None = None,
) -> int:
    """Bring the schema up to ``target``; return the version it started at.

    ``on_upgrade(old, new)`` is told first when an existing file is upgraded: rebuilding an index of a
    large post takes seconds (schema 13: 13 s at three times a county under load), so the caller says why."""
    start = schema_version(db)
    if start > SCHEMA_VERSION:
        raise DatabaseOpenError("db.too_new", found=start, supported=SCHEMA_VERSION)
    if start and start < target and on_upgrade is not None:
        on_upgrade(start, target)
    if start and start < target and path is not None:
        _backup_before_upgrade(db, path, start)
    for migration in MIGRATIONS:
        if start < migration.version <= target:
            with _as_system(db), db.atomic():
                for statement in migration.statements:
                    db.execute_sql(statement)
                db.execute_sql(f"PRAGMA user_version = {migration.version}")
    return start


def _as_system(db: SqliteDatabase):
    guard = getattr(db, "guard", None)
    return guard.system() if guard else contextlib.nullcontext()


def _seal(db: PostDatabase, upgraded: bool = False) -> None:
    """Every guard trigger in place (missing ones put back and recorded), and the post open or
    closed by its accounts."""
    from db.audit import guard_triggers

    if schema_version(db) >= 7:
        guard_triggers.ensure(db, upgraded=upgraded)
        db.guard.closed = has_accounts(db)


def has_accounts(db: SqliteDatabase | DatabaseProxy) -> bool:
    return db.execute_sql("SELECT EXISTS(SELECT 1 FROM account WHERE disabled = 0)").fetchone()[0] == 1


def open_readonly(path: str | os.PathLike[str]) -> PostDatabase:
    """A connection that cannot write, whatever code runs over it: SQLite's own read-only mode.

    For supervisors over SSH. The file must exist and be at the current schema.
    """
    path = Path(path).expanduser()
    if not path.is_file():
        raise DatabaseOpenError("db.missing", path=str(path))
    with path.open("rb") as fh:
        if fh.read(16) != SQLITE_MAGIC:
            raise DatabaseOpenError("db.not_a_database", path=str(path))
    uri = readonly_uri(path)
    pragmas = {"foreign_keys": 1, "busy_timeout": BUSY_TIMEOUT_MS, "query_only": 1}
    db = PostDatabase(
        uri,
        uri=True,
        pragmas=pragmas,
        timeout=BUSY_TIMEOUT_MS / 1000,
        check_same_thread=False,
        guard=Guard(readonly=True),
    )
    try:
        db.connect(reuse_if_open=True)
        version = schema_version(db)
    except Exception as exc:
        db.close()
        raise DatabaseOpenError("db.open_failed", path=str(path), reason=str(exc)) from exc
    if version != SCHEMA_VERSION:
        db.close()
        raise DatabaseOpenError("db.readonly_version", found=version, supported=SCHEMA_VERSION)
    db.guard.closed = has_accounts(db)
    db.guard.path = path
    database_proxy.initialize(db)
    return db


def open_bookkeeper(path: Path) -> PostDatabase:
    """A short read-write connection for a read-only console's sign-in bookkeeping. Nobody is signed
    in on it, so its authorizer lets it write failed attempts, lockouts and sign-in events only."""
    db = PostDatabase(
        str(path),
        pragmas=PRAGMAS,
        timeout=BUSY_TIMEOUT_MS / 1000,
        check_same_thread=False,
        lock_type="IMMEDIATE",
        guard=Guard(closed=True),
    )
    db.connect()
    return db


def open_database(
    path: str | os.PathLike[str],
    *,
    upgrade: bool = True,
    on_upgrade: Callable[[int, int], None] | None = None,
) -> PostDatabase:
    """Open (creating if needed) the database at ``path``, migrated to the current schema.

    Raises DatabaseOpenError with a message key for every way a file can be
    unusable: a folder that cannot be made, a read-only file, a file that is
    not SQLite, a damaged file, or one written by a newer cmdpost.
    """
    path = Path(path).expanduser()
    _check_file(path)
    # IMMEDIATE: a write transaction takes the write lock when it begins, so two
    # operators racing for the last place queue up instead of one failing mid-way.
    db = PostDatabase(
        str(path),
        pragmas=PRAGMAS,
        timeout=BUSY_TIMEOUT_MS / 1000,
        check_same_thread=False,
        lock_type="IMMEDIATE",
    )
    try:
        db.connect(reuse_if_open=True)
        db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
        if upgrade:
            _seal(db, upgraded=migrate(db, path, on_upgrade=on_upgrade) < SCHEMA_VERSION)
        elif schema_version(db) > SCHEMA_VERSION:
            raise DatabaseOpenError("db.too_new", found=schema_version(db), supported=SCHEMA_VERSION)
    except DatabaseOpenError:
        db.close()
        raise
    except Exception as exc:  # sqlite3.DatabaseError, peewee.DatabaseError
        db.close()
        text = str(exc).lower()
        if "not a database" in text or "malformed" in text or "corrupt" in text:
            raise DatabaseOpenError("db.corrupt", path=str(path), reason=str(exc)) from exc
        if is_read_only(exc) or "unable to open" in text:
            raise DatabaseOpenError("db.not_writable", path=str(path)) from exc
        raise DatabaseOpenError("db.open_failed", path=str(path), reason=str(exc)) from exc
    database_proxy.initialize(db)
    try:
        for hook in AFTER_OPEN:
            hook(db)
    except BaseException:
        db.close()
        raise
    return db


def integrity_check(db: SqliteDatabase) -> list[str]:
    """Full page-level check; slow on a large file, so only on request."""
    return [row[0] for row in db.execute_sql("PRAGMA integrity_check").fetchall() if row[0] != "ok"]
