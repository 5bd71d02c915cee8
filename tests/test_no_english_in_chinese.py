"""No English word is left on the Chinese console's main screens (issue 16, item 5): every word an
operator reads comes from zh.yaml. Codes (a pass serial, a grid code), key names and a few
abbreviations operators use as they are (PIN, QR, CSV) are not words to translate."""

from __future__ import annotations

import getpass
import re

from textual.widgets import Select

from tests.conftest import make_app, settle
from tests.test_supply_ui import supply_post  # noqa: F401  (a fixture)
from tests.test_ui import screen_text

# Key names as the footer and F1 draw them, and abbreviations kept in Chinese text.
ALLOWED = {
    "esc",
    "enter",
    "tab",
    "home",
    "end",
    "ctrl",
    "shift",
    "del",
    "delete",
    "pgup",
    "pgdn",
    "space",
    "pin",
    "qr",
    "csv",
    "pdf",
    "html",
    "id",
    "sos",
    "wechat",
    "ok",
    "utc",
    "cst",
    "backspace",
    "up",
    "down",
    "left",
    "right",
    "page",
    "insert",
    "alt",
}
SCREENS = {
    "coverage": "CoverageScreen",
    "passes": "PassesScreen",
    "supply": "SupplyScreen",
    "audit trail": "AuditScreen",
}
WORD = re.compile(r"(?<![A-Za-z0-9_./-])[A-Za-z]{3,}(?![A-Za-z0-9_./-])")


COMMAND = re.compile(r"cmdpost(?: [a-z][a-z-]*)*")  # a command to type is shown as typed


def english_words(text: str) -> set[str]:
    text = COMMAND.sub(" ", text).replace(getpass.getuser(), " ")  # the system account is data (audit actor)
    return {w for w in WORD.findall(text) if w.lower() not in ALLOWED}


async def test_main_screens_in_chinese_show_no_english_word(supply_post, db_path):
    found: dict[str, set[str]] = {}
    app = make_app(db_path)

    async def look(where: str, under: str = "") -> str:
        """``under``: the screen before an overlay opened; what the overlay half covers is not new."""
        await settle(app, pilot)
        text = screen_text(app)
        words = {w for w in english_words(text) if w not in under}
        if words:
            found[where] = words
        return text

    async with app.run_test(size=(80, 24)) as pilot:
        await look("dashboard")
        await pilot.press("enter")
        await look("grid pane")
        await pilot.press("g")
        await look("registers")
        assert type(app.screen).__name__ == "RegistersScreen"
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("escape")
        for key, where in (("d", "coverage"), ("p", "passes"), ("h", "supply"), ("a", "audit trail")):
            await settle(app, pilot)
            await pilot.press(key)
            plain = await look(where)
            assert type(app.screen).__name__ == SCREENS[where]
            selects = list(app.screen.query(Select))
            if selects:
                selects[0].expanded = True
                await look(f"{where}, list open", under=plain)
                await pilot.press("escape")
            await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("f1")
        await look("help")
    assert not found, found
