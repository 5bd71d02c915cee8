"""The dashboard's tile sizes, without Textual: the console's start reads as many tiles as a screen
shows before Textual is imported (console/cli/tui.py), and the tile board draws them."""

from __future__ import annotations

TILE_WIDTH = 34
TILE_HEIGHT = 7
GAP = 1


def columns_in(width: int) -> int:
    return max(1, (width + GAP) // (TILE_WIDTH + GAP))


def tiles_on_a_screen(columns: int, lines: int) -> int:
    """At least as many tiles as a terminal of this size shows at once, scrolled anywhere."""
    return columns_in(columns) * (lines // TILE_HEIGHT + 2)
