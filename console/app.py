"""The cmdpost Textual application: wiring only; the screens do the work."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from concurrent import futures
from concurrent.futures import Future
from datetime import UTC, datetime
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from console import startup_gc, terminal_guard
from console.config import Config
from console.i18n import error_text, t
from console.session_flow import SessionFlow
from console.text.paths import path_on_own_line
from console.workers import db_work
from db.audit.guard import PostDatabase, denial, is_denied
from db.errors import CmdpostError, is_busy, is_read_only
from db.grids.dashboard import FirstLook, first_look
from db.roster.settings import Duty
from db.thread import DatabaseThread, hand_over_the_gil_quickly

FIRST_LOOK_WAIT_SECONDS = 1.0
BACKUPS_AFTER_SECONDS = 2


def grid_jump_provider():
    """Imported when the palette first opens: textual.command costs start-up time."""
    from console.command_palette import GridJumpProvider

    return GridJumpProvider


class CmdpostApp(SessionFlow):
    CSS_PATH = Path(__file__).parent / "app.tcss"
    COMMANDS = App.COMMANDS | {grid_jump_provider}
    BINDINGS = [Binding("question_mark,f1", "show_help", "keys.help", show=False)]

    def __init__(
        self,
        config: Config,
        database: PostDatabase,
        db_path: Path,
        *,
        demo: bool = False,
        clock: Callable[[], datetime] | None = None,
        actor: str | None = None,
        readonly: bool = False,
        db_thread: DatabaseThread | None = None,
        first_look: Future | None = None,
    ) -> None:
        super().__init__()
        hand_over_the_gil_quickly()
        self.readonly = self._started_readonly = readonly
        self.db_thread = db_thread or DatabaseThread()
        self._first_look = first_look
        self._dashboard_first: FirstLook | None = None  # the look the default screen was made from
        self.config = config
        self.database = database
        self.db_path = db_path
        self.demo = demo
        # Until the post has accounts, changes are recorded under the login name.
        self._fallback_actor = actor or database.guard.fallback_actor
        self._clock = clock
        from console.rolling_backup import RollingBackups

        self.backups = RollingBackups(self)
        from console.sync_status import SyncStatus

        self.sync_status = SyncStatus(db_path, self.now)

    def notify(self, message, *args, **kwargs) -> None:
        """Every toast: a file path starts a line of its own, so the toast's wrapping never splits it
        mid-name (a toast wraps only at spaces and folds a longer word wherever the edge falls)."""
        super().notify(path_on_own_line(message) if isinstance(message, str) else message, *args, **kwargs)

    def get_driver_class(self):
        """Textual's driver; on Linux one that ends the console when the terminal goes
        (console/terminal_guard.py) instead of blocking on it."""
        driver = super().get_driver_class()
        from textual.drivers.linux_driver import LinuxDriver

        return terminal_guard.hangup_safe_driver(driver) if issubclass(driver, LinuxDriver) else driver

    def _handle_exception(self, error: Exception) -> None:
        """Textual's fatal-error path, except while the console ends because its terminal went or a
        signal came: a screen caught half-mounted then is no fault to print (to a dead terminal)."""
        code = terminal_guard.ending()
        if code is None:
            super()._handle_exception(error)
            return
        self.log.error(repr(error))
        self.exit(return_code=code)

    def run(self, *args, **kwargs):
        terminal_guard.app_started(self._ask_exit)
        try:
            self._wait_for_the_first_look()
            terminal_guard.check_ending()  # the terminal went while the console was starting
            return super().run(*args, **kwargs)
        finally:
            startup_gc.resume()  # the first frame never came (the terminal went, an error)
            terminal_guard.app_ended(self._ask_exit)

    def _wait_for_the_first_look(self) -> None:
        """Before the event loop starts: the first look (on the database thread since the console
        started) takes a few ms more than importing Textual, and when it is done the dashboard is
        Textual's first screen (get_default_screen). Starting without it cost more than the wait: a
        blank screen composed, laid out and painted, then the dashboard over it (15-19 layout passes
        before its first paint instead of 6). A look that takes longer is not waited for beyond
        FIRST_LOOK_WAIT_SECONDS: the console then starts as before."""
        if self._first_look is not None:
            futures.wait([self._first_look], timeout=FIRST_LOOK_WAIT_SECONDS)

    def _ask_exit(self, code: int) -> bool:
        """Whether an exit was asked of the running app; called from a signal handler or a thread."""
        loop = self._loop
        if loop is None:  # not running yet (or any more): the caller unwinds the start-up instead
            return False
        try:
            loop.call_soon_threadsafe(lambda: self.exit(return_code=code))
        except RuntimeError:  # the loop has closed: the app is ending already
            return False
        return True

    def on_unmount(self) -> None:
        self.db_thread.close(self.database)

    def now(self) -> datetime:
        """Local time at the post (tests pass a fixed clock)."""
        return self._clock() if self._clock else datetime.now(self.config.tz)

    def local_time(self, stamp: str) -> str:
        moment = datetime.fromisoformat(stamp)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(self.config.tz).strftime("%Y-%m-%d %H:%M")

    def test_is_stale(self, last_negative_test: str | None) -> bool:
        from db.roster.rules import negative_test_valid_at  # the roster's rules: not needed to start

        return not negative_test_valid_at(last_negative_test, int(self.now().timestamp()), self.duty)

    @property
    def duty(self) -> Duty:
        return Duty(self.config.rules, self.config.tz)

    def on_ready(self) -> None:
        """The first frame is on the screen."""
        startup_gc.resume()

    def on_mount(self) -> None:
        self.title = self.config.post_name
        self._exit_when_disconnected()
        self.choose_first_screen()

    def _exit_when_disconnected(self) -> None:
        """A dropped SSH session or a closed terminal must end the process, not leave it running.

        SIGHUP and SIGTERM (console/terminal_guard.py, installed by cli.main) ask the app to exit
        (see run); the watchdog catches a terminal that went away without a signal (a hung-up terminal is no
        longer a tty, and a parent that died leaves us to init).
        """
        if (ending := terminal_guard.ending()) is not None:  # it went before the app could be asked
            self.exit(return_code=ending)
        parent = os.getppid()

        def check_terminal() -> None:
            try:
                stdin = sys.__stdin__  # None when Python started without one: then there is no terminal
                attached = (
                    stdin is not None
                    and terminal_guard.terminal_attached(stdin.fileno())
                    and os.getppid() == parent
                )
            except (OSError, ValueError, AttributeError):
                attached = False
            if not attached and not self.is_headless:
                terminal_guard.end_console(129)

        self.set_interval(1, check_terminal)

    def get_default_screen(self) -> Screen:
        """The dashboard itself, when the first look has settled what the first screen is by the time
        Textual asks (it has, unless the machine is very busy): the blank screen Textual would put
        under it was composed, laid out five times and painted before the dashboard's first frame."""
        look = self._settled_first_look()
        if (
            look is None
            or look.empty
            or self.readonly
            or (self.session and self.session.role == "supervisor")
        ):
            return super().get_default_screen()
        from console.screens.dashboard import DashboardScreen

        self._first_look, self._dashboard_first = None, look
        self.demo = self.demo or look.demo  # the header's badge, composed with the screen
        return DashboardScreen(look.fresh_board())

    def _settled_first_look(self) -> FirstLook | None:
        """The first look taken as the console started, if it is done and no PIN is asked first."""
        ready = self._first_look
        if ready is not None and ready.done() and ready.exception() is None and not self.needs_pin():
            look: FirstLook = ready.result()
            return look
        return None

    def choose_first_screen(self) -> None:
        """At once when the first look (taken as the console started) has settled everything; else
        on the database thread."""
        if (shown := self._dashboard_first) is not None:  # the dashboard is the default screen
            self._after_session_check(False, self._first_screen_shown, shown.demo_signed_in)
        elif (look := self._settled_first_look()) is not None:
            self._first_look = None
            self._after_session_check(False, lambda: self._show_first_screen(look), look.demo_signed_in)
        else:
            self._settle_first_screen()

    @db_work
    def _settle_first_screen(self) -> None:
        if self._first_look:  # taken on this thread as the app started: done by now
            look, self._first_look = self._first_look.result(), None
        else:
            look = first_look(self.now().date().isoformat(), with_board=False)
        self.start_session(lambda: self._show_first_screen(look), look.demo_signed_in)

    def _show_first_screen(self, look: FirstLook) -> None:
        self.demo = self.demo or look.demo
        from console.screens.dashboard import DashboardScreen

        if self.readonly:  # a supervisor comes for the coverage board, and can go back to the dashboard
            from console.screens.roster.coverage import CoverageScreen  # only here: it costs 50 ms to import

            self.push_screen(DashboardScreen())
            self.push_screen(CoverageScreen())
        elif look.empty:
            from console.screens.first_run import FirstRunScreen

            self.push_screen(FirstRunScreen())
        else:
            self.push_screen(DashboardScreen(look.fresh_board()))
        self._first_screen_shown()

    def _first_screen_shown(self) -> None:
        self.set_timer(BACKUPS_AFTER_SECONDS, self.backups.start)  # the first screen's paint matters more

    def show_dashboard(self) -> None:
        from console.screens.dashboard import DashboardScreen

        left = len(self.screen_stack) > 1
        while len(self.screen_stack) > 1:
            self.pop_screen()
        if not isinstance(self.screen, DashboardScreen):
            self.push_screen(DashboardScreen())
        elif not left:  # the first screen (get_default_screen) is the dashboard, already current
            self.screen.load_board()
        # else it reads its board again as it comes back (DashboardScreen.on_screen_resume)

    def open_grid(self, grid_id: int, subgrid_code: str | None = None, search: str = "") -> None:
        from console.screens.grid import GridScreen
        from console.sources import HouseholdSource
        from widgets.paged_table import first_window

        # Read while the screen is composed, so that its first paint can show the rows.
        first = self.db_thread.submit(first_window, HouseholdSource(grid_id, search, subgrid_code))
        self.push_screen(GridScreen(grid_id, subgrid_code, search, register_first=first))

    def action_command_palette(self) -> None:
        if self.is_signing_in():
            return
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            from console.command_palette import post_palette

            self.push_screen(post_palette(t("palette.placeholder")))

    def get_system_commands(self, screen):
        """Textual's own commands, in the post's language; theme and screenshot are left out."""
        from textual.app import SystemCommand

        yield SystemCommand(t("palette.help"), t("palette.help_help"), self.action_show_help)
        yield SystemCommand(t("keys.quit"), t("palette.quit_help"), self.action_quit)

    def action_show_help(self) -> None:
        from console.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_open_import(self) -> None:
        from console.screens.intake.import_data import ImportScreen

        self.push_screen(ImportScreen())

    def action_show_coverage(self) -> None:
        from console.screens.roster.coverage import CoverageScreen

        self.push_screen(CoverageScreen())

    def action_show_audit(self) -> None:
        from console.screens.audit.trail import AuditScreen

        self.push_screen(AuditScreen())

    def action_show_supply(self) -> None:
        from console.screens.supply.overview import SupplyScreen

        self.push_screen(SupplyScreen())

    def action_show_passes(self) -> None:
        """The passes of the grid under the cursor on the dashboard, else of the first grid."""
        from console.screens.passes.grid_passes import PassesScreen

        focused = getattr(self.screen, "focused_grid", lambda: None)()
        self.push_screen(PassesScreen(focused.code if focused else None))

    def action_check_passes(self) -> None:
        from console.screens.passes.scan import ScanScreen

        self.push_screen(ScanScreen(getattr(self.screen, "grid_code", None)))

    def action_search_households(self) -> None:
        from console.screens.search import SearchScreen

        self.push_screen(SearchScreen())

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The app's own workers. A screen's or a widget's worker reports here through report_error:
        Textual does not bubble a worker's state changes past the node that ran it."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.report_error(event.worker.error)

    def report_error(self, error: BaseException) -> None:
        """The one place a failed worker is reported to the operator."""
        if isinstance(error, CmdpostError):
            message = error_text(error)
        elif is_denied(error):
            message = error_text(denial(self.database.guard))
        elif is_busy(error):
            message = t("reliability.busy")
        elif is_read_only(error):
            message = t("errors.readonly")
        else:
            self.log.error(repr(error))
            message = t("errors.unexpected", error=f"{type(error).__name__}: {error}")
        self.notify(message, severity="error", timeout=10, markup=False)
