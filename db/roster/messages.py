"""What the volunteers' group is told: places open soon, tomorrow's roster, and what changed.

Plain records only; the words are the console's (console/roster_message.py). When a message of
changes is made is kept in post_meta, so the next one tells only what changed after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from db.models import database_proxy as db
from db.roster.queries import CoverageRow, coverage, day_roster
from db.roster.rules import HOUR
from db.roster.settings import Duty

CHANGES_MARK = "roster_message_changes_at"
HELP_HOURS = 12


@dataclass(frozen=True)
class RosterChange:
    name: str
    post: str
    grid: str
    starts_at: int
    ends_at: int
    added: bool  # False: taken off the shift


def open_soon(now: int, grid_code: str | None = None, hours: int = HELP_HOURS) -> list[CoverageRow]:
    """Shifts running now or starting within ``hours`` that still have open places."""
    return sorted(
        (r for r in coverage(now, now + hours * HOUR, grid_code) if r.gap),
        key=lambda r: (r.starts_at, r.grid, r.post),
    )


def roster_of_day(duty: Duty, day: date, grid_code: str | None = None) -> list[tuple]:
    """(post, grid, start, end, needed, [names]) per shift: names only, never phones, for a group chat."""
    return [
        (post, grid, start, end, needed, [name for name, _, _ in people])
        for post, _, grid, start, end, needed, people in day_roster(duty, day, grid_code)
    ]


def last_changes_message() -> str | None:
    row = db.execute_sql("SELECT value FROM post_meta WHERE key = ?", (CHANGES_MARK,)).fetchone()
    return row[0] if row else None


def changes_since(since: str | None, now: int, grid_code: str | None = None) -> list[RosterChange]:
    """Assignments made or removed after ``since`` (UTC ISO; None: the last day) on shifts not yet over."""
    if since is None:
        since = datetime.fromtimestamp(now - 24 * HOUR, UTC).isoformat(timespec="seconds")
    scope, params = "", []
    if grid_code:
        scope, params = " AND (g.code = ? OR g.code LIKE ?)", [grid_code, grid_code + "-%"]
    rows = db.execute_sql(
        "SELECT st.name, p.name, g.code, s.starts_at, s.ends_at, a.removed_at IS NULL"
        " FROM assignment a JOIN shift s ON s.id = a.shift_id JOIN duty_post p ON p.id = s.post_id"
        " JOIN grid g ON g.id = p.grid_id JOIN staff st ON st.id = a.staff_id"
        # >=: times are kept to the second, and a change in the message's own second is told twice
        # rather than never.
        " WHERE s.ends_at > ? AND ((a.created_at >= ? AND a.removed_at IS NULL) OR"
        " (a.removed_at >= ? AND a.created_at < ?))" + scope + " ORDER BY st.name, s.starts_at",
        [now, since, since, since, *params],
    ).fetchall()
    return [
        RosterChange(name, post, grid, start, end, bool(added))
        for name, post, grid, start, end, added in rows
    ]


def mark_changes_message(at: str | None = None) -> str:
    """Remember that a message of changes was made now; returns the moment (UTC ISO)."""
    from db.grids.writes import utc_now

    at = at or utc_now()
    with db.atomic():
        db.execute_sql("INSERT OR REPLACE INTO post_meta (key, value) VALUES (?, ?)", (CHANGES_MARK, at))
    return at
