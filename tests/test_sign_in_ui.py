"""Sign-in at start, the idle lock, the demo's skip, and the audit screen, driven through the app."""

from __future__ import annotations

import dataclasses

from textual.widgets._toast import Toast

from console.screens.audit.trail import AuditScreen
from console.screens.dashboard import DashboardScreen
from console.screens.roster.coverage import CoverageScreen
from console.screens.sign_in import SignInScreen
from db.accounts import operators as accounts
from db.connection import open_database
from db.grids.dashboard import first_look
from db.thread import DatabaseThread
from tests.conftest import FIXED_NOW, make_app, settle, wait_until
from widgets.post_header import PostHeader
from widgets.tile_board import TileBoard

NOW = int(FIXED_NOW.timestamp())
PIN = "246810"


def closed_app(db_path, **config_changes):
    database = open_database(db_path)
    accounts.add_account("boss", "admin", PIN, now=NOW)
    accounts.sign_in("boss", PIN, now=NOW)
    accounts.add_account("watch", "supervisor", PIN, now=NOW)
    accounts.sign_out()
    database.close()
    app = make_app(db_path)
    app.config = dataclasses.replace(app.config, **config_changes)
    return app


async def sign_in(pilot, name: str, pin: str) -> None:
    await pilot.click("#signin-name")
    await pilot.press(*name, "enter", *pin, "enter")
    await settle(pilot.app, pilot)


async def test_tab_moves_from_the_name_to_the_pin_and_signs_in(post_db, db_path):
    post_db.close()
    app = closed_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot.app, pilot)
        await pilot.click("#signin-name")
        await pilot.press(*"boss", "tab")
        assert app.screen.focused.id == "signin-pin"
        await pilot.press(*PIN, "enter")
        await settle(pilot.app, pilot)
        assert isinstance(app.screen, DashboardScreen) and app.actor == "boss"


async def test_closed_post_asks_for_a_pin_and_refuses_a_wrong_one(post_db, db_path):
    post_db.close()
    app = closed_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot.app, pilot)
        assert isinstance(app.screen, SignInScreen)
        await sign_in(pilot, "boss", "999999")
        assert isinstance(app.screen, SignInScreen)
        assert "还可再试 4 次" in str(app.screen.query_one("#signin-message").render())
        await sign_in(pilot, "", PIN)  # the name is still there; only the PIN is retyped
        assert isinstance(app.screen, DashboardScreen)
        assert app.actor == "boss"
        assert "boss（管理员）" in str(app.screen.query_one(PostHeader).render())


async def test_supervisor_console_offers_no_writes(post_db, db_path):
    post_db.close()
    app = closed_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot.app, pilot)
        await sign_in(pilot, "watch", PIN)
        assert isinstance(app.screen, CoverageScreen) and app.readonly  # what supervisors come for
        await pilot.press("escape")
        await settle(pilot.app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("z")  # the zone dialog is a write: not offered
        await settle(pilot.app, pilot)
        assert isinstance(app.screen, DashboardScreen)


async def test_idle_console_locks_and_unlocks_with_the_pin(post_db, db_path):
    post_db.close()
    app = closed_app(db_path, idle_lock_minutes=1)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot.app, pilot)
        await sign_in(pilot, "boss", PIN)
        app._last_input -= 61
        app._lock_if_idle()
        await settle(pilot.app, pilot)
        assert isinstance(app.screen, SignInScreen) and app.screen.locked_for == "boss"
        await pilot.press("ctrl+p", "z")  # neither the palette nor the screens below are reachable
        await settle(pilot.app, pilot)
        assert isinstance(app.screen, SignInScreen)
        app.screen.query_one("#signin-pin").value = ""
        await pilot.press(*"000000", "enter")
        await settle(pilot.app, pilot)
        assert isinstance(app.screen, SignInScreen)
        await pilot.press(*PIN, "enter")
        await settle(pilot.app, pilot)
        assert isinstance(app.screen, DashboardScreen) and app.actor == "boss"


async def test_demo_post_skips_sign_in_as_its_admin(post_db, db_path):
    accounts.add_account("admin", "admin", PIN, now=NOW)
    post_db.close()
    app = make_app(db_path, demo=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot.app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert app.actor == "admin"


async def test_the_demos_sign_in_is_told_after_the_first_frame(post_db, db_path, monkeypatch):
    """The toast that says the demo's admin is signed in without a PIN: not drawn with the first
    frame (its widgets cost it 5 ms), but shown once that frame is settled."""
    accounts.add_account("admin", "admin", PIN, now=NOW)
    post_db.close()
    monkeypatch.setattr("console.session_flow.DEMO_NOTICE_AFTER_SECONDS", 0.2)
    toasts_drawn_with_the_board: list[int] = []
    original = TileBoard.render_lines

    def render_lines(self, crop):
        toasts_drawn_with_the_board.append(len(self.screen.query(Toast)))
        return original(self, crop)

    monkeypatch.setattr(TileBoard, "render_lines", render_lines)
    app = make_app(db_path, demo=True)
    thread = DatabaseThread()  # as the console starts: the first look signs the demo's admin in
    look = thread.submit(first_look, FIXED_NOW.date().isoformat(), with_board=True, demo_sign_in=True)
    assert look.result().demo_signed_in
    app.db_thread, app._first_look = thread, look
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await settle(pilot.app, pilot)
        await wait_until(pilot, lambda: len(app.screen.query(Toast)) == 1, "the demo's notice shown")
        assert toasts_drawn_with_the_board[0] == 0  # the first frame
        assert [n.message for n in app._notifications] == ["演示指挥部免登录：以管理员 admin 身份操作。"]
        assert len(app.screen.query(Toast)) == 1


async def test_audit_screen_lists_changes_newest_first_and_verifies(post_db, db_path):
    from db.grids import writes

    writes.change_zone(1, "controlled", "连续7天无新增", actor="tester")
    post_db.close()
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot.app, pilot)
        await pilot.press("a")
        await settle(pilot.app, pilot)
        assert isinstance(app.screen, AuditScreen)
        table = app.screen.query_one("#audit-table")
        newest = table.cursor_value
        assert newest.table_name == "grid" and newest.after["zone"] == "controlled"
        await pilot.press("enter")
        await settle(pilot.app, pilot)
        assert "封控区" in app.export_screenshot() and "管控区" in app.export_screenshot()
        await pilot.press("escape")
        await pilot.press("v")
        await settle(pilot.app, pilot)
        assert "审计链完好" in str(app.screen.query_one("#audit-status").render())


async def test_checking_the_chain_leaves_the_database_thread_to_the_other_screens(
    post_db, db_path, monkeypatch
):
    import threading

    from db.audit import trail as audit

    threads = []
    real = audit.verify_chain

    def watched(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(audit, "verify_chain", watched)
    post_db.close()
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot.app, pilot)
        await pilot.press("a")
        await settle(pilot.app, pilot)
        await pilot.press("v")
        await settle(pilot.app, pilot)
        assert "审计链完好" in str(app.screen.query_one("#audit-status").render())
    assert len(threads) == 1 and not threads[0].startswith("cmdpost-db")


async def test_audit_screen_filters_by_the_person_chosen(post_db, db_path):
    from db.audit import trail as audit
    from db.grids import writes
    from widgets.choice_field import ChoiceField

    writes.change_zone(1, "controlled", "连续7天无新增", actor="tester")
    post_db.guard.fallback_actor = "另一人"  # the trail names whoever the connection says is at the keyboard
    writes.change_zone(3, "controlled", "密接", actor="另一人")
    everyone = audit.count_entries()
    post_db.close()
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot.app, pilot)
        await pilot.press("a")
        await settle(pilot.app, pilot)
        app.screen.query_one("#audit-actor", ChoiceField).value = "另一人"
        await settle(pilot.app, pilot)
        table = app.screen.query_one("#audit-table")
        assert 1 <= table.total < everyone and table.cursor_value.actor == "另一人"
        assert app.screen.filters.actor == "另一人" and app.screen.filters.grid_id is None


async def test_palette_is_closed_before_sign_in_and_offers_sign_out_after(post_db, db_path):
    post_db.close()
    app = closed_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot.app, pilot)
        await pilot.press("ctrl+p")
        await settle(pilot.app, pilot)
        assert isinstance(app.screen, SignInScreen)
        await sign_in(pilot, "boss", PIN)
        app.switch_user()
        await settle(pilot.app, pilot)
        assert isinstance(app.screen, SignInScreen) and app.session is None
        await sign_in(pilot, "watch", PIN)
        assert app.actor == "watch" and app.readonly


async def test_palette_says_no_matches_in_chinese(post_db, db_path):
    post_db.close()
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot.app, pilot)
        await pilot.press("ctrl+p", *"qqqzzz")
        # Textual waits a moment before saying there are no matches
        await wait_until(
            pilot, lambda: "没有匹配的项" in app.export_screenshot(), "the palette says no matches"
        )
