"""The coverage board: which posts are short of people, now and in the coming hours."""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Select, Static

from console.i18n import t
from console.screens.base import PostScreen
from console.screens.common import footer, post_header
from console.text.roster import clock
from console.workers import db_work
from db.grids import queries
from db.roster import queries as roster_queries
from db.roster.queries import CoverageRow, Headline
from db.roster.rules import HOUR
from widgets.coverage_timeline import CoverageTimeline, TimelineRow
from widgets.safe_text import data_text

KINDS = ("checkpoint", "control_point", "isolation_point", "depot", "delivery_point")
REFRESH_SECONDS = 5


FIRST_POSTS = 20  # the first read: at least this many posts, and as many as the terminal has rows


def read_coverage(
    start: int, grid_code: str | None, kind: str | None, now: int, duty, posts: int | None = None
) -> tuple[list[CoverageRow], Headline | None]:
    """The board's shifts for 24 hours from ``start`` and the gaps now and soon (database thread).

    ``posts``: only the first so many posts, without the headline, which sums every post's shifts."""
    if posts is not None:
        return roster_queries.coverage(start, start + 24 * HOUR, grid_code, kind, posts), None
    return roster_queries.board(start, 24, now, duty, grid_code, kind)


class CoverageScreen(PostScreen):
    DEFAULT_CSS = """
    CoverageScreen #coverage-headline { height: 1; padding: 0 1; background: $boost; }
    CoverageScreen #coverage-filters { height: 3; padding: 0 1; }
    CoverageScreen #coverage-filters Select { width: 30; margin-right: 1; }
    CoverageScreen #coverage-window { width: 1fr; padding: 0 1; content-align: left middle; height: 3; }
    CoverageScreen #coverage-why { height: auto; max-height: 2; padding: 0 1; color: $warning; display: none; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "keys.back"),
        Binding("p", "print_day", "keys.print_day"),  # first, so 80 columns keep its words
        Binding("left_square_bracket", "shift_window(-6)", "keys.earlier"),
        Binding("right_square_bracket", "shift_window(6)", "keys.later"),
        Binding("n", "window_now", "keys.now"),
        Binding("l", "show_loads", "keys.loads"),
        Binding("c", "copy_day", "keys.copy_day"),
        Binding("f", "plan_gaps", "keys.plan_gaps"),
        Binding("m", "group_message", "keys.group_message"),
        Binding("s", "sign_ups", "keys.sign_ups"),
        Binding("plus,a", "add_shift", "keys.add_shift"),
        Binding(
            "L", "print_day(True)", "printer.key"
        ),  # after the screen's own jobs: 80 columns keep their words
        Binding("question_mark,f1", "app.show_help", "keys.help"),
    ]

    @dataclass
    class Loaded(Message):
        rows: list[CoverageRow]
        headline: Headline | None  # None: read on its own (HeadlineLoaded)
        start: int
        now: int

    @dataclass
    class HeadlineLoaded(Message):
        headline: Headline

    def __init__(self) -> None:
        super().__init__()
        now = int(self.app.now().timestamp())
        self.start = self._hour_floor(now)
        self.grid_code: str | None = None
        self.kind: str | None = None
        self._left = False
        # Read while the screen is composed, so that its first paint can show the board: the first
        # screenful of posts, which costs the same for 20 posts or 1,500 (every post read first took
        # 130-160 ms at three counties). The headline, a sum over every post (5 ms of the database
        # thread at three counties), and then every post are read after the first paint: read while
        # the frame was drawn, they delayed it.
        posts = max(FIRST_POSTS, self.app.size.height)
        self._first: Future | None = self.app.db_thread.submit(
            read_coverage, self.start, None, None, now, self.app.duty, posts
        )
        self._first_now = now
        self._partial = True  # the board holds only the first posts until the read of every post

    @staticmethod
    def _hour_floor(epoch: int) -> int:
        return epoch - epoch % HOUR

    def compose(self) -> ComposeResult:
        yield post_header(self.app)
        yield Static("", id="coverage-headline")
        with Horizontal(id="coverage-filters"):  # its two lists are mounted after the board's first paint
            yield Static("", id="coverage-window")
        timeline = CoverageTimeline(id="timeline")
        timeline.empty_text = t("coverage_board.empty")
        yield timeline
        yield Static("", id="coverage-why")  # why the place under the cursor is still open: shown only there
        yield footer()

    def on_mount(self) -> None:
        self.query_one(CoverageTimeline).focus()
        first, self._first = self._first, None  # read once: the refreshes read again
        assert first is not None, "a screen is mounted once"
        if first.done() and first.exception() is None:
            # one starred tuple: mypy cannot count a starred row followed by more arguments
            self.on_coverage_screen_loaded(self.Loaded(*(*first.result(), self.start, self._first_now)))
        else:
            self.load_coverage(first)
        self.call_after_refresh(self._mount_filters)  # 20 ms of widgets: after the board, not before it
        self.set_interval(REFRESH_SECONDS, self.load_coverage)

    async def _mount_filters(self) -> None:
        grids: Select[str] = Select([], prompt=t("coverage_board.all_grids"), id="coverage-grid")
        kinds = Select(
            [(t(f"post_kind.{k}"), k) for k in KINDS],
            prompt=t("coverage_board.all_kinds"),
            id="coverage-kind",
        )
        await self.query_one("#coverage-filters").mount(grids, kinds, before="#coverage-window")
        self.load_grids()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        return not (
            self.app.readonly
            and action in ("copy_day", "add_shift", "print_day", "plan_gaps", "group_message", "sign_ups")
        )

    def on_screen_suspend(self) -> None:
        self._left = True

    def on_screen_resume(self) -> None:
        if self._left:  # back from a shift or a dialog, which may have changed the board
            self.load_coverage()

    @db_work
    def load_grids(self) -> None:
        # Text, not str: a Select reads a str prompt as markup, and names are data.
        grids = [
            (data_text(f"{code} {name}"), code)
            for _, code, name, level, _ in queries.grid_directory()
            if level == 0
        ]
        self.app.call_from_thread(self.query_one("#coverage-grid", Select).set_options, grids)

    @db_work
    def load_coverage(self, first: Future | None = None) -> None:
        """``first``: the read submitted when the screen was made (done by now: same thread, earlier)."""
        now = self._first_now if first else int(self.app.now().timestamp())
        start = self.start
        rows, headline = (
            first.result() if first else read_coverage(start, self.grid_code, self.kind, now, self.app.duty)
        )
        self.post_message(self.Loaded(rows, headline, start, now))

    @db_work
    def load_headline(self) -> None:
        """The headline as the board's first read saw the time, shown before every post is read."""
        self.post_message(self.HeadlineLoaded(roster_queries.headline(self._first_now, self.app.duty)))

    def on_coverage_screen_headline_loaded(self, message: HeadlineLoaded) -> None:
        self._show_headline(message.headline)

    def on_coverage_screen_loaded(self, message: Loaded) -> None:
        if message.start != self.start:
            return  # the window moved while this was loading
        if message.headline is not None:
            self._show_headline(message.headline)
        tz = self.app.config.tz
        self.query_one("#coverage-window", Static).update(
            Text(
                t(
                    "coverage_board.window",
                    start=clock(self.start, tz, True),
                    end=clock(self.start + 24 * HOUR, tz, True),
                )
            )
        )
        posts: dict[int, list[CoverageRow]] = {}
        for row in message.rows:
            posts.setdefault(row.post_id, []).append(row)
        lines = [
            TimelineRow(pid, f"{shifts[0].grid} {shifts[0].post}", tuple(shifts))
            for pid, shifts in posts.items()
        ]
        self.query_one(CoverageTimeline).show(lines, self.start, 24, message.now, tz)
        if self._partial:  # the headline and every post, once the first are painted: reading 1,500
            self._partial = False  # posts' rows on the database thread while that frame is drawn slowed it
            self.call_after_refresh(self._read_the_rest)

    def _read_the_rest(self) -> None:
        self.load_headline()
        self.load_coverage()

    def _show_headline(self, head: Headline) -> None:
        text = Text(t("coverage_board.gaps") + "  ", style="bold")
        for label, count in (
            (t("coverage_board.now"), head.now),
            (t("coverage_board.soon"), head.next_3h),
            (t("coverage_board.tonight"), head.tonight),
        ):
            text.append(f"{label} ")
            text.append(f" {count} ", style="bold white on #c62828" if count else "bold black on #66bb6a")
            text.append("   ")
        self.query_one("#coverage-headline", Static).update(text)

    def on_coverage_timeline_cursor_moved(self, message: CoverageTimeline.CursorMoved) -> None:
        shift = message.shift  # typed object in the widget, which may not import db's records
        if shift is None or not getattr(shift, "gap", 0):
            self.query_one("#coverage-why", Static).display = False
            return
        shift_id: int = getattr(shift, "shift_id")  # noqa: B009 -- read off the untyped shift
        self.explain_gap(shift_id)

    @db_work
    def explain_gap(self, shift_id: int) -> None:
        from db.roster.open_places import why_open

        place = why_open(self.app.duty, shift_id, int(self.app.now().timestamp()))
        self.app.call_from_thread(self._show_why, shift_id, place)

    def _show_why(self, shift_id: int, place) -> None:
        from console.text.roster import open_reason_text

        timeline = self.query_one(CoverageTimeline)
        here = timeline.shift_at(timeline.cursor_row, timeline.cursor_hour)
        why = self.query_one("#coverage-why", Static)
        if place is None or here is None or here.shift_id != shift_id:  # filled since, or the cursor moved on
            why.display = False
            return
        tz = self.app.config.tz
        why.update(
            data_text(
                t(
                    "coverage_board.why_open",
                    start=clock(place.starts_at, tz),
                    end=clock(place.ends_at, tz),
                    grid=place.grid,
                    post=place.post,
                    open=place.open,
                    why=open_reason_text(place.reason, board=True),
                )
            )
        )
        why.display = True

    def on_select_changed(self, event: Select.Changed) -> None:
        value = None if event.value is Select.NULL else str(event.value)
        if event.select.id == "coverage-grid":
            self.grid_code = value
        else:
            self.kind = value
        self.load_coverage()

    def action_shift_window(self, hours: int) -> None:
        self.start += hours * HOUR
        self.load_coverage()

    def action_window_now(self) -> None:
        self.start = self._hour_floor(int(self.app.now().timestamp()))
        self.load_coverage()

    def on_coverage_timeline_shift_chosen(self, message: CoverageTimeline.ShiftChosen) -> None:
        from console.screens.roster.shift_panel import ShiftPanel

        self.app.push_screen(ShiftPanel(message.shift_id))

    def action_show_loads(self) -> None:
        from console.screens.roster.person_loads import PersonLoadScreen

        self.app.push_screen(PersonLoadScreen())

    def cursor_day(self):
        timeline = self.query_one(CoverageTimeline)
        moment = self.start + timeline.cursor_hour * HOUR
        return datetime.fromtimestamp(moment, self.app.config.tz).date()

    def action_copy_day(self) -> None:
        from console.screens.roster.dialogs import CopyDayDialog

        self.app.push_screen(
            CopyDayDialog(self.cursor_day(), self.grid_code), lambda done: self.load_coverage()
        )

    def action_plan_gaps(self) -> None:
        """Plan the open places of the week from the board's first day (in the grid filtered, if any)."""
        from console.screens.roster.plan import PlanScreen

        day = datetime.fromtimestamp(self.start, self.app.config.tz).date()
        self.app.push_screen(PlanScreen(day, 7, self.grid_code), lambda done: done and self.load_coverage())

    def action_sign_ups(self) -> None:
        from console.screens.roster.signup import SignupScreen

        self.app.push_screen(SignupScreen())

    def action_group_message(self) -> None:
        self.make_message(self.grid_code)

    @db_work
    def make_message(self, grid_code: str | None) -> None:
        """The call for help (places open in the next 12 hours): copied (OSC 52) and written to a file."""
        from console.config import data_dir
        from console.roster_message import compose, write_message

        now = int(self.app.now().timestamp())
        text = compose("gaps", self.app.duty, now, self.app.config.post_name, grid_code)
        stamp = datetime.fromtimestamp(now, self.app.config.tz).strftime("%Y%m%d-%H%M")
        path = write_message(text, data_dir() / "messages" / f"gaps-{stamp}.txt")
        self.app.call_from_thread(self.app.copy_to_clipboard, text)
        self.app.call_from_thread(
            self.app.notify, t("roster_message.copied", path=str(path)), markup=False, timeout=10
        )

    def action_add_shift(self) -> None:
        """A shift at the post under the cursor, offered as the configured shift around the cursor's hour."""
        from console.screens.roster.dialogs import ShiftEditDialog
        from db.roster.writes import day_slots

        timeline = self.query_one(CoverageTimeline)
        if not timeline.rows:
            return
        row = timeline.rows[timeline.cursor_row]
        moment = self.start + timeline.cursor_hour * HOUR
        day = datetime.fromtimestamp(moment, self.app.config.tz).date()
        slots = [s for d in (day.fromordinal(day.toordinal() - 1), day) for s in day_slots(d, self.app.duty)]
        start, end = next(((a, b) for a, b in slots if a <= moment < b), (moment, moment + 8 * HOUR))
        self.app.push_screen(
            ShiftEditDialog("add", post_id=row.post_id, start=start, end=end, title=row.label),
            lambda done: done and self.load_coverage(),
        )

    def action_print_day(self, to_printer: bool = False) -> None:
        self.print_sheet(self.cursor_day(), self.grid_code, to_printer)

    @db_work
    def print_sheet(self, day, grid_code: str | None, to_printer: bool = False) -> None:
        from console.config import data_dir
        from console.screens.printing import send_to_printer
        from console.sheets.roster import sheet_bulletin, write_sheet

        name = f"roster-{day.isoformat()}{'-' + grid_code if grid_code else ''}.pdf"
        path = write_sheet(
            self.app.duty,
            day,
            data_dir() / "print" / name,
            grid_code=grid_code,
            post_name=self.app.config.post_name,
            bulletin=sheet_bulletin(self.app.db_path, self.app.config),
        )
        self.app.call_from_thread(
            self.app.notify, t("roster.printed", path=str(path)), markup=False, timeout=10
        )
        if to_printer:
            send_to_printer(self, path)
