"""Supply reads: the catalogue with stock, orders (special care first), a run's stops in route
order, the ledger, and per-grid counts for the dashboard tiles."""

from __future__ import annotations

from typing import NamedTuple

from db.errors import NotFound
from db.grids.queries import grid_id_for
from db.models import database_proxy as db
from db.paging import nearer_end


class StockRow(NamedTuple):
    item_id: int
    name: str
    unit: str
    category: str
    on_hand: int


class OrderRow(NamedTuple):
    id: int
    grid_code: str
    door: str
    door_sort: str
    head_name: str
    phone: str
    care_tags: str
    urgent: bool
    state: str
    run_id: int | None
    items: str  # "大米 10斤、口罩 1盒", in item name order
    created_at: int
    note: str = ""  # the resident's remark ("老人家，麻烦放门口"), for the volunteer at the door


class RunRow(NamedTuple):
    id: int
    grid_code: str
    grid_name: str
    staff_id: int
    staff_name: str
    pass_serial: str
    created_at: int
    stops: int
    delivered: int


class LedgerRow(NamedTuple):
    id: int
    kind: str
    at: int
    grid_code: str
    item: str
    quantity: int
    unit: str
    stock_delta: int
    order_id: int | None
    run_id: int | None
    staff_name: str
    party: str
    corrects_id: int | None
    corrected_by: int | None
    reason: str
    actor: str


def stock() -> list[StockRow]:
    return [
        StockRow(*r)
        for r in db.execute_sql(
            "SELECT i.id, i.name, i.unit, i.category, s.on_hand FROM supply_item i"
            " JOIN supply_stock s ON s.item_id = i.id ORDER BY i.category, i.name"
        ).fetchall()
    ]


_ITEMS = (
    "(SELECT group_concat(name || ' ' || quantity || unit, '、') FROM (SELECT i.name, l.quantity, i.unit"
    " FROM supply_order_line l JOIN supply_item i ON i.id = l.item_id WHERE l.order_id = o.id ORDER BY i.name))"
)
_ORDER = (
    f"SELECT o.id, g.code, h.door, h.door_sort, h.head_name, h.phone, h.care_tags, o.urgent, o.state, o.run_id,"
    f" {_ITEMS}, o.created_at, o.note FROM supply_order o JOIN household h ON h.id = o.household_id"
    f" JOIN grid g ON g.id = h.grid_id"
)


def _orders(where: str, params: tuple, order_by: str, limit: int = 2000, offset: int = 0) -> list[OrderRow]:
    rows = db.execute_sql(
        f"{_ORDER} WHERE {where} ORDER BY {order_by} LIMIT ? OFFSET ?", (*params, limit, offset)
    ).fetchall()
    # one starred tuple: mypy cannot count a starred row followed by more arguments
    return [OrderRow(*(*r[:7], bool(r[7]), *r[8:10], r[10] or "", r[11], r[12] or "")) for r in rows]


# Special-care households first (the seeds' 台账 priority), then medicine and other urgent runs, oldest first.
PRIORITY = "(h.care_tags <> '') DESC, o.urgent DESC, o.created_at, o.id"


def _order_filter(grid_code: str | None, states: tuple[str, ...]) -> tuple[str, tuple]:
    where, params = f"o.state IN ({','.join('?' * len(states))})", tuple(states)
    if grid_code:
        root = db.execute_sql(
            "SELECT coalesce(root_id, id) FROM grid WHERE code = ?", (grid_code,)
        ).fetchone()
        if root is None:
            raise NotFound("grid.not_found", code=grid_code)
        where, params = where + " AND o.root_id = ?", (*params, root[0])
    return where, params


def orders(
    grid_code: str | None = None, states: tuple[str, ...] = ("open",), limit: int = 2000, offset: int = 0
) -> list[OrderRow]:
    where, params = _order_filter(grid_code, states)
    return _orders(where, params, PRIORITY, limit, offset)


def order_count(grid_code: str | None = None, states: tuple[str, ...] = ("open",)) -> int:
    where, params = _order_filter(grid_code, states)
    return db.execute_sql(f"SELECT count(*) FROM supply_order o WHERE {where}", params).fetchone()[0]


def run_stops(run_id: int) -> list[OrderRow]:
    """A run's orders in route order: sub-grid, unit, then door."""
    return _orders("o.run_id = ?", (run_id,), "g.sort_key, h.door_sort")


class RunLine(NamedTuple):
    order_id: int
    item: str
    quantity: int
    unit: str


def run_lines(run_id: int) -> list[RunLine]:
    """Every item line of a run's orders, by order then item name: one box each on the voucher."""
    return [
        RunLine(*r)
        for r in db.execute_sql(
            "SELECT l.order_id, i.name, l.quantity, i.unit"
            " FROM supply_order_line l JOIN supply_item i ON i.id = l.item_id"
            " JOIN supply_order o ON o.id = l.order_id WHERE o.run_id = ? ORDER BY l.order_id, i.name",
            (run_id,),
        ).fetchall()
    ]


def order(order_id: int) -> OrderRow:
    rows = _orders("o.id = ?", (order_id,), "o.id")
    if not rows:
        raise NotFound("supply.no_order", order=order_id)
    return rows[0]


_RUN = (
    "SELECT r.id, g.code, g.name, r.staff_id, s.name, r.pass_serial, r.created_at,"
    " (SELECT count(*) FROM supply_order o WHERE o.run_id = r.id),"
    " (SELECT count(*) FROM supply_order o WHERE o.run_id = r.id AND o.state = 'delivered')"
    " FROM supply_run r JOIN grid g ON g.id = r.root_id JOIN staff s ON s.id = r.staff_id"
)


def run(run_id: int) -> RunRow:
    row = db.execute_sql(f"{_RUN} WHERE r.id = ?", (run_id,)).fetchone()
    if row is None:
        raise NotFound("supply.no_run", run=run_id)
    return RunRow(*row)


def runs(limit: int = 200) -> list[RunRow]:
    return [RunRow(*r) for r in db.execute_sql(f"{_RUN} ORDER BY r.id DESC LIMIT ?", (limit,)).fetchall()]


def open_runs_of_staff(staff_id: int) -> list[RunRow]:
    """A volunteer's runs with stops still to deliver, newest first (what the logging screen offers)."""
    return [
        RunRow(*row)
        for row in db.execute_sql(
            f"{_RUN} WHERE r.staff_id = ? AND EXISTS (SELECT 1 FROM supply_order o WHERE o.run_id = r.id"
            " AND o.state = 'on_run') ORDER BY r.id DESC LIMIT 20",
            (staff_id,),
        ).fetchall()
    ]


def ledger_count() -> int:
    return db.execute_sql("SELECT count(*) FROM handoff").fetchone()[0]


def ledger(
    grid_code: str | None = None, limit: int = 500, offset: int = 0, total: int | None = None
) -> list[LedgerRow]:
    """Newest first. ``grid_code``: that grid's ledger (a sub-grid's is its grid's: the ledger is kept
    per grid); an unknown code is refused. ``total`` (ledger_count()): far pages are read from the
    oldest end (db/paging.py)."""
    where = ""
    params: tuple[int, ...] = ()
    if grid_code:
        where, params = "WHERE x.root_id = (SELECT root_id FROM grid WHERE id = ?)", (grid_id_for(grid_code),)
    order, limit, offset, turned = nearer_end(offset, limit, total)
    rows = db.execute_sql(
        "SELECT x.id, x.kind, x.at, coalesce(r.code, ''), coalesce(i.name, ''), x.quantity, coalesce(i.unit, ''),"
        " x.stock_delta, x.order_id, x.run_id, coalesce(s.name, ''), x.party, x.corrects_id,"
        " (SELECT c.id FROM handoff c WHERE c.corrects_id = x.id), x.reason, x.actor"
        " FROM handoff x LEFT JOIN grid r ON r.id = x.root_id LEFT JOIN supply_item i ON i.id = x.item_id"
        f" LEFT JOIN staff s ON s.id = x.staff_id {where} ORDER BY x.id {order} LIMIT ? OFFSET ?",
        (*params, limit, offset),
    ).fetchall()
    return [LedgerRow(*r) for r in (reversed(rows) if turned else rows)]


# -- for the dashboard tiles and the grid pane -------------------------------------------


def open_orders_by_root() -> dict[int, int]:
    """Orders not yet delivered (open or out on a run), per top-level grid id."""
    return dict(
        db.execute_sql(
            "SELECT root_id, count(*) FROM supply_order WHERE state IN ('open', 'on_run') GROUP BY root_id"
        ).fetchall()
    )


def handoffs_today_by_root(day: str) -> dict[int, int]:
    """Door deliveries recorded on the post's local day (YYYY-MM-DD), per top-level grid id,
    less those reversed by a correction."""
    return dict(
        db.execute_sql(
            "SELECT root_id, count(*) FROM handoff x WHERE day = ? AND kind = 'deliver' AND root_id IS NOT NULL"
            " AND NOT EXISTS (SELECT 1 FROM handoff c WHERE c.corrects_id = x.id) GROUP BY root_id",
            (day,),
        ).fetchall()
    )
