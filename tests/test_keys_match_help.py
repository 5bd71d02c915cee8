"""Keys do what F1 says (issue 16, item 4): every screen's keys are in the help, Home/End move to
the first/last row of any table, the register tabs turn with Tab and ←/→, the coverage board jumps
a shift at a time, and at 80 columns the footer keeps the words of each screen's main job."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.screen import Screen
from textual.widgets import DataTable

import console.screens
from console.screens.help import _sections
from tests.conftest import make_app, settle
from tests.test_supply_ui import supply_post  # noqa: F401  (a fixture)
from tests.test_ui import screen_text
from widgets.coverage_timeline import CoverageTimeline

# Dialogs show their few keys on their own face; F1 lists the screens an operator works in.
DIALOG_BASES = ("ModalScreen",)


def every_screen() -> list[type]:
    found = set()
    for module in pkgutil.walk_packages(console.screens.__path__, "console.screens."):
        for _, cls in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            if issubclass(cls, Screen) and cls.__module__.startswith("console.screens"):
                found.add(cls)
    return sorted(found, key=lambda c: c.__name__)


def test_every_key_of_every_working_screen_is_in_the_help():
    in_help = {(b.key, b.description) for _, bindings in _sections() for b in bindings}
    missing = []
    for screen in every_screen():
        if any(base.__name__ in DIALOG_BASES for base in screen.__mro__):
            continue
        for binding in vars(screen).get("BINDINGS", ()):  # its own keys: a base class adds Textual's defaults
            if binding.description and (binding.key, binding.description) not in in_help:
                missing.append(f"{screen.__name__}: {binding.key} {binding.description}")
    assert not missing, missing


async def test_end_and_home_go_to_the_last_and_first_row(roster_post, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        await pilot.press("enter")  # the shift panel, on its candidates
        await settle(app, pilot)
        table = app.screen.query_one("#shift-candidates", DataTable)
        assert app.screen.focused is table and table.row_count >= 2
        await pilot.press("end")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("home")
        assert table.cursor_row == 0


async def test_register_tabs_turn_with_tab_and_arrows_and_the_grid_is_named(post_db, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("g")
        await settle(app, pilot)
        tabs = app.screen.query_one("#reg-tabs")
        assert "1 第一网格" in screen_text(app).splitlines()[1]
        seen = []
        for key in ("tab", "tab", "right", "left", "shift+tab"):
            await pilot.press(key)
            await settle(app, pilot)
            seen.append(tabs.active)
        assert seen == ["reg-units", "reg-tests", "reg-care", "reg-tests", "reg-units"]


async def test_the_coverage_board_jumps_a_shift_at_a_time(roster_post, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        board = app.screen.query_one(CoverageTimeline)
        first = board.shift_at(board.cursor_row, board.cursor_hour)
        await pilot.press("shift+right")
        following = board.shift_at(board.cursor_row, board.cursor_hour)
        assert following is not None and following.starts_at == first.ends_at
        assert board.start + board.cursor_hour * 3600 == following.starts_at
        await pilot.press("shift+left")
        assert board.shift_at(board.cursor_row, board.cursor_hour).shift_id == first.shift_id


async def test_at_80_columns_the_footer_keeps_the_main_jobs_words(supply_post, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("h")
        await settle(app, pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "登记送达" in footer and " esc " in footer  # a bare key never runs into the next one
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        assert "打印值班表" in screen_text(app).splitlines()[-1]
