"""The command line's boundary: arguments and paths checked before any command runs.

Each check here stops a command with one ``cmdpost: …`` line before it can hang or leave
something behind: text that is not UTF-8 (a file name in another encoding reaches Python as
surrogates, which neither SQLite nor the terminal can take), a path the system cannot use (a name
over 255 bytes), a file that is not a regular file (reading /dev/zero or a FIFO never ends, and
writing to /dev/full or a FIFO fails or waits forever), and a database file that does not exist
for a command that only works on an existing post (roles.COMMANDS says which may make one).
"""

from __future__ import annotations

import argparse
import errno
import os
import stat
import sys
from pathlib import Path

from db.errors import CmdpostError

# Arguments that name a file cmdpost reads; "-" is standard input.
READ_PATHS = ("config", "file", "key", "head", "bulletin")
# Files it writes: a new or regular file only, never a device, FIFO or folder.
WRITE_PATHS = ("out", "export_public", "write_head")


class ArgumentError(CmdpostError):
    """An argument no command can use; the key names the reason."""


class OneLineParser(argparse.ArgumentParser):
    """argparse with its usage error on one line, ``cmdpost: …`` and exit code 2, like every other
    refusal (argparse prints the whole usage first; ``--help`` still shows it)."""

    def error(self, message: str):
        words = self.prog.split()[1:]
        where = f"{' '.join(words)}: " if words else ""
        self.exit(2, f"cmdpost: {where}{message} (--help)\n")


def not_utf8(arguments: list[str]) -> str | None:
    """The first argument that is not valid UTF-8 text (or holds a NUL, which no file name, C
    string or real argv can), shown safely; None when all are usable."""
    for argument in arguments:
        try:
            argument.encode("utf-8")
            if "\0" not in argument:
                continue
        except UnicodeEncodeError:
            pass
        return argument.encode("ascii", "backslashreplace").decode("ascii")
    return None


def _stat(path: Path) -> os.stat_result | None:
    """os.stat, which never blocks (unlike opening a FIFO); None when nothing is there."""
    try:
        return path.stat()
    except OSError as exc:
        if exc.errno in (errno.ENAMETOOLONG, errno.ELOOP):  # no command could ever use it
            raise ArgumentError("cli.bad_path", path=str(path), reason=exc.strerror or str(exc)) from None
        return None  # missing, or a path through a file: the command says what is wrong
    except ValueError:  # a NUL in the name (only from code: a real argv cannot carry one)
        raise ArgumentError("cli.bad_path", path=repr(str(path)), reason="NUL") from None


def _value(args: argparse.Namespace, name: str) -> str | None:
    value = getattr(args, name, None)
    return value if isinstance(value, str) else None


def check_paths(args: argparse.Namespace, names: tuple[str, ...] | None = None) -> None:
    """Refuse paths that cannot be used before any is opened (all of them, or only `names`); raises
    ArgumentError."""
    for name in names or READ_PATHS + WRITE_PATHS + ("db", "dest"):
        if name == "db" and not uses_post(args):
            continue  # a URL (county), or no post at all
        value = _value(args, name)
        if value is None or (value == "-" and name == "file"):
            continue
        if not value.strip():
            raise ArgumentError(
                "cli.empty_path",
                option=name.upper() if name in ("file", "dest") else "--" + name.replace("_", "-"),
            )
        try:
            path = Path(value).expanduser()
        except RuntimeError:  # "~name" for a user this machine does not have
            raise ArgumentError("cli.unknown_home", path=value) from None
        found = _stat(path)
        if found is None:
            _stat(path.parent)  # a parent name over 255 bytes is refused here too
            continue
        if stat.S_ISDIR(found.st_mode):
            if name in WRITE_PATHS:
                raise ArgumentError("cli.is_folder", path=str(path))
            continue  # a folder cannot hang a read: the command says what is wrong (or backup writes in it)
        if not stat.S_ISREG(found.st_mode):
            raise ArgumentError("cli.not_regular", path=str(path))


def require_existing_post(path: Path) -> None:
    """A command that does not make a post never creates its file, nor the folder for it. An empty file
    is no post either: SQLite would take it as a new database and a read would write a whole schema into it."""
    found = _stat(path)
    if found is None or (stat.S_ISREG(found.st_mode) and found.st_size == 0):
        from db.errors import DatabaseOpenError

        raise DatabaseOpenError("db.missing" if found is None else "db.empty", path=str(path))


def uses_post(args: argparse.Namespace) -> bool:
    """False for the commands that work without the post's database."""
    if args.command == "restore" and args.check:
        return False
    if args.command == "county":  # its --db is the county's PostgreSQL URL, not a post's file
        return False
    return not (
        args.command == "pass" and getattr(args, "verb", None) == "verify" and args.key and not args.db
    )


def say(message: str) -> int:
    print(f"cmdpost: {message}", file=sys.stderr)
    return 1
