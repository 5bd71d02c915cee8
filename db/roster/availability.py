"""Availability offered by volunteers (from a reviewed sign-up chain), which the roster plan prefers."""

from __future__ import annotations

from collections.abc import Set
from datetime import date, datetime

from db.errors import RuleError
from db.grids.writes import utc_now
from db.models import database_proxy as db
from db.roster.settings import Duty


def record_offers(offers, problems, *, actor: str) -> int:
    """Write reviewed offers, all in one transaction; refused, writing nothing, while any line has a problem."""
    if problems:
        raise RuleError("signup.has_problems", count=len(problems))
    stamp, made = utc_now(), 0
    with db.atomic():
        for offer in offers:
            made += db.execute_sql(
                "INSERT OR IGNORE INTO availability (staff_id, day, slot_hour, kind, source, created_at, created_by)"
                " VALUES (?,?,?,?,?,?,?)",
                (
                    offer.staff_id,
                    offer.day.isoformat(),
                    offer.slot_hour,
                    offer.kind,
                    offer.text[:200],
                    stamp,
                    actor,
                ),
            ).rowcount
    return made


def offered(duty: Duty, first: date, last: date) -> set[tuple[int, str, int, str]]:
    """(staff id, day, slot hour, kind) offered for days first..last."""
    rows = db.execute_sql(
        "SELECT staff_id, day, slot_hour, kind FROM availability WHERE removed_at IS NULL"
        " AND day BETWEEN ? AND ?",
        (first.isoformat(), last.isoformat()),
    ).fetchall()
    return {(r[0], r[1], r[2], r[3]) for r in rows}


def offers_shift(offers: Set, staff_id: int, starts_at: int, kind: str, duty: Duty) -> bool:
    local = datetime.fromtimestamp(starts_at, duty.tz)
    day, hour = local.date().isoformat(), local.hour
    return (staff_id, day, hour, kind) in offers or (staff_id, day, hour, "") in offers
