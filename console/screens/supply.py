"""Supplies at a glance: depot stock, open orders (special care first) and the handoff ledger.

`l` opens the fast logging screen; `x` corrects the ledger record under the cursor, which adds a
reversing record (the ledger is append-only: nothing is edited in place).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from console.cli_supply import ledger_cells
from console.i18n import t
from console.screens.common import footer, post_header
from console.workers import db_work
from db import supply, supply_queries
from db.supply_queries import LedgerRow, OrderRow, StockRow

WRITE_ACTIONS = {"log_deliveries", "correct"}


class SupplyScreen(Screen):
    DEFAULT_CSS = """
    SupplyScreen .section { height: 1; padding: 0 1; color: $text-muted; }
    SupplyScreen #supply-stock { height: auto; max-height: 9; }
    SupplyScreen #supply-orders { height: 1fr; }
    SupplyScreen #supply-ledger { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "keys.back"),
        Binding("l", "log_deliveries", "supply_keys.log"),
        Binding("x", "correct", "supply_keys.correct"),
        Binding("r", "refresh", "supply_keys.refresh"),
        Binding("question_mark,f1", "app.show_help", "keys.help"),
    ]

    @dataclass
    class Loaded(Message):
        stock: list[StockRow]
        orders: list[OrderRow]
        ledger: list[LedgerRow]

    def compose(self) -> ComposeResult:
        yield post_header(self.app)
        yield Static(Text(t("supply_screen.title"), style="bold"), classes="section")
        yield Static(t("supply_screen.stock"), classes="section")
        yield DataTable(id="supply-stock", cursor_type="row", zebra_stripes=True)
        yield Static(t("supply_screen.orders"), classes="section")
        yield DataTable(id="supply-orders", cursor_type="row", zebra_stripes=True)
        yield Static(t("supply_screen.ledger"), classes="section")
        yield DataTable(id="supply-ledger", cursor_type="row", zebra_stripes=True)
        yield footer()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        return not (self.app.readonly and action in WRITE_ACTIONS)

    def on_mount(self) -> None:
        col = lambda name: t(f"supply_screen.col_{name}")  # noqa: E731
        self.query_one("#supply-stock", DataTable).add_columns(*map(col, ("item", "category", "on_hand", "unit")))
        self.query_one("#supply-orders", DataTable).add_columns(*map(col, ("order", "grid", "door", "items", "flags")))
        self.query_one("#supply-ledger", DataTable).add_columns(
            *map(col, ("id", "time", "kind", "grid", "goods", "staff", "party", "note")))
        self.query_one("#supply-ledger", DataTable).focus()
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    def action_refresh(self) -> None:
        self.load()

    @db_work
    def load(self) -> None:
        self.post_message(self.Loaded(supply_queries.stock(), supply_queries.orders(limit=500),
                                      supply_queries.ledger(limit=300)))

    def on_supply_screen_loaded(self, message: Loaded) -> None:
        self.ledger_rows = message.ledger
        stock = self.query_one("#supply-stock", DataTable)
        stock.clear()
        for row in message.stock:
            stock.add_row(Text(row.name), Text(t(f"supply_category.{row.category}")),
                          Text(str(row.on_hand), style="bold #ef5350" if row.on_hand == 0 else ""), Text(row.unit))
        orders = self.query_one("#supply-orders", DataTable)
        orders.clear()
        for row in message.orders:
            flags = " ".join(x for x in (row.care_tags, t("supply.urgent") if row.urgent else "") if x)
            orders.add_row(Text(str(row.id)), Text(row.grid_code), Text(row.door), Text(row.items),
                           Text(flags, style="bold #ffb74d"))
        ledger = self.query_one("#supply-ledger", DataTable)
        ledger.clear()
        for row in message.ledger:
            style = "italic #90a4ae" if row.corrected_by or row.corrects_id else ""
            ledger.add_row(*(Text(cell, style=style) for cell in ledger_cells(row, self.app.config.tz)))

    def action_log_deliveries(self) -> None:
        from console.screens.supply_log import SupplyLogScreen

        self.app.push_screen(SupplyLogScreen())

    def action_correct(self) -> None:
        from console.screens.prompt import PromptDialog

        table = self.query_one("#supply-ledger", DataTable)
        rows = getattr(self, "ledger_rows", [])
        if not rows or table.cursor_row >= len(rows):
            return
        target = rows[table.cursor_row]

        def done(result: dict | None) -> None:
            if result:
                self.save_correction(target.id, result.get("reason", ""))

        self.app.push_screen(PromptDialog(t("supply_screen.correct_title", id=target.id),
                                          [("reason", t("supply_screen.reason"), "")]), done)

    @db_work
    def save_correction(self, handoff_id: int, reason: str) -> None:
        new_id = supply.correct(handoff_id, reason, actor=self.app.actor, now=int(self.app.now().timestamp()),
                                tz=self.app.config.tz)  # a refusal surfaces through the app's worker handler
        self.app.call_from_thread(self.app.notify, t("supply_screen.corrected", id=new_id), markup=False)
        self.load()
