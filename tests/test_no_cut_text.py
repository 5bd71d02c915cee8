"""Text is not cut while there is room for it (issue 16, item 3)."""

from __future__ import annotations

import re

from textual.app import App

from tests.conftest import make_app, settle, wait_until
from tests.test_ui import screen_text
from widgets.coverage_timeline import CoverageTimeline
from widgets.paged_table import Column, PagedTable


class OneTable(App):
    def compose(self):
        yield PagedTable(
            [Column("Volunteer", 5, str), Column("Sub-grid", 4, str)], empty_text="-", loading_text="…"
        )


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
    from widgets.tile_geometry import TILE_WIDTH

    i18n.set_language("en")
    summary = GridSummary(
        id=1,
        code="12",
        name="North",
        zone="controlled",
        households=245,
        residents=1234,
        care_households=12,
        staff=9,
        leader="Lin",
        sealed_subgrids=0,
        subgrids=3,
    )
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


LONG_LINE = "老人家腿脚不便，麻烦志愿者放在门口的小凳子上，敲门三下就好，谢谢大家辛苦了"


class WrappingTable(App):
    def compose(self):
        from widgets.row_table import RowTable

        yield RowTable(id="t")

    def on_mount(self):
        from rich.text import Text

        table = self.query_one("#t")
        table.add_columns("行", "门牌号", "原文")
        table.fill_wrapped([[Text("1"), Text("花厅口村310号"), Text(LONG_LINE)]])


def _every_row_tall_enough_for_its_last_column(table) -> None:
    last = table.ordered_columns[-1]
    for row_key, row in table.rows.items():
        text = table.get_row(row_key)[-1]
        assert row.height * last.width >= text.cell_len, (
            f"{text.plain!r} cut to {row.height} line(s) of {last.width}"
        )


def _nothing_past_the_right_edge(table) -> None:
    assert table.virtual_size.width <= table.scrollable_content_region.width, "the table scrolls sideways"


async def test_a_long_last_column_wraps_in_the_room_there_is():
    app = WrappingTable()
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        table = app.query_one("#t")
        _nothing_past_the_right_edge(table)
        assert "".join(screen_text(app).split()).count("谢谢大家辛苦了") or LONG_LINE[-7:] in screen_text(
            app
        ).replace("\n", "").replace(" ", "")
        await pilot.resize_terminal(100, 10)  # wider: fewer lines, still nothing cut
        await pilot.pause()
        _nothing_past_the_right_edge(table)
        assert LONG_LINE in screen_text(app)


async def test_the_chain_reviews_posted_line_is_shown_whole_at_80_columns(post_db, db_path):
    from textual.widgets import TextArea

    from console.screens.intake.chain_review import ChainReviewScreen
    from widgets.row_table import RowTable

    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.push_screen(ChainReviewScreen("1", "第一网格"))
        await settle(app, pilot)
        app.screen.query_one(TextArea).insert(f"核酸接龙\n1. 花厅口村1号 3人 {LONG_LINE}\n")
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        table = app.screen.query_one(RowTable)
        _nothing_past_the_right_edge(table)
        _every_row_tall_enough_for_its_last_column(table)


async def test_shift_warnings_wrap_in_the_shift_panel_at_80_columns(roster_post, db_path, monkeypatch):
    from console.screens.roster import shift_panel
    from widgets.row_table import RowTable

    monkeypatch.setattr(
        shift_panel,
        "violation_text",
        lambda v, tz: "距上一班(花厅口村物资暂存中转站)只休息了 8.0 小时,至少需 12 小时",
    )
    from db.roster import queries as roster_queries

    real = roster_queries.candidates

    def with_a_warning(*args, **kwargs):
        from dataclasses import replace

        found = real(*args, **kwargs)
        return [replace(found[0], warnings=("rest",))] + found[1:]

    monkeypatch.setattr(shift_panel.roster_queries, "candidates", with_a_warning)
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        table = app.screen.query_one("#shift-candidates", RowTable)
        _nothing_past_the_right_edge(table)
        assert "至少需12小时" in re.sub(r"[\s█▎▊]", "", screen_text(app))


async def test_a_toast_never_splits_a_file_name(post_db, db_path):
    app = make_app(db_path)
    name = "passes-1-20261205-184400.pdf"
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        app.notify(f"已打印 2 张:/home/zhiban/.local/share/cmdpost/print/{name}", markup=False)
        await wait_until(pilot, lambda: app.screen.query("Toast"), "the toast")
        await pilot.pause(0.2)
        lines = screen_text(app).splitlines()
        assert any(f"/home/zhiban/.local/share/cmdpost/print/{name}" in line for line in lines), "\n".join(
            lines
        )


def test_a_path_starts_its_own_line_and_nothing_else_moves():
    from console.text.paths import path_on_own_line

    assert path_on_own_line("已打印 2 张:/a/b/c.pdf") == "已打印 2 张:\n/a/b/c.pdf"
    assert path_on_own_line("Wrote ~/print/x.html (3 lines)") == "Wrote\n~/print/x.html (3 lines)"
    assert path_on_own_line("已写出 /a/b/c.pdf", name_apart=True) == "已写出\n/a/b/\nc.pdf"
    for untouched in ("按 / 搜索", "已排 1/2", "3 / 4 页", "https://example.org"):
        assert path_on_own_line(untouched) == untouched


async def test_grid_tree_names_and_the_grid_title_are_whole_at_80_columns(post_db, db_path):
    from textual.widgets import Tree

    from db.grids import writes
    from db.records import GridInput

    writes.upsert_grids(
        [GridInput("1", "第一网格(花厅口村东片)"), GridInput("1-1", "第一网格第1小网格")], actor="test"
    )  # the demo's names, and a grid's title longer than a line
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter", "t")  # the first grid; the tree folds away below 110 columns
        await settle(app, pilot)
        tree = app.screen.query_one("#grid-tree", Tree)
        assert tree.display
        assert "(20) 第一网格第1小网格" in screen_text(app)
        staff_count = "人员 2"  # the title's last figure: on the screen with its label, never cut off
        assert any(line.rstrip().endswith(staff_count) for line in screen_text(app).splitlines())


async def test_a_revoke_reason_never_pushes_the_validity_off_at_80_columns(
    post_db, db_path, tmp_path, monkeypatch
):
    from db.passes import issuing as passes
    from db.records import StaffInput
    from db.roster.settings import Duty, Rules
    from tests.conftest import FIXED_NOW

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    writes_ = __import__("db.grids.writes", fromlist=["writes"])
    writes_.upsert_staff([StaffInput("甲", "志愿者", "1-1", phone="17000300001")], actor="test")
    staff = post_db.execute_sql("SELECT id FROM staff WHERE name = '甲'").fetchone()[0]
    now = int(FIXED_NOW.timestamp())
    row = passes.issue(Duty(Rules(), FIXED_NOW.tzinfo), staff, "1", actor="test", now=now)
    passes.revoke(row.serial, "志愿者报告通行证在小区东门附近遗失,已重新补办", actor="test", now=now)
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        table = app.screen.query_one("#passes-table")
        _nothing_past_the_right_edge(table)
        assert "已重新补办" in re.sub(r"\s", "", screen_text(app))


async def test_a_coverage_post_name_cut_at_80_columns_shows_it_is_cut(roster_post, db_path):
    from db.grids import writes
    from db.roster import writes as roster
    from db.roster.settings import Duty, Rules
    from tests.conftest import FIXED_NOW

    writes.add_duty_post("卡口", "1", "花厅口村物资暂存中转站(党群服务中心)")
    roster.generate_shifts(Duty(Rules(), FIXED_NOW.tzinfo), FIXED_NOW.date(), 2)
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        line = next(line for line in screen_text(app).splitlines() if "物资暂存" in line)
        assert "…|" in line.replace(" ", ""), line
