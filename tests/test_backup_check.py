"""Which check a backup runs (issue 18): the schema only by default (a backup was 12x a plain
copy, integrity_check 0.77 s of its 1.07 s at county size, and quick_check 2-4x the copy), the
full integrity_check when asked (`backup --check`), on the first rolling backup of each day, and
on every restore."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from console.cli import main
from db.backup import copies as backup


@pytest.fixture
def checks(monkeypatch):
    """The ``full`` flag of every check a backup or restore ran, in order."""
    seen: list[bool] = []
    original = backup._check_copy

    def spy(path, *, full=True):
        seen.append(full)
        return original(path, full=full)

    monkeypatch.setattr(backup, "_check_copy", spy)
    return seen


def test_backup_checks_only_the_schema_unless_asked(post_db, db_path, tmp_path, checks):
    assert main(["--db", str(db_path), "backup", str(tmp_path / "a.db")]) == 0
    assert main(["--db", str(db_path), "backup", str(tmp_path / "b.db"), "--check"]) == 0
    backup.backup_database(db_path, tmp_path / "c.db")
    assert checks == [False, True, False]


def test_first_rolling_backup_of_each_day_is_checked_fully(post_db, db_path, checks):
    folder = backup.backup_folder(db_path)
    start = datetime(2022, 4, 10, 23, 0)
    for n in range(4):  # 23:00, 23:30, then 00:00 and 00:30 the next day
        backup.take_rolling_backup(db_path, folder, keep=10, now=start + timedelta(minutes=30 * n))
    assert checks == [True, False, True, False]


def test_restore_always_checks_fully(post_db, db_path, tmp_path, checks):
    backup.backup_database(db_path, tmp_path / "a.db")
    checks.clear()
    assert main(["--db", str(db_path), "restore", str(tmp_path / "a.db"), "--check"]) == 0
    assert checks == [True]
