"""The coverage board's first read is a screenful of posts and a summed headline, whatever the post's size."""

from __future__ import annotations

import pytest

from console.i18n import t
from console.screens.roster import coverage as coverage_screen
from db.grids import writes
from db.records import GridInput
from db.roster import queries as roster_queries
from db.roster import writes as roster
from db.roster.rules import HOUR
from db.roster.settings import Duty, Rules
from tests.conftest import FIXED_NOW, make_app, settle
from widgets.coverage_timeline import CoverageTimeline

DUTY = Duty(Rules(), FIXED_NOW.tzinfo)
NOW = int(FIXED_NOW.timestamp())


@pytest.fixture
def many_posts(roster_post):
    """Posts of two kinds in three grids, added out of board order, with two days of shifts."""
    writes.upsert_grids([GridInput("2", "第二网格"), GridInput("10", "第十网格")], actor="test")
    for n, grid in enumerate(["10", "2", "1", "2", "10", "1", "2"]):
        writes.add_duty_post("卡口" if n % 2 else "配送点", grid, f"岗{7 - n}")
    roster.generate_shifts(DUTY, FIXED_NOW.date(), 2)
    return roster_post


@pytest.mark.parametrize(
    "grid,kind", [(None, None), ("2", None), (None, "checkpoint"), ("1", "delivery_point")]
)
def test_the_first_posts_are_the_boards_first_posts_and_the_headline_is_the_boards(many_posts, grid, kind):
    for hour in range(-20, 28, 5):
        now = NOW + hour * HOUR + 600
        start = now - now % HOUR
        rows = roster_queries.coverage(start, start + 24 * HOUR, grid, kind)
        order = list(dict.fromkeys(r.post_id for r in rows))
        for posts in (0, 1, 3, 50):
            part, head = roster_queries.board(start, 24, now, DUTY, grid, kind, posts)
            assert part == [r for r in rows if r.post_id in order[:posts]]
            window = roster_queries.coverage(*roster_queries.headline_window(now, DUTY), grid, kind)
            assert head == roster_queries.headline_of(window, now, DUTY)


async def test_the_board_opens_on_its_first_posts_then_shows_every_post(many_posts, db_path, monkeypatch):
    asked = []
    read = coverage_screen.read_coverage

    def counting(*args):
        asked.append(args[-1] if len(args) > 5 else None)
        return read(*args)

    monkeypatch.setattr(coverage_screen, "FIRST_POSTS", 2)  # and a terminal of 2 rows: 2 posts first
    monkeypatch.setattr(coverage_screen, "read_coverage", counting)
    app = make_app(db_path)
    async with app.run_test(size=(120, 2)) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        assert asked[:2] == [2, None]  # a screenful first, then every post
        timeline = app.screen.query_one(CoverageTimeline)
        assert len(timeline.rows) == 8
        assert [r.label for r in timeline.rows][:3] == ["1 岗2", "1 岗5", "1 村口卡口"]  # grid, then name


async def test_the_headline_is_read_once_the_first_posts_are_painted(many_posts, db_path, monkeypatch):
    """The headline sums every post: read while the first frame was drawn, it delayed that frame."""
    board_when_read = []
    headline = roster_queries.headline

    def watching(*args):
        timeline = app.screen.query(CoverageTimeline)  # on the database thread: only looked at
        board_when_read.append(len(timeline.first().rows) if timeline else 0)
        return headline(*args)

    monkeypatch.setattr(roster_queries, "headline", watching)
    app = make_app(db_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        assert board_when_read and board_when_read[0] == 8  # the board was shown before it was read
        assert t("coverage_board.gaps") in str(app.screen.query_one("#coverage-headline").render())
