"""A scrolling board of tiles that arrow keys move across in two dimensions."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.widget import Widget

TILE_WIDTH = 28


class TileBoard(ScrollableContainer, can_focus=False):
    DEFAULT_CSS = """
    TileBoard {
        layout: grid;
        grid-size: 2;
        grid-gutter: 0 1;
        grid-rows: 6;
        padding: 0 1;
        height: 1fr;
        background: $background;
    }
    """
    BINDINGS = [
        Binding("left", "move(0, -1)", show=False),
        Binding("right", "move(0, 1)", show=False),
        Binding("up", "move(-1, 0)", show=False),
        Binding("down", "move(1, 0)", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
    ]

    @property
    def columns(self) -> int:
        return max(1, (self.size.width - 2) // TILE_WIDTH)

    def on_resize(self) -> None:
        self.styles.grid_size_columns = self.columns

    def tiles(self) -> list[Widget]:
        return [child for child in self.children if child.can_focus]

    def _focused_index(self) -> int:
        tiles = self.tiles()
        focused = self.screen.focused
        return tiles.index(focused) if focused in tiles else -1

    def action_move(self, rows: int, cols: int) -> None:
        tiles = self.tiles()
        if not tiles:
            return
        index = self._focused_index()
        target = 0 if index < 0 else index + rows * self.columns + cols
        if 0 <= target < len(tiles):
            tiles[target].focus()
            tiles[target].scroll_visible(animate=False)

    def action_jump(self, index: int) -> None:
        tiles = self.tiles()
        if tiles:
            tiles[index].focus()
            tiles[index].scroll_visible(animate=False)
