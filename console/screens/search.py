"""Find a household anywhere in the post by door, phone or head's name."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import Input, Static

from console.i18n import t
from console.screens.base import PostScreen
from console.screens.common import footer, post_header
from console.sources import SearchSource, household_columns
from widgets.data_input import DataInput
from widgets.paged_table import PagedTable

SEARCH_DELAY = 0.3


class SearchScreen(PostScreen):
    BINDINGS = [
        Binding("escape", "back", "keys.back"),
        Binding("slash", "focus_search", "keys.search"),
        Binding("question_mark,f1", "app.show_help", "keys.help"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._timer: Timer | None = None
        self._search = ""
        self._source: SearchSource | None = None

    def compose(self) -> ComposeResult:
        yield post_header(self.app)
        yield Static(Text(t("search.title"), style="bold"), id="search-title")
        yield DataInput(placeholder=t("grid.search_hint"), id="search", compact=True)
        yield Static(Text(t("search.hint")), id="search-status", classes="status-line")
        yield PagedTable(household_columns(), empty_text="", loading_text=t("table.loading"), id="results")
        yield footer()

    def on_mount(self) -> None:
        self.query_one("#search", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if self._timer:
            self._timer.stop()
        self._timer = self.set_timer(SEARCH_DELAY, lambda: self._run(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._run(event.value)
        self.query_one("#results", PagedTable).focus()

    def _run(self, text: str) -> None:
        text = text.strip()
        if text == self._search:
            return
        self._search = text
        results = self.query_one("#results", PagedTable)
        if text:
            self._source = SearchSource(text)
            results.set_source(self._source)
        else:
            results.clear_source()
            self.query_one("#search-status", Static).update(Text(t("search.hint")))

    def on_paged_table_loaded(self, message: PagedTable.Loaded) -> None:
        message.table.empty_text = t("search.none")
        key = "search_cap.more" if self._source and self._source.more else "search.count"
        self.query_one("#search-status", Static).update(
            Text(t(key, count=f"{message.total:,}", text=self._search))
        )

    def on_paged_table_row_selected(self, message: PagedTable.RowSelected) -> None:
        self.app.open_grid(message.row.root_id, search=message.row.door)

    def action_back(self) -> None:
        search = self.query_one("#search", Input)
        if self.focused is search and search.value:
            search.value = ""
            self._run("")
        else:
            self.app.pop_screen()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()
