"""Rules that the CLI and the screens used to check each on their own, now one function of db/ each
(issue 17): what a scanned pass's payload may be shown as, and what counts as a busy database."""

from __future__ import annotations

import sqlite3

from db.errors import is_busy
from db.passes.check import Verdict

CLAIMED = object()  # stands for a payload's PassFields: these tests look only at whether it is passed on


def _verdict(verdict: str) -> Verdict:
    return Verdict(verdict, CLAIMED, None, "卡口", 0)  # type: ignore[arg-type]


def test_a_forged_payload_s_fields_are_never_shown_as_the_pass_s_own():
    assert _verdict("FORGED").trusted_fields is None


def test_every_other_verdict_with_fields_shows_them():
    for verdict in ("UNKNOWN", "REVOKED", "NOT_YET_VALID", "EXPIRED", "CROSS_GRID", "VALID"):
        assert _verdict(verdict).trusted_fields is CLAIMED


def test_a_write_lock_held_past_the_timeout_is_busy(tmp_path):
    path = tmp_path / "post.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("create table t (x)")
    holder.execute("begin immediate")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("insert into t values (1)")
    except sqlite3.OperationalError as err:
        assert is_busy(err)
    else:
        raise AssertionError("the second write was not refused")
    finally:
        holder.execute("rollback")
        holder.close()
        other.close()


def test_other_database_errors_are_not_busy(tmp_path):
    with sqlite3.connect(tmp_path / "post.db") as conn:
        try:
            conn.execute("select * from missing")
        except sqlite3.OperationalError as err:
            assert not is_busy(err)
    assert not is_busy(ValueError("readonly"))
