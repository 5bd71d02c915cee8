"""A time typed at the keyboard far from now is refused in one line, never an overflow.

Found by the CLI fuzz: `roster message --kind tomorrow --at 9999-12-31` asked for the day after
datetime's last day and answered with the catch-all "出错了: OverflowError".
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from console.cli import main
from console.text.roster import FIRST_YEAR, LAST_YEAR, parse_local_time

TZ = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    "text", ["9999-12-31", "9999-12-31 23:59", "0001-01-01", "1969-12-31 23:00", "3000-01-01"]
)
def test_a_year_far_from_now_is_not_a_time(text):
    with pytest.raises(ValueError):
        parse_local_time(text, TZ)


@pytest.mark.parametrize("text", [f"{FIRST_YEAR}-01-02", f"{LAST_YEAR}-12-31 23:59", "2022-04-10 09:30"])
def test_the_years_either_side_are_kept(text):
    assert parse_local_time(text, TZ) > 0


@pytest.mark.parametrize("kind", ["tomorrow", "gaps", "changes"])
def test_roster_message_at_the_end_of_time_is_one_clear_line(roster_post, db_path, capsys, kind):
    roster_post.close()
    code = main(["roster", "message", "--kind", kind, "--at", "9999-12-31", "--db", str(db_path)])
    err = capsys.readouterr().err
    assert code == 1
    assert "9999-12-31" in err and "出错了" not in err and "Traceback" not in err
