"""The cmdpost Textual application: wiring only; the screens do the work."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from peewee import SqliteDatabase
from textual.app import App
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from console.config import Config
from console.i18n import error_text, t
from console.workers import db_work
from db import queries
from db.errors import CmdpostError
from db.duty_rules import negative_test_valid_at
from db.policy import Duty


def grid_jump_provider():
    """Imported when the palette first opens: textual.command costs start-up time."""
    from console.commands import GridJumpProvider

    return GridJumpProvider


class CmdpostApp(App):
    CSS_PATH = Path(__file__).parent / "app.tcss"
    COMMANDS = App.COMMANDS | {grid_jump_provider}
    BINDINGS = [Binding("question_mark,f1", "show_help", "keys.help", show=False)]

    def __init__(self, config: Config, database: SqliteDatabase, db_path: Path, *, demo: bool = False,
                 clock: Callable[[], datetime] | None = None, actor: str = "operator") -> None:
        super().__init__()
        self.config = config
        self.database = database
        self.db_path = db_path
        self.demo = demo
        self.actor = actor
        self._clock = clock

    def now(self) -> datetime:
        """Local time at the post (tests pass a fixed clock)."""
        return self._clock() if self._clock else datetime.now(self.config.tz)

    def local_time(self, stamp: str) -> str:
        moment = datetime.fromisoformat(stamp)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return moment.astimezone(self.config.tz).strftime("%Y-%m-%d %H:%M")

    def test_is_stale(self, last_negative_test: str | None) -> bool:
        return not negative_test_valid_at(last_negative_test, int(self.now().timestamp()), self.duty)

    @property
    def duty(self) -> Duty:
        return Duty(self.config.rules, self.config.tz)

    def on_mount(self) -> None:
        self.title = self.config.post_name
        self.choose_first_screen()

    @db_work
    def choose_first_screen(self) -> None:
        empty = queries.is_empty()
        self.call_from_thread(self._show_first_screen, empty)

    def _show_first_screen(self, empty: bool) -> None:
        from console.screens.dashboard import DashboardScreen
        from console.screens.first_run import FirstRunScreen

        self.push_screen(FirstRunScreen() if empty else DashboardScreen())

    def show_dashboard(self) -> None:
        from console.screens.dashboard import DashboardScreen

        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(DashboardScreen())

    def open_grid(self, grid_id: int, subgrid_code: str | None = None, search: str = "") -> None:
        from console.screens.grid_pane import GridScreen

        self.push_screen(GridScreen(grid_id, subgrid_code, search))

    def action_show_help(self) -> None:
        from console.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_open_import(self) -> None:
        from console.screens.import_data import ImportScreen

        self.push_screen(ImportScreen())

    def action_search_households(self) -> None:
        from console.screens.search import SearchScreen

        self.push_screen(SearchScreen())

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place a failed database worker is reported to the operator."""
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        if isinstance(error, CmdpostError):
            message = error_text(error)
        else:
            self.log.error(repr(error))
            message = t("errors.unexpected", error=f"{type(error).__name__}: {error}")
        self.notify(message, severity="error", timeout=10, markup=False)
