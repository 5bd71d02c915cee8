"""The console's start: the dashboard as Textual's first screen when the first look is ready, the
screen stack after it, and the wait for that look before the event loop starts."""

from __future__ import annotations

import threading
from concurrent.futures import Future

from textual.screen import Screen

from console.screens.dashboard import DashboardScreen
from console.screens.first_run import FirstRunScreen
from console.screens.grid import GridScreen
from console.screens.sign_in import SignInScreen
from db.accounts import operators as accounts
from db.grids.dashboard import first_look
from db.thread import DatabaseThread
from tests.conftest import FIXED_NOW, make_app, settle

DAY = FIXED_NOW.date().isoformat()
NOW = int(FIXED_NOW.timestamp())
PIN = "246810"


def app_with_look(db_path, look_ready: bool = True, signed_in: str | None = None):
    """The app as `cmdpost` starts it: a database thread that has taken (or is taking) the first look."""
    app = make_app(db_path)
    thread = DatabaseThread()
    if signed_in:  # as `cmdpost --user NAME` does before the first look
        thread.call(accounts.sign_in, signed_in, PIN, now=NOW)
    look = thread.submit(first_look, DAY, with_board=True) if look_ready else Future()
    if look_ready:
        look.result()
    app.db_thread, app._first_look = thread, look
    return app


def kinds(app) -> list[type]:
    return [type(screen) for screen in app.screen_stack]


async def test_a_ready_first_look_makes_the_dashboard_the_first_screen(post_db, db_path):
    app = app_with_look(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert kinds(app) == [DashboardScreen]  # no blank screen laid out and painted under it
        assert [g.code for g in app.screen.query_one("#board").grids] == ["1", "2", "3"]
        assert "住户 41" in str(app.screen.query_one("#totals").render())
        await pilot.press("enter")
        await settle(app, pilot)
        assert kinds(app) == [DashboardScreen, GridScreen]
        await pilot.press("escape")
        await settle(app, pilot)
        assert kinds(app) == [DashboardScreen]


async def test_a_look_still_under_way_starts_on_a_blank_screen_as_before(post_db, db_path):
    app = app_with_look(db_path, look_ready=False)
    pending = app._first_look
    async with app.run_test(size=(120, 36)) as pilot:
        assert kinds(app) == [Screen]
        pending.set_result(first_look(DAY, with_board=True))
        await settle(app, pilot)
        assert kinds(app) == [Screen, DashboardScreen]
        assert [g.code for g in app.screen.query_one("#board").grids] == ["1", "2", "3"]


async def test_showing_the_dashboard_again_stacks_no_second_dashboard(post_db, db_path):
    app = app_with_look(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        app.db_thread.call(lambda: post_db.execute_sql("UPDATE grid SET name = '改名网格' WHERE code = '1'"))
        app.show_dashboard()
        await settle(app, pilot)
        assert kinds(app) == [DashboardScreen]
        assert app.screen.query_one("#board").grids[0].name == "改名网格"  # read again
        app.db_thread.call(lambda: post_db.execute_sql("UPDATE grid SET name = '又改名' WHERE code = '1'"))
        app.show_dashboard()  # from the dashboard itself
        await settle(app, pilot)
        assert kinds(app) == [DashboardScreen]
        assert app.screen.query_one("#board").grids[0].name == "又改名"


async def test_switching_user_puts_the_sign_in_over_the_first_dashboard(post_db, db_path):
    accounts.add_account("boss", "admin", PIN, now=NOW)
    accounts.sign_in("boss", PIN, now=NOW)
    accounts.add_account("watch", "supervisor", PIN, now=NOW)
    accounts.sign_out()
    app = app_with_look(db_path, signed_in="boss")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert kinds(app) == [DashboardScreen]
        app.switch_user()
        await settle(app, pilot)
        assert kinds(app) == [DashboardScreen, SignInScreen]  # an opaque screen: nothing below shows
        assert "第一网格" not in app.export_screenshot()  # the dashboard's tiles are not drawn


async def test_an_empty_post_still_starts_on_the_first_run_screen(tmp_path):
    from db.connection import open_database

    path = tmp_path / "empty.db"
    open_database(path).close()
    app = make_app(path)
    thread = DatabaseThread()
    app.db_thread, app._first_look = thread, thread.submit(first_look, DAY, with_board=True)
    app._first_look.result()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert kinds(app) == [Screen, FirstRunScreen]


def test_the_start_waits_for_a_first_look_a_moment_away(post_db, db_path):
    app = make_app(db_path)
    look: Future = Future()
    app._first_look = look
    threading.Timer(0.05, look.set_result, ("ready",)).start()
    app._wait_for_the_first_look()
    assert look.done()


def test_the_start_does_not_wait_for_a_first_look_that_never_comes(post_db, db_path, monkeypatch):
    monkeypatch.setattr("console.app.FIRST_LOOK_WAIT_SECONDS", 0.01)
    app = make_app(db_path)
    app._first_look = Future()
    app._wait_for_the_first_look()  # returns: the console then starts on a blank screen
    assert not app._first_look.done()


async def test_the_first_frame_of_the_tiles_is_drawn_at_one_width(post_db, db_path, monkeypatch):
    """Shown before the first layout, the tiles were counted as one column: three tiles 21 lines
    high needed a scrollbar on a 20-line terminal, so the board was drawn beside one, then again
    at another width once it was laid out and the scrollbar went."""
    from widgets.tile_board import TileBoard

    widths: list[int] = []
    original = TileBoard._tile_content

    def tile_content(self, grid, width, fill):
        widths.append(width)
        return original(self, grid, width, fill)

    monkeypatch.setattr(TileBoard, "_tile_content", tile_content)
    app = app_with_look(db_path)
    async with app.run_test(size=(121, 20)) as pilot:  # a scrollbar changes the tiles' width here
        await settle(app, pilot)
        board = app.screen.query_one(TileBoard)
        assert board.columns == 3 and not board.show_vertical_scrollbar
        assert len(set(widths)) == 1, widths


async def test_a_board_taller_than_the_screen_has_its_scrollbar_from_the_first_frame(
    post_db, db_path, monkeypatch
):
    """A county's tiles overflow the screen. Found by the first layout, the scrollbar came in a
    second one, and with it, for a frame, a sideways scrollbar (the tiles were as wide as the screen,
    two columns more than beside the scrollbar): three layouts and the board drawn three times
    before the first look's board was painted, at every start of a post with more than 12 grids."""
    from db.grids import writes
    from db.records import GridInput
    from widgets.tile_board import TileBoard

    writes.upsert_grids([GridInput(str(n), f"网格{n}", "防范区") for n in range(4, 31)], actor="test")
    frames: list[tuple[bool, bool, int]] = []
    original = TileBoard.render_lines

    def render_lines(self, crop):
        frames.append((self.show_vertical_scrollbar, self.show_horizontal_scrollbar, self._tile_width()))
        return original(self, crop)

    monkeypatch.setattr(TileBoard, "render_lines", render_lines)
    app = app_with_look(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert len(app.screen.query_one(TileBoard).grids) == 30
    assert frames and set(frames) == {(True, False, frames[0][2])}, frames


# Imported by a start only when needed: the demo's builder and its progress bar, the county sync
# (the header reads only its stamp), the accounts (a post without them asks no PIN), the writes'
# records, the sign-in screen, the command palette, the html package.
NOT_IMPORTED_AT_START = (
    "db.write_records",
    "console.cli.demo",
    "console.progress",
    "db.county.sync",
    "db.county.outbox",
    "db.accounts.operators",
    "db.demo.accounts",
    "console.screens.sign_in",
    "console.command_palette",
    "html",  # its entities, for printed sheets only (db/safe_text.py)
)

FIRST_PAINT_CHILD = """
import gc
import sys
from console.cli import build_parser, resolve
from console.cli.tui import open_console

args = build_parser(commands=False).parse_args(["--db", sys.argv[1]])
config = resolve(args)
opened = open_console(args, config)
collecting_while_starting = gc.isenabled()
from console.app import CmdpostApp

class FirstPaint(CmdpostApp):
    def on_dashboard_screen_loaded(self, message):
        self.first_screen = type(self.screen_stack[0]).__name__
        self.call_after_refresh(self.exit)

app = FirstPaint(config=config, **opened)
app.run(headless=True, size=(120, 36))
opened["database"].close()
print(collecting_while_starting, gc.isenabled(), gc.get_freeze_count() > 0)
print(app.first_screen)
print(" ".join(sorted(m for m in sys.modules if m.split(".")[0] in ("console", "db", "widgets", "html"))))
"""


def test_a_start_to_the_first_paint_imports_nothing_it_does_not_need_and_collects_no_garbage(
    post_db, db_path, tmp_path
):
    import subprocess
    import sys
    from pathlib import Path

    post_db.close()
    result = subprocess.run(
        [sys.executable, "-c", FIRST_PAINT_CHILD, str(db_path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parent.parent,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    collector, first_screen, modules = result.stdout.splitlines()[-3:]
    assert collector == "False True True"  # paused while starting; after the first frame, running again
    assert first_screen == "DashboardScreen"
    assert set(NOT_IMPORTED_AT_START).isdisjoint(modules.split()), modules


def test_the_collector_paused_for_the_start_runs_again_once():
    import gc

    from console import startup_gc

    assert gc.isenabled()
    try:
        startup_gc.pause()
        assert not gc.isenabled()
        startup_gc.resume()
        assert gc.isenabled() and gc.get_freeze_count() > 0
        gc.disable()  # someone else's choice after the start is left alone
        startup_gc.resume()
        assert not gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()
