"""Snapshots of every main screen of an operator's day: at 80×24 in Chinese and at 120×36 in English
(issue 16). Update with: pytest tests/test_snapshots_day.py --snapshot-update

The post: the supply fixture (passes, a run, open orders) plus a checkpoint with a day of shifts;
the clock is fixed (tests/conftest.py), so every run draws the same screens. The audit trail is
left out: its entries carry the machine's time and user of the run that built the post; so is the
import screen, whose idle progress bar is animated (tests/test_no_cut_text.py checks its hint).
"""

from __future__ import annotations

import pytest

from tests.conftest import FIXED_NOW, make_app
from tests.test_supply_ui import supply_post  # noqa: F401  (a fixture)

# (name, keys from the dashboard); "app:" runs an app action instead of keys
SCREENS = [
    ("dashboard", ()),
    ("grid_pane", ("enter",)),
    ("registers", ("enter", "g")),
    ("registers_tests_tab", ("enter", "g", "3")),
    ("coverage", ("d",)),
    ("shift_panel", ("d", "enter")),
    ("passes", ("p",)),
    ("pass_scan", ("p", "c")),
    ("supply", ("h",)),
    ("supply_log", ("h", "l")),
    ("chain_review", ("h", "c", "1", "enter")),
    ("search", ("s",)),
    ("zone_dialog", ("z",)),
    ("help", ("f1",)),
]
SIZES = [("zh", (80, 24)), ("en", (120, 36))]


@pytest.fixture
def day_post(supply_post, db_path):  # noqa: F811
    from db.connection import open_database
    from db.grids import writes
    from db.roster import writes as roster
    from db.roster.settings import Duty, Rules

    database = open_database(db_path)
    writes.add_duty_post("卡口", "1", "村口卡口")
    roster.generate_shifts(Duty(Rules(), FIXED_NOW.tzinfo), FIXED_NOW.date(), 1)
    database.close()
    return db_path


async def _settle(pilot) -> None:
    # tables size their columns a refresh (an idle moment) after their rows arrive; on a loaded
    # machine four rounds were sometimes too few (a name column caught at its header's width)
    for _ in range(8):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.05)


@pytest.mark.parametrize("language,size", SIZES, ids=[f"{lang}-{w}x{h}" for lang, (w, h) in SIZES])
@pytest.mark.parametrize("name,keys", SCREENS, ids=[name for name, _ in SCREENS])
def test_screen(day_post, snap_compare, name, keys, language, size):
    async def walk(pilot):
        await _settle(pilot)
        for key in keys:
            if key.startswith("app:"):
                getattr(pilot.app, f"action_{key[4:]}")()
            else:
                await pilot.press(key)
            await _settle(pilot)

    assert snap_compare(make_app(day_post, language=language), terminal_size=size, run_before=walk)
