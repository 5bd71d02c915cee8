"""Confirm a zone status change for a grid, with the reason that goes on record."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Static

from console.i18n import error_text, t, zone_label
from console.screens.dialogs.confirm import ConfirmKeys
from console.workers import db_work
from db.errors import CmdpostError
from db.grids import writes
from db.records import GridSummary
from db.safe_text import shown
from widgets.data_input import DataInput
from widgets.zones import ZONE_ORDER, zone_chip


class ZoneDialog(ConfirmKeys[list[str] | None]):
    """Dismisses with the codes whose status changed, or None when cancelled."""

    DEFAULT_CSS = """
    ZoneDialog { align: center middle; }
    ZoneDialog > Vertical {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        border: thick $warning; background: $surface; padding: 1 2;
    }
    ZoneDialog #zone-error { color: $error; height: auto; }
    ZoneDialog #zone-children-hint { color: $text-muted; height: auto; }
    ZoneDialog RadioSet { width: 100%; }
    ZoneDialog Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    ZoneDialog Button { margin-left: 2; }
    """
    BINDINGS = [Binding("escape", "cancel", "keys.cancel"), Binding("ctrl+s", "confirm", "keys.confirm")]

    @dataclass
    class Saved(Message):
        codes: list[str]

    @dataclass
    class Refused(Message):
        text: str

    def __init__(self, grid: GridSummary) -> None:
        super().__init__()
        self.grid = grid

    def compose(self) -> ComposeResult:
        grid = self.grid
        with Vertical():
            title = Text(t("zone_dialog.title") + "  ", style="bold")
            title.append(shown(f"{grid.code} {grid.name}"))
            yield Static(title)
            yield Static(
                Text.assemble(t("zone_dialog.current") + " ", zone_chip(grid.zone, zone_label(grid.zone)))
            )
            with RadioSet(id="zone-choice"):
                for zone in ZONE_ORDER:
                    yield RadioButton(zone_label(zone), value=zone == self.grid.zone, name=zone)
            yield Label(t("zone_dialog.reason"))
            yield DataInput(placeholder=t("zone_dialog.reason_hint"), id="zone-reason", max_length=200)
            yield Checkbox(t("zone_dialog.include_children"), value=True, id="zone-children")
            yield Static(t("zone_dialog.include_children_hint"), id="zone-children-hint")
            yield Static("", id="zone-error")
            with Horizontal():
                yield Button(t("zone_dialog.confirm"), variant="warning", id="confirm")
                yield Button(t("zone_dialog.cancel"), id="cancel")

    def on_mount(self) -> None:
        """Start on the choice, with the highlight on the zone that is selected (Textual highlights
        the first button otherwise, so the eye and Enter disagree)."""
        choice = self.query_one(RadioSet)
        choice._selected = ZONE_ORDER.index(self.grid.zone) if self.grid.zone in ZONE_ORDER else 0
        choice.focus()

    def on_radio_set_changed(self) -> None:
        """A zone chosen with Enter: the reason comes next."""
        self.query_one("#zone-reason", Input).focus()

    def _chosen_zone(self) -> str:
        pressed = self.query_one(RadioSet).pressed_button
        return pressed.name if pressed and pressed.name else self.grid.zone

    def action_confirm(self) -> None:
        self.query_one("#zone-error", Static).update("")
        self.save(
            self._chosen_zone(),
            self.query_one("#zone-reason", Input).value,
            self.query_one("#zone-children", Checkbox).value,
        )

    @db_work
    def save(self, zone: str, reason: str, include_children: bool) -> None:
        try:
            codes = writes.change_zone(
                self.grid.id, zone, reason, actor=self.app.actor, include_children=include_children
            )
        except CmdpostError as err:
            self.post_message(self.Refused(error_text(err)))
            return
        self.post_message(self.Saved(codes))

    def on_zone_dialog_refused(self, message: Refused) -> None:
        self.query_one("#zone-error", Static).update(Text(message.text))

    def on_zone_dialog_saved(self, message: Saved) -> None:
        self.app.notify(
            t(
                "zone_dialog.done",
                code=self.grid.code,
                zone=zone_label(self._chosen_zone()),
                count=len(message.codes),
            ),
            markup=False,
        )
        self.dismiss(message.codes)
