"""Choosing a volunteer's pass from a list instead of scanning it (F3 "选择通行证"): for a broken
scanner, or a new user on the demo post who has no printed pass at hand.

The list is the passes in force (of one grid, or of the whole post), filtered as one types a name
or a serial; ↑/↓ move, Enter takes the pass under the cursor. Its payload is signed by db code
(db.passes.issuing.payload_for with db.passes.keys.signing_key), exactly what the printed QR carries, so
every check afterwards is the same as for a scan. A post whose key is not made yet, when the one
signed in may not make it (only an admin may), gets the refusal here, in the dialog.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from console.i18n import error_text, t
from console.screens.base import PostDialog
from console.workers import db_work
from db.errors import CmdpostError
from db.passes import issuing as passes
from db.passes import keys as pass_keys
from db.passes.issuing import PassRow
from db.safe_text import shown
from widgets.data_input import DataInput
from widgets.row_table import RowTable


@dataclass(frozen=True)
class PickedPass:
    payload: str  # as a scanner would type it
    name: str
    serial: str


SHOWN_MAX = 200


class PassPickDialog(PostDialog["PickedPass | None"]):
    """Dismisses with the chosen pass, or None on Esc."""

    DEFAULT_CSS = """
    PassPickDialog { align: center middle; }
    PassPickDialog > Vertical { width: 76; max-width: 100%; height: 24; max-height: 100%;
                                border: thick $accent; background: $surface; padding: 0 1; }
    PassPickDialog #pick-table { height: 1fr; }
    PassPickDialog #pick-status { height: auto; min-height: 1; }
    """
    BINDINGS = [
        Binding("escape", "dismiss", "keys.cancel"),
        Binding("up", "move(-1)", show=False, priority=True),
        Binding("down", "move(1)", show=False, priority=True),
    ]

    @dataclass
    class Listed(Message):
        rows: list[PassRow]

    @dataclass
    class Signed(Message):
        picked: PickedPass

    @dataclass
    class Refused(Message):
        text: str

    def __init__(self, grid_code: str | None = None) -> None:
        super().__init__()
        self.grid_code = grid_code
        self.rows: list[PassRow] = []
        self.shown_rows: list[PassRow] = []

    def compose(self) -> ComposeResult:
        title = (
            t("supply_console.pick_title_grid", grid=self.grid_code)
            if self.grid_code
            else t("supply_console.pick_title")
        )
        with Vertical():
            yield Static(Text(title, style="bold"))
            yield DataInput(placeholder=t("supply_console.pick_filter"), id="pick-filter", max_length=40)
            yield RowTable(id="pick-table", cursor_type="row", zebra_stripes=True)
            yield Static(Text(t("supply_console.pick_loading")), id="pick-status")

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(
            *(t(f"supply_console.pick_col_{c}") for c in ("name", "serial", "until"))
        )
        self.query_one(Input).focus()
        self.load(int(self.app.now().timestamp()))

    @db_work
    def load(self, now: int) -> None:
        self.post_message(self.Listed(passes.printable(now, self.grid_code)))

    def on_pass_pick_dialog_listed(self, message: Listed) -> None:
        self.rows = message.rows
        self._show()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._show()

    def _show(self) -> None:
        words = self.query_one(Input).value.strip().upper()
        matching = [r for r in self.rows if not words or words in r.name.upper() or words in r.serial]
        # A county holds thousands of passes: the list shows a screenful or two, and typing narrows it.
        self.shown_rows = matching[:SHOWN_MAX]
        table = self.query_one(DataTable)
        table.clear()
        tz = self.app.config.tz
        for row in self.shown_rows:
            until = datetime.fromtimestamp(row.valid_until, tz).strftime("%m-%d %H:%M")
            table.add_row(Text(shown(row.name)), Text(row.serial), Text(until))
        if not self.rows:
            self._status(t("supply_console.pick_none"))
        elif len(matching) > SHOWN_MAX:
            self._status(t("supply_console.pick_more", shown=SHOWN_MAX, matching=len(matching)))
        else:
            self._status(t("supply_console.pick_count", shown=len(self.shown_rows), total=len(self.rows)))

    def _status(self, text: str, error: bool = False) -> None:
        self.query_one("#pick-status", Static).update(Text(text, style="bold #ef5350" if error else ""))

    def action_move(self, step: int) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._take()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._take()

    def _take(self) -> None:
        index = self.query_one(DataTable).cursor_row
        if not 0 <= index < len(self.shown_rows):
            return
        self._status(t("supply_console.pick_signing"))
        self.sign(self.shown_rows[index])

    @db_work
    def sign(self, row: PassRow) -> None:
        try:
            payload = passes.payload_for(row, pass_keys.signing_key(self.app.db_path))
        except CmdpostError as err:  # no key yet, and the one signed in may not make it
            self.post_message(self.Refused(error_text(err)))
            return
        self.post_message(self.Signed(PickedPass(payload, row.name, row.serial)))

    def on_pass_pick_dialog_signed(self, message: Signed) -> None:
        self.dismiss(message.picked)

    def on_pass_pick_dialog_refused(self, message: Refused) -> None:
        self._status("✘ " + message.text, error=True)
