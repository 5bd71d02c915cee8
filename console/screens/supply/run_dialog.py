"""Forming a delivery run (n on the supply screen): the volunteer's pass, scanned into the first
field or chosen with F3 from the passes in force for the run's grid, and how many stops.

A refusal (another grid's pass, no stock …) is shown in the dialog, which stays open with what was
typed, so the operator corrects one field instead of starting again."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from console.i18n import t
from console.screens.dialogs.prompt import PromptDialog
from console.workers import db_work
from db.safe_text import shown


class RunDialog(PromptDialog):
    """A PromptDialog whose ``pass`` field F3 fills from console/screens/passes/pick.py."""

    BINDINGS = [Binding("f3", "pick_pass", "supply_console.key_pick")]

    DEFAULT_CSS = "RunDialog #run-problem { color: $error; height: auto; margin-top: 1; }"

    def __init__(
        self,
        title: str,
        fields: list[tuple[str, str, str]],
        grid_code: str,
        save: Callable[[dict], str | None],
    ) -> None:
        """``save`` runs on the database thread and returns the refusal to show, or None when done."""
        super().__init__(title, fields)
        self.grid_code, self.save = grid_code, save

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(Vertical).mount(Static("", id="run-problem"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        event.prevent_default()  # PromptDialog's handler would dismiss before the run is formed
        self.form(self.answer())

    @db_work
    def form(self, answer: dict) -> None:
        problem = self.save(answer)
        if problem:
            self.app.call_from_thread(self.show_problem, problem)
        else:
            self.app.call_from_thread(self.dismiss, answer)

    def show_problem(self, text: str) -> None:
        self.query_one("#run-problem", Static).update(Text(text))

    def action_pick_pass(self) -> None:
        from console.screens.passes.pick import PassPickDialog

        self.app.push_screen(PassPickDialog(self.grid_code), self._fill)

    def _fill(self, picked) -> None:
        """As if scanned into the box; Enter in the next one forms the run."""
        if not picked:
            return
        self.query_one("#prompt-pass", Input).value = picked.payload
        self.app.notify(
            t("supply_console.picked", name=shown(picked.name), serial=picked.serial), markup=False
        )
        inputs = list(self.query(Input))
        inputs[-1].focus()
