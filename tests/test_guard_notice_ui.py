"""An admin is told, after signing in, of guard triggers found removed outside cmdpost."""

from __future__ import annotations

from tests.conftest import make_app, settle
from tests.test_guard_triggers import _raw
from tests.test_sign_in_ui import PIN, closed_app, sign_in


def _notices(app) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


async def test_an_admin_sees_the_restored_guards_after_sign_in(post_db, db_path):
    post_db.close()
    app = closed_app(db_path)  # made before the tampering: this open finds nothing
    app.database.close()
    _raw(db_path, "DROP TRIGGER handoff_no_update")
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot.app, pilot)
        assert "handoff_no_update" not in _notices(app)  # nothing before the PIN
        await sign_in(pilot, "boss", PIN)
        await settle(pilot.app, pilot)
        assert "handoff_no_update" in _notices(app) and "防护触发器" in _notices(app)


async def test_a_supervisor_is_not_told_and_the_admin_only_once(post_db, db_path):
    post_db.close()
    closed_app(db_path).database.close()
    _raw(db_path, "DROP TRIGGER handoff_no_update")
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot.app, pilot)
        await sign_in(pilot, "watch", PIN)
        await settle(pilot.app, pilot)
        assert "handoff_no_update" not in _notices(app)
    app.database.close()
    for expected in (True, False):  # shown at the admin's next sign-in, not at every one after
        app = make_app(db_path)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot.app, pilot)
            await sign_in(pilot, "boss", PIN)
            await settle(pilot.app, pilot)
            assert ("handoff_no_update" in _notices(app)) is expected
        app.database.close()


async def test_a_post_without_accounts_shows_what_this_open_found(post_db, db_path):
    post_db.close()
    _raw(db_path, "DROP TRIGGER handoff_no_delete")
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot.app, pilot)
        assert "handoff_no_delete" in _notices(app)
