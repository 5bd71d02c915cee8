"""An input field that draws its value with every control character made visible.

A value can come from the data (a default taken from a record, a door searched for) or be pasted
(a chain message copied from WeChat): Textual's Input would send its ESC, C1 or direction characters
to the terminal as they are. The value itself is kept unchanged; only its drawing differs, one
character for one, so the cursor still lands where it should.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Input

from db.safe_text import shown_one_for_one


class DataInput(Input):
    @property
    def _value(self) -> Text:
        if self.password:
            return super()._value
        text = Text(shown_one_for_one(self.value), no_wrap=True, overflow="ignore", end="")
        return self.highlighter(text) if self.highlighter is not None else text
