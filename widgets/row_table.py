"""A DataTable whose Home and End go to the first and last row, as F1 says for every table.

Textual's DataTable binds Home/End to horizontal scrolling, so on a row table they did nothing
an operator could see."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable


class RowTable(DataTable):
    BINDINGS = [
        Binding("home", "first_row", show=False),
        Binding("end", "last_row", show=False),
    ]

    def action_first_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=0)

    def action_last_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=self.row_count - 1)
