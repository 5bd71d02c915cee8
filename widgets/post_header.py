"""The top line: post name, demo badge, zone legend and the clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from widgets.zones import ZONE_ORDER, zone_chip


class PostHeader(Horizontal):
    DEFAULT_CSS = """
    PostHeader { height: 1; background: $primary; color: $text; dock: top; }
    PostHeader > #post-name { width: 1fr; text-style: bold; padding: 0 1; }
    PostHeader > #badge { width: auto; background: #ffd54f; color: black; text-style: bold; padding: 0 1; }
    PostHeader > #legend { width: auto; }
    PostHeader > #clock { width: auto; padding: 0 1; }
    PostHeader > #status { width: auto; padding: 0 0 0 1; }
    """

    def __init__(self, post_name: str, badge: str, legend: list[tuple[str, str]],
                 clock: Callable[[], datetime], status: Callable[[], str] | None = None) -> None:
        super().__init__()
        self.status = status  # e.g. the last backup's time; drawn only when it has something to say
        self.post_name = post_name
        self.badge = badge
        self.legend = legend
        self.clock = clock

    def compose(self) -> ComposeResult:
        yield Static(Text(self.post_name), id="post-name")
        if self.badge:
            yield Static(Text(self.badge), id="badge")
        legend = Text()
        for zone, label in self.legend:
            legend.append_text(zone_chip(zone, label))
            legend.append(" ")
        yield Static(legend, id="legend")
        yield Static(self._status(), id="status")
        yield Static(self._time(), id="clock")

    def on_mount(self) -> None:
        self.query_one("#status").display = bool(self._status())
        self.set_interval(1, self._tick)

    def _status(self) -> Text:
        return Text(self.status() if self.status else "")

    def _time(self) -> Text:
        return Text(self.clock().strftime("%m-%d %H:%M:%S"))

    def _tick(self) -> None:
        self.query_one("#clock", Static).update(self._time())
        status = self._status()
        self.query_one("#status", Static).update(status)
        self.query_one("#status").display = bool(status)

    def set_legend_visible(self, visible: bool) -> None:
        self.query_one("#legend").display = visible
