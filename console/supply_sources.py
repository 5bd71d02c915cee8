"""Row sources and columns for the supply screen's paged tables: open orders (special care first)
and the handoff ledger (newest first). A county ledger holds a million records: only the pages in
view are read."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from rich.text import Text

from console.i18n import t
from console.text.supply import amount_text
from db.supply import queries as supply_queries
from db.supply.queries import LedgerRow, OrderRow, StockRow
from widgets.paged_table import Column


@dataclass(frozen=True)
class OrderSource:
    grid_code: str | None = None

    def count(self) -> int:
        return supply_queries.order_count(self.grid_code)

    def page(self, offset: int, limit: int) -> list[OrderRow]:
        return supply_queries.orders(self.grid_code, limit=limit, offset=offset)


class LedgerSource:
    """The whole ledger, newest first; keeps its count so that far pages are read from the oldest end."""

    def __init__(self) -> None:
        self.total: int | None = None

    def count(self) -> int:
        self.total = supply_queries.ledger_count()
        return self.total

    def page(self, offset: int, limit: int) -> list[LedgerRow]:
        return supply_queries.ledger(limit=limit, offset=offset, total=self.total)


class StockSource:
    """The depot's stock: a few dozen items, read whole when counted and paged from what was read."""

    def __init__(self) -> None:
        self.rows: list[StockRow] | None = None

    def count(self) -> int:
        self.rows = supply_queries.stock()
        return len(self.rows)

    def page(self, offset: int, limit: int) -> list[StockRow]:
        rows = self.rows if self.rows is not None else supply_queries.stock()
        return rows[offset : offset + limit]


def stock_columns() -> list[Column]:
    col = lambda name: t(f"supply_screen.col_{name}")  # noqa: E731
    return [
        # Each as wide as its widest cell: the table is made with fit_to_rows (a DataTable's look).
        Column(col("item"), 0, lambda r: r.name),
        Column(col("category"), 0, lambda r: t(f"supply_category.{r.category}")),
        Column(
            col("on_hand"), 0, lambda r: str(r.on_hand), lambda r: "bold #ef5350" if r.on_hand == 0 else None
        ),
        Column(col("unit"), 0, lambda r: r.unit),
    ]


def order_flags(row: OrderRow) -> str:
    return " ".join(x for x in (row.care_tags, t("supply.urgent") if row.urgent else "") if x)


def order_columns() -> list[Column]:
    col = lambda name: t(f"supply_screen.col_{name}")  # noqa: E731
    return [
        Column(col("order"), 6, lambda r: str(r.id), align_right=True),
        Column(col("grid"), 7, lambda r: r.grid_code),
        Column(col("door"), 16, lambda r: r.door, lambda r: "bold"),
        Column(col("items"), 34, lambda r: r.items),
        Column(col("flags"), 12, order_flags, lambda r: "bold #ffb74d"),
        Column(col("remark"), 20, lambda r: r.note),
    ]


def ledger_columns(tz: ZoneInfo) -> list[Column]:
    from console.text.supply import ledger_cells

    col = lambda name: t(f"supply_screen.col_{name}")  # noqa: E731
    muted = lambda r: "italic #90a4ae" if r.corrected_by or r.corrects_id else None  # noqa: E731
    cell = lambda n: lambda r: ledger_cells(r, tz)[n]  # noqa: E731
    widths = (6, 11, 12, 5, 16, 8)
    names = ("id", "time", "kind", "grid", "goods", "staff")
    return [
        *(
            Column(col(name), w, cell(n), muted, align_right=name == "id")
            for n, (name, w) in enumerate(zip(names, widths))
        ),
        Column(t("supply_more.col_received"), 12, cell(6), muted),
        Column(col("note"), 14, cell(7), muted),
    ]


def grid_supply_text(grid_id: int, day: str) -> Text:
    """The grid pane's supply line (runs on the database thread): open orders, today's deliveries, goods."""
    from db.supply import report as supply_report

    open_orders = supply_queries.open_orders_by_root().get(grid_id, 0)
    today = supply_queries.handoffs_today_by_root(day).get(grid_id, 0)
    text = Text(t("supply_more.grid_line", open=f"{open_orders:,}", today=f"{today:,}"))
    goods: dict[tuple[str, str], int] = {}
    for row in supply_report.totals(day, grid_id):
        goods[(row.item, row.unit)] = goods.get((row.item, row.unit), 0) + row.delivered
    shown = [f"{name} {amount_text(qty, unit, grouped=True)}" for (name, unit), qty in goods.items() if qty]
    if shown:
        text.append("  ·  " + t("supply_more.grid_goods", goods="、".join(shown)))
    return text
