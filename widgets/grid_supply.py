"""One grid's supplies in its pane: open orders, households delivered today and what they got.

The widget only shows text: ``read`` (given by the screen) fetches it, in a thread worker and on
the app's database thread when the app has one, as widgets/paged_table.py does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.message import Message
from textual.widgets import Static

from widgets.worker_errors import report_from_thread


class GridSupply(Static):
    DEFAULT_CSS = """
    GridSupply { height: auto; padding: 0 1; color: $text-muted; }
    """

    @dataclass
    class _Read(Message):
        text: Text

    def __init__(self, read: Callable[[], Text], *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.read = read

    def on_mount(self) -> None:
        # After the first paint: the screen's own first reads (a register's first page) go first.
        self.call_after_refresh(self.reload)

    @work(thread=True, exclusive=True, group="grid-supply", exit_on_error=False)
    def reload(self) -> None:
        call = getattr(getattr(self.app, "db_thread", None), "call", None) or (lambda fn: fn())
        try:
            self.post_message(self._Read(call(self.read)))
        except Exception as error:
            report_from_thread(self.app, error)

    def on_grid_supply__read(self, message: _Read) -> None:
        message.stop()
        self.update(message.text)
