"""One shift: who is on it, who could fill its gap (best first), and attendance."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from console.i18n import attendance_label, error_text, role_label, t
from console.screens.base import PostDialog
from console.text.roster import clock, violation_text
from console.workers import db_work
from db.errors import CmdpostError
from db.roster import queries as roster_queries
from db.roster import writes as roster
from db.roster.queries import Candidate, OnShift
from db.roster.rules import ShiftFacts
from widgets.row_table import RowTable
from widgets.safe_text import data_text

WRITE_ACTIONS = {
    "assign_candidate",
    "remove_person",
    "check_in",
    "check_out",
    "mark_no_show",
    "swap_person",
    "move_shift",
    "cancel_shift",
}


class ShiftPanel(PostDialog[None]):
    DEFAULT_CSS = """
    ShiftPanel { align: center middle; }
    ShiftPanel > Vertical { width: 100; max-width: 100%; height: 90%; border: thick $accent;
                            background: $surface; padding: 0 1; }
    ShiftPanel #shift-title { height: auto; text-style: bold; }
    ShiftPanel .section { height: auto; margin-top: 1; color: $text-muted; }
    ShiftPanel #shift-people { height: auto; max-height: 10; }
    ShiftPanel #shift-candidates { height: 1fr; }
    ShiftPanel #shift-message { height: auto; color: $warning; }
    """
    BINDINGS = [
        Binding("escape", "dismiss", "keys.close"),
        Binding("a", "assign_candidate", "keys.assign"),
        Binding("x", "remove_person", "keys.unassign"),
        Binding("i", "check_in", "keys.check_in"),
        Binding("o", "check_out", "keys.check_out"),
        Binding("m", "mark_no_show", "keys.no_show"),
        Binding("w", "swap_person", "keys.swap"),
        Binding("e", "move_shift", "keys.move_shift"),
        Binding("delete", "cancel_shift", "keys.cancel_shift"),
    ]

    @dataclass
    class Loaded(Message):
        shift: ShiftFacts
        people: list[OnShift]
        candidates: list[Candidate]

    @dataclass
    class Done(Message):
        text: str
        failed: bool = False

    def __init__(self, shift_id: int) -> None:
        super().__init__()
        self.shift_id = shift_id
        self.people: list[OnShift] = []
        self.candidates: list[Candidate] = []
        self.shown_once = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(t("dashboard.loading"), id="shift-title")
            yield Static(
                t("shift_panel.on_shift_readonly" if self.app.readonly else "shift_panel.on_shift"),
                classes="section",
            )
            yield RowTable(id="shift-people", cursor_type="row", zebra_stripes=True)
            yield Static(
                "" if self.app.readonly else t("shift_panel.candidates"),
                classes="section",
                id="candidates-title",
            )
            yield RowTable(id="shift-candidates", cursor_type="row", zebra_stripes=True)
            yield Static("", id="shift-message")

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        return not (self.app.readonly and action in WRITE_ACTIONS)

    def on_mount(self) -> None:
        self.query_one("#shift-people", DataTable).add_columns(
            t("col.name"), t("col.role"), t("col.phone"), t("shift_panel.state"), t("shift_panel.override")
        )
        self.query_one("#shift-candidates", DataTable).add_columns(
            t("col.name"),
            t("col.role"),
            t("col.home_grid"),
            t("shift_panel.hours_week"),
            t("shift_panel.nights_week"),
            t("shift_panel.warnings"),
        )
        self.load_shift()

    @db_work
    def load_shift(self) -> None:
        now = int(self.app.now().timestamp())
        shift = roster.shift_facts(self.shift_id)
        people = roster_queries.on_shift(self.shift_id)
        found = [] if self.app.readonly else roster_queries.candidates(self.app.duty, self.shift_id, now)
        self.post_message(self.Loaded(shift, people, found))

    def on_shift_panel_loaded(self, message: Loaded) -> None:
        shift, tz = message.shift, self.app.config.tz
        self.shift = shift
        self.people, self.candidates = message.people, message.candidates
        filled = sum(1 for p in message.people if p.state != "no_show")
        title = data_text(f"{shift.post_name}  ", style="bold")
        title.append(f"{clock(shift.starts_at, tz, True)}–{clock(shift.ends_at, tz)}  ")
        title.append(
            t("shift_panel.filled", filled=filled, needed=shift.needed),
            style="bold #ef5350" if filled < shift.needed else "bold #66bb6a",
        )
        self.query_one("#shift-title", Static).update(title)
        people = self.query_one("#shift-people", DataTable)
        table = self.query_one("#shift-candidates", RowTable)
        # a reload after an action keeps focus and both cursors where the operator left them,
        # so the next key lands on the person they were looking at
        keep = (people.cursor_row, table.cursor_row)
        people.clear()
        for p in message.people:
            people.add_row(
                data_text(p.name),
                Text(role_label(p.role)),
                data_text(p.phone),
                Text(attendance_label(p.state)),
                data_text(p.override_reason),
            )
        rows = []
        for c in message.candidates:
            warnings = "; ".join(
                [violation_text(v, tz) for v in c.warnings]
                + ([t("roster_plan.candidate_no_shows", count=c.no_shows)] if c.no_shows else [])
            )
            rows.append(
                [
                    data_text(c.name),
                    Text(role_label(c.role)),
                    data_text(c.grid + ("" if c.same_grid else " *")),
                    Text(f"{c.hours_week:.0f}"),
                    Text(str(c.nights_week)),
                    data_text(warnings, style="#ffb74d" if warnings else ""),
                ]
            )
        table.fill_wrapped(rows)  # a warning wraps in the room there is, never cut at the edge
        if not self.app.readonly:  # an empty list says why, rather than leaving the operator to guess
            self.query_one("#candidates-title", Static).update(
                t(
                    "shift_panel.candidates"
                    if rows
                    else "shift_panel.full_no_candidates"
                    if filled >= shift.needed
                    else "shift_panel.no_candidates"
                )
            )
        if not self.app.readonly and not self.shown_once:
            table.focus()
        self.shown_once = True
        for widget, row in zip((people, table), keep):
            if widget.row_count:
                widget.move_cursor(row=min(row, widget.row_count - 1), animate=False)

    def _selected(self, table_id: str, rows: list):
        table = self.query_one(table_id, DataTable)
        index = table.cursor_row
        return rows[index] if rows and 0 <= index < len(rows) else None

    def action_assign_candidate(self, override: str | None = None) -> None:
        person = self._selected("#shift-candidates", self.candidates)
        if person:
            self.assign(person.staff_id, person.name, override)

    @db_work
    def assign(self, staff_id: int, name: str, override: str | None) -> None:
        try:
            roster.assign(
                self.app.duty,
                staff_id,
                self.shift_id,
                actor=self.app.actor,
                override=override,
                now=int(self.app.now().timestamp()),
            )
        except roster.RosterRefused as refused:
            self.app.call_from_thread(self._ask_override, staff_id, name, refused)
            return
        except CmdpostError as err:  # e.g. an override reason too short to stand on record
            self.post_message(self.Done(error_text(err), failed=True))
            return
        self.post_message(self.Done(t("shift_panel.assigned", name=name)))

    def _ask_override(self, staff_id: int, name: str, refused: roster.RosterRefused) -> None:
        from console.screens.roster.dialogs import OverrideDialog

        tz = self.app.config.tz
        texts = [violation_text(v, tz) for v in refused.hard + refused.soft]
        if not refused.overridable:
            self.post_message(self.Done("; ".join(texts), failed=True))
            return
        self.app.push_screen(
            OverrideDialog(name, texts), lambda reason: reason and self.assign(staff_id, name, reason)
        )

    def _act(self, action, success: str) -> None:
        person = self._selected("#shift-people", self.people)
        if person:
            self.run_write(action, person, success)

    @db_work
    def run_write(self, action, person: OnShift, success: str) -> None:
        try:
            action(person)
        except CmdpostError as err:
            self.post_message(self.Done(error_text(err), failed=True))
            return
        self.post_message(self.Done(t(success, name=person.name)))

    def action_remove_person(self) -> None:
        from console.screens.dialogs.confirm import YesNoDialog

        person = self._selected("#shift-people", self.people)
        if not person or not getattr(self, "shift", None):
            return
        tz = self.app.config.tz
        when = (
            f"{self.shift.post_name} {clock(self.shift.starts_at, tz, True)}–{clock(self.shift.ends_at, tz)}"
        )
        remove = lambda p: roster.unassign(p.staff_id, self.shift_id, actor=self.app.actor)  # noqa: E731
        self.app.push_screen(
            YesNoDialog(t("confirm.remove_person", name=person.name, shift=when)),
            lambda yes: yes and self.run_write(remove, person, "shift_panel.removed"),
        )

    def action_check_in(self) -> None:
        self._act(
            lambda p: roster.check_in(p.assignment_id, int(self.app.now().timestamp())),
            "shift_panel.checked_in",
        )

    def action_check_out(self) -> None:
        self._act(
            lambda p: roster.check_out(p.assignment_id, int(self.app.now().timestamp())),
            "shift_panel.checked_out",
        )

    def action_mark_no_show(self) -> None:
        self._act(
            lambda p: roster.mark_no_show(p.assignment_id, int(self.app.now().timestamp())),
            "shift_panel.no_show_marked",
        )

    def action_swap_person(self) -> None:
        from console.screens.roster.dialogs import SwapPicker

        person = self._selected("#shift-people", self.people)
        if person:
            self.app.push_screen(SwapPicker(person, self.shift_id), lambda done: done and self.load_shift())

    def action_move_shift(self) -> None:
        from console.screens.roster.dialogs import ShiftEditDialog

        if getattr(self, "shift", None):
            self.app.push_screen(
                ShiftEditDialog(
                    "move",
                    shift_id=self.shift_id,
                    start=self.shift.starts_at,
                    end=self.shift.ends_at,
                    title=self.shift.post_name,
                ),
                lambda done: done and self.load_shift(),
            )

    def action_cancel_shift(self) -> None:
        from console.screens.roster.dialogs import ShiftEditDialog

        if getattr(self, "shift", None):
            self.app.push_screen(
                ShiftEditDialog("cancel", shift_id=self.shift_id, title=self.shift.post_name),
                lambda done: done and self.dismiss(),
            )

    def on_shift_panel_done(self, message: Done) -> None:
        self.query_one("#shift-message", Static).update(
            Text(message.text, style="bold #ef5350" if message.failed else "")
        )
        if not message.failed:
            self.app.notify(message.text, markup=False)
            self.load_shift()
