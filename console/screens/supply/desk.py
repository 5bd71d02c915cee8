"""The supply screen's desk work, in a few keystrokes: take an order (o), take a pasted chain of
orders (c, console/screens/intake/chain_review.py), gather a grid's open orders into a run for a volunteer
whose pass is scanned or chosen with F3 (n), print a run's voucher (v), and take goods back from a
run into the depot (b).

Goods are typed as residents write them ("大米10斤 青菜x2"): db/intake/orders_chain reads them against the
catalogue, as for a pasted chain. Every rule (stock, CROSS_GRID, the door in the grid …) is
db.supply.writes's; a refusal is shown as it comes, and nothing is written.
"""

from __future__ import annotations

from console.config import data_dir
from console.i18n import error_text, t
from console.screens.base import PostScreen
from console.screens.common import whole_number
from console.workers import db_work
from db.errors import CmdpostError
from db.grids import queries
from db.passes import keys as pass_keys
from db.supply import queries as supply_queries
from db.supply import writes as supply
from db.supply.queries import OrderRow
from widgets.paged_table import PagedTable

RUN_STOPS = 8  # a volunteer's load on foot: about eight doors a run


class SupplyDesk(PostScreen[None]):
    """The desk half of the supply screen: SupplyScreen (console/screens/supply/overview.py) is its
    one subclass and gives it the tables; what the desk needs from it is declared below."""

    def action_refresh(self) -> None:
        """Read the screen's figures and tables again (SupplyScreen does)."""
        raise NotImplementedError

    def _notify(self, text: str, error: bool = False) -> None:
        self.app.call_from_thread(
            self.app.notify,
            text,
            severity="error" if error else "information",
            markup=False,
            timeout=8 if error else 5,
        )

    # -- o: take an order -----------------------------------------------------------------

    def action_add_order(self) -> None:
        from console.screens.dialogs.prompt import PromptDialog

        picked = self._picked_order()
        fields = [
            ("grid", t("supply_desk.grid"), picked.grid_code if picked else ""),
            ("door", t("supply_desk.door"), ""),
            ("goods", t("supply_desk.goods"), ""),
        ]
        self.app.push_screen(
            PromptDialog(t("supply_desk.order_title"), fields),
            lambda answer: answer and self.save_order(answer),
        )

    @db_work
    def save_order(self, answer: dict) -> None:
        # Imported here: the chain reader's patterns took 120-160 ms of the supplies' first paint.
        from db.intake import orders_chain as supply_chain

        menu = [(row.name, row.unit) for row in supply_queries.stock()]
        entry = supply_chain.read_entry(answer.get("goods", ""), supply_chain.Menu(menu))
        if entry.problems or not entry.goods:
            self._notify(
                t("supply_desk.goods_unread", goods="、".join(entry.problems) or answer.get("goods", "")),
                error=True,
            )
            return
        try:
            order_id = supply.add_order(
                answer.get("grid", ""),
                answer.get("door", ""),
                entry.goods,
                urgent=entry.urgent,
                note=entry.remark or "",
                actor=self.app.actor,
                now=int(self.app.now().timestamp()),
            )
        except CmdpostError as err:
            self._notify(error_text(err), error=True)
            return
        goods = "、".join(f"{name} {qty}" for name, qty in entry.goods)
        self._notify(t("supply_desk.order_saved", id=order_id, door=answer.get("door", ""), goods=goods))
        self.app.call_from_thread(self.action_refresh)

    # -- n: form a run ---------------------------------------------------------------------

    def action_form_run(self) -> None:
        from console.screens.supply.run_dialog import RunDialog

        picked = self._picked_order()
        if picked is None:
            self.app.notify(t("supply_desk.pick_order"), severity="warning", markup=False)
            return
        grid = picked.grid_code.split("-")[0]
        self.app.push_screen(
            RunDialog(
                t("supply_desk.run_title", grid=grid),
                [
                    ("pass", t("supply_console.scan_or_pick"), ""),
                    ("stops", t("supply_desk.stops"), str(RUN_STOPS)),
                ],
                grid,
                lambda answer: self.save_run(grid, answer),
            )
        )

    def save_run(self, grid: str, answer: dict) -> str | None:
        """On the database thread (RunDialog.form): the refusal to show in the dialog, or None."""
        stops = whole_number(answer.get("stops", ""))
        if stops is None:
            return t("supply_desk.bad_stops", value=answer.get("stops", ""))
        try:
            run_id, taken = supply.create_run_of_next(
                answer.get("pass", "").strip(),
                grid,
                stops,
                key=pass_keys.post_verifier(self.app.db_path),
                actor=self.app.actor,
                now=int(self.app.now().timestamp()),
                tz=self.app.config.tz,
            )
            path = self._voucher(run_id)
        except CmdpostError as err:
            return error_text(err)
        self._notify(t("supply_desk.run_saved", id=run_id, stops=taken, path=path))
        self.app.call_from_thread(self.action_refresh)
        return None

    # -- v: print a run's voucher ------------------------------------------------------------

    def action_print_voucher(self, to_printer: bool = False) -> None:
        from console.screens.dialogs.prompt import PromptDialog

        row = self.query_one("#supply-ledger", PagedTable).cursor_value
        default = str(row.run_id) if row is not None and row.run_id else ""
        self.app.push_screen(
            PromptDialog(t("supply_desk.voucher_title"), [("run", t("supply_desk.run"), default)]),
            lambda answer: answer and self.print_voucher(answer.get("run", ""), to_printer),
        )

    @db_work
    def print_voucher(self, text: str, to_printer: bool = False) -> None:
        run_id = whole_number(text)
        if run_id is None:
            self._notify(t("supply_desk.bad_run", value=text), error=True)
            return
        try:
            path = self._voucher(run_id)
        except CmdpostError as err:
            self._notify(error_text(err), error=True)
            return
        self._notify(t("supply_desk.voucher_saved", id=text, path=path))
        if to_printer:
            from console.screens.printing import send_to_printer

            send_to_printer(self, path)

    # -- c: orders from a pasted chain -------------------------------------------------------

    def action_paste_orders(self) -> None:
        from console.screens.dialogs.prompt import PromptDialog

        picked = self._picked_order()
        default = picked.grid_code.split("-")[0] if picked else ""
        self.app.push_screen(
            PromptDialog(
                t("supply_console.chain_title"), [("grid", t("supply_console.chain_grid"), default)]
            ),
            lambda answer: answer and self.open_chain(answer.get("grid", "")),
        )

    @db_work
    def open_chain(self, code: str) -> None:
        from console.screens.intake.chain_review import ChainReviewScreen

        grid = queries.grid_by_code(code.strip())
        if grid is None:
            self._notify(t("supply_console.no_grid", code=code.strip()), error=True)
            return
        self.app.call_from_thread(self.app.push_screen, ChainReviewScreen(grid.code, grid.name, "orders"))

    def action_copy_order_chain(self) -> None:
        """w: the grid's chain template for orders, to the clipboard for its WeChat group."""
        from console.screens.dialogs.prompt import PromptDialog

        picked = self._picked_order()
        default = picked.grid_code.split("-")[0] if picked else ""
        self.app.push_screen(
            PromptDialog(
                t("supply_console.chain_title"), [("grid", t("supply_console.chain_grid"), default)]
            ),
            lambda answer: answer and self.copy_order_chain(answer.get("grid", "").strip()),
        )

    @db_work
    def copy_order_chain(self, code: str) -> None:
        from console.screens.intake.chain_review_copy import copy_chain_text

        copy_chain_text(self, code, "orders")

    # -- b: goods back from a run ------------------------------------------------------------

    def action_return_goods(self) -> None:
        from console.screens.dialogs.prompt import PromptDialog

        row = self.query_one("#supply-ledger", PagedTable).cursor_value
        run = str(row.run_id) if row is not None and row.run_id else ""
        item = row.item if row is not None and row.run_id else ""
        fields = [
            ("run", t("supply_desk.run"), run),
            ("item", t("supply_console.return_item"), item),
            ("quantity", t("supply_console.return_quantity"), ""),
            ("received_by", t("supply_console.return_received_by"), ""),
            ("reason", t("supply_console.return_reason"), ""),
        ]
        self.app.push_screen(
            PromptDialog(t("supply_console.return_title"), fields),
            lambda answer: answer and self.save_return(answer),
        )

    @db_work
    def save_return(self, answer: dict) -> None:
        run = whole_number(answer.get("run", ""))
        if run is None:
            self._notify(t("supply_desk.bad_run", value=answer.get("run", "")), error=True)
            return
        try:
            handoff = supply.return_goods(
                run,
                answer.get("item", ""),
                answer.get("quantity", ""),
                received_by=answer.get("received_by", ""),
                reason=answer.get("reason", ""),
                actor=self.app.actor,
                now=int(self.app.now().timestamp()),
                tz=self.app.config.tz,
            )
        except CmdpostError as err:  # too many back, unknown run or item …: nothing written
            self._notify(error_text(err), error=True)
            return
        self._notify(t("supply_returns.returned", id=handoff))
        self.app.call_from_thread(self.action_refresh)

    def _voucher(self, run_id: int):
        from console.sheets.supply import write_voucher

        return write_voucher(
            run_id,
            data_dir() / "print" / f"配送凭证-{run_id}.pdf",
            post_name=self.app.config.post_name,
            tz=self.app.config.tz,
        )

    def _picked_order(self) -> OrderRow | None:
        return self.query_one("#supply-orders", PagedTable).cursor_value
