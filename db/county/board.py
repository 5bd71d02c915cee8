"""What the county board and ``cmdpost county report`` read: per-post figures from row_current.

Read-only: every query is a SELECT, run by a county user whose role may only read. The same
counting as the post's own coverage board (db/roster/queries.py ``headline_of``): a shift's open
places are its need less its assignments still standing that are not no-shows; "now" is shifts
running now, "next 3 h" shifts starting within 3 hours, "tonight" shifts overlapping the night.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from db.roster.settings import Duty


class PostFigures(NamedTuple):
    post_id: str
    name: str
    households: int
    residents: int
    open_now: int
    open_soon: int
    open_tonight: int
    round_number: int | None
    tested_households: int
    delivered_today: int
    synced_at: datetime | None
    quarantined: bool

    def quiet_minutes(self, now: datetime) -> int | None:
        """Minutes since the last sync (None: never synced)."""
        return None if self.synced_at is None else int((now - self.synced_at).total_seconds() // 60)


class GridCoverage(NamedTuple):
    code: str
    name: str
    households: int
    tested: int


_POSTS = """
WITH shifts AS MATERIALIZED (  -- each shift's gap counted once, not once per window it is summed in
    SELECT s.post_id, (s.data->>'starts_at')::bigint AS s, (s.data->>'ends_at')::bigint AS e,
        greatest((s.data->>'needed')::int - (
            -- each shift's standing assignments, counted through row_current_assignment_shift
            SELECT count(*) FROM county.row_current a
            WHERE a.post_id = s.post_id AND a.table_name = 'assignment' AND a.data->>'shift_id' = s.row_id::text
              AND a.data->>'removed_at' IS NULL AND a.data->>'state' <> 'no_show'), 0) AS gap
    FROM county.row_current s WHERE s.table_name = 'shift' AND (s.data->>'cancelled')::int = 0
      AND (s.data->>'starts_at')::bigint < %(horizon)s AND (s.data->>'ends_at')::bigint > %(start)s),
gaps AS (
    SELECT post_id,
        sum(gap) FILTER (WHERE s <= %(now)s AND %(now)s < e) AS now_gap,
        sum(gap) FILTER (WHERE %(now)s < s AND s < %(soon)s) AS soon_gap,
        sum(gap) FILTER (WHERE s < %(night_end)s AND e > %(night_start)s) AS night_gap
    FROM shifts GROUP BY post_id),
latest AS (
    SELECT DISTINCT ON (post_id) post_id, row_id AS round_id, (data->>'number')::int AS number
    FROM county.row_current WHERE table_name = 'test_round' ORDER BY post_id, (data->>'number')::int DESC),
delivered AS (
    SELECT post_id, count(*) AS n FROM county.row_current
    WHERE table_name = 'handoff' AND data->>'kind' = 'deliver' AND data->>'day' = %(day)s GROUP BY post_id)
SELECT p.post_id, p.name, coalesce(pt.households, 0), coalesce(pt.residents, 0), coalesce(g.now_gap, 0),
       coalesce(g.soon_gap, 0), coalesce(g.night_gap, 0), l.number, coalesce(rt.households, 0), coalesce(d.n, 0),
       st.synced_at, EXISTS (SELECT 1 FROM county.quarantine q WHERE q.post_id = p.post_id)
FROM county.post p
LEFT JOIN county.post_state st ON st.post_id = p.post_id
LEFT JOIN county.post_totals pt ON pt.post_id = p.post_id LEFT JOIN gaps g ON g.post_id = p.post_id
LEFT JOIN latest l ON l.post_id = p.post_id
LEFT JOIN county.round_tested rt ON rt.post_id = p.post_id AND rt.round_id = l.round_id
LEFT JOIN delivered d ON d.post_id = p.post_id
"""

_GRIDS = """
WITH latest AS (
    SELECT row_id AS round_id FROM county.row_current WHERE post_id = %(post)s AND table_name = 'test_round'
    ORDER BY (data->>'number')::int DESC LIMIT 1),
hh AS (
    SELECT row_id, (data->>'root_id')::bigint AS root FROM county.row_current
    WHERE post_id = %(post)s AND table_name = 'household'),
tested AS (
    SELECT DISTINCT (data->>'household_id')::bigint AS household FROM county.row_current
    WHERE post_id = %(post)s AND table_name = 'test_record'
      AND (data->>'round_id')::bigint IN (SELECT round_id FROM latest))
SELECT g.data->>'code', g.data->>'name', count(hh.row_id), count(tested.household)
FROM county.row_current g
LEFT JOIN hh ON hh.root = g.row_id LEFT JOIN tested ON tested.household = hh.row_id
WHERE g.post_id = %(post)s AND g.table_name = 'grid' AND (g.data->>'level')::int = 0
GROUP BY g.data->>'code', g.data->>'name', g.data->>'sort_key' ORDER BY g.data->>'sort_key'
"""


def moment(duty: Duty, now: int) -> tuple[int, tuple[int, int], str]:
    """The board's now, tonight's window and today's date at the county's time zone: what posts()
    is asked for, the same from ``cmdpost county`` and the county board screen."""
    from db.roster.queries import tonight_window

    return now, tonight_window(now, duty), datetime.fromtimestamp(now, duty.tz).date().isoformat()


def posts(conn, now: int, night: tuple[int, int], day: str) -> list[PostFigures]:
    """Every post's figures, most open places now first. ``now`` in epoch seconds, ``night`` the
    night window at the county (db/roster/queries.py ``tonight_window``), ``day`` today's date."""
    params = {
        "now": now,
        "soon": now + 3 * 3600,
        "night_start": night[0],
        "night_end": night[1],
        "day": day,
        "start": min(now, night[0]),
        "horizon": max(now + 3 * 3600, night[1]),
    }
    rows = conn.execute(_POSTS, params).fetchall()
    figures = [
        PostFigures(
            r[0],
            r[1],
            int(r[2]),
            int(r[3]),
            int(r[4]),
            int(r[5]),
            int(r[6]),
            r[7],
            int(r[8]),
            int(r[9]),
            r[10],
            r[11],
        )
        for r in rows
    ]
    return sorted(figures, key=lambda f: (-f.open_now, -f.open_soon, -f.open_tonight, f.name, f.post_id))


def grid_coverage(conn, post_id: str) -> list[GridCoverage]:
    """Testing coverage of the latest round per top-level grid of one post."""
    return [
        GridCoverage(r[0], r[1], int(r[2]), int(r[3]))
        for r in conn.execute(_GRIDS, {"post": post_id}).fetchall()
    ]


def utc_now() -> datetime:
    return datetime.now(UTC)
