"""Snapshots of the main screens (update with: pytest tests/test_snapshots.py --snapshot-update)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import make_app
from tests.test_supply_ui import supply_post  # noqa: F401  (a fixture)


async def _wait_for_data(pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_dashboard(post_db, db_path, snap_compare):
    assert snap_compare(make_app(db_path), terminal_size=(120, 36), run_before=_wait_for_data)


def test_dashboard_at_80_by_24(post_db, db_path, snap_compare):
    assert snap_compare(make_app(db_path), terminal_size=(80, 24), run_before=_wait_for_data)


def test_grid_pane(post_db, db_path, snap_compare):
    async def open_first_grid(pilot):
        await _wait_for_data(pilot)
        await pilot.press("enter")
        await _wait_for_data(pilot)

    assert snap_compare(make_app(db_path), terminal_size=(120, 36), run_before=open_first_grid)


def test_zone_dialog(post_db, db_path, snap_compare):
    async def open_dialog(pilot):
        await _wait_for_data(pilot)
        await pilot.press("z")
        await _wait_for_data(pilot)

    assert snap_compare(make_app(db_path), terminal_size=(100, 30), run_before=open_dialog)


def test_first_run(tmp_path, monkeypatch, snap_compare):
    monkeypatch.chdir(tmp_path)  # the screen shows the database path: keep it the same on every run
    assert snap_compare(make_app(Path("post.db")), terminal_size=(100, 30), run_before=_wait_for_data)


def test_coverage_board(roster_post, db_path, snap_compare):
    async def open_board(pilot):
        await _wait_for_data(pilot)
        await pilot.press("d")
        await _wait_for_data(pilot)

    assert snap_compare(make_app(db_path), terminal_size=(120, 30), run_before=open_board)


def test_supply_screen(supply_post, db_path, snap_compare):
    """Depot stock, the day's figures, open orders and the ledger (fixed clock: tests/conftest.py)."""
    from db.connection import open_database
    from db.supply import writes as supply
    from tests.test_passes import NOW

    database = open_database(db_path)  # an open order of a special-care household, urgent
    supply.add_order("1", "花厅口村10号", [("大米", 2)], urgent=True, note="老人独居", actor="t", now=NOW)
    database.close()

    async def open_supply(pilot):
        await _wait_for_data(pilot)
        await pilot.press("h")
        await _wait_for_data(pilot)

    assert snap_compare(make_app(db_path), terminal_size=(120, 36), run_before=open_supply)
