"""The sign-up screen (s on the coverage board): a pasted chain read line by line, then recorded whole."""

from __future__ import annotations

from textual.widgets import TextArea

from console.screens.roster.coverage import CoverageScreen
from console.screens.roster.signup import SignupScreen
from tests.conftest import make_app, settle
from tests.test_ui import screen_text

CHAIN = "明天卡口接龙\n1. 甲 早班\n2. 乙 中班\n3. 王五 早班\n"


def counts(db) -> tuple[int, int]:
    return (
        db.execute_sql("SELECT count(*) FROM availability").fetchone()[0],
        db.execute_sql("SELECT count(*) FROM assignment WHERE removed_at IS NULL").fetchone()[0],
    )


async def paste_and_read(app, pilot, text: str) -> SignupScreen:
    screen = app.screen
    assert isinstance(screen, SignupScreen)
    screen.query_one(TextArea).text = text
    await pilot.press("ctrl+r")
    await settle(app, pilot)
    return screen


async def test_a_chain_is_read_asked_about_then_recorded_as_offers_and_assignments(roster_post, db_path):
    before = counts(roster_post)
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, CoverageScreen)
        await pilot.press("s")
        await settle(app, pilot)
        await paste_and_read(app, pilot, CHAIN)
        text = screen_text(app)
        assert "待核对" in text and "王五" in text and "甲 #" in text
        await pilot.press("end")  # the unknown person's line: its whole reason is shown under the table
        await settle(app, pilot)
        assert "不在工作人员名单" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert counts(roster_post) == before  # a line to check: nothing written, not even the clear ones
        await paste_and_read(app, pilot, CHAIN.replace("3. 王五 早班\n", ""))
        await pilot.press("home", "space")  # 甲's line: straight onto the morning shift
        await settle(app, pilot)
        assert "村口卡口" in screen_text(app) and "直接排班" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    assert counts(roster_post) == (before[0] + 1, before[1] + 1)
    row = roster_post.execute_sql(
        "SELECT st.name, a.created_by FROM assignment a JOIN staff st ON st.id = a.staff_id"
        " ORDER BY a.id DESC LIMIT 1"
    ).fetchone()
    assert row == ("甲", "tester")
    offer = roster_post.execute_sql(
        "SELECT st.name FROM availability v JOIN staff st ON st.id = v.staff_id"
    ).fetchone()
    assert offer == ("乙",)


async def test_a_refused_assignment_shows_its_reason_and_nothing_is_written(roster_post, db_path):
    before = counts(roster_post)
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        # Each line alone fits; together 甲 would stand the same shift twice, which the rules refuse.
        await paste_and_read(app, pilot, "明天卡口接龙\n1. 乙 中班\n2. 甲 早班\n3. 甲 早班\n")
        await pilot.press("ctrl+t")  # every line as a direct assignment
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("end")
        await settle(app, pilot)
        assert "×" in screen_text(app) and "第 4 行" in screen_text(app)
    assert counts(roster_post) == before


async def test_a_read_only_console_cannot_record(roster_post, db_path):
    app = make_app(db_path, readonly=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.push_screen(SignupScreen())
        await settle(app, pilot)
        await paste_and_read(app, pilot, CHAIN.replace("3. 王五 早班\n", ""))
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    assert counts(roster_post)[0] == 0
