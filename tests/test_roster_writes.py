"""Roster writes the older tests reached only on their happy path: a post's need, shifts added and moved,
swaps and removals refused, copies kept to one grid, check-in windows. Each refusal names its rule."""

from __future__ import annotations

import pytest

from db.errors import NotFound, RuleError
from db.grids import writes
from db.roster import queries as roster_queries
from db.roster import writes as roster
from tests.conftest import refused
from tests.test_roster import DAY, DUTY, NOW, at, duty_post, duty_post_id, shift, staff  # noqa: F401  (a fixture)


def _shift_row(post_db, shift_id: int) -> tuple:
    return post_db.execute_sql(
        "SELECT starts_at, ends_at, needed, night, cancelled FROM shift WHERE id = ?", (shift_id,)
    ).fetchone()


def test_a_posts_need_by_day_and_night_goes_into_the_shifts_made_after(duty_post):
    post = duty_post_id()
    roster.set_post_need(post, 3, night_need=1)
    assert roster.generate_shifts(DUTY, DAY.replace(day=13), 1) == 3
    made = duty_post.execute_sql(
        "SELECT starts_at, needed, night FROM shift WHERE starts_at >= ? ORDER BY starts_at", (at(0, day=13),)
    ).fetchall()
    assert [(needed, night) for _, needed, night in made] == [(1, 1), (3, 0), (1, 1)]  # 00-08, 08-16, 16-24
    assert _shift_row(duty_post, shift(8))[2] == 2  # shifts made before keep their need
    roster.set_post_need(post, 4)  # no night figure: nights need as many as days
    roster.generate_shifts(DUTY, DAY.replace(day=14), 1)
    assert {
        n for (n,) in duty_post.execute_sql("SELECT needed FROM shift WHERE starts_at >= ?", (at(0, day=14),))
    } == {4}
    for need, night in ((51, None), (-1, None), (2, 51), (2, -1)):
        with refused(RuleError, "roster.needed_range", needed=night if need == 2 else need):
            roster.set_post_need(post, need, night_need=night)
    roster.set_post_need(post, 50, night_need=0)  # the bounds themselves are allowed
    with refused(NotFound, "roster.no_post", post=9999):
        roster.set_post_need(9999, 2)


def test_shift_days_are_one_to_62(duty_post):
    for days in (0, 63):
        with refused(RuleError, "roster.days_range", days=days):
            roster.generate_shifts(DUTY, DAY, days)
    assert roster.generate_shifts(DUTY, DAY.replace(day=13), 62) == 62 * 3


def test_an_added_shift_is_checked_and_knows_its_night(duty_post):
    post = duty_post_id()
    with refused(RuleError, "roster.too_long"):
        roster.add_shift(DUTY, post, at(8), at(8, day=11) + 1, 1)
    for needed in (-1, 51):
        with refused(RuleError, "roster.needed_range", needed=needed):
            roster.add_shift(DUTY, post, at(9), at(10), needed)
    with refused(NotFound, "roster.no_post", post=9999):
        roster.add_shift(DUTY, 9999, at(9), at(10), 1)
    with refused(RuleError, "roster.shift_exists"):
        roster.add_shift(DUTY, post, at(8), at(12), 1)  # a shift of this post already starts at 08:00
    day_long = roster.add_shift(DUTY, post, at(9), at(9, day=11), 50)  # a whole day is the longest allowed
    late = roster.add_shift(DUTY, post, at(23), at(23, day=11) - 3600 * 22, 0)
    early = roster.add_shift(DUTY, post, at(10), at(11), 1)
    assert _shift_row(duty_post, day_long)[2:] == (50, 1, 0)
    assert _shift_row(duty_post, late)[3] == 1 and _shift_row(duty_post, early)[3] == 0


def test_a_moved_shift_may_not_put_its_people_in_two_places(duty_post):
    post = duty_post_id()
    extra = roster.add_shift(DUTY, post, at(10), at(12), 1)
    roster.assign(DUTY, staff("甲"), shift(16), actor="t", now=NOW)
    roster.assign(DUTY, staff("甲"), extra, actor="t", now=NOW, override="补位")
    with refused(RuleError, "roster.move_clash", name="甲"):
        roster.move_shift(DUTY, extra, at(15), at(17), actor="t")
    assert _shift_row(duty_post, extra)[:2] == (at(10), at(12))
    roster.move_shift(DUTY, extra, at(14), at(16), actor="t")  # ending as the other begins: no clash
    assert _shift_row(duty_post, extra)[:4] == (at(14), at(16), 1, 0)
    roster.move_shift(DUTY, extra, at(22, day=11), at(23, day=11), actor="t")
    assert _shift_row(duty_post, extra)[3] == 1  # moved into the night, it is a night shift
    with refused(RuleError, "roster.end_before_start"):
        roster.move_shift(DUTY, extra, at(12), at(12), actor="t")
    with refused(NotFound, "roster.no_shift", shift=9999):
        roster.move_shift(DUTY, 9999, at(9), at(10), actor="t")


def test_a_shift_is_cancelled_once_and_only_its_own_people_come_off(duty_post):
    roster.assign(DUTY, staff("甲"), shift(8), actor="t", now=NOW)
    roster.assign(DUTY, staff("乙"), shift(8), actor="t", now=NOW)
    roster.assign(DUTY, staff("甲"), shift(8, day=11), actor="t", now=NOW)
    assert roster.cancel_shift(shift(8), "改为巡逻", actor="t") == 2
    assert _shift_row(duty_post, shift(8, day=11))[4] == 0
    assert [p.name for p in roster_queries.on_shift(shift(8, day=11))] == ["甲"]
    cancelled = duty_post.execute_sql("SELECT id FROM shift WHERE cancelled = 1").fetchone()[0]
    with refused(RuleError, "roster.already_cancelled"):
        roster.cancel_shift(cancelled, "再取消", actor="t")
    assert duty_post.execute_sql(
        "SELECT count(*), min(removed_by) FROM assignment WHERE removed_at IS NOT NULL"
    ).fetchone() == (2, "t")


def test_unassigning_someone_not_on_the_shift_is_refused(duty_post):
    roster.assign(DUTY, staff("甲"), shift(8), actor="t", now=NOW)
    with refused(NotFound, "roster.not_assigned", staff=staff("乙"), shift=shift(8)):
        roster.unassign(staff("乙"), shift(8), actor="t")
    roster.unassign(staff("甲"), shift(8), actor="t")
    with refused(NotFound, "roster.not_assigned"):
        roster.unassign(staff("甲"), shift(8), actor="t")  # already off
    assert roster_queries.on_shift(shift(8)) == []


def test_a_swap_needs_two_live_assignments_of_two_people_on_two_shifts(duty_post):
    a = roster.assign(DUTY, staff("甲"), shift(8), actor="t", now=NOW).assignment_id
    b = roster.assign(DUTY, staff("乙"), shift(8), actor="t", now=NOW).assignment_id
    c = roster.assign(DUTY, staff("甲"), shift(8, day=11), actor="t", now=NOW).assignment_id
    with refused(RuleError, "roster.swap_same"):
        roster.swap(DUTY, a, b, actor="t", now=NOW)  # the same shift
    with refused(RuleError, "roster.swap_same"):
        roster.swap(DUTY, a, c, actor="t", now=NOW)  # the same person
    with refused(NotFound, "roster.no_assignment"):
        roster.swap(DUTY, a, 9999, actor="t", now=NOW)
    with refused(RuleError, "roster.swap_over"):
        roster.swap(DUTY, b, c, actor="t", now=at(16))  # 08-16 ended at its last second
    roster.unassign(staff("甲"), shift(8), actor="t")
    roster.swap(DUTY, b, c, actor="t", now=at(16) - 1)
    assert [p.name for p in roster_queries.on_shift(shift(8))] == ["甲"]
    assert [p.name for p in roster_queries.on_shift(shift(8, day=11))] == ["乙"]


def test_copying_a_day_for_one_grid_leaves_the_others(duty_post):
    writes.add_duty_post("卡口", "2", "二组卡口")
    roster.generate_shifts(DUTY, DAY, 1)
    other = duty_post.execute_sql(
        "SELECT s.id FROM shift s JOIN duty_post p ON p.id = s.post_id"
        " WHERE p.name = '二组卡口' AND s.starts_at = ?",
        (at(8),),
    ).fetchone()[0]
    roster.assign(DUTY, staff("甲"), shift(8), actor="t", now=NOW)
    roster.assign(DUTY, staff("丙"), other, actor="t", now=NOW)
    grid_one = duty_post.execute_sql("SELECT id FROM grid WHERE code = '1'").fetchone()[0]
    outcome = roster.copy_day(DUTY, DAY, 1, actor="t", grid_root=grid_one, now=NOW)
    assert outcome.copied == 1 and outcome.refusals == ()
    assert [p.name for p in roster_queries.on_shift(shift(8, day=11))] == ["甲"]
    copied = duty_post.execute_sql(
        "SELECT count(*) FROM assignment a JOIN shift s ON s.id = a.shift_id"
        " WHERE s.starts_at >= ? AND a.removed_at IS NULL",
        (at(0, day=11),),
    ).fetchone()
    assert copied == (1,)  # 丙's grid-2 shift was not copied
    assert roster.copy_day(DUTY, DAY.replace(day=20), 1, actor="t", now=NOW) == roster.CopyOutcome(0, ())


@pytest.mark.parametrize(
    "moment,allowed",
    [(at(6) - 1, False), (at(6), True), (at(16) + 2 * 3600, True), (at(16) + 2 * 3600 + 1, False)],
)
def test_check_in_opens_two_hours_early_and_closes_two_hours_late(duty_post, moment, allowed):
    assignment = roster.assign(DUTY, staff("甲"), shift(8), actor="t", now=NOW).assignment_id
    if allowed:
        roster.check_in(assignment, moment)
        row = duty_post.execute_sql("SELECT state, checked_in_at FROM assignment WHERE id = ?", (assignment,))
        assert row.fetchone() == ("present", moment)
    else:
        with refused(RuleError, "roster.not_on_duty_time"):
            roster.check_in(assignment, moment)


def test_a_no_show_is_marked_from_the_shifts_start_and_may_still_check_in(duty_post):
    assignment = roster.assign(DUTY, staff("甲"), shift(8), actor="t", now=NOW).assignment_id
    with refused(RuleError, "roster.not_on_duty_time"):
        roster.mark_no_show(assignment, at(8) - 1)
    roster.mark_no_show(assignment, at(8))
    with refused(RuleError, "roster.cannot_no_show", state="no_show"):
        roster.mark_no_show(assignment, at(9))
    roster.check_in(assignment, at(9))  # came late after all
    roster.check_out(assignment, at(16))
    assert duty_post.execute_sql(
        "SELECT state, checked_out_at FROM assignment WHERE id = ?", (assignment,)
    ).fetchone() == ("done", at(16))
    with refused(NotFound, "roster.no_assignment"):
        roster.check_out(9999, at(16))
