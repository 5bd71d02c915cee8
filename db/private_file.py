"""Files only their owner can read. ``create_private``: made new (never over an existing one) and on disk before
the call returns. For the pass signing key and for backup copies of it."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from db.errors import CmdpostError


def create_private(path: str | os.PathLike[str], data: bytes) -> Path:
    """Raises FileExistsError if ``path`` exists (O_EXCL: two processes cannot both write it), and
    OSError when it cannot be written."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(handle, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return Path(path)


# Everything cmdpost itself creates that holds the post's data (the database and its sidecars,
# pre-upgrade copies, backups, exports, print sheets) is owner-only: 0600 files, 0700 folders. A file
# or folder that already exists is never given a mode: it is the user's, and reading (or writing to
# a file the user named) does not change who may read it.

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def private_dirs(path: str | os.PathLike[str]) -> Path:
    """``path`` as a folder, each missing level made 0700 (existing ones keep their mode)."""
    target = level = Path(path)
    missing = []
    while not level.exists() and level != level.parent:
        missing.append(level)
        level = level.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # made meanwhile by another process: theirs to have made
            os.mkdir(folder, PRIVATE_DIR)
    return target


def create_if_missing(path: str | os.PathLike[str]) -> bool:
    """Make ``path`` an empty 0600 file unless something is there already; True when it was made.

    SQLite gives a database's -wal and -shm files the main file's mode, so a database made through this
    keeps its sidecars owner-only too."""
    try:
        os.close(
            os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), PRIVATE_FILE)
        )
    except FileExistsError:
        return False
    return True


class OverwriteRefused(CmdpostError):
    """An export, sheet or key copy aimed at a file that holds a post or its key."""


# What an export must never overwrite: a database (the post, another post, a backup, a pre-upgrade
# copy) or a private key, whatever the file is called, and the sidecars SQLite keeps beside a post.
_NOT_OURS_SUFFIXES = (".passkey", "-wal", "-shm", "-journal")
_NOT_OURS_STARTS = (b"SQLite format 3\x00", b"-----BEGIN PRIVATE KEY")


def refuse_overwriting_post_files(path: str | os.PathLike[str]) -> None:
    """Raise OverwriteRefused when ``path`` is an existing database, key or sidecar. ``export care
    --out post.db``, run by anyone, once replaced the whole post with an HTML sheet."""
    name = Path(path).name
    beside = [Path(path).with_name(name[: -len(end)]) for end in _NOT_OURS_SUFFIXES if name.endswith(end)]
    for post in beside:  # a sidecar or key of a post there, or the name one would take
        if post.is_file():  # SQLite would take a file so named for the post's WAL or journal, and drop it
            raise OverwriteRefused("db.sidecar_name", path=str(path), post=str(post))
    try:
        found = os.stat(path)
    except OSError:
        return  # nothing there (or nothing we may look at: the open that follows says so)
    refused = False
    if stat.S_ISREG(found.st_mode) and found.st_size:
        try:
            with open(path, "rb") as fh:
                refused = fh.read(32).startswith(_NOT_OURS_STARTS)
        except OSError:
            return
    if refused:
        raise OverwriteRefused("db.overwrite_refused", path=str(path))


def open_for_writing(path: str | os.PathLike[str], mode: str = "w", **kwargs):
    """``open(path, mode)`` for an export or a sheet: a new file is made 0600, an existing one (the user
    named it) is overwritten and keeps its mode, unless it holds a post or a key. The folders it needs
    are made 0700."""
    refuse_overwriting_post_files(path)
    private_dirs(Path(path).parent)
    create_if_missing(path)
    return open(path, mode, **kwargs)


def write_private_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    with open_for_writing(path, "w", encoding=encoding) as fh:
        fh.write(text)
    return Path(path)
