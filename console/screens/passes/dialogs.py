"""The dialogs of the passes screen: revoke with a reason, and one pass with its QR on screen."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, Label, Static

from console.i18n import error_text, role_label, t
from console.screens.base import PostDialog
from console.screens.dialogs.confirm import ConfirmKeys
from console.text.passes import grid_colour, qr_half_blocks, status_text, validity
from console.workers import db_work
from db.errors import CmdpostError
from db.passes import issuing as passes
from db.passes.issuing import PassRow
from db.safe_text import shown
from widgets.data_input import DataInput


class RevokeDialog(ConfirmKeys[bool]):
    """Revoke a pass at once, with the reason that goes on record. Dismisses with True when done."""

    cancelled_result = False

    DEFAULT_CSS = """
    RevokeDialog { align: center middle; }
    RevokeDialog > Vertical {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        border: thick $error; background: $surface; padding: 1 2;
    }
    RevokeDialog #revoke-error { color: $error; height: auto; }
    RevokeDialog Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    RevokeDialog Button { margin-left: 2; }
    """
    BINDINGS = [Binding("escape", "cancel", "keys.cancel"), Binding("ctrl+s", "confirm", "keys.confirm")]

    @dataclass
    class Refused(Message):
        text: str

    @dataclass
    class Saved(Message):
        serial: str

    def __init__(self, row: PassRow) -> None:
        super().__init__()
        self.row = row

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Text(t("pass_screen.revoke_title", serial=self.row.serial, name=self.row.name), style="bold")
            )
            yield Label(t("pass_screen.revoke_reason"))
            yield DataInput(placeholder=t("pass_screen.revoke_hint"), id="revoke-reason", max_length=200)
            yield Static("", id="revoke-error")
            with Horizontal():
                yield Button(t("pass_screen.confirm"), variant="error", id="confirm")
                yield Button(t("pass_screen.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#revoke-reason", Input).focus()

    def action_confirm(self) -> None:
        self.query_one("#revoke-error", Static).update("")
        self.save(self.query_one("#revoke-reason", Input).value)

    @db_work
    def save(self, reason: str) -> None:
        try:
            passes.revoke(self.row.serial, reason, actor=self.app.actor, now=int(self.app.now().timestamp()))
        except CmdpostError as err:
            self.post_message(self.Refused(error_text(err)))
            return
        self.post_message(self.Saved(self.row.serial))

    def on_revoke_dialog_refused(self, message: Refused) -> None:
        self.query_one("#revoke-error", Static).update(Text(message.text))

    def on_revoke_dialog_saved(self, message: Saved) -> None:
        self.app.notify(t("pass_screen.revoked", serial=message.serial), markup=False)
        self.dismiss(True)


class PassCard(PostDialog[None]):
    """One pass as printed, its QR code drawn with half blocks so it scans straight off the screen."""

    DEFAULT_CSS = """
    PassCard { align: center middle; }
    PassCard > VerticalScroll {
        width: 57; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    PassCard #card-qr { width: auto; height: auto; margin: 1 0; }
    """
    BINDINGS = [
        Binding("escape,v,q", "dismiss", "keys.close"),
        Binding("f", "full_screen", "pass_keys.full_screen"),
    ]

    def action_full_screen(self) -> None:
        self.app.push_screen(QrView(self.payload))

    def __init__(self, row: PassRow, payload: str) -> None:
        super().__init__()
        self.row, self.payload = row, payload

    def compose(self) -> ComposeResult:
        row = self.row
        title = Text(f" {row.grid_code} ", style=f"bold #ffffff on {grid_colour(row.grid_code)}")
        title.append(f" {shown(row.grid_name)}  ", style="bold")
        title.append(t("pass_screen.card_title", serial=row.serial, version=row.version))
        details = Text.assemble(
            (shown(row.name), "bold"),
            f"  {role_label(row.role)}  ",
            validity(row.valid_from, row.valid_until, self.app.config.tz),
            "  ",
            status_text(row.status, row.revoke_reason, row.superseded),
        )
        with VerticalScroll():
            yield Static(title)
            yield Static(details)
            yield Static(qr_half_blocks(self.payload), id="card-qr")
            yield Static(Text(t("pass_screen.card_hint"), style="italic"))


class QrView(PostDialog[None]):
    """A QR code alone on a white screen: a pass scans off an 80×24 terminal (45 modules, 23 rows).

    The quiet zone is 2 modules here, not 4: the white screen around the code continues it.
    A code taller or wider than the terminal (a long grid code, a bulletin) is not drawn cut,
    since a cut code never scans: one line says so and how to make room.
    """

    DEFAULT_CSS = """
    QrView { align: center middle; background: #ffffff; }
    QrView #qr-view { width: auto; height: auto; }
    QrView #qr-caption { width: auto; height: auto; color: #000000; background: #ffffff; }
    QrView #qr-too-big {
        width: 100%; height: auto; padding: 0 2; text-align: center; color: #000000; background: #ffffff;
    }
    """
    BINDINGS = [Binding("escape,f,q,v,b", "dismiss", "keys.close")]

    def __init__(self, text: str, caption: str = "") -> None:
        super().__init__()
        self.text, self.caption = text, caption
        self.code = qr_half_blocks(text, border=2)
        lines = self.code.plain.split("\n")
        self.code_size = (max(len(line) for line in lines), len(lines))

    def compose(self) -> ComposeResult:
        yield Static(self.code, id="qr-view")
        if self.caption:
            yield Static(Text(shown(self.caption)), id="qr-caption")
        yield Static(id="qr-too-big")

    def on_mount(self) -> None:
        self.fit_code()

    def on_resize(self) -> None:
        self.fit_code()

    def fit_code(self) -> None:
        width, height = self.size
        columns, rows = self.code_size
        fits = columns <= width and rows <= height
        self.query_one("#qr-view").display = fits
        if self.caption:
            self.query_one("#qr-caption").display = fits and rows < height
        too_big = self.query_one("#qr-too-big", Static)
        too_big.display = not fits
        if not fits:
            message = t("pass_screen.qr_too_big", columns=columns, rows=rows, width=width, height=height)
            too_big.update(Text(message))
