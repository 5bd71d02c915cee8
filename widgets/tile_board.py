"""The dashboard's grid tiles, drawn line by line so only the tiles on screen cost anything.

A county has hundreds of grids; one widget per tile made the first paint wait
for all of them. Arrow keys move a cursor across the tiles in two dimensions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from db.records import GridSummary
from widgets.grid_tile import TileCounts, TileLabels, tile_lines
from widgets.tile_geometry import GAP, TILE_HEIGHT, columns_in

ZONE_BORDERS = {
    "sealed": ("#e53935", "┏━┓┃┗┛"),
    "controlled": ("#f9a825", "╭─╮│╰╯"),
    "precaution": ("#43a047", "╭─╮│╰╯"),
}
CURSOR_BORDER = "╔═╗║╚╝"


class _Paint(NamedTuple):
    width: int
    columns: int
    tile_width: int
    base: Style
    tile_fill: Style
    cursor_fill: Style


class TileBoard(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    TileBoard { height: 1fr; background: $background; padding: 0 1; overflow-x: hidden; }
    TileBoard > .tile-board--tile { background: $surface; }
    TileBoard > .tile-board--cursor { background: $boost; }
    TileBoard:focus > .tile-board--cursor { background: $primary 30%; }
    """
    COMPONENT_CLASSES = {"tile-board--tile", "tile-board--cursor"}
    BINDINGS = [
        Binding("enter", "open_grid", "keys.open_grid"),
        Binding("left", "move(0, -1)", show=False),
        Binding("right", "move(0, 1)", show=False),
        Binding("up", "move(-1, 0)", show=False),
        Binding("down", "move(1, 0)", show=False),
        Binding("pageup", "move_page(-1)", show=False),
        Binding("pagedown", "move_page(1)", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
    ]

    cursor: reactive[int] = reactive(0)

    @dataclass
    class Chosen(Message):
        grid: GridSummary

    def __init__(self, labels: TileLabels, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.labels = labels
        self.grids: list[GridSummary] = []
        self.counts: dict[int, TileCounts] = {}
        self.total = 0  # tiles on the board, those not read yet included
        self._content_cache: dict[tuple, list[list[Segment]]] = {}
        self._paint: _Paint | None = None

    @property
    def current(self) -> GridSummary | None:
        return self.grids[self.cursor] if 0 <= self.cursor < len(self.grids) else None

    def show(
        self, grids: list[GridSummary], counts: dict[int, TileCounts] | None = None, total: int = 0
    ) -> None:
        """Replace the tiles, keeping the cursor on the same grid if it is still there. ``total``: the
        board's size when ``grids`` are only its first tiles (the rest come later): the scrollbar is
        then the whole board's from the first frame."""
        current = self.current
        self.grids = grids
        self.counts = counts or {}
        self.total = max(total, len(grids))
        ids = [g.id for g in grids]
        self.cursor = ids.index(current.id) if current and current.id in ids else 0
        self._update_virtual_size()
        self.refresh()

    # -- geometry -------------------------------------------------------------

    @property
    def columns(self) -> int:
        return columns_in(self.scrollable_content_region.width)

    def _tile_width(self) -> int:
        columns = self.columns
        return max(12, (self.scrollable_content_region.width - GAP * (columns - 1)) // columns)

    def _update_virtual_size(self) -> None:
        width = self.scrollable_content_region.width
        if not width:
            # Not laid out yet (tiles shown as the screen mounts): the screen's width, so that the first
            # layout knows whether a scrollbar is needed. Taken as one column, a village's seven tiles
            # needed one: the first frame was drawn with it, then again without it at another width.
            width = max(0, self.app.size.width - self.styles.gutter.width)
            if -(-self.total // columns_in(width)) * TILE_HEIGHT > self.app.size.height:
                # More tiles than the screen holds: the scrollbar is there from the first frame, and
                # its width is not the tiles'. Found by the first layout, it was shown in a second one
                # that drew the board again beside it.
                width = max(0, width - self.styles.scrollbar_size_vertical)
                self.show_vertical_scrollbar = True
                self.vertical_scrollbar.display = True
        rows = -(-self.total // columns_in(width))
        self.virtual_size = Size(width, rows * TILE_HEIGHT)

    def on_resize(self) -> None:
        self._update_virtual_size()
        self._scroll_to_cursor()

    def _scroll_to_cursor(self) -> None:
        top = (self.cursor // self.columns) * TILE_HEIGHT
        height = self.scrollable_content_region.height
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False)
        elif top + TILE_HEIGHT > self.scroll_y + height:
            self.scroll_to(y=top + TILE_HEIGHT - height, animate=False)

    def watch_cursor(self) -> None:
        self._scroll_to_cursor()
        self.refresh()

    # -- actions --------------------------------------------------------------

    def action_move(self, rows: int, cols: int) -> None:
        target = self.cursor + rows * self.columns + cols
        if 0 <= target < len(self.grids):
            self.cursor = target

    def action_move_page(self, direction: int) -> None:
        rows = max(1, self.scrollable_content_region.height // TILE_HEIGHT)
        target = self.cursor + direction * rows * self.columns
        self.cursor = max(0, min(len(self.grids) - 1, target))

    def action_jump(self, index: int) -> None:
        if self.grids:
            self.cursor = index % len(self.grids)

    def action_open_grid(self) -> None:
        if self.current:
            self.post_message(self.Chosen(self.current))

    def on_click(self, event) -> None:
        index = self._index_at(event.x - self.gutter.left, event.y + int(self.scroll_y))
        if index is not None:
            self.cursor = index
            self.action_open_grid()

    def _index_at(self, x: int, y: int) -> int | None:
        column = x // (self._tile_width() + GAP)
        if column >= self.columns:
            return None
        index = (y // TILE_HEIGHT) * self.columns + column
        return index if 0 <= index < len(self.grids) else None

    # -- drawing --------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        """Each line's geometry and styles are read once for the whole paint: read per line (and per
        tile) they walked the widget's styles thousands of times, a third of the board's paint."""
        self._paint = self._paint_geometry()
        try:
            return super().render_lines(crop)
        finally:
            self._paint = None

    def _paint_geometry(self) -> _Paint:
        base = self.rich_style
        return _Paint(
            self.scrollable_content_region.width,
            self.columns,
            self._tile_width(),
            base,
            base + self.get_component_rich_style("tile-board--tile"),
            base + self.get_component_rich_style("tile-board--cursor"),
        )

    def render_line(self, y: int) -> Strip:
        paint = self._paint or self._paint_geometry()
        base = paint.base
        row, line = divmod(y + int(self.scroll_y), TILE_HEIGHT)
        segments: list[Segment] = []
        used = 0
        for column in range(paint.columns):
            index = row * paint.columns + column
            if index >= len(self.grids):
                break
            if column:
                segments.append(Segment(" " * GAP, base))
                used += GAP
            segments.extend(self._tile_line(index, line, paint))
            used += paint.tile_width
        if used > paint.width:
            return Strip(segments).crop_extend(0, paint.width, base)
        if used < paint.width:
            segments.append(Segment(" " * (paint.width - used), base))
        return Strip(segments, paint.width)

    def _tile_line(self, index: int, line: int, paint: _Paint) -> list[Segment]:
        grid = self.grids[index]
        selected = index == self.cursor
        width = paint.tile_width
        fill = paint.cursor_fill if selected else paint.tile_fill
        colour, box = ZONE_BORDERS.get(grid.zone, ("#9e9e9e", "╭─╮│╰╯"))
        if selected:
            box = CURSOR_BORDER
        border = fill + Style(color=colour, bold=selected)
        inner = width - 2
        if line == 0:
            return [Segment(box[0] + box[1] * inner + box[2], border)]
        if line == TILE_HEIGHT - 1:
            return [Segment(box[4] + box[1] * inner + box[5], border)]
        content = self._tile_content(grid, inner - 2, fill)[line - 1]
        return [
            Segment(box[3], border),
            Segment(" ", fill),
            *content,
            Segment(" ", fill),
            Segment(box[3], border),
        ]

    def _tile_content(self, grid: GridSummary, width: int, fill: Style) -> list[list[Segment]]:
        """A tile's content lines, built once per content: each of its five lines is drawn separately,
        and the same tiles shown again (the first look's, then the whole board) are not built again."""
        counts = self.counts.get(grid.id, TileCounts())
        key = (grid, counts, width, fill)
        lines = self._content_cache.get(key)
        if lines is None:
            lines = []
            for text in tile_lines(grid, self.labels, counts):
                cropped = Strip(list(text.render(self.app.console))).crop_extend(0, width, fill)
                lines.append([Segment(s.text, fill + s.style if s.style else fill) for s in cropped])
            if len(self._content_cache) > 512:
                self._content_cache.clear()
            self._content_cache[key] = lines
        return lines
