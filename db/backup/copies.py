"""Backups and restores of the post's database file, safe while the console is in use.

A backup is taken with SQLite's online backup API from a connection of its own that holds one
read transaction for the whole copy: in WAL mode that pins a consistent snapshot without ever
blocking the console's writers (they keep appending to the WAL), and the copy never restarts
however busy the post is. The copy goes to a temporary file beside the destination, is switched
to a single self-contained file (journal_mode=DELETE), checked, synced, and only then renamed into
place, so a half-written backup never carries a backup's name.

A restore checks the file first (SQLite magic, PRAGMA integrity_check, a schema version this
cmdpost knows, the tables that version must have), refuses while any other connection has the
database open, keeps the replaced file under a name never used before (db/backup/replace_post.py, which
also holds who may replace a post), and moves the checked copy in.

The pass signing key (db/passes/keys.py) is never put inside a backup: it is a separate file that
``copy_key`` copies on request, mode 0600, for an admin only (as exporting the key is).
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from db.backup import replace_post
from db.connection import BUSY_TIMEOUT_MS, SQLITE_MAGIC, readonly_uri
from db.errors import CmdpostError
from db.private_file import create_private, private_dirs, refuse_overwriting_post_files
from db.schema import MIGRATIONS, SCHEMA_VERSION

PAGES_PER_STEP = 1024  # 4 MB a step at SQLite's default page size
STAMP = "%Y%m%d-%H%M%S"
# progress(pages copied, total pages)
Progress = Callable[[int, int], None]


class BackupError(CmdpostError):
    """A backup or restore that cannot be made; the key names the reason."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    pages: int
    size: int
    version: int


@dataclass(frozen=True)
class RestoreResult:
    version: int
    kept: Path | None  # the replaced database, renamed; None when there was none
    key_copied: Path | None  # the signing key taken from beside the file, when the post had none
    has_passes: bool = False  # passes were issued, so the post needs its signing key


def expected_tables(version: int) -> set[str]:
    """The tables a file at ``version`` must hold: every CREATE TABLE of the migrations up to it."""
    names = set()
    for migration in MIGRATIONS:
        if migration.version <= version:
            for statement in migration.statements:
                names.update(re.findall(r"CREATE TABLE (?:IF NOT EXISTS )?\"?(\w+)", statement, re.I))
    return names


def _fsync(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the file itself was synced
    finally:
        os.close(fd)


def _magic(path: Path) -> None:
    if not path.is_file():
        raise BackupError("backup.no_file", path=str(path))
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise BackupError("backup.unreadable", path=str(path), reason=exc.strerror or str(exc)) from None
    if head != SQLITE_MAGIC:
        raise BackupError("backup.not_sqlite", path=str(path))


def _new_private(path: Path) -> None:
    """An empty file only its owner can read: copies of the post hold people's names and phones."""
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _connect_source(source: Path, read_only: bool) -> sqlite3.Connection:
    if read_only:  # a file handed to restore is never changed, not even checkpointed
        try:
            uri = readonly_uri(source)
            con = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return con
        except sqlite3.Error:
            pass  # e.g. a WAL file with no -shm beside it: open it normally
    return sqlite3.connect(source, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)


def _copy(
    source: Path,
    temp: Path,
    progress: Progress | None,
    pages: int,
    *,
    read_only: bool = False,
    error: str = "backup.failed",
) -> int:
    """Online backup of ``source`` into the new file ``temp``; returns the pages copied."""
    try:
        src = _connect_source(source, read_only)
    except sqlite3.Error as exc:
        raise BackupError("backup.unreadable", path=str(source), reason=str(exc)) from None
    _new_private(temp)
    dest = sqlite3.connect(temp, isolation_level=None)
    # The copy is a temporary file, synced once and renamed only after its check: a journal and a
    # sync on each step of the copy bought nothing and cost most of a backup's time beside a cp.
    dest.execute("PRAGMA synchronous = OFF")
    dest.execute("PRAGMA journal_mode = OFF").fetchone()
    copied = 0
    try:
        # One read transaction for the whole copy: the snapshot cannot move between steps.
        src.execute("BEGIN")
        src.execute("SELECT count(*) FROM sqlite_master").fetchone()

        def step(status: int, remaining: int, total: int) -> None:
            nonlocal copied
            copied = total - remaining
            if progress:
                progress(copied, total)

        src.backup(dest, pages=pages, progress=step)
        src.execute("COMMIT")
        dest.execute("PRAGMA journal_mode=DELETE").fetchone()  # one self-contained file
    except sqlite3.Error as exc:
        raise BackupError(error, path=str(source), reason=str(exc)) from None
    finally:
        src.close()
        dest.close()
    return copied


def _check_copy(path: Path, *, full: bool = True) -> tuple[int, set[str]]:
    """Integrity, schema version and tables of a file nobody else has open; raises BackupError.

    ``full`` runs integrity_check (0.77 s of a 1.07 s county backup, issue 18). Without it only the
    schema is read: the pages are those SQLite itself just read from the source's snapshot, and even
    quick_check took 2-4 times the copy."""
    try:
        con = sqlite3.connect(path, isolation_level=None)
    except sqlite3.Error as exc:
        raise BackupError("backup.unreadable", path=str(path), reason=str(exc)) from None
    try:
        problems = (
            [row[0] for row in con.execute("PRAGMA integrity_check(20)") if row[0] != "ok"] if full else []
        )
        if problems:
            raise BackupError("backup.damaged", path=str(path), reason="; ".join(problems[:3]))
        version = con.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise BackupError("backup.damaged", path=str(path), reason=str(exc)) from None
    finally:
        con.close()
    if version > SCHEMA_VERSION:
        raise BackupError("backup.too_new", path=str(path), found=version, supported=SCHEMA_VERSION)
    missing = sorted(expected_tables(version) - tables)
    if version < 1 or missing:
        raise BackupError("backup.not_cmdpost", path=str(path), missing="、".join(missing[:5]) or "-")
    return version, tables


def backup_database(
    source: str | os.PathLike[str],
    dest: str | os.PathLike[str],
    *,
    progress: Progress | None = None,
    pages: int = PAGES_PER_STEP,
    full_check: bool = False,
) -> BackupInfo:
    """A consistent, checked copy of ``source`` at ``dest`` (a file that must not exist yet), mode 0600.

    The copy's schema is checked; its every page and index too with ``full_check`` (``backup
    --check``, the first rolling backup of each day; every restore checks fully)."""
    source, dest = Path(source).expanduser(), Path(dest).expanduser()
    _magic(source)
    if dest.exists():
        raise BackupError("backup.dest_exists", path=str(dest))
    refuse_overwriting_post_files(dest)  # "post.db-wal": the post's next open would delete the copy
    try:
        private_dirs(dest.parent)  # a folder cmdpost makes for copies of the post is owner-only
    except OSError as exc:
        raise BackupError(
            "backup.unwritable", path=str(dest.parent), reason=exc.strerror or str(exc)
        ) from None
    temp = dest.with_name(f".{dest.name}.partial")
    try:
        total = _copy(source, temp, progress, pages)
        version, _ = _check_copy(temp, full=full_check)
        _fsync(temp)
        if dest.exists():  # appeared while we copied: never overwrite
            raise BackupError("backup.dest_exists", path=str(dest))
        os.replace(temp, dest)
        _fsync(dest.parent)
    except OSError as exc:
        raise BackupError("backup.unwritable", path=str(dest), reason=exc.strerror or str(exc)) from None
    finally:
        temp.unlink(missing_ok=True)
        for suffix in ("-journal", "-wal", "-shm"):
            Path(f"{temp}{suffix}").unlink(missing_ok=True)
    return BackupInfo(dest, total, dest.stat().st_size, version)


def copy_key(db_path: str | os.PathLike[str], dest: str | os.PathLike[str]) -> Path | None:
    """Copy the post's signing key to ``dest`` (mode 0600, never over an existing file); None if no key."""
    from db.passes import keys as pass_keys  # here, not at import: it loads cryptography, 55 ms of the start

    replace_post.require_admin(db_path, "backup.key_admin_only", BackupError)  # as exporting the key is
    key = pass_keys.key_path(db_path)
    if not key.is_file():
        return None
    return _write_private(Path(dest).expanduser(), key.read_bytes())


def _write_private(dest: Path, data: bytes) -> Path:
    try:
        return create_private(dest, data)
    except FileExistsError:
        raise BackupError("backup.dest_exists", path=str(dest)) from None
    except OSError as exc:
        raise BackupError("backup.unwritable", path=str(dest), reason=exc.strerror or str(exc)) from None


# ---- rolling backups, taken by the console itself ------------------------------------------------


def backup_folder(db_path: str | os.PathLike[str], folder: str | os.PathLike[str] | None = None) -> Path:
    db_path = Path(db_path).expanduser()
    return Path(folder).expanduser() if folder else db_path.parent / "backups"


def _pattern(db_path: Path) -> re.Pattern:
    return re.compile(rf"^{re.escape(db_path.stem)}-(\d{{8}}-\d{{6}})\.db$")


def rolling_backups(db_path: str | os.PathLike[str], folder: Path) -> list[tuple[datetime, Path]]:
    """The post's rolling backups in ``folder``, newest first."""
    pattern, found = _pattern(Path(db_path)), []
    if not folder.is_dir():
        return []
    for entry in folder.iterdir():
        match = pattern.match(entry.name)
        if match:
            found.append((datetime.strptime(match.group(1), STAMP), entry))
    return sorted(found, reverse=True)


def latest_backup(db_path: str | os.PathLike[str], folder: Path) -> datetime | None:
    found = rolling_backups(db_path, folder)
    return found[0][0] if found else None


def take_rolling_backup(
    db_path: str | os.PathLike[str], folder: Path, keep: int, now: datetime | None = None
) -> BackupInfo:
    """One more backup in ``folder``; then only the ``keep`` newest are kept. The first of each day
    gets the full integrity check, the others the schema check."""
    db_path = Path(db_path).expanduser()
    moment = now or datetime.now()
    last = latest_backup(db_path, folder)
    info = backup_database(
        db_path,
        folder / f"{db_path.stem}-{moment.strftime(STAMP)}.db",
        full_check=last is None or last.date() != moment.date(),
    )
    for _, old in rolling_backups(db_path, folder)[max(keep, 1) :]:
        old.unlink(missing_ok=True)
    return info


# ---- restore -------------------------------------------------------------------------------------


def check_backup(path: str | os.PathLike[str], work_dir: Path | None = None) -> int:
    """Check a file as ``restore`` would, without changing anything; returns its schema version."""
    path = Path(path).expanduser()
    _magic(path)
    temp = (work_dir or path.parent) / f".{path.name}.{os.getpid()}.check"
    try:
        _copy(path, temp, None, -1, read_only=True, error="backup.damaged")
        return _check_copy(temp)[0]
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{temp}{suffix}").unlink(missing_ok=True)


def restore(
    file: str | os.PathLike[str], db_path: str | os.PathLike[str], *, now: datetime | None = None
) -> RestoreResult:
    """Replace the database at ``db_path`` by the checked contents of ``file``; keep the old one."""
    file, db_path = Path(file).expanduser(), Path(db_path).expanduser()
    _magic(file)
    replace_post.require_admin(db_path, "restore.admin_only", BackupError)
    if db_path.exists() and file.resolve() == db_path.resolve():
        raise BackupError("backup.same_file", path=str(file))
    private_dirs(db_path.parent)
    temp = db_path.with_name(f".{db_path.name}.restoring")
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{temp}{suffix}").unlink(missing_ok=True)
    try:
        _copy(file, temp, None, -1, read_only=True, error="backup.damaged")
        version, _ = _check_copy(temp)
        _fsync(temp)
        kept = replace_post.replace_file(db_path, temp, now=now)
        _fsync(db_path.parent)
    except OSError as exc:
        raise BackupError("backup.unwritable", path=str(db_path), reason=exc.strerror or str(exc)) from None
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{temp}{suffix}").unlink(missing_ok=True)
    key_copied = None
    from db.passes import keys as pass_keys

    beside = pass_keys.key_path(file)
    if beside.is_file() and not pass_keys.key_path(db_path).exists():
        key_copied = _write_private(pass_keys.key_path(db_path), beside.read_bytes())
    return RestoreResult(version, kept, key_copied, _has_passes(db_path))


def _has_passes(path: Path) -> bool:
    conn = sqlite3.connect(readonly_uri(path), uri=True)
    try:
        return bool(conn.execute("SELECT EXISTS(SELECT 1 FROM pass)").fetchone()[0])
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()
