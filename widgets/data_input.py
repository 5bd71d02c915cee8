"""Input fields that draw their value with every control character made visible.

A value can come from the data (a default taken from a record, a door searched for) or be pasted
(a chain message copied from WeChat): Textual's Input would send its ESC, C1 or direction characters
to the terminal as they are. The value itself is kept unchanged; only its drawing differs, one
character for one, so the cursor still lands where it should.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Input, TextArea

from db.safe_text import shown_one_for_one


class DataInput(Input):
    @property
    def _value(self) -> Text:
        if self.password:
            return super()._value
        text = Text(shown_one_for_one(self.value), no_wrap=True, overflow="ignore", end="")
        return self.highlighter(text) if self.highlighter is not None else text


class DataTextArea(TextArea):
    """A text area (for a pasted chain message) that draws each line with its controls made visible;
    tabs stay tabs and the text itself is kept as pasted."""

    def get_line(self, line_index: int) -> Text:
        line = self.document.get_line(line_index)
        return Text("\t".join(map(shown_one_for_one, line.split("\t"))), end="", no_wrap=True)
