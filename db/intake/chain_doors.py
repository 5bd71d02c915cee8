"""A chain's doors matched against the register, by indexed lookups within one grid.

A resident writes 211号 where the register holds 花厅口村211号, or 1-1-201 for 1栋1单元201. Each
written door is looked up in every notation of one flat (db.intake.chain_text.door_variants) through the
(root_id, door) index; one that is still unmatched is looked up as the end of a registered door
(花厅口村211号 ends with 211号, but 1211号 is another door), within the grid's households only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from db import fields as rules
from db.errors import NotFound
from db.intake.chain_text import door_form, door_variants, short_form
from db.models import database_proxy as db

_CHUNK = 500
# What may end a door after its place name: rtrim() with these leaves the place (花厅口村12号 -> 花厅口村).
_NUMBER_END = "0123456789号室户栋幢楼座单元层-#"
_MAX_PLACES = 200


@dataclass(frozen=True)
class Household:
    id: int
    door: str
    people: int
    phone: str


def grid_scope(grid_code: str) -> tuple[int, list[int]]:
    """(root id, ids of the grid and its sub-grids)."""
    code = rules.grid_code(grid_code, "grid")
    row = db.execute_sql("SELECT id, root_id FROM grid WHERE code = ?", (code,)).fetchone()
    if row is None:
        raise NotFound("grid.not_found", code=code)
    ids = [
        gid
        for (gid,) in db.execute_sql(
            "SELECT id FROM grid WHERE root_id = ? AND (code = ? OR substr(code, 1, ?) = ?)",
            (row[1], code, len(code) + 1, code + "-"),
        ).fetchall()
    ]
    return row[1], ids or [row[0]]


def _exact(root: int, grids: set[int], forms: list[str]) -> dict[str, Household]:
    found: dict[str, Household] = {}
    for at in range(0, len(forms), _CHUNK):
        chunk = forms[at : at + _CHUNK]
        marks = ",".join("?" * len(chunk))
        for hid, door, people, phone, grid in db.execute_sql(
            f"SELECT id, door, people, phone, grid_id FROM household WHERE root_id = ? AND door IN ({marks})",
            (root, *chunk),
        ).fetchall():
            if grid in grids:
                found[door] = Household(hid, door, people, phone)
    return found


def _ending(grids: list[int], form: str) -> list[Household]:
    """Registered doors that end with ``form`` where a door's number starts (not 1211号 for 211号)."""
    if not form or not form[0].isdigit():
        return []
    pattern = "%" + form.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    marks = ",".join("?" * len(grids))
    rows = db.execute_sql(
        f"SELECT id, door, people, phone FROM household WHERE grid_id IN ({marks})"
        " AND door LIKE ? ESCAPE '\\'",
        (*grids, pattern),
    ).fetchall()
    return [Household(*row) for row in rows if not door_form(row[1])[: -len(form)][-1:].isdigit()]


def _places(grids: list[int]) -> list[str]:
    """What the grid's doors write before their number (花厅口村 in 花厅口村12号): one pass over the grid's
    households inside SQLite, a handful of rows back."""
    marks = ",".join("?" * len(grids))
    return [
        place
        for (place,) in db.execute_sql(
            # A door with no place before its number (12号) trims to nothing: it must not take one of
            # the rows the limit allows, or a grid of 201 places would be read as one of 200.
            f"SELECT DISTINCT rtrim(door, ?) FROM household WHERE grid_id IN ({marks})"
            " AND rtrim(door, ?) <> '' LIMIT ?",
            (_NUMBER_END, *grids, _NUMBER_END, _MAX_PLACES + 1),
        ).fetchall()
        if place
    ]


def match_doors(grid_code: str, doors: Iterable[str]) -> dict[str, list[Household]]:
    """Each written door -> the households of the grid it may be: none, one, or several to choose from."""
    root, grid_ids = grid_scope(grid_code)
    grids = set(grid_ids)
    written = list(dict.fromkeys(d for d in doors if d))
    variants = {door: door_variants(door) for door in written}
    known = _exact(root, grids, list({v for vs in variants.values() for v in vs}))
    result: dict[str, list[Household]] = {
        door: [known[v] for v in variants[door] if v in known] for door in written
    }
    unmatched = [door for door in written if not result[door]]
    if unmatched:
        places = _places(grid_ids)
        forms = {
            door: variants[door] + (door_variants(short) if (short := short_form(door)) else [])
            for door in unmatched
        }
        if len(places) <= _MAX_PLACES:  # the door with each place the grid writes: indexed lookups
            # A place goes before the door as written, never in place of the one it names: 东区12号 is
            # not 花厅口村12号. Its short form is looked up alone (a register that writes no place).
            wanted = {
                door: [p + f for p in places for f in variants[door]] + forms[door][len(variants[door]) :]
                for door in unmatched
            }
            found = _exact(root, grids, list({w for ws in wanted.values() for w in ws}))
            for door in unmatched:
                result[door] = [found[w] for w in wanted[door] if w in found]
        else:  # a grid whose doors begin a thousand ways: the end of each door, looked for in the grid
            for door in unmatched:
                result[door] = [h for v in variants[door] for h in _ending(grid_ids, v)]
    return {
        door: sorted({h.id: h for h in hits}.values(), key=lambda h: h.door) for door, hits in result.items()
    }
