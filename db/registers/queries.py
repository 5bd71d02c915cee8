"""Register reads: round coverage per grid, the call-back list, overdue care, missing reports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from db.models import database_proxy as db


class Coverage(NamedTuple):
    grid_id: int
    code: str
    name: str
    level: int
    households: int
    tested_households: int
    residents: int
    tested_people: int

    @property
    def percent(self) -> float:
        return 100.0 * self.tested_households / self.households if self.households else 100.0


class Untested(NamedTuple):
    household_id: int
    grid_code: str
    door: str
    head_name: str
    people: int
    phone: str
    last_outcome: str
    last_note: str


class CareStatus(NamedTuple):
    household_id: int
    grid_code: str
    door: str
    head_name: str
    phone: str
    care_tags: str
    today: str  # '', 'safe' or 'problem'
    today_note: str
    last_checked_at: int | None
    last_checked_by: str


class UnitStatus(NamedTuple):
    grid_id: int
    code: str
    name: str
    today: str  # '', 'normal' or 'problem'
    observer: str
    note: str
    reported_at: int | None


def round_coverage(round_id: int, root_id: int | None = None) -> list[Coverage]:
    """Each grid (or, for one grid, it and its sub-grids and units) with tested households and people."""
    scope = "g.level = 0" if root_id is None else "g.root_id = ?"
    rows = db.execute_sql(
        "SELECT g.id, g.code, g.name, g.level, t.households, coalesce(r.households, 0), t.residents,"
        " coalesce(r.people, 0) FROM grid g JOIN grid_total t ON t.grid_id = g.id"
        " LEFT JOIN round_total r ON r.grid_id = g.id AND r.round_id = ?"
        f" WHERE {scope} ORDER BY g.sort_key",
        [round_id, *([root_id] if root_id else [])],
    ).fetchall()
    return [Coverage(*r) for r in rows]


def coverage_by_root(round_id: int, root_ids: Sequence[int] | None = None) -> dict[int, tuple[int, int]]:
    """root grid id -> (tested households, tested people): for the dashboard tiles, from kept totals.
    ``root_ids``: of these top-level grids only (the tiles of the console's first screen)."""
    if root_ids is None:
        rows = db.execute_sql(
            "SELECT r.grid_id, r.households, r.people FROM round_total r JOIN grid g ON g.id = r.grid_id"
            " WHERE r.round_id = ? AND g.level = 0",
            (round_id,),
        ).fetchall()
    else:
        ids = list(root_ids)
        if not ids:
            return {}
        rows = db.execute_sql(
            "SELECT r.grid_id, r.households, r.people FROM round_total r JOIN grid g ON g.id = r.grid_id"
            f" WHERE r.round_id = ? AND g.level = 0 AND r.grid_id IN ({', '.join('?' * len(ids))})",
            (round_id, *ids),
        ).fetchall()
    return {gid: (h, p) for gid, h, p in rows}


def latest_round_id() -> int | None:
    row = db.execute_sql("SELECT id FROM test_round ORDER BY number DESC LIMIT 1").fetchone()
    return row[0] if row else None


def _untested_where(round_id: int, root_id: int, grid_code: str | None) -> tuple[str, list]:
    where = (
        "h.root_id = ? AND NOT EXISTS (SELECT 1 FROM test_record r WHERE r.round_id = ?"
        " AND r.household_id = h.id)"
    )
    params: list = [root_id, round_id]
    if grid_code:
        where += " AND (g.code = ? OR substr(g.code, 1, ?) = ?)"
        params += [grid_code, len(grid_code) + 1, grid_code + "-"]
    return where, params


def untested_count(round_id: int, root_id: int, grid_code: str | None = None) -> int:
    where, params = _untested_where(round_id, root_id, grid_code)
    return db.execute_sql(
        f"SELECT count(*) FROM household h JOIN grid g ON g.id = h.grid_id WHERE {where}", params
    ).fetchone()[0]


def untested_page(
    round_id: int, root_id: int, grid_code: str | None = None, offset: int = 0, limit: int = 100
) -> list[Untested]:
    """The call-back list: households not yet tested in the round, with the last call's outcome."""
    where, params = _untested_where(round_id, root_id, grid_code)
    rows = db.execute_sql(
        "SELECT h.id, g.code, h.door, h.head_name, h.people, h.phone,"
        " coalesce(c.outcome, ''), coalesce(c.note, '') FROM household h JOIN grid g ON g.id = h.grid_id"
        " LEFT JOIN callback c ON c.id = (SELECT max(id) FROM callback WHERE round_id = ? AND household_id = h.id)"
        f" WHERE {where} ORDER BY h.door_sort LIMIT ? OFFSET ?",
        [round_id, *params, limit, offset],
    ).fetchall()
    return [Untested(*r) for r in rows]


def care_register(day: str, root_id: int | None = None) -> list[CareStatus]:
    """Special-care households with today's check-in; those not yet checked come first."""
    scope = "" if root_id is None else " AND h.root_id = ?"
    rows = db.execute_sql(
        "SELECT h.id, g.code, h.door, h.head_name, h.phone, h.care_tags, coalesce(t.status, ''),"
        " coalesce(t.note, ''), l.checked_at, coalesce(l.checked_by, '') FROM household h"
        " JOIN grid g ON g.id = h.grid_id"
        " LEFT JOIN care_checkin t ON t.id = (SELECT max(id) FROM care_checkin WHERE household_id = h.id AND day = ?)"
        " LEFT JOIN care_checkin l ON l.id = (SELECT max(id) FROM care_checkin WHERE household_id = h.id)"
        f" WHERE h.care_tags <> ''{scope} ORDER BY t.status IS NOT NULL, t.status = 'safe', h.door_sort",
        [day, *([root_id] if root_id else [])],
    ).fetchall()
    return [CareStatus(*r) for r in rows]


def care_overdue_count(day: str, root_id: int | None = None) -> int:
    scope = "" if root_id is None else " AND h.root_id = ?"
    return db.execute_sql(
        "SELECT count(*) FROM household h WHERE h.care_tags <> '' AND NOT EXISTS"
        f" (SELECT 1 FROM care_checkin c WHERE c.household_id = h.id AND c.day = ?){scope}",
        [day, *([root_id] if root_id else [])],
    ).fetchone()[0]


def unit_reports(day: str, root_id: int) -> list[UnitStatus]:
    """Buildings and units (and sub-grids with no units) with today's report; missing ones first."""
    rows = db.execute_sql(
        "SELECT g.id, g.code, g.name, coalesce(u.status, ''), coalesce(u.observer, ''), coalesce(u.note, ''),"
        " u.reported_at FROM grid g"
        " LEFT JOIN unit_report u ON u.id = (SELECT max(id) FROM unit_report WHERE grid_id = g.id AND day = ?)"
        " WHERE g.root_id = ? AND (g.level = 2 OR (g.level = 1 AND NOT EXISTS"
        " (SELECT 1 FROM grid c WHERE c.parent_id = g.id)))"
        " ORDER BY u.status IS NOT NULL, u.status = 'normal', g.sort_key",
        (day, root_id),
    ).fetchall()
    return [UnitStatus(*r) for r in rows]
