"""Supplies at a glance: depot stock, the day's figures (totals per item, deliveries per hour), open
orders (special care first) and the handoff ledger. Orders and ledger page from the database
(widgets/paged_table.py): a county ledger of a million records paints as fast as a village's.

`l` opens the fast logging screen; `c` reads a pasted chain of orders (接龙下单); `b` takes goods
back from a run (退回); `x` corrects the ledger record under the cursor, which adds a
reversing record (the ledger is append-only: nothing is edited in place).
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime, time
from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Static

from console.i18n import t
from console.screens.common import footer, post_header
from console.screens.supply.desk import SupplyDesk
from console.supply_sources import (
    LedgerSource,
    OrderSource,
    StockSource,
    ledger_columns,
    order_columns,
    stock_columns,
)
from console.text.supply import amount_text
from console.workers import db_work
from db.supply import report as supply_report
from db.supply import writes as supply
from widgets.paged_table import PagedTable, RowSource, first_page, first_window
from widgets.supply_figures import SupplyFigures

WRITE_ACTIONS = {"log_deliveries", "correct", "add_order", "form_run", "paste_orders", "return_goods"}


class SupplyScreen(SupplyDesk):
    _left = False  # set once another screen has been over this one
    AUTO_FOCUS = "#supply-ledger"  # not the stock table first: one focus change (and restyle) fewer
    DEFAULT_CSS = """
    SupplyScreen .section { height: 1; padding: 0 1; color: $text-muted; }
    SupplyScreen #supply-top { height: auto; max-height: 10; }
    SupplyScreen #supply-stock { height: auto; max-height: 10; width: 1fr; scrollbar-gutter: auto; }
    SupplyScreen #supply-figures { width: 52; }
    SupplyScreen #supply-orders { height: 1fr; }
    SupplyScreen #supply-ledger { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "keys.back"),
        Binding(
            "l", "log_deliveries", "supply_keys.log"
        ),  # the day's main job: first, so 80 columns keep its words
        Binding("o", "add_order", "supply_desk.key_order"),
        Binding("n", "form_run", "supply_desk.key_run"),
        Binding("c", "paste_orders", "supply_console.key_chain"),
        Binding("w", "copy_order_chain", "supply_console.key_chain_template"),
        Binding("v", "print_voucher", "supply_desk.key_voucher"),
        Binding("b", "return_goods", "supply_console.key_return"),
        Binding("x", "correct", "supply_keys.correct"),
        Binding("r", "refresh", "supply_keys.refresh"),
        Binding(
            "L", "print_voucher(True)", "printer.key"
        ),  # after the screen's own jobs: 80 columns keep their words
        Binding("question_mark,f1", "app.show_help", "keys.help"),
    ]

    @dataclass
    class Loaded(Message):
        totals: list[tuple[str, str, str, int]]
        hours: list[int]

    def __init__(self) -> None:
        super().__init__()
        # The tables' first pages are read while the screen is composed, so that its first frame shows
        # them; each table counts its rows after that frame.
        self._orders, self._ledger, stock = OrderSource(), LedgerSource(), StockSource()
        self._first: dict[str, tuple[RowSource, Future]] = {
            "#supply-stock": (stock, self.app.db_thread.submit(first_window, stock)),  # a few dozen rows
            "#supply-orders": (self._orders, self.app.db_thread.submit(first_page, self._orders)),
            "#supply-ledger": (self._ledger, self.app.db_thread.submit(first_page, self._ledger)),
        }

    def compose(self) -> ComposeResult:
        yield post_header(self.app)
        yield Static(Text(t("supply_screen.title"), style="bold"), classes="section")
        yield Static(t("supply_screen.stock"), classes="section")
        with Horizontal(id="supply-top"):
            yield PagedTable(
                stock_columns(), loading_text=t("table.loading"), fit_to_rows=True, id="supply-stock"
            )
            yield SupplyFigures(
                totals_title=t("supply_more.totals", day=self.app.now().date().isoformat()),
                chart_title=t("supply_more.per_hour"),
                empty_text=t("supply_more.totals_none"),
                amount=partial(amount_text, grouped=True),
                id="supply-figures",
            )
        yield Static(t("supply_screen.orders"), classes="section")
        yield PagedTable(
            order_columns(), empty_text=t("table.empty"), loading_text=t("table.loading"), id="supply-orders"
        )
        yield Static(t("supply_screen.ledger"), classes="section")
        yield PagedTable(
            ledger_columns(self.app.config.tz),
            empty_text=t("table.empty"),
            loading_text=t("table.loading"),
            id="supply-ledger",
        )
        yield footer()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        return not (self.app.readonly and action in WRITE_ACTIONS)

    def on_mount(self) -> None:
        for table_id, (source, first) in self._first.items():
            self.query_one(table_id, PagedTable).set_source(source, first)
        self.call_after_refresh(self.load)  # the day's figures: after the tables' first rows are drawn

    def on_screen_suspend(self) -> None:
        self._left = True

    def on_screen_resume(self) -> None:
        if self._left:  # back from logging deliveries or a dialog; the first show was read at mount
            self.action_refresh()

    def action_refresh(self) -> None:
        self.load()
        for table in self.query(PagedTable).results(PagedTable):
            table.reload()

    @db_work
    def load(self) -> None:
        today = self.app.now().date()
        midnight = int(datetime.combine(today, time(0), self.app.config.tz).timestamp())
        self.post_message(
            self.Loaded(
                supply_report.post_totals(today.isoformat()),
                supply_report.deliveries_per_hour(today.isoformat(), midnight),
            )
        )

    def on_supply_screen_loaded(self, message: Loaded) -> None:
        self.query_one(SupplyFigures).show(message.totals, message.hours)

    def action_log_deliveries(self) -> None:
        from console.screens.supply.delivery_log import SupplyLogScreen

        self.app.push_screen(SupplyLogScreen())

    def action_correct(self) -> None:
        from console.screens.dialogs.prompt import PromptDialog

        target = self.query_one("#supply-ledger", PagedTable).cursor_value
        if target is None:
            return

        def done(result: dict | None) -> None:
            if result:
                self.save_correction(target.id, result.get("reason", ""))

        self.app.push_screen(
            PromptDialog(
                t("supply_screen.correct_title", id=target.id), [("reason", t("supply_screen.reason"), "")]
            ),
            done,
        )

    @db_work
    def save_correction(self, handoff_id: int, reason: str) -> None:
        new_id = supply.correct(
            handoff_id,
            reason,
            actor=self.app.actor,
            now=int(self.app.now().timestamp()),
            tz=self.app.config.tz,
        )  # a refusal surfaces through the app's worker handler
        self.app.call_from_thread(self.app.notify, t("supply_screen.corrected", id=new_id), markup=False)
        self.app.call_from_thread(self.action_refresh)
