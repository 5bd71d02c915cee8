"""Text is not cut while there is room for it (issue 16, item 3)."""

from __future__ import annotations

from textual.app import App

from tests.conftest import make_app, settle
from tests.test_ui import screen_text
from widgets.coverage_timeline import CoverageTimeline
from widgets.paged_table import Column, PagedTable


class OneTable(App):
    def compose(self):
        yield PagedTable([Column("Volunteer", 5, str), Column("Sub-grid", 4, str)], empty_text="-",
                         loading_text="…")


async def test_a_table_header_is_never_narrower_than_its_words():
    app = OneTable()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        header = screen_text(app).splitlines()[0]
        assert "Volunteer" in header and "Sub-grid" in header and "…" not in header


async def test_coverage_post_names_use_the_room_of_a_wide_terminal(roster_post, db_path):
    from db.grids import writes
    from db.roster import writes as roster
    from db.roster.settings import Duty, Rules
    from tests.conftest import FIXED_NOW

    writes.add_duty_post("卡口", "1", "花厅口村南门卡口(靠近老供销社)")
    roster.generate_shifts(Duty(Rules(), FIXED_NOW.tzinfo), FIXED_NOW.date(), 2)
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        board = app.screen.query_one(CoverageTimeline)
        assert any("靠近老供销社)" in row.label for row in board.rows)
        assert "花厅口村南门卡口(靠近老供销社)" in screen_text(app)


def test_english_tile_figures_fit_a_tile():
    from console import i18n
    from console.screens.common import tile_labels
    from db.records import GridSummary
    from widgets.grid_tile import TileCounts, tile_lines
    from widgets.tile_board import TILE_WIDTH

    i18n.set_language("en")
    summary = GridSummary(id=1, code="12", name="North", zone="controlled", households=245, residents=1234,
                          care_households=12, staff=9, leader="Lin", sealed_subgrids=0, subgrids=3)
    lines = tile_lines(summary, tile_labels(), TileCounts(tested=245, open_orders=123, handoffs_today=1234))
    inner = TILE_WIDTH - 4  # borders and padding
    assert [line.plain for line in lines[1:] if line.cell_len > inner] == []


async def test_the_import_hint_wraps_at_80_columns(post_db, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.action_open_import()
        await settle(app, pilot)
        assert "有错时不写入任何数据" in screen_text(app).replace("\n", "").replace(" ", "")
