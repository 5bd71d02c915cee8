"""Fast delivery logging: scan the volunteer's pass, pick or scan the stop, confirm.

Everything goes through one input that keeps the focus, so a keyboard-wedge scanner and the
keyboard can be used without ever reaching for the mouse:

- a pass payload (anything that is not a number) loads that volunteer's stops, in route order;
- a number picks that order from the list; ↑/↓ move the cursor, and Enter on an empty box picks
  the stop under it;
- with a stop picked, the box asks who received the goods (签收人): Enter on an empty box records
  the delivery as received by the household itself (本人), a name then Enter records it with that
  name. The screen says "saved" only after db.supply.writes.deliver has committed, and every refusal
  (CROSS_GRID, already delivered and when, goods the run brought back …) comes from db/supply/:
  a stop picked is checked at once by db.supply.writes.check_delivery, and an order number not on the list
  is asked of it too (it says why, or the stop is picked after all);
- F3 chooses the pass from a list (console/screens/passes/pick.py) when the scanner is broken.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from console.i18n import error_text, t
from console.screens.base import PostScreen
from console.screens.common import footer, post_header, whole_number
from console.screens.passes.scan import ScanInput
from console.workers import db_work
from db.errors import CmdpostError
from db.passes import check as pass_check
from db.passes import codec as pass_codec
from db.passes import keys as pass_keys
from db.supply import queries as supply_queries
from db.supply import writes as supply
from db.supply.queries import OrderRow
from widgets.row_table import RowTable
from widgets.safe_text import data_text

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def stop_staff(run_id: int | None) -> int:
    return supply_queries.run(run_id).staff_id if run_id else 0


def looks_like_pass(text: str) -> bool:
    """A scanned pass, not a name typed as 签收人 (db.passes.codec judges whether it is a good one)."""
    return pass_codec.looks_like(text)


GOOD, BAD, ASK = "bold #2e7d32", "bold #ef5350", "bold #ffb74d"


class SupplyLogScreen(PostScreen):
    DEFAULT_CSS = """
    SupplyLogScreen #log-input { margin: 0 1; }
    SupplyLogScreen #log-who, SupplyLogScreen #log-status { height: auto; min-height: 1; padding: 0 2; }
    SupplyLogScreen #log-status { min-height: 2; text-style: bold; }
    SupplyLogScreen .hint { height: auto; padding: 0 1; color: $text-muted; }
    SupplyLogScreen #log-stops { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "back", "keys.back"),
        Binding("f3", "pick_pass", "supply_console.key_pick"),
        Binding("up", "move(-1)", show=False, priority=True),
        Binding("down", "move(1)", show=False, priority=True),
        Binding("question_mark,f1", "app.show_help", "keys.help"),
    ]

    @dataclass
    class Volunteer(Message):
        payload: str
        name: str
        serial: str
        stops: list[OrderRow]

    @dataclass
    class Saved(Message):
        handoff_id: int
        delivered: OrderRow  # not "stop": Message.stop() is taken
        stops: list[OrderRow]
        received_by: str = ""

    @dataclass
    class Failed(Message):
        text: str

    @dataclass
    class Checked(Message):  # an order not on the list that may be delivered after all
        payload: str
        order: OrderRow  # not ``stop``: that would hide Message.stop()

    @dataclass
    class Refused(Message):  # what db.supply.writes.deliver would say about this order
        order_id: int
        text: str

    def __init__(self) -> None:
        super().__init__()
        self.key: Ed25519PublicKey | None = None  # the post's public key, read once
        self.payload: str | None = None
        self.holder = ("", "")  # (name, serial) of the volunteer whose stops are shown
        self.stops: list[OrderRow] = []
        self.picked: OrderRow | None = None

    def compose(self) -> ComposeResult:
        yield post_header(self.app)
        yield Static(Text(t("supply_console.log_hint")), classes="hint")
        yield ScanInput(
            placeholder=t("supply_log.input_hint"), id="log-input", max_length=pass_codec.MAX_LENGTH
        )
        yield Static(Text(t("supply_log.ready")), id="log-who")
        yield Static("", id="log-status")
        yield RowTable(id="log-stops", cursor_type="row", zebra_stripes=True)
        yield footer()

    def on_mount(self) -> None:
        self.query_one("#log-stops", DataTable).add_columns(
            *(t(f"supply_log.col_{name}") for name in ("order", "grid", "door", "items", "flags"))
        )
        self.query_one("#log-input", Input).focus()

    # -- keys ------------------------------------------------------------------------

    def action_back(self) -> None:
        if self.picked is not None:  # Esc first takes back the pick, then leaves
            self._unpick()
            self._status(Text(""))
        else:
            self.app.pop_screen()

    def action_pick_pass(self) -> None:
        from console.screens.passes.pick import PassPickDialog

        def chosen(picked) -> None:
            self.query_one("#log-input", Input).focus()
            if picked:  # as if scanned
                self._unpick()
                self.read_pass(picked.payload, int(self.app.now().timestamp()))

        self.app.push_screen(PassPickDialog(), chosen)

    def action_move(self, step: int) -> None:
        table = self.query_one("#log-stops", DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        event.input.focus()
        number = whole_number(text)
        if self.picked is not None and number is None and not looks_like_pass(text):
            self._save(self.picked, text)  # what was typed is who received the goods; nothing is 本人
            return
        if not text:
            if self.stops:
                self._pick(self.stops[self.query_one("#log-stops", DataTable).cursor_row])
            return
        if number is not None:
            wanted = number
            if self.payload is None:
                self._status(Text(t("supply_log.scan_first"), style=BAD))
                return
            stop = next((s for s in self.stops if s.id == wanted), None)
            if stop is None:  # delivered already, on another run, its goods brought back …: db/ says which
                self.check_stop(self.payload, wanted, int(self.app.now().timestamp()), listed=False)
                return
            self._pick(stop)
            return
        self._unpick()
        self.read_pass(text, int(self.app.now().timestamp()))

    def _pick(self, stop: OrderRow, checked: bool = False) -> None:
        self.picked = stop
        if stop in self.stops:
            self.query_one("#log-stops", DataTable).move_cursor(row=self.stops.index(stop))
        self.query_one("#log-input", Input).placeholder = t("supply_console.received_by_hint")
        self._status(
            Text(t("supply_console.pick", order=stop.id, door=stop.door, items=stop.items), style=ASK)
        )
        if not checked:  # picked at once (a scanner types on), and unpicked if db/ refuses it
            assert self.payload is not None, "stops are listed only once a pass is read"
            self.check_stop(self.payload, stop.id, int(self.app.now().timestamp()), listed=True)

    def _unpick(self) -> None:
        self.picked = None
        self.query_one("#log-input", Input).placeholder = t("supply_log.input_hint")

    def _save(self, stop: OrderRow, received_by: str = "") -> None:
        self._unpick()
        self._status(Text(t("supply_log.saving")))
        assert self.payload is not None, "a stop is picked only once a pass is read"
        self.record(self.payload, stop, int(self.app.now().timestamp()), received_by)

    # -- database work -----------------------------------------------------------------

    def _verifier(self):
        if self.key is None:
            self.key = pass_keys.post_verifier(self.app.db_path)
        return self.key

    @db_work
    def read_pass(self, payload: str, now: int) -> None:
        """Who the pass belongs to, and their stops still to deliver. The grid rule is checked
        at each delivery (by db.supply.writes.deliver), against the household's own grid."""
        try:
            verdict, _, row = pass_check.judge(payload, self._verifier(), now=now, place=None, register=True)
            if verdict != "VALID" or row is None:
                self.post_message(
                    self.Failed(
                        t("supply.pass_refused", verdict=t(f"passes.verdict_{verdict.lower()}"), place="—")
                    )
                )
                return
            stops = self._stops_of(row.staff_id)
        except CmdpostError as err:
            self.post_message(self.Failed(error_text(err)))
            return
        self.post_message(self.Volunteer(payload, row.name, row.serial, stops))

    @db_work
    def check_stop(self, payload: str, order_id: int, now: int, listed: bool) -> None:
        """The refusal deliver() would give, before the operator is asked who received the goods."""
        try:
            supply.check_delivery(payload, order_id, key=self._verifier(), now=now, tz=self.app.config.tz)
            stop = None if listed else supply_queries.order(order_id)
        except CmdpostError as err:
            self.post_message(self.Refused(order_id, error_text(err)))
            return
        if stop is not None:
            self.post_message(self.Checked(payload, stop))

    @db_work
    def record(self, payload: str, stop: OrderRow, now: int, received_by: str = "") -> None:
        try:
            handoff = supply.deliver(
                payload,
                stop.id,
                key=self._verifier(),
                received_by=received_by,
                actor=self.app.actor,
                now=now,
                tz=self.app.config.tz,
            )
        except CmdpostError as err:
            self.post_message(self.Failed(error_text(err)))
            return
        # Committed: only now may the screen say so.
        self.post_message(self.Saved(handoff, stop, self._stops_of(stop_staff(stop.run_id)), received_by))

    @staticmethod
    def _stops_of(staff_id: int) -> list[OrderRow]:
        """The volunteer's stops still to deliver, run by run, each run in route order."""
        return [
            s
            for r in supply_queries.open_runs_of_staff(staff_id)
            for s in supply_queries.run_stops(r.id)
            if s.state == "on_run"
        ]

    # -- showing ---------------------------------------------------------------------

    def on_supply_log_screen_volunteer(self, message: Volunteer) -> None:
        self.payload, self.holder = message.payload, (message.name, message.serial)
        self._show_stops(message.stops)
        self._status(Text(""))

    def on_supply_log_screen_saved(self, message: Saved) -> None:
        self._show_stops(message.stops)
        who = message.received_by or t("supply_console.self")
        self._status(
            Text(
                "✔ "
                + t(
                    "supply_console.saved",
                    order=message.delivered.id,
                    door=message.delivered.door,
                    id=message.handoff_id,
                    who=who,
                ),
                style=GOOD,
            )
        )

    def on_supply_log_screen_checked(self, message: Checked) -> None:
        if message.payload == self.payload and self.picked is None:
            self._pick(message.order, checked=True)

    def on_supply_log_screen_refused(self, message: Refused) -> None:
        if self.picked is not None and self.picked.id != message.order_id:
            return  # another stop was picked since
        self._unpick()
        self._status(Text("✘ " + message.text, style=BAD))

    def on_supply_log_screen_failed(self, message: Failed) -> None:
        self._status(Text("✘ " + message.text, style=BAD))

    def _status(self, text: Text) -> None:
        self.query_one("#log-status", Static).update(text)

    def _show_stops(self, stops: list[OrderRow]) -> None:
        self.stops = stops
        name, serial = self.holder
        who = (
            t("supply_log.volunteer", name=name, serial=serial, left=len(stops))
            if stops
            else t("supply_log.no_stops", name=name)
        )
        self.query_one("#log-who", Static).update(Text(who, style="bold"))
        table = self.query_one("#log-stops", DataTable)
        table.clear()
        for stop in stops:
            flags = " ".join(x for x in (stop.care_tags, t("supply.urgent") if stop.urgent else "") if x)
            table.add_row(
                Text(str(stop.id)),
                data_text(stop.grid_code),
                data_text(stop.door),
                data_text(stop.items),
                data_text(flags, style="bold #ffb74d"),
            )
