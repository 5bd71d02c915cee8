"""Roster rules at their boundaries, the override path, attendance, copies and races."""

from __future__ import annotations

import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from db.errors import RuleError
from db.grids import queries, writes
from db.records import StaffInput
from db.roster import queries as roster_queries
from db.roster import writes as roster
from db.roster.rules import HOUR
from db.roster.settings import Duty, Rules
from tests.conftest import FIXED_NOW, refused

TZ = ZoneInfo("Asia/Shanghai")
DUTY = Duty(Rules(), TZ)
DAY = date(2022, 4, 10)


def at(hour: int, day: int = 10, minute: int = 0) -> int:
    return int(datetime(2022, 4, day, hour, minute, tzinfo=TZ).timestamp())


NOW = at(7)


@pytest.fixture
def duty_post(post_db):
    """A checkpoint in grid 1 with shifts for 10–12 April, and people to put on them."""
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
            StaffInput(
                "丁", "医务", "1", phone="17000200004", birth_year=1980, last_negative_test="2022-04-10"
            ),
        ],
        actor="t",
    )
    roster.generate_shifts(DUTY, DAY, 3)
    return post_db


def staff(name: str) -> int:
    return queries.staff_page(search=name)[0].id


def shift(hour: int, day: int = 10) -> int:
    return next(
        r.shift_id
        for r in roster_queries.coverage(at(hour, day), at(hour, day) + 1)
        if r.starts_at == at(hour, day)
    )


def codes(violations) -> list[str]:
    return [v.code for v in violations]


def test_change_hours_make_shifts_that_cross_midnight(post_db):
    writes.add_duty_post("卡口", "1", "东卡口")
    two = Duty(Rules(shift_hours=(8, 20)), TZ)
    assert roster.day_slots(DAY, two) == [(at(8), at(20)), (at(20), at(8, day=11))]
    assert roster.generate_shifts(two, DAY, 2) == 4
    assert roster.generate_shifts(two, DAY, 2) == 0  # existing shifts are kept, not doubled
    night = [r for r in roster_queries.coverage(at(0), at(0, day=12)) if r.starts_at == at(20)][0]
    assert night.night and night.ends_at == at(8, day=11)


def test_back_to_back_shifts_do_not_overlap_but_overlapping_ones_are_refused(duty_post):
    roster.assign(DUTY, staff("甲"), shift(0), actor="t", now=NOW)
    hard, soft = roster.check(DUTY, staff("甲"), shift(8), NOW)  # 00-08 then 08-16: touching, not overlapping
    assert "overlap" not in codes(hard)
    extra = roster.add_shift(DUTY, duty_post_id(), at(6), at(10), 1)
    hard, _ = roster.check(DUTY, staff("甲"), extra, NOW)
    assert codes(hard) == ["overlap"]


def duty_post_id() -> int:
    return roster_queries.coverage(at(0), at(1))[0].post_id


@pytest.mark.parametrize(
    "born,refused", [(2004, False), (2005, True), (1967, False), (1966, True), (None, True)]
)
def test_age_range_is_inclusive(duty_post, born, refused):
    writes.upsert_staff(
        [
            StaffInput(
                "戊", "志愿者", "1", phone="17000200009", birth_year=born, last_negative_test="2022-04-09"
            )
        ],
        actor="t",
    )
    hard, _ = roster.check(DUTY, staff("戊"), shift(8), NOW)
    assert bool({"age", "age_unknown"} & set(codes(hard))) is refused


@pytest.mark.parametrize("tested,refused", [("2022-04-08", True), ("2022-04-09", False), (None, True)])
def test_negative_test_must_be_within_the_configured_hours(duty_post, tested, refused):
    # Shift 08:00 on the 10th: a test dated the 8th counts from 00:00 on the 8th, 56 h before.
    writes.upsert_staff(
        [StaffInput("戊", "志愿者", "1", phone="17000200009", birth_year=1990, last_negative_test=tested)],
        actor="t",
    )
    hard, _ = roster.check(DUTY, staff("戊"), shift(8), NOW)
    assert ("test" in codes(hard)) is refused


def test_role_not_allowed_at_the_kind_of_post(duty_post):
    hard, _ = roster.check(DUTY, staff("丁"), shift(8), NOW)  # a medic at a checkpoint
    assert codes(hard) == ["role"]


def test_rest_after_a_night_shift_is_longer(duty_post):
    roster.assign(DUTY, staff("甲"), shift(0), actor="t", now=NOW)  # 00-08 is a night shift
    _, soft = roster.check(DUTY, staff("甲"), shift(16), NOW)  # 8 h later: < 12 h after a night
    assert "rest_before" in codes(soft)
    roster.assign(DUTY, staff("乙"), shift(8), actor="t", now=NOW)  # a day shift 08-16
    _, soft = roster.check(DUTY, staff("乙"), shift(0, day=11), NOW)  # 8 h later: exactly the minimum
    assert "rest_before" not in codes(soft)


def test_hours_in_any_24h_are_capped_softly(duty_post):
    roster.assign(DUTY, staff("甲"), shift(8), actor="t", now=NOW)
    _, soft = roster.check(DUTY, staff("甲"), shift(16), NOW)
    assert "hours_24h" in codes(soft)


def test_soft_rule_needs_a_reason_that_is_recorded(duty_post):
    roster.assign(DUTY, staff("甲"), shift(8), actor="t", now=NOW)
    with pytest.raises(roster.RosterRefused) as refused:
        roster.assign(DUTY, staff("甲"), shift(16), actor="t", now=NOW)
    assert refused.value.overridable and not refused.value.hard
    result = roster.assign(
        DUTY, staff("甲"), shift(16), actor="值班员", override="人手不足,本人同意", now=NOW
    )
    assert "hours_24h" in codes(result.warnings)
    record = [p for p in roster_queries.on_shift(shift(16)) if p.name == "甲"][0]
    assert record.override_reason == "人手不足,本人同意" and "hours_24h" in record.warnings


def test_hard_rule_cannot_be_overridden(duty_post):
    with pytest.raises(roster.RosterRefused) as refused:
        roster.assign(DUTY, staff("丁"), shift(8), actor="t", override="紧急情况", now=NOW)
    assert not refused.value.overridable
    assert roster_queries.on_shift(shift(8)) == []


def test_outside_own_grid_warns_except_for_reinforcement_teams(duty_post):
    _, soft = roster.check(DUTY, staff("丙"), shift(8), NOW)
    assert codes(soft) == ["outside_grid"]
    writes.upsert_staff(
        [
            StaffInput(
                "丙",
                "志愿者",
                "2",
                phone="17000200003",
                birth_year=1985,
                last_negative_test="2022-04-10",
                team="龙湖镇疫情防控突击队",
            )
        ],
        actor="t",
    )
    _, soft = roster.check(DUTY, staff("丙"), shift(8), NOW)
    assert soft == []


def test_full_shift_refuses_and_a_no_show_frees_the_place(duty_post):
    roster.assign(DUTY, staff("甲"), shift(8), actor="t", now=NOW)
    roster.assign(DUTY, staff("乙"), shift(8), actor="t", now=NOW)
    hard, _ = roster.check(DUTY, staff("丙"), shift(8), NOW)
    assert "full" in codes(hard)
    row = [r for r in roster_queries.coverage(at(8), at(9)) if r.shift_id == shift(8)][0]
    assert row.gap == 0
    first = roster_queries.on_shift(shift(8))[0].assignment_id
    with refused(RuleError, "roster.not_on_duty_time"):
        roster.mark_no_show(first, at(7))  # before the shift begins the person may still come
    roster.mark_no_show(first, at(8, minute=30))
    row = [r for r in roster_queries.coverage(at(8), at(9)) if r.shift_id == shift(8)][0]
    assert row.gap == 1


def test_attendance_states(duty_post):
    roster.assign(DUTY, staff("甲"), shift(8), actor="t", now=NOW)
    assignment = roster_queries.on_shift(shift(8))[0].assignment_id
    with refused(RuleError, "roster.cannot_done"):
        roster.check_out(assignment)  # not checked in yet
    with refused(RuleError, "roster.not_on_duty_time"):
        roster.check_in(assignment, at(20, day=9))  # the evening before: not yet on duty
    roster.check_in(assignment, at(8, minute=5))
    roster.check_out(assignment, at(16))
    assert roster_queries.on_shift(shift(8))[0].state == "done"


def test_headline_counts_now_next_three_hours_and_tonight(duty_post):
    roster.assign(DUTY, staff("甲"), shift(8), actor="t", now=NOW)
    headline = roster_queries.headline(at(9), DUTY)
    assert headline.now == 1  # 08-16 needs 2, has 1
    assert headline.next_3h == 0  # nothing starts before 12:00
    assert headline.tonight == 4  # 16-24 and 00-08 overlap 22:00-06:00, 2 places each


def test_swap_exchanges_two_people(duty_post):
    a = roster.assign(DUTY, staff("甲"), shift(8), actor="t", now=NOW).assignment_id
    b = roster.assign(DUTY, staff("乙"), shift(8, day=11), actor="t", now=NOW).assignment_id
    with refused(RuleError, "roster.swap_over"):
        roster.swap(DUTY, a, b, actor="t", now=at(17))  # 08-16 is over by 17:00: it is a record now
    roster.swap(DUTY, a, b, actor="t", now=NOW)
    assert [p.name for p in roster_queries.on_shift(shift(8))] == ["乙"]
    assert [p.name for p in roster_queries.on_shift(shift(8, day=11))] == ["甲"]


def test_copy_day_applies_the_rules_to_each_copy(duty_post):
    roster.assign(DUTY, staff("甲"), shift(8), actor="t", now=NOW)
    roster.assign(DUTY, staff("乙"), shift(16), actor="t", now=NOW)
    outcome = roster.copy_day(DUTY, DAY, 2, actor="t", now=NOW)
    # Each copy holds today's test: on the 12th it will have lapsed, a warning, so it is listed, not forced.
    assert outcome.copied == 2
    assert {(name, v.code) for name, _, _, why in outcome.refusals for v in why} == {
        ("甲", "test_lapses"),
        ("乙", "test_lapses"),
    }
    assert [p.name for p in roster_queries.on_shift(shift(8, day=11))] == ["甲"]


def test_cancelled_shift_takes_people_off_it(duty_post):
    roster.assign(DUTY, staff("甲"), shift(8), actor="t", now=NOW)
    assert roster.cancel_shift(shift(8), "改为巡逻", actor="t") == 1
    assert all(r.starts_at != at(8) for r in roster_queries.coverage(at(8), at(9)))


def test_shift_that_ends_before_it_starts_is_refused(duty_post):
    with pytest.raises(RuleError) as caught:
        roster.add_shift(DUTY, duty_post_id(), at(10), at(9), 1)
    assert caught.value.key == "roster.end_before_start"


def test_candidates_are_free_eligible_and_best_first(duty_post):
    roster.assign(DUTY, staff("乙"), shift(0), actor="t", now=NOW)
    found = roster_queries.candidates(DUTY, shift(8), NOW)
    names = [c.name for c in found]
    tired = found[names.index("乙")]  # 00-08 then 08-16: too little rest after a night
    assert "rest_before" in codes(tired.warnings) and names.index("乙") > names.index("甲")
    assert "丁" not in names  # medics may not stand at a checkpoint
    assert names.index("甲") < names.index("丙")  # own grid before another grid
    assert found[0].same_grid and not found[0].warnings


def test_two_operators_racing_for_the_last_place(duty_post, db_path):
    roster.assign(DUTY, staff("甲"), shift(8), actor="t", now=NOW)
    target, people = shift(8), [staff("乙"), staff("丙")]
    barrier, results = threading.Barrier(2), []

    def operator(person: int) -> None:
        barrier.wait()
        try:
            roster.assign(DUTY, person, target, actor="t", override="支援", now=NOW)
            results.append("assigned")
        except roster.RosterRefused as refused:
            results.append(codes(refused.hard))
        finally:
            duty_post.close()

    threads = [threading.Thread(target=operator, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(map(str, results)) == sorted(["assigned", str(["full"])])
    assert len(roster_queries.on_shift(target)) == 2


def test_midnight_boundaries(post_db):
    """A shift ending at 24:00 and one starting at 00:00 touch but do not overlap; 20-08 is a night shift."""
    two = Duty(Rules(shift_hours=(8, 20)), TZ)
    writes.add_duty_post("卡口", "1", "村口卡口")
    writes.upsert_staff(
        [
            StaffInput(
                "甲", "志愿者", "1", phone="17000200001", birth_year=1990, last_negative_test="2022-04-10"
            )
        ],
        actor="t",
    )
    post = duty_post_first()
    evening = roster.add_shift(two, post, at(16), at(0, day=11), 1)
    night = roster.add_shift(two, post, at(0, day=11), at(8, day=11), 1)
    roster.assign(two, staff("甲"), evening, actor="t", now=NOW)
    hard, soft = roster.check(two, staff("甲"), night, NOW)
    assert "overlap" not in codes(hard)  # 24:00 end, 00:00 start
    assert "hours_24h" in codes(soft)  # 16 h within 24 h, across midnight
    assert roster_queries.coverage(at(23), at(23) + 1)[0].night  # 16-24 overlaps 22:00-06:00


def duty_post_first() -> int:
    from db.models import database_proxy

    return database_proxy.execute_sql("SELECT id FROM duty_post ORDER BY id LIMIT 1").fetchone()[0]


def test_someone_who_checked_in_cannot_be_taken_off_the_record(duty_post):
    roster.assign(DUTY, staff("甲"), shift(8), actor="t", now=NOW)
    roster.check_in(roster_queries.on_shift(shift(8))[0].assignment_id, at(8))
    with pytest.raises(RuleError) as caught:
        roster.unassign(staff("甲"), shift(8), actor="t")
    assert caught.value.key == "roster.attended"


def test_board_counts_its_headline_from_its_own_rows_exactly_as_the_headline_query(roster_post):
    from db.roster import queries as roster_queries

    duty = Duty(Rules(), FIXED_NOW.tzinfo)
    base = int(FIXED_NOW.timestamp())
    for hour in range(-30, 30, 1):  # every hour across two days, night and day
        now = base + hour * HOUR + 17 * 60
        start = now - now % HOUR
        rows, head = roster_queries.board(start, 24, now, duty)
        assert head == roster_queries.headline(now, duty)
        assert rows == roster_queries.coverage(start, start + 24 * HOUR)


def test_a_shift_cannot_be_moved_to_last_more_than_a_day(roster_post):
    duty = Duty(Rules(), FIXED_NOW.tzinfo)
    shift_id, starts_at = roster_post.execute_sql(
        "SELECT id, starts_at FROM shift ORDER BY id LIMIT 1"
    ).fetchone()
    with pytest.raises(RuleError) as refused:
        roster.move_shift(duty, shift_id, starts_at, starts_at + 30 * HOUR, actor="test")
    assert refused.value.key == "roster.too_long"
    assert (
        roster_post.execute_sql("SELECT ends_at - starts_at FROM shift WHERE id = ?", (shift_id,)).fetchone()[
            0
        ]
        <= 24 * HOUR
    )


def test_the_board_shows_a_day_long_shift_that_began_the_day_before(roster_post):
    duty = Duty(Rules(), FIXED_NOW.tzinfo)
    post_id = roster_post.execute_sql("SELECT id FROM duty_post LIMIT 1").fetchone()[0]
    base = int(FIXED_NOW.timestamp())
    long_one = roster.add_shift(duty, post_id, base + 3 * 24 * HOUR + 60, base + 4 * 24 * HOUR + 60, 1)
    start = base + 4 * 24 * HOUR  # a minute before it ends
    assert long_one in [r.shift_id for r in roster_queries.coverage(start, start + HOUR)]
