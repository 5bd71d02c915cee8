"""Trimming the post's outbox: lines the county holds go, after a safe interval and count.

The outbox would otherwise grow by a line for every change, for ever. A line may go only once the
county has acknowledged it, and only what the county itself says counts: ``cmdpost sync`` asks it,
under the post's lock, how far it holds the post and which of those lines it received at least
``after_hours`` ago (its own clock, ``county.change.received_at``). Of those, the newest
``keep`` lines stay, and so does the newest line the county holds (the next sync compares it, to
tell this file from another under the same post id). A line the county does not hold is never
trimmed. ``seq`` is AUTOINCREMENT (sqlite_sequence), so the numbers go on after a trim: none is
ever used twice.

Why keep any: a county restored from a backup older than the last sync needs the lines since; the
post can send them only while it holds them (the sync says so in one line when it no longer does).
"""

from __future__ import annotations

from typing import NamedTuple

# Lines deleted per transaction: the console's writes wait for one chunk at most, never the whole trim.
CHUNK = 50_000


class TrimPolicy(NamedTuple):
    after_hours: int  # the county has held a line this long (0: as soon as it holds it)
    keep: int  # newest synced lines kept whatever their age


def aged_through(conn, post_id: str, hours: int) -> int:
    """The newest change of this post the county received at least ``hours`` ago (0: none)."""
    row = conn.execute(
        "SELECT seq FROM county.change WHERE post_id = %s AND received_at <= now() - make_interval(hours => %s)"
        " ORDER BY seq DESC LIMIT 1",
        (post_id, hours),
    ).fetchone()
    return row[0] if row else 0


def trim(database, county_last: int, aged: int, keep: int) -> int:
    """Delete the outbox lines the county holds (``county_last``) and has held long enough (``aged``),
    keeping the newest ``keep`` and the county's newest; returns how many went. cmdpost's own
    bookkeeping, not a person's change: it needs no sign-in and leaves no audit entry."""
    from db.county.outbox import last_seq

    post_last = last_seq(database)
    if county_last > post_last:  # a county ahead of this file (another file, a restored copy): touch nothing
        return 0
    through = min(county_last - 1, aged, post_last - keep)
    trimmed = 0
    with database.guard.system():
        while through > 0:
            with database.atomic():
                cursor = database.execute_sql(
                    "DELETE FROM sync_outbox WHERE seq IN (SELECT seq FROM sync_outbox WHERE seq <= ? ORDER BY seq"
                    " LIMIT ?)",
                    (through, CHUNK),
                )
            if cursor.rowcount <= 0:
                break
            trimmed += cursor.rowcount
    return trimmed
