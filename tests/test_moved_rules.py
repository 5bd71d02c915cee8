"""Rules that the CLI and the screens used to check each on their own, now one function of db/ each
(issue 17): what a scanned pass's payload may be shown as, what counts as a busy or a read-only
database, and which lines stop a chain of orders."""

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


def test_a_write_to_a_read_only_connection_is_told_apart(tmp_path):
    from db.errors import is_read_only

    path = tmp_path / "post.db"
    with sqlite3.connect(path) as conn:
        conn.execute("create table t (x)")
    reader = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        reader.execute("insert into t values (1)")
    except sqlite3.OperationalError as err:
        assert is_read_only(err) and not is_busy(err)
    else:
        raise AssertionError("the read-only connection wrote")
    finally:
        reader.close()
    assert not is_read_only(sqlite3.OperationalError("database is locked"))


def test_a_line_asked_about_stops_a_chain_of_orders_but_no_other_chain():
    from db.intake.chain_plan import ASK, OK, ChainPlan, Decision, stopping_lines

    decisions = [Decision(1, OK), Decision(2, ASK, "no_door")]
    assert stopping_lines(ChainPlan("orders", "1", [None, None], decisions)) == [(1, decisions[1])]
    for kind in ("households", "tests"):
        assert stopping_lines(ChainPlan(kind, "1", [None, None], decisions)) == []
