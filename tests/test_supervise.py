"""Supervisors: a read-only connection refuses every write, and a dropped session ends the process."""

from __future__ import annotations

import os
import pty
import signal
import sqlite3
import sys
import time
from datetime import date

import pytest
from peewee import OperationalError

from db.connection import open_readonly
from db.grids import writes
from db.records import GridInput, HouseholdInput, StaffInput
from db.roster import writes as roster
from tests.test_roster import DUTY


@pytest.fixture
def readonly_post(post_db, db_path):
    writes.add_duty_post("卡口", "1", "村口卡口")
    roster.generate_shifts(DUTY, date(2022, 4, 10), 1)
    post_db.close()
    database = open_readonly(db_path)
    yield database
    database.close()


WRITES = [
    lambda: writes.upsert_grids([GridInput("9", "新网格")], actor="s"),
    lambda: writes.upsert_households([HouseholdInput("1-1", "新1号", 2)], actor="s"),
    lambda: writes.upsert_staff([StaffInput("新人", "志愿者", "1")], actor="s"),
    lambda: writes.change_zone(1, "防范区", "督导试图解封", actor="s"),
    lambda: writes.add_duty_post("卡口", "1", "新卡口"),
    lambda: roster.generate_shifts(DUTY, date(2022, 4, 11), 1),
    lambda: roster.assign(DUTY, 1, 1, actor="s", override="督导"),
    lambda: roster.cancel_shift(1, "督导取消", actor="s"),
]


@pytest.mark.parametrize("write", WRITES)
def test_every_write_fails_on_a_supervisor_connection(readonly_post, db_path, write):
    before = (
        sqlite3.connect(db_path)
        .execute("SELECT total_changes(), (SELECT count(*) FROM grid), (SELECT count(*) FROM shift)")
        .fetchone()
    )
    with pytest.raises((OperationalError, sqlite3.OperationalError), match="readonly"):
        write()
    after = (
        sqlite3.connect(db_path)
        .execute("SELECT total_changes(), (SELECT count(*) FROM grid), (SELECT count(*) FROM shift)")
        .fetchone()
    )
    assert after == before


def test_supervisor_still_reads(readonly_post):
    from db.grids import queries

    assert [g.code for g in queries.grid_summaries()] == ["1", "2", "3"]


# Not a speed limit (how fast it ends is a benchmark's business, not a test's): long enough on a loaded
# machine, it only stops a supervisor that never ends from hanging the suite.
HANG_LIMIT = 60


def test_sighup_ends_the_supervisor(post_db, db_path):
    post_db.close()
    pid, fd = pty.fork()
    if pid == 0:  # the child: a supervisor on a pseudo-terminal, as sshd would run it
        os.environ.update(LANG="C.UTF-8", TERM="xterm-256color")
        os.execv(sys.executable, [sys.executable, "-m", "console", "supervise", "--db", str(db_path)])
    try:
        deadline = time.monotonic() + HANG_LIMIT
        seen = b""
        while time.monotonic() < deadline and "缺人".encode() not in seen:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
        assert "缺人".encode() in seen  # the coverage board is up
        os.kill(pid, signal.SIGHUP)
        deadline = time.monotonic() + HANG_LIMIT
        while time.monotonic() < deadline:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            try:
                os.read(fd, 65536)
            except OSError:
                pass
            time.sleep(0.05)
        else:
            os.kill(pid, signal.SIGKILL)
            pytest.fail(f"the supervisor did not exit within {HANG_LIMIT} s of SIGHUP: it hangs")
    finally:
        os.close(fd)
