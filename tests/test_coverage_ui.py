"""The coverage board and the assign flow, driven with keys; and the supervisor's read-only console."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from console.screens.roster.coverage import CoverageScreen
from console.screens.roster.shift_panel import ShiftPanel
from db.roster import queries as roster_queries
from tests.conftest import FIXED_NOW, make_app, settle
from widgets.coverage_timeline import CoverageTimeline

NOW = int(FIXED_NOW.timestamp())


def headline(app) -> str:
    return str(app.screen.query_one("#coverage-headline", Static).render())


def current_gap() -> int:
    return next(r.gap for r in roster_queries.coverage(NOW, NOW + 1))


async def test_board_shows_gaps_and_a_gap_is_filled_with_two_keys(roster_post, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, CoverageScreen)
        assert "现在  1" in headline(app)  # 08-16 needs 2, has 1
        timeline = app.screen.query_one(CoverageTimeline)
        assert [row.label for row in timeline.rows] == ["1 村口卡口"]
        await pilot.press("enter")  # the cursor starts on the current hour of the first post
        await settle(app, pilot)
        assert isinstance(app.screen, ShiftPanel)
        candidates = app.screen.query_one("#shift-candidates", DataTable)
        names = [str(candidates.get_row_at(i)[0]) for i in range(candidates.row_count)]
        assert names[:2] == ["许文倡", "乙"]  # same grid, no hours, no warnings; 丁-like roles never listed
        await pilot.press("down", "a")
        await settle(app, pilot)
        assert current_gap() == 0
        people = app.screen.query_one("#shift-people", DataTable)
        assert [str(people.get_row_at(i)[0]) for i in range(people.row_count)] == ["甲", "乙"]
        await pilot.press("escape")
        await settle(app, pilot)
        assert "现在  0" in headline(app)


async def test_no_show_reopens_the_place(roster_post, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("shift+tab", "m")  # to the people on the shift; mark the first a no-show
        await settle(app, pilot)
        assert current_gap() == 2


async def test_supervisor_console_starts_on_the_board_and_cannot_assign(roster_post, db_path):
    roster_post.close()
    app = make_app(db_path, readonly=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, CoverageScreen)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ShiftPanel)
        assert app.screen.query_one("#shift-candidates", DataTable).row_count == 0
        await pilot.press("a", "x", "m")
        await settle(app, pilot)
        assert current_gap() == 1
        assert not app.screen.check_action("assign_candidate", ())


async def test_grid_filter_shows_names_literally(roster_post, db_path):
    from textual.widgets import Select

    from db.grids import writes
    from db.records import GridInput
    from tests.test_ui import screen_text

    writes.upsert_grids([GridInput("2", "[bold]第二网格")], actor="t")
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        app.screen.query_one("#coverage-grid", Select).expanded = True
        await settle(app, pilot)
        assert "2 [bold]第二网格" in screen_text(app)


async def test_adding_a_shift_with_an_impossible_head_count_says_so_and_adds_nothing(roster_post, db_path):
    from textual.widgets import Input

    shifts = len(roster_queries.coverage(NOW - 48 * 3600, NOW + 96 * 3600))
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        await pilot.press("plus")
        await settle(app, pilot)
        app.screen.query_one("#edit-need", Input).value = "-"  # the integer field lets a lone sign through
        await pilot.press("enter")
        await settle(app, pilot)
        result = str(app.screen.query_one("#dialog-result", Static).render())
        assert "需要人数 - 不对" in result and "时间" not in result
    assert len(roster_queries.coverage(NOW - 48 * 3600, NOW + 96 * 3600)) == shifts


async def test_copying_a_day_for_a_number_of_days_that_is_not_a_number_says_so(roster_post, db_path):
    from textual.widgets import Input

    from console.screens.roster.dialogs import CopyDayDialog

    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, CopyDayDialog)
        app.screen.query_one("#copy-days", Input).value = "-"
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CopyDayDialog)  # still open, and the app still running
        assert "天数 - 不对" in str(app.screen.query_one("#dialog-result", Static).render())


async def test_one_key_plans_the_gaps_and_the_preview_is_accepted(roster_post, db_path):
    from console.screens.roster.plan import PlanScreen

    before = roster_post.execute_sql("SELECT count(*) FROM assignment WHERE removed_at IS NULL").fetchone()[0]
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        for _ in range(50):  # the solver runs in its own thread
            if not screen.running:
                break
            await pilot.pause(0.1)
        await settle(app, pilot)
        rows = screen.query_one("#plan-rows", DataTable)
        planned = rows.row_count
        warned = next(i for i, a in enumerate(screen.result.assignments) if a.warnings)
        rows.move_cursor(row=warned)  # its warnings, whole, under the table (80 columns cut their column)
        await settle(app, pilot)
        assert str(screen.query_one("#plan-detail", Static).render()).startswith("! ")
        assert planned and "乙" in "".join(str(rows.get_row_at(i)[2]) for i in range(planned))
        assert (
            roster_post.execute_sql("SELECT count(*) FROM assignment WHERE removed_at IS NULL").fetchone()[0]
            == before
        )  # a preview writes nothing
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, CoverageScreen)
        assert (
            roster_post.execute_sql("SELECT count(*) FROM assignment WHERE removed_at IS NULL").fetchone()[0]
            == before + planned
        )
        assert "现在  0" in headline(app)


async def test_a_discarded_plan_writes_nothing(roster_post, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        await pilot.press("f")
        for _ in range(50):
            if not getattr(app.screen, "running", False):
                break
            await pilot.pause(0.1)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, CoverageScreen)
        assert current_gap() == 1


async def test_the_board_says_why_the_place_under_the_cursor_is_still_open(roster_post, db_path):
    # 乙's test has lapsed: nobody else in the grid passes the hard rules for 甲's shift's second place.
    roster_post.execute_sql("UPDATE staff SET last_negative_test = '2022-04-01' WHERE name = '乙'")
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        why = app.screen.query_one("#coverage-why", Static)
        timeline = app.screen.query_one(CoverageTimeline)
        assert timeline.shift_at(timeline.cursor_row, timeline.cursor_hour).gap == 1
        await pilot.press("right", "left")  # the cursor moves onto the open place again
        await settle(app, pilot)
        assert why.display and "缺1人" in str(why.render())
        assert "核酸过期" in str(why.render()) or "可排" in str(why.render())
        roster_post.execute_sql("UPDATE shift SET needed = 1")  # now full: the line goes
        await pilot.press("right", "left")
        await settle(app, pilot)
        assert not why.display
