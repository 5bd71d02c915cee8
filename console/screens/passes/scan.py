"""Checking passes at a depot or a grid boundary with a keyboard-wedge scanner.

The scanner types the QR text into the focused input and presses Enter. The input is cleared at
once, so the next pass can be scanned while the verdict of this one is still being drawn.
The place is chosen once; every scan is recorded with it (not on a read-only connection).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Input, Label, Select, Static

from console.i18n import error_text, role_label, t
from console.screens.base import PostScreen
from console.screens.common import footer, post_header
from console.text.passes import validity, verdict_colour, verdict_label
from console.workers import db_work
from db.errors import CmdpostError
from db.grids import queries
from db.passes import check as pass_check
from db.passes import field
from db.passes import keys as pass_keys
from db.passes.check import ScanRow, Verdict
from db.safe_text import shown
from widgets.data_input import DataInput
from widgets.row_table import RowTable
from widgets.safe_text import data_text

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

RECENT = 20
GUARD_SCANS_MAX = 4000  # a guard page's scans read back as one QR code (a pass payload is at most 300)


class ScanInput(DataInput):
    """Takes what a keyboard-wedge scanner types; Enter hands the text over and empties the box.

    Enter is taken in turn with the typed keys, not through Input's key binding, which runs
    after every key already waiting: a scan typed straight after another would run into it.
    """

    def on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.post_message(self.Submitted(self, self.value))
            self.clear()

    async def action_submit(self) -> None:
        """Enter was handled in on_key."""


class ScanScreen(PostScreen):
    DEFAULT_CSS = """
    ScanScreen #scan-bar { height: auto; padding: 0 1; }
    ScanScreen #scan-bar Label { padding: 1 1 0 0; }
    ScanScreen #scan-place { width: 36; }
    ScanScreen #scan-input { margin: 0 1; }
    ScanScreen #scan-verdict { height: 5; margin: 0 1; content-align: center middle; text-style: bold;
                               background: $boost; }
    ScanScreen #scan-detail { height: auto; min-height: 2; padding: 0 2; }
    ScanScreen .section { height: 1; padding: 0 1; color: $text-muted; }
    ScanScreen #scan-recent { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "keys.back"),
        Binding("question_mark,f1", "app.show_help", "keys.help"),
    ]

    @dataclass
    class Checked(Message):
        result: Verdict
        recent: list[ScanRow]

    @dataclass
    class Failed(Message):
        text: str

    @dataclass
    class Imported(Message):
        text: str
        recent: list[ScanRow]

    def __init__(self, place: str | None = None) -> None:
        super().__init__()
        self.place = place
        self.key: Ed25519PublicKey | None = None  # the post's public key, read once
        self.waiting: deque[tuple[str, str, int]] = deque()  # (text, place, time) typed, not yet checked

    def compose(self) -> ComposeResult:
        yield post_header(self.app)
        with Horizontal(id="scan-bar"):
            yield Label(t("pass_scan.place"))
            yield Select([], prompt=t("pass_scan.choose_place"), id="scan-place")
        yield ScanInput(placeholder=t("pass_scan.input_hint"), id="scan-input", max_length=GUARD_SCANS_MAX)
        yield Static(Text(t("pass_scan.ready")), id="scan-verdict")
        yield Static("", id="scan-detail")
        yield Static(t("pass_scan.recent"), classes="section")
        yield RowTable(id="scan-recent", cursor_type="row", zebra_stripes=True)
        yield footer()

    def on_mount(self) -> None:
        self.query_one("#scan-recent", DataTable).add_columns(
            *(t(f"pass_scan.col_{name}") for name in ("time", "place", "verdict", "serial", "name", "repeat"))
        )
        self.query_one("#scan-input", Input).focus()
        self.load_places()

    @db_work
    def load_places(self) -> None:
        # Text, not str: a Select reads a str prompt as markup, and names are data.
        places = [
            (data_text(f"{code} {name}"), code)
            for _, code, name, level, _ in queries.grid_directory()
            if level <= 1
        ]
        recent = pass_check.recent_scans(RECENT)
        self.app.call_from_thread(self._show_places, places, recent)

    def _show_places(self, places: list[tuple[Text, str]], recent: list[ScanRow]) -> None:
        select = self.query_one("#scan-place", Select)
        select.set_options(places)
        if self.place in {code for _, code in places}:
            select.value = self.place
        self._show_recent(recent)

    def on_select_changed(self, event: Select.Changed) -> None:
        self.place = None if event.value is Select.NULL else str(event.value)
        self.query_one("#scan-input", Input).focus()  # the place is chosen once: back to scanning

    def on_key(self, event: events.Key) -> None:
        """A scan typed while the focus is elsewhere (the recent checks, the place) still reaches the box."""
        box = self.query_one("#scan-input", ScanInput)
        select = self.query_one("#scan-place", Select)
        if (
            self.focused is box
            or select.expanded
            or not (event.is_printable or event.key == "enter" and box.value)
        ):
            return
        event.stop()
        event.prevent_default()
        box.focus()
        if event.key == "enter":
            box.on_key(event)
        else:
            box.insert_text_at_cursor(event.character or "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value
        event.input.focus()
        if not text.strip():
            return
        if text.lstrip().startswith("{"):  # a guard page's scans, read back from its screen
            self.import_guard_scans(text)
            return
        if not self.place:
            self._show_failure(t("pass_scan.choose_place"))
            return
        self.waiting.append((text, self.place, int(self.app.now().timestamp())))
        self.check_waiting()

    @db_work
    def check_waiting(self) -> None:
        """Check every scan waiting, oldest first.

        A queue rather than one worker per scan: database workers are exclusive, and a scanner
        can send the next pass before this one is checked; a replaced worker must not lose it.
        """
        while self.waiting:
            text, place, scanned_at = self.waiting.popleft()
            try:
                if self.key is None:
                    self.key = pass_keys.post_verifier(self.app.db_path)
                result = pass_check.scan(
                    text,
                    self.key,
                    now=scanned_at,
                    place=place,
                    operator=self.app.actor,
                    record=not self.app.readonly,
                )
            except CmdpostError as err:
                self.post_message(self.Failed(error_text(err)))
                continue
            self.post_message(self.Checked(result, pass_check.recent_scans(RECENT)))

    @db_work
    def import_guard_scans(self, text: str) -> None:
        try:
            added, already = field.import_scans(text)
        except CmdpostError as err:
            self.post_message(self.Failed(error_text(err)))
            return
        self.post_message(
            self.Imported(
                t("pass_scan.imported", added=added, already=already), pass_check.recent_scans(RECENT)
            )
        )

    def on_scan_screen_imported(self, message: Imported) -> None:
        verdict = self.query_one("#scan-verdict", Static)
        verdict.styles.background = None
        verdict.update(Text(message.text, style="bold"))
        self._show_recent(message.recent)

    def on_scan_screen_failed(self, message: Failed) -> None:
        self._show_failure(message.text)

    def _show_failure(self, text: str) -> None:
        verdict = self.query_one("#scan-verdict", Static)
        verdict.styles.background = None
        verdict.update(Text(text, style="bold #ef5350"))
        self.query_one("#scan-detail", Static).update("")

    def on_scan_screen_checked(self, message: Checked) -> None:
        result, tz = message.result, self.app.config.tz
        verdict = self.query_one("#scan-verdict", Static)
        verdict.styles.background = verdict_colour(result.verdict)
        mark = "✔" if result.valid else "✘"
        verdict.update(
            Text(f"{mark}  {verdict_label(result.verdict)}  {result.verdict}", style="bold #ffffff")
        )
        detail = Text()
        fields, row = result.trusted_fields, result.row  # a forged payload's fields are claims, not facts
        if row:
            detail.append(
                t("pass_scan.person", name=row.name, role=role_label(row.role)) + "\n", style="bold"
            )
            detail.append(t("pass_scan.grid", code=row.grid_code, name=row.grid_name))
            detail.append(f"  {shown(row.serial)} v{row.version}\n")
        elif fields:
            detail.append(
                t("pass_scan.grid", code=fields.grid_code, name="") + f" {fields.serial} v{fields.version}\n"
            )
        if fields:
            detail.append(
                t("pass_scan.valid", dates=validity(fields.valid_from, fields.valid_until, tz)) + "  "
            )
        detail.append(t("pass_scan.place_line", place=result.place))
        if row and result.verdict == "REVOKED":
            reason = row.revoke_reason or (t("passes.superseded") if row.superseded else "")
            detail.append("\n")
            detail.append(t("pass_scan.revoked_reason", reason=reason or "—"), style="bold")
        if result.repeat:
            detail.append("\n" + t("passes.repeat"), style="bold #ffb74d")
        if self.app.readonly:
            detail.append("\n" + t("pass_scan.not_recorded"), style="italic")
        self.query_one("#scan-detail", Static).update(detail)
        self._show_recent(message.recent)

    def _show_recent(self, recent: list[ScanRow]) -> None:
        table, tz = self.query_one("#scan-recent", DataTable), self.app.config.tz
        table.clear()
        for scan in recent:
            colour = verdict_colour(scan.verdict)
            table.add_row(
                Text(datetime.fromtimestamp(scan.scanned_at, tz).strftime("%m-%d %H:%M:%S")),
                data_text(scan.place),
                Text(verdict_label(scan.verdict), style=f"bold {colour}"),
                data_text(f"{scan.serial} v{scan.version}" if scan.serial else ""),
                data_text(scan.name),
                Text("↻" if scan.repeat else ""),
            )
