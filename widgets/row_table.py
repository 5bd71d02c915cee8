"""A DataTable whose Home and End go to the first and last row, as F1 says for every table, and whose
last column can wrap its text in the room the other columns leave.

Textual's DataTable binds Home/End to horizontal scrolling, so on a row table they did nothing
an operator could see. A DataTable also never wraps: a long last column (a shift warning, a refusal,
a chain line) ran off the right edge and was cut on an 80-column terminal."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widgets import DataTable

# below this many cells a wrapped column stops giving way and the table scrolls sideways instead
LEAST_WRAP_WIDTH = 8
SCROLLBAR_ROOM = 2


class RowTable(DataTable):
    BINDINGS = [
        Binding("home", "first_row", show=False),
        Binding("end", "last_row", show=False),
    ]

    _wrapped: list[list[Text]] | None = None
    _wrap: tuple[int, ...] = (-1,)
    _keys: list[str] | None = None

    def action_first_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=0)

    def action_last_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=self.row_count - 1)

    def fill_wrapped(
        self, rows: Sequence[Sequence[Text]], wrap: Sequence[int] = (-1,), keys: Sequence[str] | None = None
    ) -> None:
        """Replace the rows; the columns in ``wrap`` (the last by default) share the room the others leave
        and wrap their text there. The cursor stays on the row it was on."""
        self._wrapped = [list(row) for row in rows]
        self._wrap = tuple(wrap)
        self._keys = list(keys) if keys is not None else None
        self._refill()

    def _refill(self) -> None:
        rows = self._wrapped or []
        columns = self.ordered_columns
        if not columns:
            return
        wrap = sorted({index % len(columns) for index in self._wrap})
        natural = [
            max([column.label.cell_len, *(row[i].cell_len for row in rows if i < len(row))])
            for i, column in enumerate(columns)
        ]
        padding = 2 * self.cell_padding
        room = (
            self.size.width
            - SCROLLBAR_ROOM
            - sum(natural[i] + padding for i in range(len(columns)) if i not in wrap)
        )
        room -= padding * len(wrap)
        # the narrowest wrapped column is served first and keeps its width if it fits its share, so a
        # short problem text stays on one line and the long posted line takes what is left
        for count, index in enumerate(sorted(wrap, key=lambda i: natural[i])):
            width = min(natural[index], max(LEAST_WRAP_WIDTH, room // (len(wrap) - count)))
            columns[index].auto_width = False
            columns[index].width = width
            room -= width
        cursor = self.cursor_row
        self.clear()
        for index, row in enumerate(rows):
            self.add_row(*row, height=None, key=self._keys[index] if self._keys else None)
        if rows:
            self.move_cursor(row=min(cursor, len(rows) - 1), animate=False)

    def on_resize(self, event: events.Resize) -> None:
        if self._wrapped is not None:  # the cells as they are now (a cell may have been updated since)
            self._wrapped = [list(self.get_row_at(index)) for index in range(self.row_count)]
            self._refill()
