"""Frictions found walking an operator's whole day at 80×24 and 120×36 (issue 16): each test here
failed before its fix."""

from __future__ import annotations

from tests.conftest import make_app, settle
from tests.test_supply_ui import supply_post  # noqa: F401  (a fixture)
from tests.test_ui import screen_text


async def test_a_registers_key_acts_only_on_the_tab_in_view(post_db, db_path):
    from db.grids import queries
    from db.registers import queries as register_queries

    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter", "g")
        await settle(app, pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "s 平安" in footer and "t 已检测" not in footer
        await pilot.press("3")  # the testing tab: `s` (safe) belongs to the special-care tab, out of view
        await settle(app, pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "t 已检测" in footer and "s 平安" not in footer
        await pilot.press("s")
        await settle(app, pilot)
        assert register_queries.care_overdue_count("2022-04-10", queries.grid_by_code("1").id) == 4


async def test_a_full_shift_says_why_nobody_is_offered(roster_post, db_path):
    from textual.widgets import Static

    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        await pilot.press("enter")  # 1 of 2 on the shift now: candidates offered
        await settle(app, pilot)
        title = app.screen.query_one("#candidates-title", Static)
        assert "可以补位的人" in str(title.render())
        await pilot.press("a")  # the second place filled: nobody left to offer
        await settle(app, pilot)
        assert "本班已满" in str(title.render())


async def test_with_no_testing_round_the_call_back_list_does_not_say_all_tested(post_db, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter", "g", "3")
        await settle(app, pilot)
        text = screen_text(app)
        assert "本轮已全部检测" not in text and "还没有核酸检测轮次" in text


async def test_the_return_form_fits_an_80_by_24_terminal(supply_post, db_path):  # noqa: F811
    from textual.containers import Vertical

    app = make_app(db_path, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("h")
        await settle(app, pilot)
        await pilot.press("b")
        await settle(app, pilot)
        form = app.screen.query_one(Vertical)
        assert form.region.bottom <= 24 and app.screen.max_scroll_y == 0, (
            "its last fields are below the screen"
        )
        assert "Reason" in screen_text(app)


def test_the_audit_trails_action_and_kind_columns_hold_their_words():
    from console import i18n
    from console.screens.audit.trail import KIND_WIDTH_MOST, _widest

    for language in ("zh", "en"):
        i18n.set_language(language)
        from rich.cells import cell_len

        assert _widest("audit.op.") >= max(
            cell_len(i18n.t(f"audit.op.{op}")) for op in ("insert", "update", "event")
        )
        kinds = ("post_meta", "care_checkin", "supply_order_line", "supply_run")
        assert min(_widest("audit.table."), KIND_WIDTH_MOST) >= max(
            cell_len(i18n.t(f"audit.table.{k}")) for k in kinds
        )


async def test_a_form_without_buttons_says_how_it_is_saved(post_db, db_path):
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter", "g", "2", "b")  # a building's problem report: observer and note
        await settle(app, pilot)
        assert "回车保存,Esc 取消" in screen_text(app)
