"""What a delivery run still holds, per item: what went out with it (出库), less what came back to
the depot (退回) and what reached a door. db/supply/writes.py asks it before a return and
before a delivery, inside the write's own transaction."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from db.errors import RuleError
from db.models import database_proxy as db


def check_run_holds(order_id: int, run_id: int, tz: ZoneInfo) -> None:
    """A door gets only what its run still holds: goods brought back to the depot (退回) cannot
    also be at the door, or the ledger would count one box twice."""
    lines = db.execute_sql(
        "SELECT l.item_id, i.name, i.unit, l.quantity FROM supply_order_line l"
        " JOIN supply_item i ON i.id = l.item_id WHERE l.order_id = ? ORDER BY i.name",
        (order_id,),
    ).fetchall()
    for item_id, name, unit, wanted in lines:
        left = held(run_id, item_id)
        if wanted <= left:
            continue
        back = db.execute_sql(  # the latest return still standing: the one that took the goods away
            "SELECT x.id, x.at, x.party, x.actor, coalesce(s.name, '') FROM handoff x"
            " LEFT JOIN staff s ON s.id = x.staff_id WHERE x.run_id = ? AND x.item_id = ? AND x.kind = 'return'"
            " AND NOT EXISTS (SELECT 1 FROM handoff c WHERE c.corrects_id = x.id) ORDER BY x.id DESC LIMIT 1",
            (run_id, item_id),
        ).fetchone()
        params = dict(order=order_id, run=run_id, item=name, unit=unit, wanted=wanted, held=max(left, 0))
        if back is None:
            raise RuleError("supply.run_short", **params)
        handoff, at, received_by, actor, volunteer = back
        raise RuleError(
            "supply.goods_returned",
            **params,
            handoff=handoff,
            at=at,
            when=when(at, tz),
            volunteer=volunteer or "—",
            received_by=received_by,
            actor=actor,
        )


def held(run_id: int, item_id: int) -> int:
    """What a run still holds of an item: what went out with it, less what came back (退回, a
    correction undoing one counts back in) and what reached a door (an order delivered)."""
    return db.execute_sql(
        "SELECT coalesce((SELECT sum(-stock_delta) FROM handoff WHERE run_id = ?1 AND item_id = ?2"
        " AND stock_delta <> 0), 0) - coalesce((SELECT sum(l.quantity) FROM supply_order o"
        " JOIN supply_order_line l ON l.order_id = o.id WHERE o.run_id = ?1 AND o.state = 'delivered'"
        " AND l.item_id = ?2), 0)",
        (run_id, item_id),
    ).fetchone()[0]


def when(at: int, tz: ZoneInfo) -> str:
    return datetime.fromtimestamp(at, tz).strftime("%m-%d %H:%M")
