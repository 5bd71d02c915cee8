"""Forming a delivery run (n on the supply screen): the volunteer's pass, scanned into the first
field or chosen with F3 from the passes in force for the run's grid, and how many stops."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input

from console.i18n import t
from console.screens.prompt import PromptDialog
from db.safe_text import shown


class RunDialog(PromptDialog):
    """A PromptDialog whose ``pass`` field F3 fills from console/screens/pass_pick.py."""

    BINDINGS = [Binding("f3", "pick_pass", "supply_console.key_pick")]

    def __init__(self, title: str, fields: list[tuple[str, str, str]], grid_code: str) -> None:
        super().__init__(title, fields)
        self.grid_code = grid_code

    def action_pick_pass(self) -> None:
        from console.screens.pass_pick import PassPickDialog

        self.app.push_screen(PassPickDialog(self.grid_code), self._fill)

    def _fill(self, picked) -> None:
        """As if scanned into the box; Enter in the next one forms the run."""
        if not picked:
            return
        self.query_one("#prompt-pass", Input).value = picked.payload
        self.app.notify(t("supply_console.picked", name=shown(picked.name), serial=picked.serial), markup=False)
        inputs = list(self.query(Input))
        inputs[-1].focus()
