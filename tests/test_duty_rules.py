"""The roster's rules on plain data (db/roster/rules.py): every limit at its edge, one second either side."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from db.roster.rules import HOUR, Booked, PersonFacts, ShiftFacts, evaluate, is_night, local_day_bounds
from db.roster.settings import Duty, Rules
from tests.conftest import FIXED_NOW

DUTY = Duty(Rules(), FIXED_NOW.tzinfo)
TZ = FIXED_NOW.tzinfo


def at(hour: int, day: int = 10) -> int:
    """10 April 2022 (or ``day``) at ``hour`` o'clock at the post."""
    return int(datetime(2022, 4, day, hour, tzinfo=TZ).timestamp())


SHIFT = ShiftFacts(
    id=1,
    post_id=1,
    post_name="卡口",
    kind="checkpoint",
    root_id=1,
    starts_at=at(8),
    ends_at=at(16),
    needed=2,
    night=False,
    cancelled=False,
)
PERSON = PersonFacts(
    id=1,
    name="甲",
    role="volunteer",
    birth_year=1990,
    root_id=1,
    team_id=None,
    last_negative_test="2022-04-09",
    active=True,
)


def codes(person=PERSON, shift=SHIFT, booked=(), filled=0, now=None):
    hard, soft = evaluate(person, shift, list(booked), filled, DUTY, at(8) if now is None else now)
    return [v.code for v in hard], [v.code for v in soft]


def violation(code: str, person=PERSON, shift=SHIFT, booked=(), filled=0, now=None):
    hard, soft = evaluate(person, shift, list(booked), filled, DUTY, at(8) if now is None else now)
    return next(v for v in hard + soft if v.code == code)


def booked(start: int, end: int, night: bool = False, shift_id: int = 2) -> Booked:
    return Booked(shift_id=shift_id, post_name="药房", starts_at=start, ends_at=end, night=night)


def test_a_fit_person_on_an_open_shift_breaks_no_rule():
    assert codes() == ([], [])


@pytest.mark.parametrize("birth_year, fine", [(2004, True), (2005, False), (1967, True), (1966, False)])
def test_age_limits_hold_at_both_ends(birth_year, fine):
    """18 to 55 inclusive, by the year the shift starts in (2022)."""
    hard, _ = codes(replace(PERSON, birth_year=birth_year))
    assert ("age" not in hard) is fine
    if not fine:
        assert violation("age", replace(PERSON, birth_year=birth_year)).params == {
            "age": 2022 - birth_year,
            "low": 18,
            "high": 55,
        }


def test_an_unknown_age_is_refused():
    assert codes(replace(PERSON, birth_year=None))[0] == ["age_unknown"]


def test_a_negative_test_counts_for_exactly_its_hours_from_the_start_of_its_day():
    taken = at(0, day=9)
    person = replace(PERSON, last_negative_test="2022-04-09")
    last = replace(SHIFT, starts_at=taken + 48 * HOUR, ends_at=taken + 56 * HOUR)
    assert codes(person, last, now=last.starts_at) == ([], [])
    late = replace(last, starts_at=last.starts_at + 1, ends_at=last.ends_at + 1)
    assert codes(person, late, now=late.starts_at)[0] == ["test"]
    assert violation("test", person, late, now=late.starts_at).params == {"hours": 48, "date": "2022-04-09"}
    assert codes(replace(PERSON, last_negative_test=None))[0] == ["test"]
    # judged on today's test, with a warning when it will have lapsed by the shift
    assert codes(person, late, now=at(8)) == ([], ["test_lapses"])


def test_a_full_shift_an_assignment_held_and_an_overlap_are_refused():
    assert codes(filled=1) == ([], []) and codes(filled=2)[0] == ["full"]
    assert violation("full", filled=2).params == {"needed": 2}
    assert codes(booked=[booked(at(8), at(16), shift_id=1)])[0] == ["already"]
    assert codes(booked=[booked(at(15), at(20))])[0] == ["overlap"]
    assert violation("overlap", booked=[booked(at(15), at(20))]).params == {
        "post": "药房",
        "start": at(15),
        "end": at(20),
    }
    assert "overlap" not in codes(booked=[booked(at(0), at(8))])[0]  # end to end is no overlap
    assert "overlap" not in codes(booked=[booked(at(16), at(20))])[0]


def test_cancelled_shifts_inactive_people_and_the_wrong_role_are_refused():
    assert codes(shift=replace(SHIFT, cancelled=True))[0] == ["cancelled"]
    assert codes(replace(PERSON, active=False))[0] == ["inactive"]
    assert codes(replace(PERSON, role="medic"))[0] == ["role"]
    assert violation("role", replace(PERSON, role="medic")).params == {"role": "medic", "kind": "checkpoint"}


def test_rest_before_and_after_is_checked_to_the_second():
    evening = booked(at(20, day=9), at(0))  # ends at midnight: 8 h before 08:00
    assert "rest_before" not in codes(booked=[evening])[1]
    short = booked(at(20, day=9), at(0) + 1)
    assert "rest_before" in codes(booked=[short])[1]
    assert violation("rest_before", booked=[short]).params == {"gap": 8.0, "need": 8, "post": "药房"}
    after_night = booked(at(22, day=9), at(2), night=True)  # 6 h, where a night shift needs 12
    assert violation("rest_before", booked=[after_night]).params == {"gap": 6.0, "need": 12, "post": "药房"}
    assert "rest_after" not in codes(booked=[booked(at(0, day=11), at(4, day=11))])[1]  # 8 h after 16:00
    assert "rest_after" in codes(booked=[booked(at(0, day=11) - 1, at(4, day=11))])[1]
    night = replace(SHIFT, night=True)
    assert "rest_after" not in codes(shift=night, booked=[booked(at(4, day=11), at(8, day=11))])[1]
    assert violation("rest_after", shift=night, booked=[booked(at(2, day=11), at(8, day=11))]).params == {
        "gap": 10.0,
        "need": 12,
        "post": "药房",
    }


def test_hours_in_a_day_and_a_week_warn_only_above_the_limit():
    four = booked(at(20, day=9), at(0))  # 20:00-24:00 the evening before: 4 h + 8 h = 12 h in 24 h
    assert "hours_24h" not in codes(booked=[four])[1]
    five = booked(at(19, day=9), at(0))  # 5 h + 8 h = 13 h
    assert "hours_24h" in codes(booked=[five])[1]
    assert violation("hours_24h", booked=[five]).params == {"hours": 13.0, "max": 12}
    week = [
        booked(at(6, day=d), at(16, day=d), shift_id=d) for d in range(4, 10)
    ]  # 6 × 10 h + this 8 h = 68 h
    assert violation("hours_week", booked=week).params == {"hours": 68.0, "max": 60}
    assert "hours_week" not in codes(booked=week[1:])[1]  # 5 × 10 + 8 = 58 h
    exactly = week[1:] + [booked(at(4, day=4), at(6, day=4), shift_id=20)]  # 60 h: at the limit, no warning
    assert "hours_week" not in codes(booked=exactly)[1]
    assert "hours_week" in codes(booked=week[1:] + [booked(at(4, day=4) - 1, at(6, day=4), shift_id=20)])[1]


def test_hours_far_from_the_shift_do_not_count_against_it():
    """A long day two days before is that day's business: only windows that touch the new shift count."""
    long_day = [booked(at(8, day=8), at(14, day=8)), booked(at(15, day=8), at(22, day=8), shift_id=3)]  # 13 h
    assert "hours_24h" not in codes(booked=long_day)[1]


def test_someone_from_another_grid_is_a_warning_unless_they_came_with_a_team():
    stranger = replace(PERSON, root_id=2)
    assert codes(stranger) == ([], ["outside_grid"])
    assert codes(replace(stranger, team_id=7)) == ([], [])


@pytest.mark.parametrize(
    "start, end, night",
    [
        (22, 23, True),
        (21, 22, False),
        (5, 6, True),
        (6, 7, False),
        (20, 23, True),
        (0, 1, True),
        (14, 22, False),
    ],
)
def test_a_shift_is_a_night_shift_if_any_hour_falls_from_22_to_6(start, end, night):
    assert is_night(at(start), at(end) if end > start else at(end, day=11), DUTY) is night


def test_a_day_window_night_is_read_the_other_way_too():
    day_window = Duty(replace(Rules(), night_start=1, night_end=5), TZ)
    assert is_night(at(1), at(2), day_window) and not is_night(at(5), at(6), day_window)
    assert not is_night(at(0), at(1), day_window)


def test_an_empty_night_window_makes_no_shift_a_night_shift():
    no_night = Duty(replace(Rules(), night_start=0, night_end=0), TZ)
    assert not any(is_night(at(h), at(h + 1), no_night) for h in range(23))


def test_a_local_day_runs_midnight_to_midnight_at_the_post():
    start, end = local_day_bounds(FIXED_NOW.date(), DUTY)
    assert (start, end) == (at(0), at(0, day=11)) and end - start == 24 * HOUR


def test_age_is_reckoned_by_the_year_at_the_post_not_on_the_machine():
    """00:30 on 1 January in Shanghai is still the last day of the old year in UTC."""
    new_year = int(datetime(2022, 1, 1, 0, 30, tzinfo=TZ).timestamp())
    shift = replace(SHIFT, starts_at=new_year, ends_at=new_year + 8 * HOUR)
    person = replace(PERSON, birth_year=2004, last_negative_test="2021-12-31")
    assert codes(person, shift, now=new_year) == ([], [])


def test_what_the_test_refusal_and_warning_say():
    assert violation("test", replace(PERSON, last_negative_test=None)).params == {"hours": 48, "date": "—"}
    person = replace(PERSON, last_negative_test="2022-04-09")
    later = replace(SHIFT, starts_at=at(8, day=12), ends_at=at(16, day=12))
    assert violation("test_lapses", person, later, now=at(8)).params == {"date": "2022-04-09"}


def test_a_post_of_a_kind_the_rules_do_not_name_takes_no_one():
    assert codes(shift=replace(SHIFT, kind="new_kind"))[0] == ["role"]


def test_the_rest_after_is_measured_to_the_nearest_following_shift():
    back_to_back = booked(at(16), at(20))
    assert violation("rest_after", booked=[back_to_back]).params == {"gap": 0.0, "need": 8, "post": "药房"}
    far, near = booked(at(12, day=11), at(16, day=11), shift_id=3), booked(at(23), at(23) + 1800, shift_id=4)
    assert violation("rest_after", booked=[far, near]).params["gap"] == 7.0


def test_a_rest_gap_is_shown_to_a_tenth_of_an_hour():
    short = booked(at(20, day=9) - 20 * 60, at(0) + 40 * 60)  # ends 00:40: 7 h 20 min before 08:00
    assert violation("rest_before", booked=[short]).params["gap"] == 7.3


def test_every_warning_shows_its_figure_to_a_tenth_of_an_hour():
    """The rest after, and the hours in a day and a week, are shown as the operator reads them: 7.3,
    not 7 nor 7.33 (the mutation run of db/roster/rules.py found only the rest before pinned)."""
    third = 20 * 60  # a third of an hour: 0.333… h
    following = booked(at(23) + third, at(23) + 4 * HOUR)  # starts 7 h 20 min after 16:00
    assert violation("rest_after", booked=[following]).params["gap"] == 7.3
    long_evening = booked(at(19, day=9) - third, at(0))  # 5 h 20 min + this 8 h in 24 h
    assert violation("hours_24h", booked=[long_evening]).params["hours"] == 13.3
    week = [booked(at(6, day=d), at(16, day=d), shift_id=d) for d in range(5, 10)]  # 5 × 10 h + 8 h
    week.append(booked(at(4, day=4) - third, at(6, day=4), shift_id=20))  # and 2 h 20 min: 60.33 h
    assert violation("hours_week", booked=week).params["hours"] == 60.3
