"""Sign-up chains (接龙报名) read into availability, reviewed, and preferred by the roster plan."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.cli import main
from db.errors import RuleError
from db.intake.signup import read_signup
from db.roster import planner
from db.roster.availability import record_offers
from tests.test_roster_plan import DUTY, NOW, checkpoint  # noqa: F401  (the fixture)

TODAY = date(2022, 4, 10)
CHAIN = "明天卡口值班接龙:\n1. 甲 早班\n2. 17000200002 中班\n3、丙 夜班 配送点\n"


def test_a_clear_chain_becomes_offers(checkpoint):  # noqa: F811
    offers, problems = read_signup(CHAIN, DUTY, TODAY)
    assert not problems
    assert [(o.line, o.name, o.day, o.slot_hour, o.kind) for o in offers] == [
        (2, "甲", date(2022, 4, 11), 8, "checkpoint"),
        (3, "乙", date(2022, 4, 11), 16, "checkpoint"),
        (4, "丙", date(2022, 4, 11), 0, "delivery_point"),
    ]


def test_unknown_people_days_and_shifts_are_line_numbered_and_nothing_is_written(checkpoint):  # noqa: F811
    text = "卡口值班接龙\n1. 甲 早班\n2. 王五 明天 夜班\n3. 13900000000 明天 中班\n4. 乙 明天\n"
    offers, problems = read_signup(text, DUTY, TODAY)
    assert [(p.line, p.code) for p in problems] == [
        (2, "no_day"),
        (3, "unknown_name"),
        (4, "unknown_phone"),
        (5, "no_shift"),
    ]
    with pytest.raises(RuleError):
        record_offers(offers, problems, actor="t")  # the clear first line is not written either
    assert checkpoint.execute_sql("SELECT count(*) FROM availability").fetchone()[0] == 0
    assert checkpoint.execute_sql("SELECT count(*) FROM staff WHERE name = '王五'").fetchone()[0] == 0


def test_the_plan_prefers_who_signed_up(checkpoint):  # noqa: F811
    offers, _ = read_signup("明天卡口接龙\n1. 甲 早班\n", DUTY, TODAY)
    record_offers(offers, [], actor="t")
    result = planner.plan(DUTY, date(2022, 4, 11), 1, NOW, seconds=20)
    hours = [datetime.fromtimestamp(a.starts_at, DUTY.tz).hour for a in result.assignments if a.name == "甲"]
    assert hours == [8]


def test_signup_cli_reviews_then_records(checkpoint, db_path, tmp_path, capsys):  # noqa: F811
    checkpoint.close()
    chain = tmp_path / "chain.txt"
    chain.write_text(CHAIN, encoding="utf-8")
    args = ["roster", "signup", str(chain), "--db", str(db_path), "--today", "2022-04-10"]
    assert main(args) == 0 and "--apply" in capsys.readouterr().out
    assert main([*args, "--apply"]) == 0 and "3" in capsys.readouterr().out
    with sqlite3.connect(db_path) as con:
        assert con.execute("SELECT count(*) FROM availability").fetchone()[0] == 3
    chain.write_text(CHAIN + "4. 王五 早班\n", encoding="utf-8")
    assert main([*args, "--apply"]) == 1
    err = capsys.readouterr().err
    assert (
        "第 5 行" in err
        and "不在工作人员名单" in err
        and err.strip().splitlines()[-1].startswith("cmdpost: ")
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300))
def test_any_text_is_read_without_error(checkpoint, text):  # noqa: F811
    offers, problems = read_signup(text, DUTY, TODAY)
    assert all(o.line >= 1 for o in offers) and all(p.line >= 1 for p in problems)
