"""Issue 16's last screens at 80×24 (Chinese) and 120×36 (English): the command palette."""

from __future__ import annotations

from textual.command import CommandList

from console.i18n import t
from tests.conftest import make_app, settle, wait_until


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
