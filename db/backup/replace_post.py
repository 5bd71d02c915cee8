"""Replacing a whole post's file (``restore``, ``demo --force``): who may, and the old file kept.

Both commands put a new database where a post's file is. The rule is the same for every path that
does so: on a post that has accounts only a signed-in admin may, and the file being replaced is
always kept, renamed to a name that no earlier replacement used (the time to the second, then a
counter, and the name taken with an exclusive create, so two replacements within one second, or
from two processes at once, cannot land on the same name and overwrite the first kept copy).

A post without accounts is open: anyone at the laptop may already change or delete everything in
it, so anyone may replace it too. Nothing is lost either way, since the old file is always kept.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from db.connection import SQLITE_MAGIC
from db.errors import CmdpostError

STAMP = "%Y%m%d-%H%M%S"
SIDE_FILES = ("-wal", "-shm", "-journal")
MAX_TRIES = 10_000  # kept copies of one post within one second; far beyond any real use


class ReplaceError(CmdpostError):
    """A post that may not be replaced now; the key names the reason."""


def require_admin(
    db_path: str | os.PathLike[str], refusal: str, error: type[CmdpostError] = ReplaceError
) -> None:
    """Refuse (``refusal`` is the message key) unless the post at ``db_path`` may be replaced by
    whoever the CLI signed in. A file too damaged to open cannot say who its admins are: then
    whoever holds the laptop may replace it (its copy is kept all the same)."""
    from db.connection import open_database
    from db.errors import DatabaseOpenError
    from db.models import database_proxy

    db_path = Path(db_path).expanduser()
    if not db_path.is_file():
        return
    previous = database_proxy.obj
    try:
        database = open_database(db_path)  # the CLI signs its --user in here
    except DatabaseOpenError:
        return
    try:
        if database.guard.closed and database.guard.role != "admin":
            raise error(refusal)
    finally:
        database.close()
        if previous is not None:
            database_proxy.initialize(previous)


def take_over(db_path: Path) -> sqlite3.Connection:
    """Exclusive hold of the live database, refused while any other connection has it open.

    Leaving WAL mode needs every other connection gone; it also checkpoints the WAL, so the
    file left behind is complete on its own.
    """
    con = sqlite3.connect(db_path, timeout=2, isolation_level=None)
    try:
        mode = con.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        if mode != "delete":
            raise sqlite3.OperationalError("database is locked")
        con.execute("BEGIN EXCLUSIVE")
    except sqlite3.Error:
        con.close()
        raise ReplaceError("backup.in_use", path=str(db_path)) from None
    return con


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(16) == SQLITE_MAGIC
    except OSError:
        return False


def _reserve(db_path: Path, stamp: str) -> Path:
    """A kept-copy name nobody has used, created empty (O_EXCL) so no other process can take it."""
    for n in range(1, MAX_TRIES + 1):
        name = f"{db_path.name}.replaced-{stamp}" + (f"-{n}" if n > 1 else "")
        candidate = db_path.with_name(name)
        if any(Path(f"{candidate}{side}").exists() for side in SIDE_FILES):
            continue
        try:
            os.close(os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            continue
        return candidate
    raise ReplaceError("backup.unwritable", path=str(db_path), reason="no free name for the kept copy")


def replace_file(
    db_path: str | os.PathLike[str], new: str | os.PathLike[str], *, now: datetime | None = None
) -> Path | None:
    """Put the finished file ``new`` where the post's file is, keeping the old one (and its
    -wal/-shm/-journal) under a new name; return that name, or None when there was no file.

    Refused, with nothing moved, while a console or command has the post open; the hold lasts until
    ``new`` is in place, so nobody can open (or create) the post in between.
    """
    db_path = Path(db_path).expanduser()
    kept, hold = None, None
    try:
        if db_path.exists():
            hold = take_over(db_path) if _is_sqlite(db_path) else None
            kept = _reserve(db_path, (now or datetime.now()).strftime(STAMP))
            os.replace(db_path, kept)
        for side in SIDE_FILES:  # never replayed into the new file: kept with the old one, or dropped
            if Path(f"{db_path}{side}").exists():
                if kept is None:
                    Path(f"{db_path}{side}").unlink()
                else:
                    os.replace(f"{db_path}{side}", f"{kept}{side}")
        os.replace(new, db_path)
    finally:
        if hold is not None:
            hold.close()
    return kept
