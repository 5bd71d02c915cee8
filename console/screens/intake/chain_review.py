"""Paste a chain message (接龙), see how it was read, fix or skip lines, then commit.

Nothing is written until the operator commits, and the commit is all or
nothing: a door the register does not know stops a testing chain as a whole.
A chain of orders (接龙下单) is read and placed by console/screens/intake/chain_review_orders.py.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Select, Static, TextArea

from console.i18n import error_text, t
from console.screens.base import PostScreen
from console.screens.common import footer, post_header
from console.screens.intake.chain_review_orders import ORDERS, ChainOrdersReview, check_orders, read_orders
from console.workers import db_work
from db.errors import CmdpostError
from db.grids import queries, writes
from db.intake import chain
from db.intake.chain import ChainEntry
from db.records import HouseholdInput
from db.registers import writes as registers
from widgets.data_input import DataTextArea
from widgets.safe_text import data_text

STATUS_STYLES = {chain.OK: "", chain.DUPLICATE: "bold black on #ffb74d", chain.UNPARSED: "bold white on #c62828",
                 chain.HEADER: "dim", "unknown": "bold white on #c62828", "skipped": "dim strike"}


class ChainReviewScreen(ChainOrdersReview, PostScreen):
    DEFAULT_CSS = """
    ChainReviewScreen #chain-options { height: auto; padding: 0 1; }
    ChainReviewScreen #chain-as { width: 24; }
    ChainReviewScreen #chain-round { width: 28; }
    ChainReviewScreen #chain-text { height: 8; margin: 0 1; }
    ChainReviewScreen #chain-table { height: 1fr; margin: 0 1; }
    ChainReviewScreen #chain-status { height: auto; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "keys.back"),
        Binding("ctrl+r", "read_chain", "chain_keys.read"),
        Binding("e", "fix_entry", "chain_keys.fix"),
        Binding("x", "skip_entry", "chain_keys.skip"),
        Binding("ctrl+s", "commit_chain", "chain_keys.commit"),
        Binding("ctrl+s", "place_orders", "chain_keys.place"),  # the same key, named for orders
    ]

    @dataclass
    class Read(Message):
        entries: list  # ChainEntry, or OrderEntry for orders
        known_doors: set[str]
        rounds: list[registers.TestRound]
        kind: str = "tests"
        units: dict[str, str] | None = None  # for orders: the menu, item -> unit
        failed: dict[int, str] | None = None  # for orders: what placing them would refuse, by index

    @dataclass
    class Committed(Message):
        text: str
        failed_lines: tuple[int, ...] = ()
        failed: bool = False
        reasons: tuple[str, ...] = ()  # why each failed line was refused, where known

    def __init__(self, grid_code: str, grid_name: str, kind: str = "tests") -> None:
        super().__init__()
        self.grid_code, self.grid_name, self.first_kind = grid_code, grid_name, kind
        self.entries: list = []
        self.entries_kind = ""  # what self.entries were read as: orders are read differently
        self.skipped: set[int] = set()
        self.known: set[str] = set()
        self.failed: dict[int, str] = {}
        self.units: dict[str, str] = {}
        self.rounds_listed = False

    def compose(self) -> ComposeResult:
        yield post_header(self.app)
        yield Static(Text(t("chain_review.title", grid=f"{self.grid_code} {self.grid_name}"), style="bold"),
                     classes="status-line")
        with Horizontal(id="chain-options"):
            yield Select([(t("chain_review.as_tests"), "tests"), (t("chain_review.as_households"), "households"),
                          (t("chain_orders.as_orders"), ORDERS)], value=self.first_kind, allow_blank=False,
                         id="chain-as")
            yield Select([], prompt=t("reg.no_round"), id="chain-round")
        yield DataTextArea(id="chain-text", soft_wrap=True)
        yield Static(Text(self._hint()), id="chain-status")
        yield DataTable(id="chain-table", cursor_type="row", zebra_stripes=True)
        yield footer()

    def on_mount(self) -> None:
        self.query_one("#chain-round", Select).display = self.first_kind == "tests"
        self.query_one(TextArea).focus()
        self.read("", self.first_kind)

    def _hint(self) -> str:
        return t("supply_console.hint_orders") if self.first_kind == ORDERS else t("chain_review.hint")

    def _columns(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_columns(*(self.order_columns() if self.entries_kind == ORDERS else (
            t("chain_review.line"), t("chain_review.status"), t("col.door"), t("col.people"), t("col.phone"),
            t("chain_review.remark"), t("chain_review.text"))))

    @property
    def as_kind(self) -> str:
        return str(self.query_one("#chain-as", Select).value)

    def action_read_chain(self) -> None:
        self.read(self.query_one(TextArea).text, self.as_kind)

    @db_work
    def read(self, text: str, kind: str) -> None:
        # Parsing runs here too, off the event loop: a pasted chain can be 100,000 lines.
        if kind == ORDERS:
            entries, units = read_orders(text)
            failed = check_orders(self.grid_code, entries, set(), actor=self.app.actor,
                                  now=int(self.app.now().timestamp()))
            self.post_message(self.Read(entries, set(), registers.rounds(), kind, units, failed))
            return
        entries = chain.read_chain(text)
        self.post_message(self.Read(entries, queries.doors_in_grid(self.grid_code), registers.rounds(), kind))

    def on_chain_review_screen_read(self, message: Read) -> None:
        pick = self.query_one("#chain-round", Select)
        if not self.rounds_listed and message.rounds:
            self.rounds_listed = True
            pick.set_options([(t("reg.round", number=r.number, date=r.held_on), r.id) for r in message.rounds])
            pick.value = message.rounds[0].id
        if (message.kind == ORDERS) != (self.as_kind == ORDERS):  # the kind changed while this was read
            self.action_read_chain()
            return
        self.entries, self.known, self.skipped = message.entries, message.known_doors, set()
        self.failed = message.failed or {}
        self.units = message.units or {}
        columns_change = not self.entries_kind or (self.entries_kind == ORDERS) != (message.kind == ORDERS)
        self.entries_kind = message.kind
        if columns_change:
            self._columns()
        self._show()
        if self.entries:
            self.query_one(DataTable).focus()

    def _status(self, index: int, entry: ChainEntry) -> str:
        if index in self.skipped:
            return "skipped"
        if entry.status == chain.OK and (index in self.failed or (self.as_kind == "tests" and entry.door not in self.known)):
            return "unknown"
        return entry.status

    def _show(self) -> None:
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        if self.entries_kind == ORDERS:
            for index, entry in enumerate(self.entries):
                table.add_row(*self.order_cells(index, entry))
            if self.entries:
                table.move_cursor(row=min(cursor, len(self.entries) - 1))
            self.query_one("#chain-status", Static).update(self.order_counts())
            return
        for index, entry in enumerate(self.entries):
            status = self._status(index, entry)
            table.add_row(Text(str(entry.line)), Text(t(f"chain_review.{status}"), style=STATUS_STYLES[status]),
                          data_text(entry.door), Text("" if entry.people is None else str(entry.people)),
                          data_text(entry.phone), data_text(entry.remark), data_text(entry.text))
        if self.entries:
            table.move_cursor(row=min(cursor, len(self.entries) - 1))
        counts = [self._status(i, e) for i, e in enumerate(self.entries)]
        self.query_one("#chain-status", Static).update(Text(t(
            "chain_review.counts", ok=counts.count(chain.OK), problems=counts.count("unknown") +
            counts.count(chain.UNPARSED) + counts.count(chain.DUPLICATE), skipped=len(self.skipped))))

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("commit_chain", "place_orders"):
            orders = bool(self.query("#chain-as")) and self.as_kind == ORDERS
            return (action == "place_orders") == orders
        return True

    def action_place_orders(self) -> None:
        self.action_commit_chain()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "chain-as":
            return
        self.refresh_bindings()
        self.query_one("#chain-round", Select).display = self.as_kind == "tests"
        if (self.as_kind == ORDERS) != (self.entries_kind == ORDERS):
            self.action_read_chain()  # orders are read against the menu, not as head counts
        elif self.entries:
            self._show()

    def _cursor(self) -> int | None:
        index = self.query_one(DataTable).cursor_row
        return index if 0 <= index < len(self.entries) else None

    def action_skip_entry(self) -> None:
        index = self._cursor()
        if index is not None:
            self.skipped ^= {index}
            if self.entries_kind == ORDERS:
                self.recheck_orders()
            self._show()

    def action_fix_entry(self) -> None:
        from console.screens.dialogs.prompt import PromptDialog

        index = self._cursor()
        if index is None:
            return
        entry = self.entries[index]
        label = t("chain_orders.fix_label") if self.entries_kind == ORDERS else t("chain_review.fix_label")
        self.app.push_screen(PromptDialog(t("chain_review.fix_title", line=entry.line),
                                          [("text", label, entry.text.replace("\n", " "))]),
                             lambda answer: answer and self._refix(index, answer["text"]))

    def _refix(self, index: int, text: str) -> None:
        if self.entries_kind == ORDERS:
            self.refix_order(index, text)  # read and checked on the database thread
            return
        old = self.entries[index]
        found = [e for e in chain.read_chain(text) if e.status == chain.OK]
        fixed = replace(found[0], line=old.line, lines=old.lines) if found else replace(old, text=text,
                                                                                         status=chain.UNPARSED)
        self.entries[index] = fixed
        self.failed.pop(index, None)
        self._show()

    def action_commit_chain(self) -> None:
        if self.entries_kind == ORDERS:
            if self.as_kind == ORDERS:  # not while a switch to another kind is still being read
                self.commit_orders()
            return
        chosen = [(i, e) for i, e in enumerate(self.entries)
                  if self._status(i, e) == chain.OK and e.people is not None]
        round_pick = self.query_one("#chain-round", Select)
        round_id = None if round_pick.value is Select.NULL else int(round_pick.value)
        if self.as_kind == "tests" and round_id is None:
            self.app.notify(t("registers.no_rounds"), severity="error", markup=False)
            return
        self.commit(chosen, self.as_kind, round_id)

    @db_work
    def commit(self, chosen: list[tuple[int, ChainEntry]], as_kind: str, round_id: int | None) -> None:
        if not chosen:
            self.post_message(self.Committed(t("chain.nothing_to_write"), failed=True))
            return
        entries = [e for _, e in chosen]
        try:
            if as_kind == "tests":
                outcome = registers.mark_tested(round_id, self.grid_code, [(e.door, e.people) for e in entries],
                                                source="chain", actor=self.app.actor)
            else:
                outcome = writes.upsert_households(
                    [HouseholdInput(self.grid_code, e.door, e.people, e.head or None, e.phone or None, None,
                                    e.remark or None) for e in entries], actor=self.app.actor)
        except writes.BatchError as err:
            self.post_message(self.Committed(t("batch.invalid", count=len(err.problems)),
                                             tuple(chosen[p.index][0] for p in err.problems), failed=True))
            return
        except CmdpostError as err:
            self.post_message(self.Committed(error_text(err), failed=True))
            return
        self.post_message(self.Committed(t("chain_review.done", created=outcome.created, updated=outcome.updated,
                                           unchanged=outcome.unchanged)))

    @db_work
    def place_orders(self, chosen: list) -> None:
        self.place_orders_now(chosen)

    def on_chain_review_screen_committed(self, message: Committed) -> None:
        self.app.notify(message.text, severity="error" if message.failed else "information", markup=False)
        if message.failed:
            reasons = message.reasons or ("",) * len(message.failed_lines)
            self.failed = dict(zip(message.failed_lines, reasons))
            self._show()
        else:
            self.app.pop_screen()
