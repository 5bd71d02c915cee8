"""A pre-filled field is replaced by what the operator types, and the zone dialog starts on the
zone that is selected (issue 16, item 2)."""

from __future__ import annotations

from textual.widgets import Input, RadioSet

from console.screens.dialogs.prompt import PromptDialog
from console.screens.dialogs.zone import ZoneDialog
from tests.conftest import make_app, settle


async def test_typing_into_a_prefilled_prompt_replaces_the_default(post_db, db_path):
    answers = []
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.push_screen(PromptDialog("网格", [("grid", "网格编号", "3")]), answers.append)
        await settle(app, pilot)
        await pilot.press("2", "enter")
        await settle(app, pilot)
    assert answers == [{"grid": "2"}]


async def test_tabbing_to_a_prefilled_field_selects_it_so_typing_replaces_it(post_db, db_path):
    answers = []
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.push_screen(
            PromptDialog("退回", [("run", "路线", "2"), ("item", "物资", "鸡蛋")]), answers.append
        )
        await settle(app, pilot)
        await pilot.press("tab", *"大米", "enter")
        await settle(app, pilot)
    assert answers == [{"run": "2", "item": "大米"}]


async def test_zone_dialog_starts_on_the_selected_zone(post_db, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("z")
        await settle(app, pilot)
        assert isinstance(app.screen, ZoneDialog)
        choice = app.screen.query_one(RadioSet)
        assert app.screen.focused is choice
        buttons = list(choice.query("RadioButton"))
        assert choice._selected == buttons.index(choice.pressed_button)  # the highlight is the selection
        assert not app.screen.query_one("#zone-reason", Input).value


async def test_zone_dialog_checkbox_stays_inside_the_border_in_english(post_db, db_path):
    app = make_app(db_path, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("z")
        await settle(app, pilot)
        box = app.screen.query_one("#zone-children").region
        frame = app.screen.query_one("ZoneDialog > Vertical").content_region
        assert box.right <= frame.right
