"""cmdpost roster plan / checkin / checkout / noshow: the contract scripts rely on, roles, and bad input."""

from __future__ import annotations

import json
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.cli import main
from db import connection
from db.grids import writes
from db.records import StaffInput
from db.roster import writes as roster
from tests.test_roster_plan import DAY, DUTY

AT = ["--at", "2022-04-10 09:30"]
PIN = "246810"


@pytest.fixture
def plan_file(post_db, db_path):
    writes.add_duty_post("卡口", "1", "村口卡口")
    writes.upsert_staff(
        [
            StaffInput(
                "甲", "志愿者", "1", phone="17000200001", birth_year=1990, last_negative_test="2022-04-10"
            ),
            StaffInput(
                "乙", "志愿者", "1", phone="17000200002", birth_year=1992, last_negative_test="2022-04-10"
            ),
            StaffInput(
                "丙", "志愿者", "2", phone="17000200003", birth_year=1985, last_negative_test="2022-04-10"
            ),
        ],
        actor="t",
    )
    roster.generate_shifts(DUTY, DAY, 1)
    post_db.close()
    yield db_path
    connection.AFTER_OPEN.clear()


def live(path) -> int:
    with sqlite3.connect(path) as con:
        return con.execute("SELECT count(*) FROM assignment WHERE removed_at IS NULL").fetchone()[0]


def test_plan_json_gives_assignments_open_places_and_fairness(plan_file, capsys):
    assert (
        main(
            [
                "roster",
                "plan",
                "--db",
                str(plan_file),
                "--from",
                "2022-04-11",
                "--days",
                "1",
                *AT,
                "--format",
                "json",
            ]
        )
        == 0
    )
    record = json.loads(capsys.readouterr().out)
    assert {"assignments", "open", "fairness", "complete", "soft_broken", "avoided"} <= set(record)
    assert len(record["assignments"]) == 4 and record["applied"] is None
    assert {"staff_id", "shift_id", "post", "start", "warnings", "warning_text"} <= set(
        record["assignments"][0]
    )
    assert record["open"] and all(o["reason"] == "taken" and o["reason_text"] for o in record["open"])
    assert set(record["fairness"]) == {
        "people",
        "nights_min",
        "nights_max",
        "nights_spread",
        "hours_min",
        "hours_max",
    }
    assert record["soft_broken"] == 1  # 丙 stands outside their grid: listed, not hidden
    assert live(plan_file) == 0


def test_plan_apply_writes_with_the_reason_on_record(plan_file, capsys):
    assert (
        main(
            [
                "roster",
                "plan",
                "--db",
                str(plan_file),
                "--from",
                "2022-04-11",
                "--days",
                "1",
                *AT,
                "--apply",
                "--override",
                "人手不足",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "已写入 4 条排班" in out and "窜格" in out
    with sqlite3.connect(plan_file) as con:
        assert con.execute("SELECT override_reason FROM assignment WHERE warnings <> ''").fetchall() == [
            ("人手不足",)
        ]
    assert live(plan_file) == 4


def test_applying_a_plan_needs_a_signed_in_operator(plan_file, monkeypatch, capsys):
    monkeypatch.setenv("CMDPOST_NEW_PIN", PIN)
    assert main(["--db", str(plan_file), "user", "add", "laoli", "--role", "admin"]) == 0
    monkeypatch.setenv("CMDPOST_PIN", PIN)
    assert (
        main(["--db", str(plan_file), "--user", "laoli", "user", "add", "zhao", "--role", "supervisor"]) == 0
    )
    assert (
        main(["--db", str(plan_file), "--user", "laoli", "user", "add", "xiaolin", "--role", "operator"]) == 0
    )
    monkeypatch.delenv("CMDPOST_PIN")
    args = ["roster", "plan", "--db", str(plan_file), "--from", "2022-04-11", "--days", "1", *AT, "--apply"]
    assert main(args) == 1 and live(plan_file) == 0  # nobody signed in
    monkeypatch.setenv("CMDPOST_PIN", PIN)
    assert main(["--user", "zhao", *args]) == 1 and live(plan_file) == 0  # a supervisor only looks
    capsys.readouterr()
    assert main(["--user", "xiaolin", *args]) == 0 and live(plan_file) == 4
    assert main(args[:-1]) == 0  # the plan itself is a read: no sign-in needed


def test_attendance_from_the_command_line(plan_file, capsys):
    with sqlite3.connect(plan_file) as con:
        jia = con.execute("SELECT id FROM staff WHERE name = '甲'").fetchone()[0]
        first, second = [r[0] for r in con.execute("SELECT id FROM shift ORDER BY starts_at LIMIT 2")]
    database = connection.open_database(plan_file)
    roster.assign(DUTY, jia, first, actor="t", now=1649554200)
    roster.assign(DUTY, jia, second, actor="t", now=1649554200, override="人手紧张")
    database.close()
    db = ["--db", str(plan_file)]
    assert main(["roster", "checkin", str(jia), str(first), *db, "--at", "2022-04-11 00:05"]) == 0
    assert main(["roster", "checkout", str(jia), str(first), *db, "--at", "2022-04-11 08:00"]) == 0
    assert main(["roster", "noshow", str(jia), str(second), *db, "--at", "2022-04-11 09:00"]) == 0
    with sqlite3.connect(plan_file) as con:
        assert [r[0] for r in con.execute("SELECT state FROM assignment ORDER BY shift_id")] == [
            "done",
            "no_show",
        ]
    capsys.readouterr()
    assert main(["roster", "checkin", "9999", str(first), *db]) == 1
    assert main(["roster", "checkout", str(jia), str(second), *db]) == 1  # a no-show never checked in
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("cmdpost: ") for line in err)


def test_bad_plan_arguments_are_one_line(plan_file, capsys):
    db = ["--db", str(plan_file)]
    assert main(["roster", "plan", *db, "--from", "明天", "--days", "1"]) == 1
    assert main(["roster", "plan", *db, "--from", "2022-04-11", "--days", "40"]) == 1
    assert main(["roster", "plan", *db, "--from", "2022-04-11", "--grid", "99"]) == 1
    assert main(["roster", "plan", *db, "--from", "2022-04-11", "--seconds", "0"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 4 and all(line.startswith("cmdpost: ") for line in err)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.text(max_size=20), days=st.integers(-5, 100), grid=st.one_of(st.none(), st.text(max_size=6)))
def test_any_plan_arguments_answer_without_a_traceback(plan_file, capsys, first, days, grid):
    args = [
        "roster",
        "plan",
        "--db",
        str(plan_file),
        "--from",
        first,
        "--days",
        str(days),
        "--seconds",
        "5",
        *AT,
    ]
    if grid is not None:
        args += ["--grid", grid]
    try:
        code = main(args)
    except SystemExit as usage:
        code = usage.code
    assert code in (0, 1, 2)
    assert "Traceback" not in capsys.readouterr().err
    assert live(plan_file) == 0
