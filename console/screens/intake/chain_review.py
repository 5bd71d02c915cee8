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
from textual.widgets.select import NoSelection

from console.i18n import error_text, t
from console.screens.common import footer, post_header
from console.screens.intake.chain_review_orders import ORDERS, ChainOrdersReview, check_orders, read_orders
from console.text.chain import decision_text
from console.workers import db_work
from db.errors import CmdpostError
from db.grids import writes
from db.intake import chain, chain_plan
from db.intake.chain import ChainEntry
from db.registers import writes as registers
from widgets.data_input import DataTextArea
from widgets.row_table import RowTable
from widgets.safe_text import data_text

BAD, WARN = "bold white on #c62828", "bold black on #ffb74d"
STATUS_STYLES = {
    chain.OK: "",
    chain.DUPLICATE: WARN,
    chain.UNPARSED: BAD,
    chain.HEADER: "dim",
    "unknown": BAD,
    "skipped": "dim strike",
    "ask": BAD,
    "superseded": "dim",
    "not_tested": WARN,
    "vacant": "dim",
    "antigen": WARN,
    "blank": "dim",
}


class ChainReviewScreen(ChainOrdersReview):
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
        Binding("d", "choose_door", "chain_keys.choose"),
        Binding("ctrl+s", "commit_chain", "chain_keys.commit"),
        Binding("ctrl+s", "place_orders", "chain_keys.place"),  # the same key, named for orders
    ]

    @dataclass
    class Read(Message):
        entries: list  # ChainEntry, or OrderEntry for orders
        decisions: list  # chain_plan.Decision for each entry (households, tests)
        rounds: list[registers.TestRound]
        kind: str = "tests"
        skipped: set[int] | None = None  # set when this is a fresh plan after a skip, fix or choice
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
        self.decisions: list[chain_plan.Decision] = []
        self.chosen_doors: dict[int, str] = {}
        self.failed: dict[int, str] = {}
        self.units: dict[str, str] = {}
        self.rounds_listed = False

    def compose(self) -> ComposeResult:
        yield post_header(self.app)
        yield Static(
            Text(t("chain_review.title", grid=f"{self.grid_code} {self.grid_name}"), style="bold"),
            classes="status-line",
        )
        with Horizontal(id="chain-options"):
            yield Select(
                [
                    (t("chain_review.as_tests"), "tests"),
                    (t("chain_review.as_households"), "households"),
                    (t("chain_orders.as_orders"), ORDERS),
                ],
                value=self.first_kind,
                allow_blank=False,
                id="chain-as",
            )
            yield Select([], prompt=t("reg.no_round"), id="chain-round")
        yield DataTextArea(id="chain-text", soft_wrap=True)
        yield Static(Text(self._hint()), id="chain-status")
        yield RowTable(id="chain-table", cursor_type="row", zebra_stripes=True)
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
        table.add_columns(
            *(
                self.order_columns()
                if self.entries_kind == ORDERS
                else (
                    t("chain_review.line"),
                    t("chain_review.status"),
                    t("col.door"),
                    t("col.people"),
                    t("col.phone"),
                    t("chain_review.why"),
                    t("chain_review.text"),
                )
            )
        )

    @property
    def as_kind(self) -> str:
        return str(self.query_one("#chain-as", Select).value)

    def action_read_chain(self) -> None:
        self.read(self.query_one(TextArea).text, self.as_kind)

    @db_work
    def read(self, text: str, kind: str) -> None:
        # Parsing runs here too, off the event loop: a pasted chain can be 100,000 lines.
        if kind == ORDERS:
            orders, units = read_orders(text)
            failed = check_orders(
                self.grid_code, orders, set(), actor=self.app.actor, now=int(self.app.now().timestamp())
            )
            self.post_message(self.Read(orders, [], registers.rounds(), kind, units=units, failed=failed))
            return
        entries = chain.read_chain(text)
        self.post_message(
            self.Read(entries, self._plan(entries, kind, set(), {}).decisions, registers.rounds(), kind)
        )

    def _plan(
        self, entries: list, kind: str, skipped: set[int], chosen: dict[int, str]
    ) -> chain_plan.ChainPlan:
        """On the database thread: the decision the import itself takes (db/chain_plan)."""
        return chain_plan.plan_entries(
            kind,
            self.grid_code,
            entries,
            skipped=skipped,
            chosen_doors=chosen,
            antigen_counts=getattr(self.app.config, "antigen_counts", False),
        )

    @db_work
    def replan(self, entries: list, kind: str, skipped: set[int], chosen: dict[int, str]) -> None:
        self.post_message(
            self.Read(
                entries, self._plan(entries, kind, skipped, chosen).decisions, [], kind, skipped=skipped
            )
        )

    def on_chain_review_screen_read(self, message: Read) -> None:
        pick = self.query_one("#chain-round", Select)
        if not self.rounds_listed and message.rounds:
            self.rounds_listed = True
            pick.set_options(
                [(t("reg.round", number=r.number, date=r.held_on), r.id) for r in message.rounds]
            )
            pick.value = message.rounds[0].id
        if (message.kind == ORDERS) != (self.as_kind == ORDERS):  # the kind changed while this was read
            self.action_read_chain()
            return
        self.entries, self.decisions = message.entries, message.decisions
        self.skipped = set(message.skipped) if message.skipped is not None else set()
        if message.skipped is None:
            self.chosen_doors = {}
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
        if index in self.failed:
            return "unknown"
        decision = self.decisions[index] if index < len(self.decisions) else None
        if decision is None:
            return entry.status
        if decision.status == chain_plan.ASK and decision.reason == "unknown_door":
            return "unknown"
        return decision.status

    def _show(self) -> None:
        # the line as posted (the last column) wraps in the room the others leave, never cut at 5 characters
        table = self.query_one(RowTable)
        if self.entries_kind == ORDERS:
            table.fill_wrapped(
                [self.order_cells(index, entry) for index, entry in enumerate(self.entries)], wrap=(3, 5, 6)
            )
            self.query_one("#chain-status", Static).update(self.order_counts())
            return
        rows = []
        for index, entry in enumerate(self.entries):
            status = self._status(index, entry)
            decision = (
                self.decisions[index]
                if index < len(self.decisions)
                else chain_plan.Decision(entry.line, status)
            )
            why = self.failed.get(index) or (decision_text(entry, decision, self.entries_kind) or "")
            value = decision.value if decision.status == chain_plan.OK else entry.people
            rows.append(
                [
                    Text(str(entry.line)),
                    Text(t(f"chain_review.{status}"), style=STATUS_STYLES[status]),
                    data_text(decision.door or entry.door or ""),
                    Text("" if value is None else str(value)),
                    data_text(entry.phone or ""),
                    data_text(why),
                    data_text(entry.text),
                ]
            )
        table.fill_wrapped(rows, wrap=(5, 6))
        counts = [self._status(i, e) for i, e in enumerate(self.entries)]
        self.query_one("#chain-status", Static).update(
            Text(
                t(
                    "chain_review.counts",
                    ok=counts.count(chain.OK),
                    problems=counts.count("unknown") + counts.count(chain_plan.ASK),
                    skipped=len(self.skipped),
                )
            )
        )

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
        elif self.entries:  # what is recorded, and what must be asked, depend on the kind
            self.replan(list(self.entries), self.as_kind, set(self.skipped), dict(self.chosen_doors))

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
            else:
                self.replan(list(self.entries), self.entries_kind, set(self.skipped), dict(self.chosen_doors))

    def action_choose_door(self) -> None:
        """A door the register holds several times: each press offers the next of them."""
        index = self._cursor()
        if index is None or self.entries_kind == ORDERS or index >= len(self.decisions):
            return
        choices = self.decisions[index].choices or (
            [self.chosen_doors[index]] if index in self.chosen_doors else []
        )
        if not choices:
            return
        current = self.chosen_doors.get(index)
        self.chosen_doors[index] = (
            choices[(choices.index(current) + 1) % len(choices)] if current in choices else choices[0]
        )
        self.replan(list(self.entries), self.entries_kind, set(self.skipped), dict(self.chosen_doors))

    def action_fix_entry(self) -> None:
        from console.screens.dialogs.prompt import PromptDialog

        index = self._cursor()
        if index is None:
            return
        entry = self.entries[index]
        label = t("chain_orders.fix_label") if self.entries_kind == ORDERS else t("chain_review.fix_label")

        def fixed(answer: dict | None) -> None:
            if answer:
                self._refix(index, answer["text"])

        self.app.push_screen(
            PromptDialog(
                t("chain_review.fix_title", line=entry.line), [("text", label, entry.text.replace("\n", " "))]
            ),
            fixed,
        )

    def _refix(self, index: int, text: str) -> None:
        if self.entries_kind == ORDERS:
            self.refix_order(index, text)  # read and checked on the database thread
            return
        old = self.entries[index]
        found = [e for e in chain.read_chain(text) if e.status in (chain.OK, chain.ASK)]
        fixed = (
            replace(found[0], line=old.line, lines=old.lines, text=text)
            if found
            else replace(old, text=text, status=chain.UNPARSED)
        )
        entries = list(self.entries)
        entries[index] = fixed
        self.failed.pop(index, None)
        self.chosen_doors.pop(index, None)
        self.replan(entries, self.entries_kind, set(self.skipped), dict(self.chosen_doors))

    def action_commit_chain(self) -> None:
        if self.entries_kind == ORDERS:
            if self.as_kind == ORDERS:  # not while a switch to another kind is still being read
                self.commit_orders()
            return
        round_pick = self.query_one("#chain-round", Select)
        round_id = None if isinstance(round_pick.value, NoSelection) else int(round_pick.value)
        if self.as_kind == "tests" and round_id is None:
            self.app.notify(t("registers.no_rounds"), severity="error", markup=False)
            return
        self.commit(list(self.entries), self.as_kind, round_id, set(self.skipped), dict(self.chosen_doors))

    @db_work
    def commit(
        self, entries: list, as_kind: str, round_id: int | None, skipped: set[int], chosen: dict[int, str]
    ) -> None:
        plan = self._plan(entries, as_kind, skipped, chosen)  # decided again, as the import does
        recorded = plan.recorded()
        if not recorded:
            self.post_message(self.Committed(t("chain.nothing_to_write"), failed=True))
            return
        try:
            outcome = chain_plan.record_plan(plan, actor=self.app.actor, round_id=round_id)
        except writes.BatchError as err:
            self.post_message(
                self.Committed(
                    t("batch.invalid", count=len(err.problems)),
                    tuple(recorded[p.index][0] for p in err.problems),
                    failed=True,
                    reasons=tuple(error_text(CmdpostError(p.key, **p.params)) for p in err.problems),
                )
            )
            return
        except CmdpostError as err:
            self.post_message(self.Committed(error_text(err), failed=True))
            return
        self.post_message(
            self.Committed(
                t(
                    "chain_review.done",
                    created=outcome.created,
                    updated=outcome.updated,
                    unchanged=outcome.unchanged,
                )
            )
        )

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
