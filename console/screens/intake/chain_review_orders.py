"""Orders (接龙下单) in the chain review screen: each line read against the day's menu (the item
catalogue) by db/intake/orders_chain, shown with its door, goods and urgency or the reason it cannot be
placed (the same words as ``cmdpost import chain --as orders``), fixed or skipped, then placed by
db.supply.writes.add_orders: all or nothing. While a kept line names goods but cannot be read as an order
(supply_chain.blocking), nothing is placed.

Each read, fix or skip is checked on the database thread by the same function in a dry run, so a
door of another grid shows as refused before the operator commits; medicine shows as urgent as
db.supply.writes.order_urgent says it will be placed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from rich.text import Text
from textual.message import Message

from console.i18n import error_text, t
from console.screens.base import PostScreen
from console.text.chain import decision_text
from console.text.orders_chain import entry_problem, goods_text
from console.workers import db_work
from db.errors import CmdpostError
from db.grids import writes
from db.intake import chain_plan
from db.intake import orders_chain as supply_chain
from db.intake.orders_chain import OrderEntry
from db.supply import queries as supply_queries
from db.supply import writes as supply
from widgets.safe_text import data_text

ORDERS = "orders"
SETTLED = ("superseded", "cancelled", "cancel")  # lines a later line replaced or withdrew: nothing to fix
BAD = "bold white on #c62828"
ORDER_STYLES = {
    supply_chain.OK: "",
    supply_chain.DUPLICATE: "bold black on #ffb74d",
    supply_chain.UNPARSED: BAD,
    supply_chain.UNMATCHED: BAD,
    supply_chain.HEADER: "dim",
    supply_chain.CHATTER: "dim",
    "refused": BAD,
    "skipped": "dim strike",
    "superseded": "dim",
    "cancelled": "dim",
    "cancel": "dim",
    "blank": "dim",
}


def read_orders(text: str) -> tuple[list[OrderEntry], dict[str, str]]:
    """On the database thread: the chain read against the catalogue, and the menu (item -> unit)."""
    units = {row.name: row.unit for row in supply_queries.stock()}
    return supply_chain.read_order_chain(text, list(units.items())), units


def check_orders(
    grid_code: str, entries: list[OrderEntry], skipped: set[int], *, actor: str, now: int
) -> dict[int, str]:
    """On the database thread: each entry's urgency as it will be placed, and why a kept entry the reader
    took as an order will not be placed as written, by index: the decision of db/chain_plan (a door not
    in the grid, two lines that disagree, a later correction or 取消), then db.supply.writes.add_orders in a
    dry run over what the plan records (nothing is written)."""
    supply_chain.recheck(entries, skipped)
    for entry in entries:
        if entry.goods:
            entry.urgent = supply.order_urgent([name for name, _ in entry.goods], entry.urgent)
    plan = chain_plan.plan_entries("orders", grid_code, entries, skipped=skipped)
    for entry, d in zip(entries, plan.decisions):
        settled = d.status in SETTLED and entry.status == supply_chain.OK
        entry.settled, entry.settled_by = (d.status, d.other_line) if settled else (None, None)
    failed = {
        i: decision_text(entries[i], d, ORDERS) or ""
        for i, d in enumerate(plan.decisions)
        if i not in skipped and entries[i].status == supply_chain.OK and d.status == chain_plan.ASK
    }
    if not plan.recorded() or failed:
        return failed
    try:
        chain_plan.record_plan(plan, actor=actor, now=now, dry_run=True)
    except writes.BatchError as err:
        recorded = plan.recorded()
        return {recorded[p.index][0]: error_text(CmdpostError(p.key, **p.params)) for p in err.problems}
    return {}


class ChainOrdersReview(PostScreen[None]):
    """The orders half of the chain review screen: ChainReviewScreen
    (console/screens/intake/chain_review.py) is its one subclass, sets what is annotated here and
    implements the methods below that raise NotImplementedError."""

    grid_code: str
    entries: list
    entries_kind: str  # what self.entries were read as
    skipped: set[int]
    failed: dict[int, str]
    units: dict[str, str]
    Committed: type[Any]  # ChainReviewScreen.Committed: its handler is named after that screen

    def _show(self) -> None:
        """Draw the entries again."""
        raise NotImplementedError

    def place_orders(self, chosen: list) -> None:
        """Place the chosen lines off the event loop (via place_orders_now)."""
        raise NotImplementedError

    @dataclass
    class OrdersChecked(Message):
        entries: list[OrderEntry]
        failed: dict[int, str]

    @staticmethod
    def order_columns() -> tuple[str, ...]:
        return (
            t("chain_review.line"),
            t("chain_review.status"),
            t("col.door"),
            t("chain_orders.goods"),
            t("supply_console.col_urgent"),
            t("supply_console.col_why"),
            t("chain_review.text"),
        )

    def order_status(self, index: int, entry: OrderEntry) -> str:
        if index in self.skipped:
            return "skipped"
        return "refused" if index in self.failed else (entry.settled or entry.status)

    def order_cells(self, index: int, entry: OrderEntry) -> tuple[Text, ...]:
        status = self.order_status(index, entry)
        why = self.failed.get(index, "") if status == "refused" else (entry_problem(entry) or "")
        if status in SETTLED:
            why = t(f"chain_plan.{status}", other=entry.settled_by)
        if status == "skipped":
            why = ""
        return (
            Text(str(entry.line)),
            Text(t(f"supply_console.status_{status}"), style=ORDER_STYLES[status]),
            data_text(entry.door),
            data_text(goods_text(entry, self.units)),
            Text(t("supply.urgent") if entry.urgent else "", style="bold #ffb74d"),
            data_text(why),
            data_text(entry.text.replace("\n", " ⏎ ")),
        )

    def order_counts(self) -> Text:
        counts = [self.order_status(i, e) for i, e in enumerate(self.entries)]
        problems = sum(
            1
            for i, e in enumerate(self.entries)
            if counts[i] == "refused" or (counts[i] != "skipped" and supply_chain.blocking(e))
        )
        return Text(
            t(
                "supply_console.counts",
                ok=counts.count(supply_chain.OK),
                problems=problems,
                skipped=len(self.skipped),
                chatter=counts.count(supply_chain.CHATTER),
            )
        )

    def recheck_orders(self) -> None:
        """After a skip: duplicates and refusals again (a door twice is one only while both are kept)."""
        self.check_orders_now([replace(e) for e in self.entries], set(self.skipped), None, "")

    def refix_order(self, index: int, text: str) -> None:
        self.check_orders_now([replace(e) for e in self.entries], set(self.skipped), index, text)

    @db_work
    def check_orders_now(
        self, entries: list[OrderEntry], skipped: set[int], index: int | None, text: str
    ) -> None:
        if index is not None:
            old = entries[index]
            found = [e for e in read_orders(text)[0] if e.status != supply_chain.HEADER]
            entries[index] = (
                replace(found[0], line=old.line, lines=old.lines)
                if found
                else replace(old, text=text, door=None, goods=[], problems=[], status=supply_chain.CHATTER)
            )
        failed = check_orders(
            self.grid_code, entries, skipped, actor=self.app.actor, now=int(self.app.now().timestamp())
        )
        self.post_message(self.OrdersChecked(entries, failed))

    def on_chain_orders_review_orders_checked(self, message: OrdersChecked) -> None:
        if self.entries_kind == ORDERS:
            self.entries, self.failed = message.entries, message.failed
            self._show()

    def commit_orders(self) -> None:
        kept = [(i, e) for i, e in enumerate(self.entries) if i not in self.skipped]
        if any(supply_chain.blocking(e) for _, e in kept):
            self.app.notify(t("chain_orders.fix_first"), severity="error", markup=False)
            return
        chosen = [
            (i, e)
            for i, e in kept
            if e.status in (supply_chain.OK, supply_chain.HEADER, supply_chain.CHATTER)
        ]
        if not chosen:
            self.app.notify(t("chain_orders.nothing"), severity="error", markup=False)
            return
        self.place_orders(chosen)

    def place_orders_now(self, chosen: list[tuple[int, OrderEntry]]) -> None:
        """On the database thread (ChainReviewScreen.place_orders): the plan decided again over the kept
        lines, as the import does, and placed in one transaction, all or nothing."""
        plan = chain_plan.plan_entries(ORDERS, self.grid_code, [e for _, e in chosen])
        # What the screen showed may be stale: the plan, decided now, says.
        if asks := chain_plan.stopping_lines(plan):
            self.post_message(
                self.Committed(
                    t("chain_plan.fix_first", count=len(asks)),
                    tuple(chosen[i][0] for i, _ in asks),
                    failed=True,
                    reasons=tuple(d.reason or "" for _, d in asks),
                )
            )
            return
        if not plan.recorded():
            self.post_message(self.Committed(t("chain_orders.nothing"), failed=True))
            return
        try:
            ids = chain_plan.record_plan(plan, actor=self.app.actor, now=int(self.app.now().timestamp()))
        except writes.BatchError as err:
            recorded = plan.recorded()
            self.post_message(
                self.Committed(
                    t("supply_console.refused", count=len(err.problems)),
                    tuple(chosen[recorded[p.index][0]][0] for p in err.problems),
                    failed=True,
                    reasons=tuple(error_text(CmdpostError(p.key, **p.params)) for p in err.problems),
                )
            )
            return
        except CmdpostError as err:
            self.post_message(self.Committed(error_text(err), failed=True))
            return
        self.post_message(
            self.Committed(t("chain_orders.placed", count=len(ids), first=ids[0], last=ids[-1]))
        )
