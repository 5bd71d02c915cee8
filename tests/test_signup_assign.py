"""Sign-up chains put straight on shifts (db/roster/signups.py): each through the roster's rules, all or nothing."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.cli import main
from db.errors import RuleError
from db.grids import writes as grid_writes
from db.intake.signup import read_signup
from db.roster import signups
from tests.test_roster_plan import DUTY, NOW, checkpoint, live  # noqa: F401  (the fixture)

TODAY = date(2022, 4, 10)


def availability(db) -> int:
    return db.execute_sql("SELECT count(*) FROM availability").fetchone()[0]


def test_each_line_points_at_its_shift_and_the_preview_writes_nothing(checkpoint):  # noqa: F811
    offers, problems = read_signup("明天卡口接龙\n1. 甲 早班\n2. 乙 中班 村口卡口\n", DUTY, TODAY)
    assert not problems and [o.post for o in offers] == ["", "村口卡口"]
    placed = signups.place(offers, DUTY, NOW)
    assert [(p.line, p.post, p.problem, p.hard) for p in placed] == [
        (2, "村口卡口", "", ()),
        (3, "村口卡口", "", ()),
    ]
    assert live(checkpoint) == 0 and availability(checkpoint) == 0


def test_the_operator_chooses_per_line_and_it_is_written_at_once(checkpoint):  # noqa: F811
    offers, problems = read_signup("明天卡口接龙\n1. 甲 早班\n2. 乙 中班\n", DUTY, TODAY)
    recorded, assigned = signups.accept(DUTY, offers, problems, {3}, actor="t", reason="接龙", now=NOW)
    assert (recorded, assigned) == (1, 1)
    rows = checkpoint.execute_sql(
        "SELECT st.name FROM assignment a JOIN staff st ON st.id = a.staff_id"
    ).fetchall()
    assert rows == [("乙",)] and availability(checkpoint) == 1


def test_a_refused_line_is_shown_with_its_reason_and_nothing_is_written(checkpoint):  # noqa: F811
    # 戊's test has lapsed (a hard rule); 甲's line alone would pass, and is not written either.
    offers, problems = read_signup("明天卡口接龙\n1. 甲 早班\n2. 乙 夜班\n3. 戊 中班\n", DUTY, TODAY)
    placed = {p.line: p for p in signups.place(offers, DUTY, NOW)}
    assert not placed[2].refused and placed[4].refused and placed[4].hard
    with pytest.raises(signups.SignupRefused) as caught:
        signups.accept(DUTY, offers, problems, {2, 3, 4}, actor="t", reason="接龙", now=NOW)
    assert [p.line for p in caught.value.refusals] == [4]
    assert live(checkpoint) == 0 and availability(checkpoint) == 0


def test_more_lines_than_places_refuses_the_extra_one_at_writing(checkpoint):  # noqa: F811
    # Two places on the morning shift; 甲 and 乙 take them, so the reinforcement's line finds it full.
    offers, problems = read_signup(
        "明天卡口接龙\n1. 甲 早班\n2. 乙 早班\n3. 许文倡 早班 村口卡口\n", DUTY, TODAY
    )
    assert not problems and all(not p.refused for p in signups.place(offers, DUTY, NOW))  # each alone fits
    with pytest.raises(signups.SignupRefused) as caught:
        signups.accept(DUTY, offers, problems, {2, 3, 4}, actor="t", reason="接龙", now=NOW)
    refusal = caught.value.refusals[0]
    assert refusal.line == 4 and "full" in {v.code for v in refusal.hard}
    assert live(checkpoint) == 0


def test_two_open_posts_of_the_kind_is_a_question_never_a_guess(checkpoint):  # noqa: F811
    from db.roster import writes as roster

    post = grid_writes.add_duty_post("卡口", "1", "北门卡口")
    roster.generate_shifts(DUTY, date(2022, 4, 11), 1, [post])
    offers, _ = read_signup("明天卡口接龙\n1. 甲 早班\n2. 乙 早班 北门卡口\n", DUTY, TODAY)
    first, second = signups.place(offers, DUTY, NOW)
    assert first.problem == "which_post" and set(first.choices) == {"村口卡口", "北门卡口"}
    assert second.post == "北门卡口" and not second.refused  # naming the post answers it
    with pytest.raises(signups.SignupRefused):
        signups.accept(DUTY, offers, [], {2, 3}, actor="t", reason="接龙", now=NOW)
    assert live(checkpoint) == 0


def test_a_chain_with_problems_writes_nothing(checkpoint):  # noqa: F811
    offers, problems = read_signup("明天卡口接龙\n1. 甲 早班\n2. 王五 早班\n", DUTY, TODAY)
    assert problems
    with pytest.raises(RuleError):
        signups.accept(DUTY, offers, problems, {2}, actor="t", reason="接龙", now=NOW)
    assert live(checkpoint) == 0 and availability(checkpoint) == 0


@pytest.mark.parametrize("role", ["supervisor", None])
def test_only_a_role_that_may_write_assigns_from_a_chain(checkpoint, role):  # noqa: F811
    from db.audit.guard import Session, guard_of, is_denied

    offers, _ = read_signup("明天卡口接龙\n1. 甲 早班\n", DUTY, TODAY)
    guard = guard_of(checkpoint)
    guard.closed, guard.session = True, (Session(1, "督导", role) if role else None)
    try:
        assert not signups.place(offers, DUTY, NOW)[0].refused  # the preview is a read: anyone
        with pytest.raises(Exception) as caught:
            signups.accept(DUTY, offers, [], {2}, actor="t", reason="接龙", now=NOW)
        assert is_denied(caught.value) and live(checkpoint) == 0
        guard.session = Session(2, "值班", "operator")
        assert signups.accept(DUTY, offers, [], {2}, actor="t", reason="接龙", now=NOW) == (0, 1)
    finally:
        guard.closed, guard.session = False, None


def test_signup_assign_from_the_command_line(checkpoint, db_path, tmp_path, capsys):  # noqa: F811
    checkpoint.close()
    chain = tmp_path / "chain.txt"
    chain.write_text("明天卡口接龙\n1. 甲 早班\n2. 乙 中班\n", encoding="utf-8")
    args = [
        "roster",
        "signup",
        str(chain),
        "--db",
        str(db_path),
        "--today",
        "2022-04-10",
        "--assign",
        "--at",
        "2022-04-10 09:30",
    ]
    assert main(args) == 0 and "村口卡口" in capsys.readouterr().out
    assert main([*args, "--apply"]) == 0 and "2" in capsys.readouterr().out
    with sqlite3.connect(db_path) as con:
        assert con.execute("SELECT count(*) FROM assignment WHERE removed_at IS NULL").fetchone()[0] == 2
        assert con.execute("SELECT count(*) FROM availability").fetchone()[0] == 0
    chain.write_text("明天卡口接龙\n1. 丙 夜班\n2. 戊 夜班\n", encoding="utf-8")
    assert main([*args, "--apply"]) == 1
    err = capsys.readouterr().err
    assert "第 3 行" in err and "×" in err and err.strip().splitlines()[-1].startswith("cmdpost: ")
    with sqlite3.connect(db_path) as con:  # 丙's line was fine; it is not written alone
        assert con.execute("SELECT count(*) FROM assignment WHERE removed_at IS NULL").fetchone()[0] == 2


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(alphabet=st.sampled_from(list("甲乙丙戊王 早中夜班卡口村明天4月11日.\n123、")), max_size=120)
)
def test_any_chain_is_placed_or_refused_whole(checkpoint, text):  # noqa: F811
    offers, problems = read_signup(text, DUTY, TODAY)
    placed = signups.place(offers, DUTY, NOW)
    assert [p.line for p in placed] == [o.line for o in offers]
    try:
        signups.accept(DUTY, offers, problems, {o.line for o in offers}, actor="t", reason="接龙", now=NOW)
    except RuleError:
        assert live(checkpoint) == 0
    else:
        assert live(checkpoint) == len(offers)  # every line on its shift, or none at all
    checkpoint.execute_sql("DELETE FROM assignment")
    checkpoint.execute_sql("DELETE FROM availability")
