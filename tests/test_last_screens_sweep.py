"""Issue 16's last screens at 80×24 (Chinese) and 120×36 (English): palette, household card, first run."""

from __future__ import annotations

import pytest
from textual.command import CommandList

from console.i18n import t
from console.screens.dialogs.household_card import HouseholdCard
from db.records import HouseholdRow
from tests.conftest import make_app, settle, wait_until
from tests.test_ui import screen_text


def palette_titles(app) -> list[str]:
    options = app.screen.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt).split("\n")[0] for i in range(options.option_count)]


async def test_the_palette_lists_each_command_once(post_db, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        help_title = t("palette.help")
        await pilot.press(*help_title)
        await wait_until(pilot, lambda: help_title in palette_titles(app), "the palette finds help")
        await pilot.pause(0.5)  # every provider has answered
        await settle(app, pilot)
        titles = palette_titles(app)
        assert titles.count(help_title) == 1, titles


CARE_HOUSEHOLD = HouseholdRow(
    1, 1, "1-4-2", "花厅口村180号", "周子鸿", 1, "10000579025", "独居老人,慢性病", "独居,耳背,上门时多敲门"
)


@pytest.mark.parametrize(("language", "size"), [("zh", (80, 24)), ("en", (120, 36))])
async def test_the_household_card_labels_are_whole_words(post_db, db_path, language, size):
    app = make_app(db_path, language=language)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        app.push_screen(HouseholdCard(CARE_HOUSEHOLD))
        await settle(app, pilot)
        text = screen_text(app)
        for label in ("household_card.head", "household_card.people", "household_card.hint"):
            assert t(label) in text
        assert "Ppl" not in text
        for value in ("花厅口村180号", "10000579025", "独居老人,慢性病", "独居,耳背,上门时多敲门"):
            assert value in text


async def test_demo_loaded_on_the_first_run_says_demo_in_the_header(db_path):
    from console.screens.dashboard import DashboardScreen

    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert t("app.demo_badge") not in screen_text(app).split("\n")[0]  # the header line
        await pilot.press("d")
        await wait_until(
            pilot, lambda: isinstance(app.screen, DashboardScreen), "the demo is loaded", limit=120
        )
        await settle(app, pilot)
        header = screen_text(app).split("\n")[0]
        assert t("app.demo_badge") in header  # as when the console is started again on it
