"""Errors raised by the data layer.

They carry a message key and parameters instead of text, so the data layer
stays free of any language: the console and the CLI translate them through
their catalogue (see console/i18n.py).
"""

from __future__ import annotations


class CmdpostError(Exception):
    """Base for every error a user may see. ``key`` names a catalogue entry."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key, params)
        self.key = key
        self.params = params

    def __str__(self) -> str:  # readable in logs and tracebacks
        inner = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{self.key}({inner})"


def is_busy(error: BaseException) -> bool:
    """Another connection held the write lock past the busy timeout (db/connection.py): the change
    was not made and may simply be tried again. SQLite says so only in the message's text."""
    return "database is locked" in str(error)


def is_read_only(error: BaseException) -> bool:
    """SQLite refused a write to a file it may only read (its mode, its folder's, a read-only mount or
    connection): it says so only in the message's text."""
    text = str(error).lower()
    return "readonly" in text or "read-only" in text


class DatabaseOpenError(CmdpostError):
    """The database file cannot be opened, created or upgraded."""


class RuleError(CmdpostError):
    """A write was refused because it breaks one of the post's rules."""


class NotFound(CmdpostError):
    """A record named by the caller does not exist."""


class NotPermitted(CmdpostError):
    """The signed-in account's role may not make this change (or nobody is signed in)."""


class SignInError(CmdpostError):
    """A sign-in was refused: unknown name, wrong PIN, locked or disabled account."""
