"""The shift panel acts on the person under the cursor, says states in the table's words, and asks
before removing anyone (issue 16, item 1)."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from console.screens.dialogs.confirm import YesNoDialog
from console.screens.roster.shift_panel import ShiftPanel
from tests.conftest import make_app, settle


def states(db) -> dict[str, str]:
    rows = db.execute_sql(
        "SELECT st.name, a.state FROM assignment a JOIN staff st ON st.id = a.staff_id"
        " WHERE a.removed_at IS NULL"
    ).fetchall()
    return dict(rows)


async def open_panel_with_two(app, pilot) -> None:
    await settle(app, pilot)
    await pilot.press("d")
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, ShiftPanel)
    await pilot.press("down", "a")  # 乙 joins 甲 on the shift
    await settle(app, pilot)


async def test_after_check_in_focus_and_cursor_stay_on_the_same_person(roster_post, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel_with_two(app, pilot)
        await pilot.press("shift+tab", "down", "i")  # check in 乙, the second row
        await settle(app, pilot)
        people = app.screen.query_one("#shift-people", DataTable)
        assert app.screen.focused is people and people.cursor_row == 1
        await pilot.press("m")  # still on 乙, who is on duty: refused, and 甲 is untouched
        await settle(app, pilot)
        message = str(app.screen.query_one("#shift-message", Static).render())
        assert "在岗" in message and "present" not in message
    assert states(roster_post) == {"甲": "assigned", "乙": "present"}


async def test_state_words_in_english_are_the_tables_words(roster_post, db_path):
    app = make_app(db_path, language="en")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_panel_with_two(app, pilot)
        await pilot.press("shift+tab", "i", "i")
        await settle(app, pilot)
        message = str(app.screen.query_one("#shift-message", Static).render())
        assert "on duty" in message and "'present'" not in message


async def test_removing_someone_asks_first(roster_post, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel_with_two(app, pilot)
        await pilot.press("shift+tab", "x")
        await settle(app, pilot)
        assert isinstance(app.screen, YesNoDialog)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, ShiftPanel)
        assert set(states(roster_post)) == {"甲", "乙"}
        await pilot.press("x", "y")
        await settle(app, pilot)
        assert isinstance(app.screen, ShiftPanel)
    assert set(states(roster_post)) == {"乙"}
