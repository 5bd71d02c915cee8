"""A table that reads its rows a page at a time from the database.

Only the pages under the viewport are held (plus a small cache), so a
20,000-row register paints as fast as a 20-row one. Cell text is drawn as
plain segments: nothing from the data is ever read as markup.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Protocol

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import work
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from db.safe_text import shown
from widgets.worker_errors import report_from_thread

PAGE_SIZE = 100
MAX_CACHED_PAGES = 40


class RowSource(Protocol):
    """Where rows come from. Both methods run in a worker thread."""

    def count(self) -> int: ...

    def page(self, offset: int, limit: int) -> Sequence[Any]: ...


def first_window(source: RowSource) -> tuple[int, dict[int, list]]:
    """The count and first page that ``PagedTable.set_source`` reads: to submit ahead, on the database thread."""
    return source.count(), {0: list(source.page(0, PAGE_SIZE))}


def first_page(source: RowSource) -> tuple[None, dict[int, list]]:
    """The first page alone, to submit ahead: the table counts after it. Counting 3M ledger rows (a walk
    of a whole index) takes longer than the page, and the first frame needs only the page."""
    return None, {0: list(source.page(0, PAGE_SIZE))}


@dataclass(frozen=True)
class Column:
    label: str
    width: int
    value: Callable[[Any], str]
    style: Callable[[Any], str | None] | None = None
    align_right: bool = False


def fit(text: str, width: int, align_right: bool = False) -> str:
    """Cut or pad ``text`` to exactly ``width`` terminal cells (CJK counts as two), controls made visible."""
    if width <= 0:
        return ""
    text = shown(text)
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    pad = " " * (width - cell_len(text))
    return pad + text if align_right else text + pad


class PagedTable(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    PagedTable {
        background: $surface;
        height: 1fr;
        scrollbar-gutter: stable;
    }
    PagedTable > .paged-table--header { background: $panel; text-style: bold; color: $text; }
    PagedTable > .paged-table--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    PagedTable:blur > .paged-table--cursor { background: $block-cursor-blurred-background; }
    PagedTable > .paged-table--odd { background: $surface-lighten-1; }
    PagedTable > .paged-table--muted { color: $text-muted; }
    """
    COMPONENT_CLASSES = {
        "paged-table--header",
        "paged-table--cursor",
        "paged-table--odd",
        "paged-table--muted",
    }
    BINDINGS = [
        Binding("up", "move_cursor(-1)", show=False),
        Binding("down", "move_cursor(1)", show=False),
        Binding("pageup", "move_page(-1)", show=False),
        Binding("pagedown", "move_page(1)", show=False),
        Binding("home", "move_cursor(-1000000000)", show=False),
        Binding("end", "move_cursor(1000000000)", show=False),
        Binding("enter", "select_row", "keys.open", show=False),
    ]

    cursor_row: reactive[int] = reactive(0)

    @dataclass
    class RowSelected(Message):
        table: PagedTable
        row: Any

    @dataclass
    class Loaded(Message):
        table: PagedTable
        total: int

    @dataclass
    class _Pages(Message):
        generation: int
        total: int | None
        pages: dict[int, list]

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        empty_text: str = "",
        loading_text: str = "",
        fit_to_rows: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.columns = list(columns)
        self.empty_text = empty_text
        self.loading_text = loading_text
        # Columns as wide as their widest cell read so far: for a short list read whole (the depot's
        # stock), as a DataTable sizes them. A long list keeps its columns' widths as they scroll.
        self.fit_to_rows = fit_to_rows
        self._fitted: list[int] | None = None
        self._source: RowSource | None = None
        self._generation = 0
        self._total: int | None = 0  # no source yet: the empty text, not "loading"
        self._pages: OrderedDict[int, list] = OrderedDict()

    # -- data -----------------------------------------------------------------

    @property
    def total(self) -> int | None:
        """Row count, or None while the first load is under way."""
        return self._total

    def set_source(self, source: RowSource, first: Future | None = None) -> None:
        """Show rows from ``source``, starting from the top.

        ``first``: ``first_window(source)`` or ``first_page(source)`` already submitted to the database
        thread (before this table was even composed). Once done, its rows are shown at once, in this
        table's first paint; after ``first_page`` the count is read next.
        """
        self._source = source
        self._generation += 1
        self._total = None
        self._pages.clear()
        self.cursor_row = 0
        self.scroll_to(0, 0, animate=False, immediate=True)
        if first is not None and first.done() and first.exception() is None:
            total, pages = first.result()
            self._show_pages(total, pages)
            if total is None:  # counted once the rows are on screen: a 3M-row count beside the first
                self.call_after_refresh(self._count, self._generation, source)  # frame slowed it
        elif first is not None:
            self._fetch(self._generation, source, [], need_total=False, first=first)
        else:
            self._fetch(self._generation, source, self._wanted_pages(), need_total=True)
        self.refresh()

    def _count(self, generation: int, source: RowSource) -> None:
        # Not for a source replaced since: its worker (exclusive) would cancel the new source's reading.
        if generation == self._generation:
            self._fetch(generation, source, [], need_total=True)

    def clear_source(self) -> None:
        """Show no rows (the empty text) until a source is set again."""
        self._source = None
        self._generation += 1
        self._total = 0
        self._pages.clear()
        self._set_virtual_size(Size(self._content_width(), 1))
        self.refresh()

    def reload(self) -> None:
        """Re-read the rows in view, keeping the cursor where it is."""
        if self._source is None:
            return
        self._generation += 1
        self._pages.clear()
        self._fetch(self._generation, self._source, self._wanted_pages(), need_total=True)

    @property
    def cursor_value(self) -> Any | None:
        return self._row(self.cursor_row)

    def _row(self, index: int) -> Any | None:
        page = self._pages.get(index // PAGE_SIZE)
        if page is None:
            return None
        offset = index % PAGE_SIZE
        return page[offset] if offset < len(page) else None

    def _wanted_pages(self) -> list[int]:
        first = int(self.scroll_y)
        last = first + max(self.size.height, 24)
        return [p for p in range(first // PAGE_SIZE, last // PAGE_SIZE + 1) if p not in self._pages]

    def _request_window(self) -> None:
        if self._source is None or self._total is None:
            return
        wanted = [p for p in self._wanted_pages() if p * PAGE_SIZE < self._total]
        if wanted:
            self._fetch(self._generation, self._source, wanted, need_total=False)

    @work(thread=True, exclusive=True, group="paged-table", exit_on_error=False)
    def _fetch(
        self,
        generation: int,
        source: RowSource,
        pages: list[int],
        need_total: bool,
        first: Future | None = None,
    ) -> None:
        # An app may route all database calls through one thread (see console/workers.py). The count
        # and the pages go as one call, so other screens' queries cannot queue in between.
        call = getattr(getattr(self.app, "db_thread", None), "call", None) or (lambda fn: fn())
        worker = get_current_worker()

        def read(count: bool) -> tuple[int | None, dict[int, list]]:
            total = source.count() if count else None
            loaded = {}
            for page in pages:
                if worker.is_cancelled:
                    break
                loaded[page] = list(source.page(page * PAGE_SIZE, PAGE_SIZE))
            return total, loaded

        # A first window at the top is shown before the count: counting 3M ledger rows took longer
        # than the page. Further down, the count comes first, so that far pages are read from the
        # nearer end (db/paging.py).
        top_first = need_total and first is None and self._total is None and bool(pages) and max(pages) < 2
        try:
            if first is not None:
                total, loaded = first.result()
                if total is None:  # first_page: the page now, the count after it
                    if not worker.is_cancelled:
                        self.post_message(self._Pages(generation, None, loaded))
                    total, loaded = call(source.count), {}
            elif top_first:
                _, loaded = call(lambda: read(False))
                if not worker.is_cancelled:
                    self.post_message(self._Pages(generation, None, loaded))
                total, loaded = call(source.count), {}
            else:
                total, loaded = call(lambda: read(need_total))
        except Exception as error:
            report_from_thread(self.app, error)
            return
        if not worker.is_cancelled:
            self.post_message(self._Pages(generation, total, loaded))

    def on_paged_table__pages(self, message: _Pages) -> None:
        message.stop()
        if message.generation == self._generation:
            self._show_pages(message.total, message.pages)

    def _show_pages(self, total: int | None, pages: dict[int, list]) -> None:
        if total is not None:
            self._total = total
            self._set_virtual_size(Size(self._content_width(), total + 1))
            self.cursor_row = min(self.cursor_row, max(total - 1, 0))
            self.post_message(self.Loaded(self, total))
        self._pages.update(pages)
        if self.fit_to_rows:
            self._fit_columns()
        while len(self._pages) > MAX_CACHED_PAGES:
            self._pages.popitem(last=False)
        self.refresh()
        self._request_window()

    # -- geometry and scrolling -------------------------------------------------

    def _column_widths(self) -> list[int]:
        """Each column at least as wide as its header: "Volunteer" is never drawn "Volunte…"."""
        return list(self._fitted or (max(c.width, cell_len(shown(c.label))) for c in self.columns))

    def _fit_columns(self) -> None:
        self._fitted = None
        rows = [row for page in self._pages.values() for row in page]
        self._fitted = [
            max([width, *(cell_len(shown(column.value(row))) for row in rows)])
            for column, width in zip(self.columns, self._column_widths())
        ]
        self._set_virtual_size(Size(self._content_width(), self.virtual_size.height))

    def _content_width(self) -> int:
        return sum(self._column_widths()) + len(self.columns)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._request_window()

    def _set_virtual_size(self, size: Size) -> None:
        """As Textual does on a resize (Widget._size_updated): the scrollbar is updated, and the screen
        laid out again only if it appears or goes. Setting ``virtual_size`` itself lays the whole screen
        out again, which cost the audit trail and the ledger a second layout before their rows showed."""
        if size != self.virtual_size:
            self.set_reactive(PagedTable.virtual_size, size)
            self._scroll_update(size)
            # A table as tall as its rows (height: auto) changes the screen's layout when they change.
            self.refresh(layout=self.styles.height is not None and self.styles.height.is_auto)

    def on_resize(self) -> None:
        self._set_virtual_size(Size(self._content_width(), (self._total or 0) + 1))
        self._request_window()

    def watch_cursor_row(self, old: int, new: int) -> None:
        body = max(self.size.height - 1, 1)
        top = int(self.scroll_y)
        if new < top:
            self.scroll_to(y=new, animate=False)
        elif new >= top + body:
            self.scroll_to(y=new - body + 1, animate=False)
        self.refresh()

    def action_move_cursor(self, delta: int) -> None:
        if self._total:
            self.cursor_row = max(0, min(self._total - 1, self.cursor_row + delta))

    def action_move_page(self, direction: int) -> None:
        self.action_move_cursor(direction * max(self.size.height - 2, 1))

    def action_select_row(self) -> None:
        row = self.cursor_value
        if row is not None:
            self.post_message(self.RowSelected(self, row))

    def on_click(self, event) -> None:
        index = int(self.scroll_y) + event.y - 1
        if event.y >= 1 and self._total and index < self._total:
            self.cursor_row = index
            if event.chain >= 2:
                self.action_select_row()

    # -- drawing ---------------------------------------------------------------

    def _widths(self, width: int) -> list[int]:
        widths = self._column_widths()
        spare = width - sum(widths) - len(widths)
        if spare > 0:
            widths[-1] += spare
        return widths

    def _line(self, cells: list[tuple[str, Style]], base: Style, width: int) -> Strip:
        segments = []
        for text, style in cells:
            segments.append(Segment(" ", base))
            segments.append(Segment(text, base + style))
        return Strip(segments).crop_extend(0, width, base)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        widths = self._widths(width)
        base = self.rich_style
        if y == 0:
            header = self.get_component_rich_style("paged-table--header")
            return self._line(
                [(fit(c.label, w, c.align_right), Style()) for c, w in zip(self.columns, widths)],
                header,
                width,
            )
        index = int(self.scroll_y) + y - 1
        muted = self.get_component_rich_style("paged-table--muted")
        rows = self._total if self._total is not None else len(self._pages.get(0, ())) or None
        if rows is None or rows == 0:  # while counting, the first page's rows are shown
            text = self.loading_text if rows is None else self.empty_text
            return self._line([(text, muted)], base, width) if y == 1 else Strip.blank(width, base)
        if index >= rows:
            return Strip.blank(width, base)
        style = base
        if index == self.cursor_row:
            style = base + self.get_component_rich_style("paged-table--cursor")
        elif index % 2:
            style = base + self.get_component_rich_style("paged-table--odd")
        row = self._row(index)
        if row is None:
            return self._line([("…", muted)], style, width)
        cells = []
        for column, w in zip(self.columns, widths):
            cell_style = Style.parse(column.style(row) or "") if column.style else Style()
            cells.append((fit(column.value(row), w, column.align_right), cell_style))
        return self._line(cells, style, width)
