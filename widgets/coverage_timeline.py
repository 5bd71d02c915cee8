"""Posts down, hours across: each hour shows whether the shift covering it is staffed.

Drawn line by line, so 500 posts cost what 20 do. A cell reads "✓" when the
shift is full and the number of open places (in red) when it is not.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from widgets.paged_table import fit

HOUR = 3600
LABEL_WIDTH = 26
FULL = Style(color="black", bgcolor="#66bb6a")
SHORT = Style(color="white", bgcolor="#c62828", bold=True)
EMPTY_SHIFT = Style(color="white", bgcolor="#8e0000", bold=True)


@dataclass(frozen=True)
class TimelineRow:
    post_id: int
    label: str
    shifts: tuple  # CoverageRow-like: shift_id, starts_at, ends_at, needed, filled, gap


class CoverageTimeline(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    CoverageTimeline { height: 1fr; background: $surface; }
    CoverageTimeline > .coverage-timeline--header { background: $panel; color: $text; text-style: bold; }
    CoverageTimeline > .coverage-timeline--label { color: $text; }
    CoverageTimeline > .coverage-timeline--none { color: $text-disabled; }
    CoverageTimeline > .coverage-timeline--now { background: $accent 40%; }
    CoverageTimeline > .coverage-timeline--cursor { text-style: reverse bold; }
    """
    COMPONENT_CLASSES = {
        "coverage-timeline--header",
        "coverage-timeline--label",
        "coverage-timeline--none",
        "coverage-timeline--now",
        "coverage-timeline--cursor",
    }
    BINDINGS = [
        Binding("enter", "open_shift", "keys.open_shift"),
        Binding("up", "move(-1, 0)", show=False),
        Binding("down", "move(1, 0)", show=False),
        Binding("left", "move(0, -1)", show=False),
        Binding("right", "move(0, 1)", show=False),
        Binding("shift+right", "jump_shift(1)", "keys.next_shift"),  # → is one hour; a shift is eight
        Binding("shift+left", "jump_shift(-1)", "keys.previous_shift", show=False),
        Binding("pageup", "move_page(-1)", show=False),
        Binding("pagedown", "move_page(1)", show=False),
    ]

    cursor_row: reactive[int] = reactive(0)
    cursor_hour: reactive[int] = reactive(0)

    @dataclass
    class ShiftChosen(Message):
        shift_id: int

    @dataclass
    class CursorMoved(Message):
        shift: object  # the row's shift under the cursor (its gap, its id), or None

    def _moved(self) -> None:
        self.post_message(self.CursorMoved(self.shift_at(self.cursor_row, self.cursor_hour)))

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[TimelineRow] = []
        self.start = 0
        self.hours = 24
        self.now = 0
        self.tz = ZoneInfo("UTC")
        self.empty_text = ""

    def show(self, rows: list[TimelineRow], start: int, hours: int, now: int, tz: ZoneInfo) -> None:
        self.rows, self.start, self.hours, self.now, self.tz = rows, start, hours, now, tz
        self.cursor_row = min(self.cursor_row, max(len(rows) - 1, 0))
        self.virtual_size = Size(self.label_width + hours * self.cell_width, len(rows) + 1)
        self.refresh()
        self._moved()

    @property
    def cell_width(self) -> int:
        """Three cells an hour when the day fits, two on a narrow terminal."""
        return 3 if self.size.width >= LABEL_WIDTH + 3 * 24 + 1 else 2

    @property
    def label_width(self) -> int:
        """Post names take the columns the hours leave free (up to 48), so a wide terminal shows
        "1 村口卡口(北门)" whole instead of cutting it with empty columns to its right."""
        spare = self.size.width - self.hours * self.cell_width - 1 - LABEL_WIDTH
        return LABEL_WIDTH + max(0, min(spare, 48 - LABEL_WIDTH))

    def on_resize(self) -> None:
        self.virtual_size = Size(self.label_width + self.hours * self.cell_width, len(self.rows) + 1)

    def shift_at(self, row: int, hour: int):
        if not 0 <= row < len(self.rows):
            return None
        moment = self.start + hour * HOUR
        return next((s for s in self.rows[row].shifts if s.starts_at <= moment < s.ends_at), None)

    # -- keys -------------------------------------------------------------------

    def action_move(self, rows: int, hours: int) -> None:
        self.cursor_row = max(0, min(len(self.rows) - 1, self.cursor_row + rows))
        self.cursor_hour = max(0, min(self.hours - 1, self.cursor_hour + hours))

    def action_jump_shift(self, direction: int) -> None:
        """To the first hour of the next (or previous) shift of this post, so the cursor sits on it."""
        if not self.rows:
            return
        here = self.start + self.cursor_hour * HOUR
        starts = sorted(
            {max(0, (s.starts_at - self.start) // HOUR) for s in self.rows[self.cursor_row].shifts}
        )
        current = self.shift_at(self.cursor_row, self.cursor_hour)
        anchor = max(0, (current.starts_at - self.start) // HOUR) if current else self.cursor_hour
        if direction > 0:
            later = [h for h in starts if h > anchor and self.start + h * HOUR > here]
            target = later[0] if later else self.cursor_hour
        else:
            earlier = [h for h in starts if h < anchor]
            target = earlier[-1] if earlier else self.cursor_hour
        self.cursor_hour = max(0, min(self.hours - 1, target))

    def action_move_page(self, direction: int) -> None:
        self.action_move(direction * max(1, self.size.height - 2), 0)

    def watch_cursor_row(self, row: int) -> None:
        body = max(1, self.size.height - 1)
        if row < self.scroll_y:
            self.scroll_to(y=row, animate=False)
        elif row >= self.scroll_y + body:
            self.scroll_to(y=row - body + 1, animate=False)
        self.refresh()
        self._moved()

    def watch_cursor_hour(self) -> None:
        self.refresh()
        self._moved()

    def action_open_shift(self) -> None:
        shift = self.shift_at(self.cursor_row, self.cursor_hour)
        if shift:
            self.post_message(self.ShiftChosen(shift.shift_id))

    def on_click(self, event) -> None:
        hour = (event.x + int(self.scroll_x) - self.label_width) // self.cell_width
        row = event.y - 1 + int(self.scroll_y)
        if event.y >= 1 and 0 <= hour < self.hours and row < len(self.rows):
            self.cursor_row, self.cursor_hour = row, hour
            if event.chain >= 2:
                self.action_open_shift()

    # -- drawing ----------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y == 0:
            return self._header(width, base)
        row_index = y - 1 + int(self.scroll_y)
        if row_index >= len(self.rows):
            if not self.rows and y == 1:
                return Strip([Segment(" " + self.empty_text, base)]).crop_extend(0, width, base)
            return Strip.blank(width, base)
        row = self.rows[row_index]
        label = fit(" " + row.label, self.label_width)  # a name cut at 80 columns ends in "…", visibly cut
        segments = [Segment(label, base + self.get_component_rich_style("coverage-timeline--label"))]
        by_hour = self._cells(row)
        cursor = self.get_component_rich_style("coverage-timeline--cursor")
        for hour in range(self.hours):
            text, style = by_hour[hour]
            if row_index == self.cursor_row and hour == self.cursor_hour and self.has_focus:
                style = style + cursor
            segments.append(Segment(text, base + style))
        return (
            Strip(segments)
            .crop(int(self.scroll_x), int(self.scroll_x) + width)
            .extend_cell_length(width, base)
        )

    def _cells(self, row: TimelineRow) -> dict[int, tuple[str, Style]]:
        width = self.cell_width
        none = self.get_component_rich_style("coverage-timeline--none")
        cells: dict[int, tuple[str, Style]] = defaultdict(lambda: ("·".center(width), none))
        for shift in row.shifts:
            first = max(0, (shift.starts_at - self.start) // HOUR)
            last = min(self.hours, -(-(shift.ends_at - self.start) // HOUR))
            style = FULL if shift.gap == 0 else (EMPTY_SHIFT if shift.filled == 0 else SHORT)
            for hour in range(first, last):
                mark = ("✓" if shift.gap == 0 else str(shift.gap)) if hour == first else ""
                cells[hour] = (set_cell_size(("|" if hour == first else " ") + mark, width), style)
        return cells

    def _header(self, width: int, base: Style) -> Strip:
        style = base + self.get_component_rich_style("coverage-timeline--header")
        now_style = style + self.get_component_rich_style("coverage-timeline--now")
        segments = [Segment(set_cell_size("", self.label_width), style)]
        for hour in range(self.hours):
            moment = self.start + hour * HOUR
            local = datetime.fromtimestamp(moment, self.tz)
            # Midnight is underlined: where one day ends and the next begins. At two
            # cells an hour, labels go on every other hour so the numbers never touch.
            label = self.cell_width == 3 or hour % 2 == 0
            text = set_cell_size(f"{local.hour:02d}" if label else "", self.cell_width)
            current = moment <= self.now < moment + HOUR
            cell_style = now_style if current else style
            segments.append(
                Segment(text, cell_style + Style(underline=True) if local.hour == 0 else cell_style)
            )
        return (
            Strip(segments)
            .crop(int(self.scroll_x), int(self.scroll_x) + width)
            .extend_cell_length(width, style)
        )
