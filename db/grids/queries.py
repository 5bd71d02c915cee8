"""Reads for the console and the CLI. Each returns plain loaded data.

Lists that can be long are read a page at a time (offset and limit over an
indexed order), so a 20,000-household register costs the same as a small one.
"""

from __future__ import annotations

from db.errors import NotFound
from db.models import database_proxy as db
from db.records import (
    GridNode,
    GridSummary,
    HouseholdRow,
    PostTotals,
    StaffRow,
    ZoneChangeRow,
)


def is_empty() -> bool:
    return db.execute_sql("SELECT NOT EXISTS (SELECT 1 FROM grid)").fetchone()[0] == 1


def is_demo() -> bool:
    """Whether the post's data was made by the demo generator (shown as a badge)."""
    return db.execute_sql("SELECT EXISTS (SELECT 1 FROM post_meta WHERE key = 'demo')").fetchone()[0] == 1


# A top-level grid has no parent (db/grids/writes.py): found through grid_parent, in board order,
# instead of reading every grid, sub-grid and unit and sorting (1.4 ms of the first look at 3x county,
# against 0.05).
_TOP_LEVEL = "{g}.parent_id IS NULL AND {g}.level = 0"


def post_totals() -> PostTotals:
    row = db.execute_sql(
        f"SELECT (SELECT count(*) FROM grid WHERE {_TOP_LEVEL.format(g='grid')}),"
        " (SELECT count(*) FROM grid WHERE level = 1),"
        " coalesce(sum(t.households), 0), coalesce(sum(t.residents), 0),"
        " coalesce(sum(t.care_households), 0), coalesce(sum(t.staff), 0)"
        f" FROM grid g JOIN grid_total t ON t.grid_id = g.id WHERE {_TOP_LEVEL.format(g='g')}"
    ).fetchone()
    return PostTotals(*row)


_SUMMARY = (
    "SELECT g.id, g.code, g.name, g.zone, coalesce(s.name, ''), t.households, t.residents,"
    " t.care_households, t.staff,"
    " (SELECT count(*) FROM grid c WHERE c.parent_id = g.id),"
    " (SELECT count(*) FROM grid c WHERE c.parent_id = g.id AND c.zone = 'sealed')"
    " FROM grid g JOIN grid_total t ON t.grid_id = g.id LEFT JOIN staff s ON s.id = g.leader_id"
)


def grid_summaries(first: int | None = None) -> list[GridSummary]:
    """The top-level grids in board order; ``first``: only the first so many (a screenful of tiles,
    whose counts are read for them alone, not for every grid of a large post)."""
    if first is None:
        rows = db.execute_sql(_SUMMARY + f" WHERE {_TOP_LEVEL.format(g='g')} ORDER BY g.sort_key").fetchall()
    else:
        rows = db.execute_sql(
            _SUMMARY + f" WHERE g.id IN (SELECT id FROM grid WHERE {_TOP_LEVEL.format(g='grid')}"
            " ORDER BY sort_key LIMIT ?) ORDER BY g.sort_key",
            (max(0, first),),
        ).fetchall()
    return [GridSummary(*row) for row in rows]


def grid_summary(grid_id: int) -> GridSummary | None:
    row = db.execute_sql(_SUMMARY + " WHERE g.id = ?", (grid_id,)).fetchone()
    return GridSummary(*row) if row else None


def grid_by_code(code: str) -> GridSummary | None:
    row = db.execute_sql("SELECT id FROM grid WHERE code = ?", (code,)).fetchone()
    return grid_summary(row[0]) if row else None


def grid_id_for(code: str) -> int:
    """The id of a grid named by its code; an unknown code is an error, never an empty answer."""
    row = db.execute_sql("SELECT id FROM grid WHERE code = ?", (code,)).fetchone()
    if row is None:
        raise NotFound("grid.not_found", code=code)
    return row[0]


def grid_tree(root_id: int) -> list[GridNode]:
    """The grid and everything under it, parents before children, in code order."""
    rows = db.execute_sql(
        "SELECT g.id, g.code, g.name, g.level, g.parent_id, g.zone, t.households, t.residents"
        " FROM grid g JOIN grid_total t ON t.grid_id = g.id WHERE g.root_id = ?"
        " ORDER BY g.level, g.sort_key",
        (root_id,),
    ).fetchall()
    return [GridNode(*row) for row in rows]


def grid_directory() -> list[tuple[int, str, str, int, int]]:
    """(id, code, name, level, root_id) of every grid, sub-grid and unit, for jumping by code or name."""
    return db.execute_sql("SELECT id, code, name, level, root_id FROM grid ORDER BY sort_key").fetchall()


def zone_history_tree(root_id: int, limit: int = 500) -> list[ZoneChangeRow]:
    """Zone changes of a grid and everything under it, newest first."""
    rows = db.execute_sql(
        "SELECT g.code, z.old_zone, z.new_zone, z.reason, z.changed_at, z.changed_by"
        " FROM zone_change z JOIN grid g ON g.id = z.grid_id WHERE g.root_id = ?"
        " ORDER BY z.changed_at DESC, g.level, g.sort_key LIMIT ?",
        (root_id, limit),
    ).fetchall()
    return [ZoneChangeRow(*row) for row in rows]


def _household_filter(root_id: int | None, grid_code: str | None, search: str) -> tuple[str, list]:
    clauses: list[str] = []
    params: list[int | str] = []
    if root_id is not None:
        clauses.append("h.root_id = ?")
        params.append(root_id)
    if grid_code:
        clauses.append("h.grid_id IN (SELECT id FROM grid WHERE code = ? OR code LIKE ?)")
        params += [grid_code, grid_code + "-%"]
    text = search.strip()
    if text:
        like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        clauses.append(
            "(h.door LIKE ? ESCAPE '\\' OR h.phone LIKE ? ESCAPE '\\' OR h.head_name LIKE ? ESCAPE '\\')"
        )
        params += [like, like, like]
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def household_count(root_id: int | None = None, search: str = "", grid_code: str | None = None) -> int:
    if not search.strip():
        return _kept_household_count(root_id, grid_code)
    where, params = _household_filter(root_id, grid_code, search)
    return db.execute_sql("SELECT count(*) FROM household h" + where, params).fetchone()[0]


def _kept_household_count(root_id: int | None, grid_code: str | None) -> int:
    """A register's size from the kept totals (grid_total), not by counting: counting a 20,000-household
    grid on every first paint grew with the grid (issue 18)."""
    params: list[int | str]
    if grid_code:
        sql, params = "g.code = ?", [grid_code]
        if root_id is not None:
            sql, params = sql + " AND g.root_id = ?", params + [root_id]
    elif root_id is not None:
        sql, params = "g.id = ?", [root_id]
    else:
        sql, params = "g.level = 0", []
    return db.execute_sql(
        "SELECT coalesce(sum(t.households), 0) FROM grid_total t JOIN grid g ON g.id = t.grid_id"
        f" WHERE {sql}",
        params,
    ).fetchone()[0]


def household_page(
    root_id: int | None = None,
    search: str = "",
    offset: int = 0,
    limit: int = 100,
    grid_code: str | None = None,
) -> list[HouseholdRow]:
    where, params = _household_filter(root_id, grid_code, search)
    order = " ORDER BY h.door_sort" if root_id is not None else " ORDER BY h.root_id, h.door_sort"
    rows = db.execute_sql(
        "SELECT h.id, h.root_id, g.code, h.door, h.head_name, h.people, h.phone, h.care_tags, h.note"
        " FROM household h JOIN grid g ON g.id = h.grid_id" + where + order + " LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return [HouseholdRow(*row) for row in rows]


def _staff_filter(root_id: int | None, search: str) -> tuple[str, list]:
    clauses: list[str] = []
    params: list[int | str] = []
    if root_id is not None:
        clauses.append("s.root_id = ?")
        params.append(root_id)
    if search.strip():
        like = "%" + search.strip() + "%"
        clauses.append("(s.name LIKE ? OR s.phone LIKE ?)")
        params += [like, like]
    clauses.append("s.active = 1")
    return " WHERE " + " AND ".join(clauses), params


def staff_count(root_id: int | None = None, search: str = "") -> int:
    where, params = _staff_filter(root_id, search)
    return db.execute_sql("SELECT count(*) FROM staff s" + where, params).fetchone()[0]


_ROLE_ORDER = (
    "CASE s.role WHEN 'grid_leader' THEN 0 WHEN 'cadre' THEN 1 WHEN 'grid_worker' THEN 2"
    " WHEN 'liaison' THEN 3 WHEN 'medic' THEN 4 ELSE 5 END"
)


def staff_page(
    root_id: int | None = None, search: str = "", offset: int = 0, limit: int = 100
) -> list[StaffRow]:
    where, params = _staff_filter(root_id, search)
    rows = db.execute_sql(
        "SELECT s.id, s.name, s.role, s.phone, s.birth_year, s.party_member, g.code, coalesce(t.name, ''),"
        " s.last_negative_test FROM staff s JOIN grid g ON g.id = s.home_grid_id"
        " LEFT JOIN team t ON t.id = s.team_id" + where + f" ORDER BY {_ROLE_ORDER}, s.id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    return [StaffRow(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6], r[7], r[8]) for r in rows]
