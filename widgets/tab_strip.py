"""A one-line row of tab labels: the light stand-in for Textual's Tabs where a screen must paint fast.

Textual's TabbedContent mounts a widget per tab plus an animated underline, which cost the grid pane
about 50 ms of its first paint. This draws one line of text; the screen switches its own panes (a
ContentSwitcher) and keeps the keys (1, 2, 3 …). A click on a label asks for that tab.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text

from db.safe_text import shown
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class TabStrip(Widget):
    DEFAULT_CSS = """
    TabStrip { height: 1; width: 1fr; padding: 0 1; color: $text-muted; }
    """
    active: reactive[str] = reactive("")

    @dataclass
    class Chosen(Message):
        strip: "TabStrip"
        tab: str

    def __init__(self, tabs: list[tuple[str, str]], active: str, *, id: str | None = None) -> None:
        """``tabs``: (pane id, label); the label is shown with its number key before it."""
        super().__init__(id=id)
        self.tabs = tabs
        self.set_reactive(TabStrip.active, active)

    def render(self) -> Text:
        line = Text()
        for number, (tab, label) in enumerate(self.tabs, start=1):
            if number > 1:
                line.append("   ")
            chosen = tab == self.active
            line.append(f"{number} ", style="bold" if chosen else "")
            line.append(shown(label), style="bold reverse" if chosen else "")
        return line

    def on_click(self, event) -> None:
        x = event.x - 1  # the left padding
        for number, (tab, label) in enumerate(self.tabs, start=1):
            width = cell_len(f"{number} {label}")
            if 0 <= x < width:
                self.post_message(self.Chosen(self, tab))
                return
            x -= width + 3
