"""Small roster dialogs: the override reason, copying a day, picking a swap partner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from console.i18n import error_text, t
from console.screens.base import PostDialog
from console.screens.common import whole_number
from console.text.roster import clock, violation_text
from console.workers import db_work
from db.errors import CmdpostError, RuleError
from db.roster import queries as roster_queries
from db.roster import writes as roster
from db.roster.queries import NearbyAssignment, OnShift
from widgets.data_input import DataInput
from widgets.row_table import RowTable
from widgets.safe_text import data_text

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 80; max-width: 100%; height: auto; max-height: 90%; border: thick $warning;
                     background: $surface; padding: 1 2; }}
{name} .problem {{ color: $warning; }}
{name} #dialog-result {{ height: auto; }}
{name} DataTable {{ height: auto; max-height: 16; }}
"""


class OverrideDialog(PostDialog[str | None]):
    """Soft rules were broken: show them and ask for the reason that goes on record."""

    DEFAULT_CSS = DIALOG_CSS.format(name="OverrideDialog")
    BINDINGS = [Binding("escape", "dismiss", "keys.cancel")]

    def __init__(self, name: str, warnings: list[str]) -> None:
        super().__init__()
        self.person, self.warnings = name, warnings

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(t("override.title", name=self.person), style="bold"))
            for warning in self.warnings:
                yield Static(data_text("• " + warning), classes="problem")
            yield Static(t("override.reason"))
            yield DataInput(placeholder=t("override.hint"), id="override-reason", max_length=200)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.query_one("#override-reason", Input).placeholder = t("field.reason_required")
            return  # Esc cancels; an empty Enter is a missed reason, not a cancel
        self.dismiss(event.value.strip())


class CopyDayDialog(PostDialog[bool]):
    DEFAULT_CSS = DIALOG_CSS.format(name="CopyDayDialog")
    BINDINGS = [Binding("escape", "dismiss(True)", "keys.close")]

    @dataclass
    class Finished(Message):
        text: str
        refusals: list

    def __init__(self, day: date, grid_code: str | None) -> None:
        super().__init__()
        self.day, self.grid_code = day, grid_code

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Text(
                    t("copy_day.title", day=self.day.isoformat(), grid=self.grid_code or t("copy_day.all")),
                    style="bold",
                )
            )
            yield Static(t("copy_day.days"))
            yield DataInput(value="1", id="copy-days", type="integer", max_length=2)
            yield Static(t("copy_day.override"))
            yield DataInput(id="copy-override", placeholder=t("override.hint"), max_length=200)
            yield Static("", id="dialog-result")
            yield RowTable(id="copy-refusals", cursor_type="row")

    def on_mount(self) -> None:
        self.query_one("#copy-refusals", DataTable).add_columns(
            t("col.name"), t("sheet.time"), t("shift_panel.warnings")
        )
        self.query_one("#copy-days", Input).focus()

    def on_input_submitted(self) -> None:
        typed = self.query_one("#copy-days", Input).value or "0"
        days = whole_number(typed, most_digits=3)
        if days is None:  # the integer field lets a lone sign through
            self.query_one("#dialog-result", Static).update(Text(t("roster.days_range", days=typed)))
            return
        self.copy(days, self.query_one("#copy-override", Input).value.strip() or None)

    @db_work
    def copy(self, days: int, override: str | None) -> None:
        from db.grids import queries

        root = queries.grid_id_for(self.grid_code) if self.grid_code else None
        try:
            outcome = roster.copy_day(
                self.app.duty,
                self.day,
                days,
                actor=self.app.actor,
                grid_root=root,
                override=override,
                now=int(self.app.now().timestamp()),
            )
        except CmdpostError as err:
            self.post_message(self.Finished(error_text(err), []))
            return
        self.post_message(
            self.Finished(
                t("copy_day.done", copied=outcome.copied, refused=len(outcome.refusals)),
                list(outcome.refusals),
            )
        )

    def on_copy_day_dialog_finished(self, message: Finished) -> None:
        self.query_one("#dialog-result", Static).update(Text(message.text, style="bold"))
        tz = self.app.config.tz
        self.query_one("#copy-refusals", RowTable).fill_wrapped(
            [  # a refusal wraps, never cut at the edge
                [
                    data_text(name),
                    data_text(f"{clock(start, tz, True)} {post}"),
                    data_text("; ".join(violation_text(v, tz) for v in why)),
                ]
                for name, post, start, why in message.refusals
            ],
            wrap=(1, 2),
        )


class SwapPicker(PostDialog[bool]):
    DEFAULT_CSS = DIALOG_CSS.format(name="SwapPicker")
    BINDINGS = [Binding("escape", "dismiss(False)", "keys.cancel")]

    @dataclass
    class Loaded(Message):
        rows: list[NearbyAssignment]

    @dataclass
    class Failed(Message):
        text: str

    def __init__(self, person: OnShift, shift_id: int) -> None:
        super().__init__()
        self.person, self.shift_id = person, shift_id
        self.rows: list[NearbyAssignment] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(t("swap.title", name=self.person.name), style="bold"))
            yield DataInput(id="swap-override", placeholder=t("swap.override"), max_length=200)
            yield RowTable(id="swap-rows", cursor_type="row", zebra_stripes=True)
            yield Static("", id="dialog-result", classes="problem")

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(t("col.name"), t("sheet.time"), t("swap.post"))
        self.load()

    @db_work
    def load(self) -> None:
        now = int(self.app.now().timestamp())
        self.post_message(
            self.Loaded(roster_queries.assignments_near(self.shift_id, self.person.staff_id, now))
        )

    def on_swap_picker_loaded(self, message: Loaded) -> None:
        self.rows = message.rows
        table = self.query_one(DataTable)
        tz = self.app.config.tz
        for row in message.rows:
            table.add_row(
                data_text(row.name),
                Text(f"{clock(row.starts_at, tz, True)}–{clock(row.ends_at, tz)}"),
                data_text(row.post),
            )
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.rows):
            self.swap(
                self.rows[event.cursor_row].assignment_id,
                self.query_one("#swap-override", Input).value.strip() or None,
            )

    @db_work
    def swap(self, other: int, override: str | None) -> None:
        tz = self.app.config.tz
        try:
            roster.swap(
                self.app.duty,
                self.person.assignment_id,
                other,
                actor=self.app.actor,
                override=override,
                now=int(self.app.now().timestamp()),
            )
        except roster.RosterRefused as refused:
            self.post_message(
                self.Failed(
                    "; ".join(violation_text(v, tz) for v in refused.hard + refused.soft)
                    + ("  " + t("swap.need_reason") if refused.overridable else "")
                )
            )
            return
        except CmdpostError as err:
            self.post_message(self.Failed(error_text(err)))
            return
        self.app.call_from_thread(self.dismiss, True)

    def on_swap_picker_failed(self, message: Failed) -> None:
        self.query_one("#dialog-result", Static).update(Text(message.text))


class ShiftEditDialog(PostDialog[bool]):
    """Add a shift at a post, move a shift, or cancel one: times as 'YYYY-MM-DD HH:MM' at the post."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ShiftEditDialog")
    BINDINGS = [Binding("escape", "dismiss(False)", "keys.cancel")]

    @dataclass
    class Failed(Message):
        text: str

    def __init__(
        self,
        mode: str,
        *,
        post_id: int | None = None,
        shift_id: int | None = None,
        start: int = 0,
        end: int = 0,
        title: str = "",
    ) -> None:
        super().__init__()
        self.mode, self.post_id, self.shift_id = mode, post_id, shift_id
        self.start, self.end, self.heading = start, end, title

    def compose(self) -> ComposeResult:
        tz = self.app.config.tz
        stamp = lambda epoch: datetime.fromtimestamp(epoch, tz).strftime("%Y-%m-%d %H:%M")  # noqa: E731
        with Vertical():
            yield Static(data_text(t(f"shift_edit.{self.mode}") + "  " + self.heading, style="bold"))
            if self.mode == "cancel":
                yield Static(t("shift_edit.reason"))
                yield DataInput(id="edit-reason", max_length=200)
            else:
                yield Static(t("shift_edit.start"))
                yield DataInput(stamp(self.start), id="edit-start")
                yield Static(t("shift_edit.end"))
                yield DataInput(stamp(self.end), id="edit-end")
                if self.mode == "add":
                    yield Static(t("shift_edit.need"))
                    yield DataInput("2", id="edit-need", type="integer", max_length=2)
            yield Static("", id="dialog-result", classes="problem")

    def on_input_submitted(self) -> None:
        values = {i.id: i.value.strip() for i in self.query(Input)}
        self.save(values)

    @db_work
    def save(self, values: dict) -> None:
        from console.text.roster import parse_local_time

        duty, actor = self.app.duty, self.app.actor
        try:
            if self.mode == "cancel":
                roster.cancel_shift(_given(self.shift_id), values["edit-reason"], actor=actor)
            else:
                start = parse_local_time(values["edit-start"], duty.tz)
                end = parse_local_time(values["edit-end"], duty.tz)
                if self.mode == "add":
                    typed = values.get("edit-need") or "0"
                    need = whole_number(typed, most_digits=2)
                    if need is None:  # the Input allows "-" and "+": say what is wrong with the number itself
                        raise RuleError("roster.needed_range", needed=typed)
                    roster.add_shift(duty, _given(self.post_id), start, end, need)
                else:
                    roster.move_shift(duty, _given(self.shift_id), start, end, actor=actor)
        except ValueError as bad:
            self.post_message(self.Failed(t("roster.bad_time", value=str(bad))))
            return
        except CmdpostError as err:
            self.post_message(self.Failed(error_text(err)))
            return
        self.app.call_from_thread(self.dismiss, True)

    def on_shift_edit_dialog_failed(self, message: Failed) -> None:
        self.query_one("#dialog-result", Static).update(Text(message.text))


def _given(target: int | None) -> int:
    """The shift or post a ShiftEditDialog works on: its openers give the one its mode needs."""
    assert target is not None, "add is opened with a post, move and cancel with a shift"
    return target
