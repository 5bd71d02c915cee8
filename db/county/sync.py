"""``cmdpost sync --to postgresql://…``: the post's outbox sent to the county, batch by batch.

Each batch is one transaction at the county and one INSERT: it commits whole or not at all, and
the county's statement trigger refuses a batch that does not follow on from the last one it holds
(db/county/pg_schema.py). Where to start is asked of the county at each batch, under a lock on
the post, so a sync killed at any moment (kill -9 included) resumes at the first change the county
does not hold: no duplicate, no gap, and two syncs of one post at once queue up. The post's file is
only read, on its own connection, so the console goes on working while a sync runs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from db.county import outbox, trim
from db.county.stamp import last_sync as last_sync  # where the sync's stamp is read, for its callers
from db.county.stamp import stamp_path
from db.errors import CmdpostError
from db.private_file import write_private_text

BATCH = 5000
CONNECT_TIMEOUT_S = 5
URL_SCHEMES = ("postgresql://", "postgres://")


class CountyError(CmdpostError):
    """The county could not be reached, or refused what was sent."""


class SyncResult(NamedTuple):
    post_id: str
    sent: int
    last_seq: int  # the newest change the county holds
    batches: int
    aged_seq: int = 0  # the newest it has held for the trim's interval (db/county/trim.py)


def check_url(url: str) -> str:
    if not isinstance(url, str) or not url.startswith(URL_SCHEMES) or any(c in url for c in "\r\n\x00"):
        raise CountyError("county.bad_url")
    return url


def _reason(exc: BaseException) -> str:
    """The first line of what libpq or the server said; it never holds the password."""
    text = str(exc).strip().splitlines()
    return re.sub(r"\s+", " ", text[0] if text else type(exc).__name__)[:200]


def connect(url: str, *, autocommit: bool = True):
    """A connection to the county, or CountyError with one line (bad URL, password, server down)."""
    import psycopg

    check_url(url)
    try:
        psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error as exc:  # a URL libpq cannot read
        raise CountyError("county.bad_url_reason", reason=_reason(exc)) from None
    try:
        return psycopg.connect(
            url, connect_timeout=CONNECT_TIMEOUT_S, autocommit=autocommit, application_name="cmdpost"
        )
    except (psycopg.Error, OSError) as exc:
        raise CountyError("county.unreachable", reason=_reason(exc)) from None
    except (UnicodeError, ValueError) as exc:  # a host name no resolver can take ("\ufff9")
        raise CountyError("county.bad_url_reason", reason=_reason(exc)) from None


def _register(conn, ident: outbox.PostIdentity, verify_pem: str | None) -> int:
    """The post known at the county (under this role), its key published; the last seq it holds."""
    with conn.transaction():
        conn.execute(
            "INSERT INTO county.post (post_id, name) VALUES (%s, %s) ON CONFLICT DO NOTHING",
            (ident.uid, ident.name),
        )
        owner = conn.execute(
            "SELECT db_role = current_user OR (SELECT rolsuper FROM pg_roles WHERE rolname ="
            " current_user) FROM county.post WHERE post_id = %s",
            (ident.uid,),
        ).fetchone()
        if not owner or not owner[0]:
            raise CountyError("county.not_this_role", post=ident.uid)
        if verify_pem:
            conn.execute(
                "INSERT INTO county.verify_key (post_id, public_pem) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                (ident.uid, verify_pem),
            )
        return _county_last(conn, ident.uid)


def _county_last(conn, post_id: str) -> int:
    row = conn.execute("SELECT last_seq FROM county.post_state WHERE post_id = %s", (post_id,)).fetchone()
    return row[0] if row else 0


def _county_line(conn, post_id: str, seq: int) -> tuple | None:
    row = conn.execute(
        "SELECT table_name, row_id, op FROM county.change WHERE post_id = %s AND seq = %s", (post_id, seq)
    ).fetchone()
    return tuple(row) if row else None


def sync(
    database,
    url: str,
    *,
    post_name: str = "",
    verify_pem: str | None = None,
    batch: int = BATCH,
    progress: Callable[[int, int], None] | None = None,
    before_commit: Callable[[int], None] | None = None,
    trim_after_hours: int | None = None,
) -> SyncResult:
    """Send every change the county lacks. ``before_commit(batch_number)`` runs with a batch written
    but not committed: fault drills (tests/test_county_sync.py kills the process there). With
    ``trim_after_hours``, the result also says which lines the county has held that long."""
    import psycopg

    ident = outbox.identity(database, post_name)
    # Autocommit: each ``conn.transaction()`` below is a real BEGIN … COMMIT, and a read between
    # them can never open a transaction that would quietly turn the batches into savepoints.
    conn = connect(url, autocommit=True)
    sent = batches = 0
    try:
        try:
            last = _register(conn, ident, verify_pem)
        except psycopg.errors.UndefinedTable:
            raise CountyError("county.not_set_up") from None
        if last > ident.last_seq:  # the county holds changes this file never made: a restored copy?
            raise CountyError("county.post_behind", county=last, post=ident.last_seq)
        first = outbox.first_kept(database)
        mine = outbox.line_at(database, last) if last else None
        if (last and mine is None) or (ident.last_seq > last and (first or ident.last_seq + 1) > last + 1):
            # Trimmed here (db/county/trim.py) after the county had them: a county restored from an older backup?
            raise CountyError("county.post_trimmed", county=last, first=first or ident.last_seq + 1)
        if last and _county_line(conn, ident.uid, last) != mine:
            raise CountyError("county.post_diverged", seq=last)  # another file under this post's id
        while True:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (ident.uid,))
                last = _county_last(conn, ident.uid)
                changes = outbox.read_batch(database, last, batch)
                if not changes:
                    break
                _insert(conn, ident.uid, changes)
                batches += 1
                if before_commit:
                    before_commit(batches)
            sent += len(changes)
            last = changes[-1].seq
            if progress:
                progress(sent, ident.last_seq)
        aged = 0 if trim_after_hours is None else trim.aged_through(conn, ident.uid, trim_after_hours)
    except CountyError:
        raise
    except psycopg.Error as exc:
        raise _refusal(conn, ident, exc, sent) from None
    finally:
        conn.close()
    return SyncResult(ident.uid, sent, last, batches, aged)


def _insert(conn, post_id: str, changes: list[outbox.Change]) -> None:
    """The batch COPied into a temporary table, then one INSERT … SELECT: one statement, so the
    arrival trigger sees it whole, and row-level security checks every row (COPY straight into a
    table under row-level security is refused). Several times faster than an INSERT of arrays,
    whose JSON the server must unquote from array literals."""
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS sync_batch (seq bigint, table_name text, row_id bigint, op text,"
        " data text) ON COMMIT DELETE ROWS"
    )
    with conn.cursor().copy("COPY sync_batch (seq, table_name, row_id, op, data) FROM STDIN") as copy:
        for c in changes:
            copy.write_row(
                (
                    c.seq,
                    c.table,
                    c.row_id,
                    c.op,
                    None if c.data is None else json.dumps(c.data, ensure_ascii=False),
                )
            )
    conn.execute(
        "INSERT INTO county.change (post_id, seq, table_name, row_id, op, data)"
        " SELECT %s, seq, table_name, row_id, op, data::jsonb FROM sync_batch ORDER BY seq"
        " ON CONFLICT DO NOTHING",
        (post_id,),
    )


def _refusal(conn, ident: outbox.PostIdentity, exc, sent: int) -> CountyError:
    state = getattr(exc, "sqlstate", None)
    if state == "CP001":  # the audit chain does not verify: nothing merged, the post flagged
        reason = _reason(exc)
        try:
            with conn.transaction():
                conn.execute(
                    "INSERT INTO county.quarantine (post_id, reason) VALUES (%s, %s)", (ident.uid, reason)
                )
        except Exception:  # noqa: BLE001 - the refusal itself is what the operator must see
            pass
        return CountyError("county.chain_broken", reason=reason)
    if state == "CP003":
        return CountyError("county.quarantined", post=ident.uid)
    if state == "42501":
        return CountyError("county.not_permitted", reason=_reason(exc))
    return CountyError("county.interrupted", sent=sent, reason=_reason(exc))


def record_sync(db_path: str | Path, result: SyncResult, url: str) -> None:
    """When the post last synced, beside the database, for the console header (never in the file the
    sync only reads)."""
    host = re.sub(r"^[a-z]+://([^@/]*@)?", "", url).split("/")[0].split("?")[0] or "localhost"
    stamp = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "seq": result.last_seq,
        "post": result.post_id,
        "county": host,
    }
    write_private_text(stamp_path(db_path), json.dumps(stamp))
