"""Closing the loop with a grid's WeChat group: the doors a chain template lists, in door order, and
the doors a testing round has not heard from (the call-back list in the group's own form)."""

from __future__ import annotations

from dataclasses import dataclass

from db.intake.chain_doors import grid_scope
from db.models import database_proxy as db


@dataclass(frozen=True)
class Door:
    door: str
    phone: str


def grid_doors(grid_code: str, round_id: int | None = None) -> list[Door]:
    """Every household of the grid and its sub-grids, in door order; with a round, only those not tested in it."""
    _, grids = grid_scope(grid_code)
    marks = ",".join("?" * len(grids))
    where, params = f"h.grid_id IN ({marks})", list(grids)
    if round_id is not None:
        where += (
            " AND NOT EXISTS (SELECT 1 FROM test_record r WHERE r.round_id = ? AND r.household_id = h.id)"
        )
        params.append(round_id)
    return [
        Door(door, phone or "")
        for door, phone in db.execute_sql(
            f"SELECT h.door, h.phone FROM household h WHERE {where} ORDER BY h.door_sort, h.id", params
        ).fetchall()
    ]


def phone_tail(phone: str) -> str:
    """The last four digits only: the list is posted to a group, where a full number is not everyone's."""
    digits = [c for c in phone if c.isdigit()]
    return "".join(digits[-4:]) if len(digits) >= 4 else ""
