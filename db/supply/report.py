"""Supply figures: totals per grid, item and day (the seeds' "X 吨蔬菜, Y 瓶消毒液"), deliveries per
hour, and the rows of the CSV exports (handoffs, orders, stock), all read from the append-only ledger.

A corrected record counts for nothing: the correction cancels it, and is not counted itself.
Ranges are [start, end) in epoch seconds; the caller turns the post's local days into them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from db.models import database_proxy as db

BATCH = 5000
# A record that a later correction reversed, and the correction itself, are left out of the figures.
_LIVE = "x.kind <> 'correction' AND NOT EXISTS (SELECT 1 FROM handoff c WHERE c.corrects_id = x.id)"


@dataclass(frozen=True)
class Total:
    grid_code: str
    grid_name: str
    item: str
    unit: str
    category: str
    delivered: int  # quantity on orders delivered that day
    dispatched: int  # quantity sent out with volunteers that day


@dataclass(frozen=True)
class StockLine:
    item: str
    category: str
    unit: str
    opening: int
    received: int  # into the depot: receipts and returns
    sent: int  # out of the depot: dispatches
    closing: int


TONNE = {"斤": 2000, "kg": 1000}  # a tonne is 2,000 斤 or 1,000 kg


def in_tonnes(quantity: int, unit: str) -> float | None:
    """The quantity in tonnes once there is at least a tonne of it (the seeds' "58.3 吨蔬菜"), else None:
    reports give weights that large in tonnes, and everything else in its own unit."""
    per_tonne = TONNE.get(unit)
    return quantity / per_tonne if per_tonne and quantity >= per_tonne else None


def totals(day: str, root_id: int | None = None) -> list[Total]:
    """Per grid and item on a local day: what was delivered to doors and what left with volunteers."""
    grid = " AND x.root_id = ?" if root_id else ""
    params = (day, *((root_id,) if root_id else ()))
    delivered = db.execute_sql(
        "SELECT x.root_id, l.item_id, sum(l.quantity)"
        " FROM handoff x JOIN supply_order_line l ON l.order_id = x.order_id"
        f" WHERE x.day = ? AND x.kind = 'deliver' AND {_LIVE}{grid} GROUP BY x.root_id, l.item_id",
        params,
    ).fetchall()
    dispatched = db.execute_sql(
        f"SELECT x.root_id, x.item_id, sum(x.quantity) FROM handoff x WHERE x.day = ? AND x.kind = 'dispatch'"
        f" AND {_LIVE}{grid} GROUP BY x.root_id, x.item_id",
        params,
    ).fetchall()
    figures: dict[tuple[int, int], list[int]] = {}
    for root, item, qty in delivered:
        figures.setdefault((root, item), [0, 0])[0] = qty
    for root, item, qty in dispatched:
        figures.setdefault((root, item), [0, 0])[1] = qty
    if not figures:
        return []
    grids = dict(
        (r[0], r[1:]) for r in db.execute_sql("SELECT id, code, name, sort_key FROM grid WHERE level = 0")
    )
    items: dict[int, tuple[str, str, str]] = dict(
        (r[0], r[1:]) for r in db.execute_sql("SELECT id, name, unit, category FROM supply_item")
    )
    rows = [
        Total(grids[root][0], grids[root][1], *items[item], qty[0], qty[1])
        for (root, item), qty in figures.items()
    ]
    return sorted(rows, key=lambda r: (grids_sort(grids, r.grid_code), r.category, r.item))


def grids_sort(grids: dict, code: str) -> str:
    return next((v[2] for v in grids.values() if v[0] == code), code)


def post_totals(day: str) -> list[tuple[str, str, str, int]]:
    """(item, unit, category, quantity delivered) for the whole post on a day, largest first."""
    return db.execute_sql(
        f"SELECT i.name, i.unit, i.category, sum(l.quantity) AS q FROM handoff x"
        f" JOIN supply_order_line l ON l.order_id = x.order_id JOIN supply_item i ON i.id = l.item_id"
        f" WHERE x.day = ? AND x.kind = 'deliver' AND {_LIVE} GROUP BY i.id ORDER BY i.category, q DESC",
        (day,),
    ).fetchall()


def deliveries_per_hour(day: str, day_start: int, root_id: int | None = None) -> list[int]:
    """Door deliveries in each of the 24 hours of a local day (``day_start`` its midnight, epoch seconds).
    Read through the (day, grid, kind) index: a million-row ledger is not scanned."""
    grid = " AND x.root_id = ?" if root_id else ""
    counts = [0] * 24
    for hour, n in db.execute_sql(
        f"SELECT (x.at - ?) / 3600, count(*) FROM handoff x WHERE x.day = ? AND x.kind = 'deliver'"
        f" AND {_LIVE}{grid} GROUP BY 1",
        (day_start, day, *((root_id,) if root_id else ())),
    ).fetchall():
        if 0 <= hour < 24:  # a 23- or 25-hour day at a clock change keeps its hours in range
            counts[hour] = n
    return counts


# -- export rows ------------------------------------------------------------------------


def handoff_rows(start: int, end: int) -> Iterator[tuple]:
    """Every ledger record in [start, end), oldest first, in batches (a million rows stream, never load):
    (id, at, kind, grid code, item, quantity, unit, stock delta, order, run, volunteer, party, corrects,
    corrected by, reason, actor)."""
    last = 0
    while True:
        rows = db.execute_sql(
            "SELECT x.id, x.at, x.kind, coalesce(g.code, ''), coalesce(i.name, ''), x.quantity, coalesce(i.unit, ''),"
            " x.stock_delta, x.order_id, x.run_id, coalesce(s.name, ''), x.party, x.corrects_id,"
            " (SELECT c.id FROM handoff c WHERE c.corrects_id = x.id), x.reason, x.actor"
            " FROM handoff x LEFT JOIN grid g ON g.id = x.root_id LEFT JOIN supply_item i ON i.id = x.item_id"
            " LEFT JOIN staff s ON s.id = x.staff_id WHERE x.id > ? AND x.at >= ? AND x.at < ? ORDER BY x.id LIMIT ?",
            (last, start, end, BATCH),
        ).fetchall()
        yield from rows
        if len(rows) < BATCH:
            return
        last = rows[-1][0]


def order_rows(start: int, end: int) -> Iterator[tuple]:
    """Orders taken in [start, end), oldest first: (id, created at, grid, door, head, phone, care tags,
    urgent, source, state, run, items, note, delivered at)."""
    last = 0
    while True:
        rows = db.execute_sql(
            "SELECT o.id, o.created_at, g.code, h.door, h.head_name, h.phone, h.care_tags, o.urgent, o.source, o.state,"
            " o.run_id, (SELECT group_concat(name || ' ' || quantity || unit, '、') FROM (SELECT i.name, l.quantity,"
            " i.unit FROM supply_order_line l JOIN supply_item i ON i.id = l.item_id WHERE l.order_id = o.id"
            " ORDER BY i.name)), o.note,"
            " (SELECT max(x.at) FROM handoff x WHERE x.order_id = o.id AND x.kind = 'deliver')"
            " FROM supply_order o JOIN household h ON h.id = o.household_id JOIN grid g ON g.id = h.grid_id"
            " WHERE o.id > ? AND o.created_at >= ? AND o.created_at < ? ORDER BY o.id LIMIT ?",
            (last, start, end, BATCH),
        ).fetchall()
        yield from rows
        if len(rows) < BATCH:
            return
        last = rows[-1][0]


def stock_lines(start: int, end: int) -> list[StockLine]:
    """Each item's stock over [start, end): opening, in, out, closing (from the ledger's stock deltas).

    One pass over the ledger since ``start`` for all items: three subqueries per item each read the
    whole ledger (4.6 s for 20 items at a million records)."""
    moved = {
        item_id: (after, came, went)
        for item_id, after, came, went in db.execute_sql(
            "SELECT item_id, sum(CASE WHEN at >= ?2 THEN stock_delta ELSE 0 END),"
            " sum(CASE WHEN at < ?2 AND stock_delta > 0 THEN stock_delta ELSE 0 END),"
            " sum(CASE WHEN at < ?2 AND stock_delta < 0 THEN -stock_delta ELSE 0 END)"
            " FROM handoff WHERE at >= ?1 AND stock_delta <> 0 GROUP BY item_id",
            (start, end),
        ).fetchall()
    }
    rows = [
        (name, category, unit, on_hand, *moved.get(item_id, (0, 0, 0)))
        for item_id, name, category, unit, on_hand in db.execute_sql(
            "SELECT i.id, i.name, i.category, i.unit, s.on_hand FROM supply_item i"
            " JOIN supply_stock s ON s.item_id = i.id ORDER BY i.category, i.name"
        ).fetchall()
    ]
    lines = []
    for name, category, unit, on_hand, after_end, came_in, went_out in rows:
        closing = on_hand - after_end
        lines.append(
            StockLine(name, category, unit, closing - came_in + went_out, came_in, went_out, closing)
        )
    return lines
