"""Reading the post's outbox (schema 11): the changes a sync sends, in order, with their rows.

A read never writes: the sync opens the post read-only. Each line is sent with its row as the row
stands now (the outbox names rows, it does not copy them); a row gone since its line was written
goes as a delete, and its own delete line follows.
"""

from __future__ import annotations

import re
import sqlite3
from typing import NamedTuple

from db.errors import CmdpostError

# Columns never sent, whatever table holds them: secrets stay at the post.
WITHHELD_COLUMNS = frozenset({"secret_hash"})
# Only the triggers write the outbox, but the file may have been edited: a table name is only ever
# one of cmdpost's own (lower case and underscores) before it goes into a query.
TABLE_NAME = re.compile(r"[a-z][a-z_0-9]{0,62}")


class Change(NamedTuple):
    seq: int
    table: str
    row_id: int
    op: str  # upsert | delete
    data: dict | None


class PostIdentity(NamedTuple):
    uid: str
    name: str
    schema_version: int
    last_seq: int


class NoOutbox(CmdpostError):
    """The post's file predates schema 11 and was opened without upgrading it."""


def identity(database, post_name: str = "") -> PostIdentity:
    version = database.execute_sql("PRAGMA user_version").fetchone()[0]
    if not _has_outbox(database):
        raise NoOutbox("county.no_outbox", found=version)
    row = database.execute_sql("SELECT value FROM post_meta WHERE key = 'post_uid'").fetchone()
    if row is None or not re.fullmatch(r"[0-9a-f]{32}", str(row[0])):
        raise NoOutbox("county.no_post_uid")
    return PostIdentity(row[0], post_name, version, last_seq(database))


def last_seq(database) -> int:
    """The newest number the outbox has given, whether or not its line was trimmed since
    (db/county/trim.py): AUTOINCREMENT keeps it in sqlite_sequence."""
    return database.execute_sql(
        "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'sync_outbox'), 0),"
        " coalesce((SELECT max(seq) FROM sync_outbox), 0))"
    ).fetchone()[0]


def first_kept(database) -> int | None:
    """The oldest line still in the outbox (None: every line trimmed, or none ever written)."""
    return database.execute_sql("SELECT min(seq) FROM sync_outbox").fetchone()[0]


def _has_outbox(database) -> bool:
    return (
        database.execute_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sync_outbox'"
        ).fetchone()
        is not None
    )


def line_at(database, seq: int) -> tuple[str, int, str] | None:
    """The outbox line numbered ``seq`` (table, row id, op), to match it with the county's copy."""
    row = database.execute_sql(
        "SELECT table_name, row_id, op FROM sync_outbox WHERE seq = ?", (seq,)
    ).fetchone()
    return tuple(row) if row else None


def read_batch(database, after_seq: int, limit: int) -> list[Change]:
    """Up to ``limit`` changes numbered after ``after_seq``, each with its row as it stands."""
    lines = database.execute_sql(
        "SELECT seq, table_name, row_id, op FROM sync_outbox WHERE seq > ? ORDER BY seq LIMIT ?",
        (after_seq, limit),
    ).fetchall()
    wanted: dict[str, set[int]] = {}
    for _, table, row_id, op in lines:
        if op == "upsert":
            wanted.setdefault(table, set()).add(row_id)
    rows = {table: _rows(database, table, ids) for table, ids in wanted.items()}
    out = []
    for seq, table, row_id, op in lines:
        data = rows.get(table, {}).get(row_id) if op == "upsert" else None
        out.append(Change(seq, table, row_id, "upsert" if data is not None else "delete", data))
    return out


def _rows(database, table: str, ids: set[int]) -> dict[int, dict]:
    found: dict[int, dict] = {}
    if not TABLE_NAME.fullmatch(table):
        return found
    ordered = sorted(ids)
    for start in range(0, len(ordered), 900):
        chunk = ordered[start : start + 900]
        try:
            cursor = database.execute_sql(
                f'SELECT rowid AS "__rowid", * FROM "{table}" WHERE rowid IN ({",".join("?" * len(chunk))})',
                chunk,
            )
        except sqlite3.OperationalError:  # a table a newer cmdpost wrote and this one does not know
            return found
        names = [d[0] for d in cursor.description]
        for row in cursor.fetchall():
            record = {n: _plain(v) for n, v in zip(names[1:], row[1:]) if n not in WITHHELD_COLUMNS}
            found[row[0]] = record
    return found


def _plain(value):
    return value.hex() if isinstance(value, bytes) else value
