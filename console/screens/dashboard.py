"""The post at a glance: one tile per grid, navigable by arrow keys."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static

from console.i18n import t
from console.screens.base import PostScreen
from console.screens.common import footer, post_header, tile_labels
from console.workers import db_work
from db.grids.dashboard import DashboardBoard, dashboard_board
from db.records import GridSummary
from widgets.grid_tile import TileCounts
from widgets.tile_board import TileBoard

REST_OF_THE_BOARD_AFTER_SECONDS = 0.3


class DashboardScreen(PostScreen):
    BINDINGS = [
        Binding("d", "app.show_coverage", "keys.coverage"),
        Binding("p", "app.show_passes", "pass_keys.open"),
        Binding("h", "app.show_supply", "supply_keys.open"),
        Binding("a", "app.show_audit", "audit.keys.open"),
        Binding("z", "change_zone", "keys.change_zone"),
        Binding("slash,s", "search_households", "keys.search"),
        Binding("r", "refresh_board", "keys.refresh", show=False),
        Binding("question_mark,f1", "app.show_help", "keys.help"),
        Binding("ctrl+q", "app.quit", "keys.quit"),
    ]

    @dataclass
    class Loaded(Message):
        board: DashboardBoard

    def __init__(self, board: DashboardBoard | None = None) -> None:
        """``board``: read before the screen existed (the console's first look), shown without a query."""
        super().__init__()
        self._first_board = board
        self._shown: DashboardBoard | None = None
        self._left = False

    def compose(self) -> ComposeResult:
        yield post_header(self.app)
        yield Static(t("dashboard.loading"), id="totals")
        yield TileBoard(tile_labels(), id="board")
        yield footer()

    def on_mount(self) -> None:
        self.query_one(TileBoard).focus()
        board, self._first_board = self._first_board, None
        if board:  # shown before the first paint, so the operator never sees "loading"
            self._show(board)
            self.post_message(self.Loaded(board))
            if not board.complete:  # the first look's first tiles: the others once the first frame is
                # settled (read at once, they were read, and shown again, while Textual was still laying
                # the new screen out; a screenful of tiles, 60 at least, lasts longer than this)
                self.set_timer(REST_OF_THE_BOARD_AFTER_SECONDS, self.load_board)
        else:
            self.load_board()

    def on_screen_suspend(self) -> None:
        self._left = True

    def on_screen_resume(self) -> None:
        """Back from another screen, where the counts may have changed."""
        if self._left:
            self.load_board()

    @db_work
    def load_board(self) -> None:
        self.post_message(self.Loaded(dashboard_board(self.app.now().date().isoformat())))

    def on_dashboard_screen_loaded(self, message: Loaded) -> None:
        if message.board is not self._shown:
            self._show(message.board)

    def _show(self, board: DashboardBoard) -> None:
        totals = board.totals
        if self._shown is None or totals != self._shown.totals:  # the same line is not laid out again
            self.query_one("#totals", Static).update(
                t(
                    "dashboard.totals",
                    grids=totals.grids,
                    subgrids=totals.subgrids,
                    households=f"{totals.households:,}",
                    residents=f"{totals.residents:,}",
                    care=f"{totals.care_households:,}",
                    staff=f"{totals.staff:,}",
                )
            )
        self._shown = board
        tested = board.tested
        counts = {
            s.id: TileCounts(
                None if tested is None else tested.get(s.id, 0),
                board.open_orders.get(s.id, 0),
                board.handoffs_today.get(s.id, 0),
            )
            for s in board.summaries
        }
        self.query_one(TileBoard).show(board.summaries, counts, total=totals.grids)

    def focused_grid(self) -> GridSummary | None:
        return self.query_one(TileBoard).current

    def on_tile_board_chosen(self, message: TileBoard.Chosen) -> None:
        self.app.open_grid(message.grid.id)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        return not (self.app.readonly and action == "change_zone")

    def action_change_zone(self) -> None:
        grid = self.focused_grid()
        if grid:
            from console.screens.dialogs.zone import ZoneDialog

            self.app.push_screen(ZoneDialog(grid), lambda changed: changed and self.load_board())

    def action_search_households(self) -> None:
        self.app.action_search_households()

    def action_refresh_board(self) -> None:
        self.load_board()
