"""The one duty_rules mutation survivor that owed a test (db/roster/rules.py, ``busiest_window``): only the
windows that touch the new shift count, however busy the person was on another day."""

from __future__ import annotations

from db.roster.rules import HOUR, busiest_window
from tests.test_duty_rules import SHIFT, at, booked


def test_a_busy_day_far_from_the_new_shift_is_not_counted_in_its_window():
    # 16 hours on the 5th; the new shift is 08-16 on the 10th, five days on: no 24-hour window holds both
    far_and_busy = [booked(at(0, day=5), at(8, day=5)), booked(at(8, day=5), at(16, day=5), shift_id=3)]
    assert busiest_window(SHIFT, far_and_busy, 24 * HOUR) == 8 * HOUR
    # the same hours the day before do share a window with it: then they count
    near = [booked(at(0, day=9), at(8, day=9)), booked(at(20, day=9), at(4, day=10), shift_id=3)]
    assert busiest_window(SHIFT, near, 24 * HOUR) == 16 * HOUR  # the night 20-04 and the new shift
