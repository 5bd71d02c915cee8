"""The top line: post name, demo badge, zone legend, who is signed in, and the clock.

Drawn as one line by one widget: it is on every screen, and five child widgets cost every
screen's first paint their styles and layout. The clock repaints this line once a second.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual.widget import Widget

from db.safe_text import shown
from widgets.zones import zone_chip


class PostHeader(Widget):
    DEFAULT_CSS = """
    PostHeader { height: 1; background: $primary; color: $text; dock: top; }
    PostHeader > .post-header--name { text-style: bold; }
    PostHeader > .post-header--badge { background: #ffd54f; color: black; text-style: bold; }
    """
    COMPONENT_CLASSES = {"post-header--name", "post-header--badge"}

    def __init__(
        self,
        post_name: str,
        badge: str,
        legend: list[tuple[str, str]],
        clock: Callable[[], datetime],
        status: Callable[[], str] | None = None,
    ) -> None:
        super().__init__()
        self.status = (
            status  # e.g. who is signed in and the last backup's time; drawn only when there is some
        )
        self.post_name = post_name
        self.badge = badge
        self.legend = legend
        self.clock = clock
        self.legend_visible = True

    def on_mount(self) -> None:
        self.set_interval(1, self.refresh)

    def status_text(self) -> str:
        return self.status() if self.status else ""

    def render(self) -> Text:
        name = Text(
            f" {shown(self.post_name)}",
            self.get_component_rich_style("post-header--name", partial=True),
            no_wrap=True,
            overflow="ellipsis",
        )
        right = self._right(self.legend_visible)
        if self.legend_visible and name.cell_len + right.cell_len > self.size.width:
            right = self._right(False)  # on a narrow terminal the post's name matters more than the legend
        name.truncate(max(0, self.size.width - right.cell_len), overflow="ellipsis", pad=True)
        return Text.assemble(name, right, no_wrap=True, end="")

    def _right(self, legend: bool) -> Text:
        right = Text()
        if self.badge:
            right.append(f" {self.badge} ", self.get_component_rich_style("post-header--badge", partial=True))
        if legend:
            for zone, label in self.legend:
                right.append_text(zone_chip(zone, label))
                right.append(" ")
        status = self.status_text()
        if status:
            right.append(f" {shown(status)}")  # who is signed in: a name from the data
        right.append(f" {self.clock().strftime('%m-%d %H:%M:%S')} ")
        return right
