"""Tests aimed at the survivors of the mutation run over db/roster/writes.py (.ci/mutation roster): each one
pins a rule that a mutant broke without any other test noticing."""

from __future__ import annotations

import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from db.errors import RuleError
from db.fields import FieldError
from db.grids import writes
from db.records import StaffInput
from db.roster import queries as roster_queries
from db.roster import writes as roster
from db.roster.settings import Duty, Rules
from tests.conftest import refused
from tests.test_roster import DAY, DUTY, NOW, at, duty_post, shift, staff  # noqa: F401  (a fixture)


def _live(post_db) -> set[tuple[str, int]]:
    return set(
        post_db.execute_sql(
            "SELECT st.name, a.shift_id FROM assignment a JOIN staff st ON st.id = a.staff_id"
            " WHERE a.removed_at IS NULL"
        ).fetchall()
    )


def test_the_demo_clock_is_noon_at_the_post_not_in_utc():
    assert roster.local_noon(DAY, DUTY) == at(12)
    assert roster.local_noon(DAY.replace(day=11), DUTY) == at(12, day=11)


def test_a_shift_moved_to_a_whole_day_is_kept_and_one_second_more_is_refused(duty_post):
    extra = roster.add_shift(DUTY, 1, at(9, day=11), at(10, day=11), 1)
    roster.move_shift(DUTY, extra, at(9, day=11), at(9, day=12), actor="t")  # exactly 24 h
    with refused(RuleError, "roster.too_long"):
        roster.move_shift(DUTY, extra, at(9, day=11), at(9, day=12) + 1, actor="t")
    with refused(RuleError, "roster.too_long"):
        roster.move_shift(DUTY, extra, at(9, day=11), at(9, day=12) + 3600, actor="t")  # 25 h
    row = duty_post.execute_sql("SELECT starts_at, ends_at FROM shift WHERE id = ?", (extra,)).fetchone()
    assert row == (at(9, day=11), at(9, day=12))


def test_a_swap_is_judged_at_the_moment_given_so_a_test_lapsing_by_the_shift_is_a_warning(duty_post):
    # 甲 and 乙 tested on the 10th: on the 12th that test has lapsed. Judged at NOW (the 10th) that is a
    # warning an operator may override; judged at any later clock it would be a hard refusal.
    early = roster.assign(DUTY, staff("甲"), shift(8), actor="t", now=NOW).assignment_id
    late = roster.assign(
        DUTY, staff("乙"), shift(8, day=12), actor="t", now=NOW, override="明日复检"
    ).assignment_id
    with refused(roster.RosterRefused, "roster.refused", count=1) as caught:
        roster.swap(DUTY, early, late, actor="t", now=NOW)  # a warning needs a reason
    assert caught.value.overridable and [v.code for v in caught.value.soft] == ["test_lapses"]
    assert _live(duty_post) == {("甲", shift(8)), ("乙", shift(8, day=12))}  # nothing changed
    roster.swap(DUTY, early, late, actor="t", now=NOW, override="明日复检")
    assert _live(duty_post) == {("乙", shift(8)), ("甲", shift(8, day=12))}
    reasons = duty_post.execute_sql(
        "SELECT st.name, a.override_reason, a.warnings FROM assignment a JOIN staff st ON st.id = a.staff_id"
        " WHERE a.removed_at IS NULL ORDER BY st.name"
    ).fetchall()
    assert sorted(reasons) == sorted([("甲", "明日复检", "test_lapses"), ("乙", "明日复检", "")])
    # and back: now the second person goes to the lapsing shift
    first, second = (
        duty_post.execute_sql(
            "SELECT id FROM assignment WHERE removed_at IS NULL AND shift_id = ?", (s,)
        ).fetchone()[0]
        for s in (shift(8), shift(8, day=12))
    )
    roster.swap(DUTY, second, first, actor="t", now=NOW, override="改回")
    assert _live(duty_post) == {("甲", shift(8)), ("乙", shift(8, day=12))}


def test_a_swap_that_breaks_a_hard_rule_is_refused_whatever_the_reason_given(duty_post):
    a = roster.assign(DUTY, staff("甲"), shift(8), actor="t", now=NOW).assignment_id
    b = roster.assign(DUTY, staff("乙"), shift(8, day=11), actor="t", now=NOW).assignment_id
    duty_post.execute_sql("UPDATE staff SET active = 0 WHERE name = '乙'")  # 乙 has left since
    with refused(roster.RosterRefused, "roster.refused", count=1) as caught:
        roster.swap(DUTY, a, b, actor="t", now=NOW, override="人手不够")
    assert not caught.value.overridable and [v.code for v in caught.value.hard] == ["inactive"]
    assert _live(duty_post) == {("甲", shift(8)), ("乙", shift(8, day=11))}


def test_a_shift_that_ends_as_it_starts_is_refused(duty_post):
    with refused(RuleError, "roster.end_before_start"):
        roster.add_shift(DUTY, 1, at(9, day=11), at(9, day=11), 1)
    assert roster.add_shift(DUTY, 1, at(9, day=11), at(9, day=11) + 1, 1)  # one second is a shift


def test_someone_who_checked_out_stays_on_the_shift_as_a_record(duty_post):
    assignment = roster.assign(DUTY, staff("甲"), shift(8), actor="t", now=NOW).assignment_id
    roster.check_in(assignment, at(8))
    roster.check_out(assignment, at(16))
    with refused(RuleError, "roster.attended"):
        roster.unassign(staff("甲"), shift(8), actor="t")
    assert _live(duty_post) == {("甲", shift(8))}


def _shift_at(post_db, post: str, start: int) -> int | None:
    row = post_db.execute_sql(
        "SELECT s.id FROM shift s JOIN duty_post p ON p.id = s.post_id WHERE p.name = ? AND s.starts_at = ?",
        (post, start),
    ).fetchone()
    return row[0] if row else None


def test_a_copy_takes_the_source_day_from_its_midnight(duty_post):
    roster.assign(DUTY, staff("甲"), shift(0), actor="t", now=at(0) - 3600)  # 00-08: the day's first
    outcome = roster.copy_day(DUTY, DAY, 1, actor="t", now=at(0) - 3600)
    assert (outcome.copied, outcome.refusals) == (1, ())
    assert _live(duty_post) == {("甲", shift(0)), ("甲", shift(0, day=11))}


def test_a_copy_takes_nothing_of_the_day_after_the_source(duty_post):
    roster.assign(DUTY, staff("甲"), shift(8), actor="t", now=NOW)
    roster.assign(DUTY, staff("乙"), shift(0, day=11), actor="t", now=NOW)
    roster.assign(DUTY, staff("乙"), shift(16, day=11), actor="t", now=NOW, override="人手不够")
    outcome = roster.copy_day(DUTY, DAY, 1, actor="t", now=NOW)
    assert (outcome.copied, outcome.refusals) == (1, ())
    assert _live(duty_post) == {
        ("甲", shift(8)),
        ("甲", shift(8, day=11)),
        ("乙", shift(0, day=11)),
        ("乙", shift(16, day=11)),
    }


def test_a_copy_makes_the_shifts_it_needs_only_at_the_posts_it_copies(duty_post):
    writes.add_duty_post("卡口", "1", "东卡口")  # no shifts, nobody on it
    duty_post.execute_sql("UPDATE staff SET last_negative_test = '2022-04-12'")
    day12 = at(7, day=12)
    roster.assign(DUTY, staff("甲"), shift(8, day=12), actor="t", now=day12)
    outcome = roster.copy_day(DUTY, DAY.replace(day=12), 1, actor="t", now=day12)
    assert (outcome.copied, outcome.refusals) == (1, ())
    copied = _shift_at(duty_post, "村口卡口", at(8, day=13))
    assert copied is not None and [p.name for p in roster_queries.on_shift(copied)] == ["甲"]
    assert duty_post.execute_sql(
        "SELECT count(*) FROM shift s JOIN duty_post p ON p.id = s.post_id WHERE p.name = '东卡口'"
    ).fetchone() == (0,)
    assert duty_post.execute_sql(
        "SELECT count(*) FROM shift WHERE starts_at >= ?", (at(0, day=14),)
    ).fetchone() == (0,)


def test_a_copy_with_no_shift_to_go_to_goes_on_with_the_rest(duty_post):
    by_hand = roster.add_shift(DUTY, 1, at(9), at(10), 1)  # no shift at 09:00 the next day
    roster.assign(DUTY, staff("甲"), by_hand, actor="t", now=NOW)
    roster.assign(DUTY, staff("乙"), shift(16), actor="t", now=NOW)
    outcome = roster.copy_day(DUTY, DAY, 1, actor="t", now=NOW)
    assert (outcome.copied, outcome.refusals) == (1, ())
    assert [p.name for p in roster_queries.on_shift(shift(16, day=11))] == ["乙"]


def test_a_copy_lists_what_the_rules_refuse_but_not_what_is_already_there(duty_post):
    roster.assign(DUTY, staff("甲"), shift(8), actor="t", now=NOW)
    roster.assign(DUTY, staff("乙"), shift(16), actor="t", now=NOW)
    assert roster.copy_day(DUTY, DAY, 1, actor="t", now=NOW).copied == 2
    again = roster.copy_day(DUTY, DAY, 1, actor="t", now=NOW)
    assert (again.copied, again.refusals) == (0, ())  # already on those shifts: nothing to report
    roster.unassign(staff("乙"), shift(16, day=11), actor="t")
    duty_post.execute_sql("UPDATE staff SET active = 0 WHERE name = '乙'")  # 乙 has left since
    third = roster.copy_day(DUTY, DAY, 1, actor="t", now=NOW)
    assert third.copied == 0
    assert [(name, start, [v.code for v in why]) for name, _, start, why in third.refusals] == [
        ("乙", at(16, day=11), ["inactive"])
    ]


def test_a_copy_with_warnings_keeps_the_reason_and_a_clean_copy_has_none(duty_post):
    roster.assign(DUTY, staff("甲"), shift(8), actor="t", now=NOW)
    with refused(FieldError, "field.reason_required") as caught:
        roster.copy_day(DUTY, DAY, 2, actor="t", now=NOW, override="x")  # the 12th needs a real reason
    assert caught.value.column == "override"
    assert roster.copy_day(DUTY, DAY, 2, actor="t", now=NOW, override="当天复检").copied == 2
    kept = duty_post.execute_sql(
        "SELECT s.starts_at, a.override_reason, a.warnings FROM assignment a JOIN shift s ON s.id = a.shift_id"
        " WHERE a.removed_at IS NULL ORDER BY s.starts_at"
    ).fetchall()
    assert kept == [(at(8), "", ""), (at(8, day=11), "", ""), (at(8, day=12), "当天复检", "test_lapses")]


@pytest.fixture
def utc_machine(monkeypatch):
    """The machine's own clock in UTC, whatever the test runner's: a copy must use the post's zone."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_copy_across_a_clock_change_keeps_the_posts_hour(post_db, utc_machine):
    berlin = Duty(Rules(), ZoneInfo("Europe/Berlin"))  # summer time began on 27 March 2022

    def local(day: int, hour: int) -> int:
        return int(datetime(2022, 3, day, hour, tzinfo=berlin.tz).timestamp())

    writes.add_duty_post("卡口", "1", "村口卡口")
    writes.upsert_staff(
        [
            StaffInput(
                "甲", "志愿者", "1", phone="17000200001", birth_year=1990, last_negative_test="2022-03-26"
            )
        ],
        actor="t",
    )
    roster.generate_shifts(berlin, date(2022, 3, 26), 2)
    first = _shift_at(post_db, "村口卡口", local(26, 8))
    roster.assign(berlin, staff("甲"), first, actor="t", now=local(26, 7))
    outcome = roster.copy_day(berlin, date(2022, 3, 26), 1, actor="t", now=local(26, 7))
    assert (outcome.copied, outcome.refusals) == (1, ())
    assert _live(post_db) == {("甲", first), ("甲", _shift_at(post_db, "村口卡口", local(27, 8)))}


def test_an_assignment_is_judged_at_the_moment_given_and_its_reason_must_be_one(duty_post):
    with refused(FieldError, "field.reason_required") as caught:
        roster.assign(DUTY, staff("甲"), shift(8, day=12), actor="t", now=NOW, override="x")
    assert caught.value.column == "override"  # the form marks the reason's field, not another
    done = roster.assign(DUTY, staff("甲"), shift(8, day=12), actor="t", now=NOW, override="当天复检")
    assert [v.code for v in done.warnings] == ["test_lapses"]  # judged on the 10th: a warning, not a refusal


def test_rest_after_a_night_shift_is_the_longer_one_whichever_is_booked_first(duty_post):
    roster.assign(DUTY, staff("甲"), shift(8, day=11), actor="t", now=NOW)
    hard, soft = roster.check(DUTY, staff("甲"), shift(16), NOW)  # 16-24 is a night: 12 h of rest after it
    assert hard == [] and [(v.code, v.params["need"]) for v in soft if v.code.startswith("rest")] == [
        ("rest_after", 12)
    ]
    roster.assign(DUTY, staff("乙"), shift(16), actor="t", now=NOW)
    hard, soft = roster.check(DUTY, staff("乙"), shift(8, day=11), NOW)
    assert hard == [] and [
        (v.code, v.params["need"], v.params["post"]) for v in soft if v.code.startswith("rest")
    ] == [("rest_before", 12, "村口卡口")]  # the warning names the post of the night before


def test_bookings_are_read_for_everyone_past_a_chunk_of_ids_and_once_each(duty_post):
    # SQLite takes a bounded number of parameters: the ids go in chunks of 900. The person at the
    # boundary must be read, and only once (twice would count their hours twice).
    roster.assign(DUTY, staff("甲"), shift(8), actor="t", now=NOW)
    found = roster.booked_near([*range(100_000, 100_900), staff("甲")], at(8), at(16))  # 甲 is the 901st
    assert [b.shift_id for b in found[staff("甲")]] == [shift(8)]
    assert sum(len(v) for v in found.values()) == 1


def test_shifts_are_made_for_the_posts_named_and_no_others(duty_post):
    east = writes.add_duty_post("卡口", "1", "东卡口")
    west = writes.add_duty_post("卡口", "1", "西卡口")
    writes.add_duty_post("卡口", "1", "北卡口")
    assert roster.generate_shifts(DUTY, DAY.replace(day=20), 1, [east, west]) == 6
    made = duty_post.execute_sql(
        "SELECT DISTINCT p.name FROM shift s JOIN duty_post p ON p.id = s.post_id WHERE s.starts_at >= ?",
        (at(0, day=20),),
    ).fetchall()
    assert sorted(made) == [("东卡口",), ("西卡口",)]
