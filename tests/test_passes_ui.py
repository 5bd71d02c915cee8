"""The passes screen and the scan-to-verify screen, driven with keys the way an operator and a scanner do."""

from __future__ import annotations

import sqlite3

import pytest
from textual import events
from textual.widgets import DataTable, Input, Static

from console.screens.passes.dialogs import PassCard, RevokeDialog
from console.screens.passes.grid_passes import PassesScreen
from console.screens.passes.scan import ScanScreen
from db.grids import writes
from db.passes import issuing as passes
from db.passes import keys as pass_keys
from db.records import StaffInput
from db.roster.settings import Duty, Rules
from tests.conftest import FIXED_NOW, make_app, settle

NOW = int(FIXED_NOW.timestamp())
DUTY = Duty(Rules(), FIXED_NOW.tzinfo)


@pytest.fixture
def pass_post(post_db, db_path, tmp_path, monkeypatch):
    """Volunteers 甲 (grid 1) and 乙 (grid 2), each with a pass; 丙 (grid 1) without one. Prints go to tmp."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    writes.upsert_staff(
        [
            StaffInput("甲", "志愿者", "1-1", phone="17000300001"),
            StaffInput("乙", "志愿者", "2", phone="17000300002"),
            StaffInput("丙", "志愿者", "1-2", phone="17000300003"),
        ],
        actor="test",
    )
    ids = dict(post_db.execute_sql("SELECT name, id FROM staff").fetchall())
    key = pass_keys.signing_key(db_path)
    rows = {
        name: passes.issue(DUTY, ids[name], grid, actor="test", now=NOW)
        for name, grid in (("甲", "1"), ("乙", "2"))
    }
    return {name: passes.payload_for(row, key) for name, row in rows.items()}


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def column(app, selector: str, index: int) -> list[str]:
    table = app.screen.query_one(selector, DataTable)
    return [str(table.get_row_at(i)[index]) for i in range(table.row_count)]


KEY_NAMES = {".": "full_stop", "-": "minus", "/": "slash", "\r": "enter"}


async def scan_like_a_scanner(app, pilot, payload: str) -> None:
    """A keyboard wedge types the whole payload and Enter in one burst, without waiting for the screen."""
    for char in payload + "\r":
        app.post_message(events.Key(KEY_NAMES.get(char, char), char))
    await settle(app, pilot)


async def test_scan_screen_answers_each_scan_and_is_ready_for_the_next(pass_post, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(app, pilot)
        await pilot.press("p")  # dashboard: the passes of grid 1
        await settle(app, pilot)
        assert isinstance(app.screen, PassesScreen)
        await pilot.press("c")  # check passes here, at grid 1
        await settle(app, pilot)
        assert isinstance(app.screen, ScanScreen) and app.screen.place == "1"
        scan_input = app.screen.query_one("#scan-input", Input)
        assert app.focused is scan_input

        await scan_like_a_scanner(app, pilot, pass_post["甲"])
        assert "有效" in text_of(app, "#scan-verdict") and "VALID" in text_of(app, "#scan-verdict")
        assert "甲" in text_of(app, "#scan-detail")
        assert scan_input.value == "" and app.focused is scan_input
        assert str(app.screen.query_one("#scan-verdict").styles.background.hex).upper() == "#2E7D32"

        await scan_like_a_scanner(app, pilot, pass_post["乙"])  # grid 2's pass at grid 1
        assert "CROSS_GRID" in text_of(app, "#scan-verdict")
        assert str(app.screen.query_one("#scan-verdict").styles.background.hex).upper() == "#C62828"

        await scan_like_a_scanner(app, pilot, pass_post["甲"].lower())  # Caps Lock on: still the same pass
        assert "VALID" in text_of(app, "#scan-verdict") and "重复扫描" in text_of(app, "#scan-detail")

        await scan_like_a_scanner(app, pilot, "HELLO-123")
        assert "MALFORMED" in text_of(app, "#scan-verdict")
        assert column(app, "#scan-recent", 2) == ["不是通行证", "有效", "不是本网格的证(窜格)", "有效"]
        assert column(app, "#scan-recent", 5) == ["", "↻", "", ""]
    con = sqlite3.connect(db_path)
    assert [v for (v,) in con.execute("SELECT verdict FROM pass_scan ORDER BY id")] == [
        "VALID",
        "CROSS_GRID",
        "VALID",
        "MALFORMED",
    ]
    assert con.execute("SELECT DISTINCT place, operator FROM pass_scan").fetchall() == [("1", "tester")]


async def test_scans_typed_back_to_back_are_each_checked(pass_post, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(app, pilot)
        app.push_screen(ScanScreen("2"))
        await settle(app, pilot)
        for payload in (pass_post["乙"], pass_post["甲"], pass_post["乙"]):  # no pause for the screen between
            for char in payload + "\r":
                app.post_message(events.Key(KEY_NAMES.get(char, char), char))
        await settle(app, pilot)
        assert "VALID" in text_of(app, "#scan-verdict") and "重复扫描" in text_of(app, "#scan-detail")
    con = sqlite3.connect(db_path)
    assert con.execute("SELECT verdict, serial, is_repeat FROM pass_scan ORDER BY id").fetchall() == [
        ("VALID", "2-0001", 0),
        ("CROSS_GRID", "1-0001", 0),
        ("VALID", "2-0001", 1),
    ]


async def test_a_scan_before_a_place_is_chosen_asks_for_one(pass_post, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(app, pilot)
        app.push_screen(ScanScreen())
        await settle(app, pilot)
        await scan_like_a_scanner(app, pilot, pass_post["甲"])
        assert "查验地点" in text_of(app, "#scan-verdict")
        assert app.screen.query_one("#scan-input", Input).value == ""


async def test_passes_screen_issues_revokes_reissues_and_prints(pass_post, db_path, tmp_path):
    app = make_app(db_path)
    async with app.run_test(size=(110, 34)) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        assert column(app, "#passes-table", 1) == ["1-0001"]
        assert column(app, "#passes-holders", 0) == ["林秋芽", "丙"]  # a cadre and a volunteer, no pass yet
        await pilot.press("n")  # issue to the person under the cursor in the lower table
        await settle(app, pilot)
        assert column(app, "#passes-table", 1) == ["1-0001", "1-0002"]
        assert column(app, "#passes-holders", 0) == ["丙"]

        await pilot.press("x")
        await settle(app, pilot)
        assert isinstance(app.screen, RevokeDialog)
        await pilot.press(*"遗失", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PassesScreen)
        assert column(app, "#passes-table", 5)[0] == "已注销(遗失)"

        await pilot.press("r")  # asks first: the old paper stops working
        await settle(app, pilot)
        assert type(app.screen).__name__ == "PromptDialog"
        await pilot.press("enter")
        await settle(app, pilot)
        assert column(app, "#passes-table", 2)[0] == "v2" and column(app, "#passes-table", 5)[0] == "有效"

        await pilot.press("v")
        await settle(app, pilot)
        assert isinstance(app.screen, PassCard)
        assert "▀" in str(app.screen.query_one("#card-qr", Static).render())
        await pilot.press("escape")
        await settle(app, pilot)

        await pilot.press("space", "p")  # print the one selected
        await settle(app, pilot)
        status = text_of(app, "#passes-status")
    printed = list((tmp_path / "data" / "cmdpost" / "print").glob("passes-1-*.pdf"))
    if not font_available():
        assert "fonts-noto-cjk" in status and not printed
        return
    assert "已打印 1 张" in status
    assert len(printed) == 1 and printed[0].read_bytes().startswith(b"%PDF")


def font_available() -> bool:
    from console.sheets.passes import PassSheetError, find_font

    try:
        find_font()
    except PassSheetError:
        return False
    return True


async def test_without_the_post_key_the_scan_screen_says_so_and_makes_none(post_db, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(app, pilot)
        app.push_screen(ScanScreen("1"))
        await settle(app, pilot)
        await scan_like_a_scanner(app, pilot, "CP1.1-0001.1.1.1.2.AAAA")
        assert "找不到签名密钥" in text_of(app, "#scan-verdict")
    assert not pass_keys.key_path(db_path).exists()
