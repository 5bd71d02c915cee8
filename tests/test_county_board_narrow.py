"""The county board at 80 columns (Chinese) and 120 (English): every column on screen, none cut."""

from __future__ import annotations

import pytest

from console import i18n
from console.config import Config
from db.county import sync
from tests.county_pg import county_url, pg_cluster  # noqa: F401 - fixtures
from tests.test_ui import screen_text

LONG_NAME = "花厅口村疫情防控临时指挥部"  # 26 cells: the board's widest column before the fix


@pytest.mark.parametrize(("language", "size"), [("zh", (80, 24)), ("en", (120, 36))])
async def test_the_boards_columns_fit_without_scrolling_sideways(post_db, county_url, language, size):
    from console.screens.county.board import CountyApp

    sync.sync(post_db, county_url, post_name=LONG_NAME)
    i18n.set_language(language)
    app = CountyApp(Config(language=language), county_url)
    async with app.run_test(size=size) as pilot:
        for _ in range(100):
            if app.loads:
                break
            await pilot.pause(0.05)
        await pilot.pause(0.2)
        table = app.query_one("#county-posts")
        text = screen_text(app)
        assert table.max_scroll_x == 0  # every column on screen: nothing scrolled off to the right
        synced = app.figures[0].synced_at.astimezone(app.config.tz).strftime("%H:%M")
        assert synced in text and i18n.t("county.state_ok") in text
        cell_lines = [line.split()[0] for line in text.split("\n") if line.strip()]
        if size[0] == 80:  # the name wraps in its column rather than being cut
            assert all(part in cell_lines for part in ("花厅口村疫", "情防控临时", "指挥部"))
