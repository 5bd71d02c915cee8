"""Paste a sign-up chain (接龙报名) from the volunteers' group, see each line read, and accept it.

Each line becomes availability the roster plan prefers, or a direct assignment: the operator chooses
per line (space) or for all (ctrl+t). Reading and the preview of each assignment run on the database
thread (db/intake/signup.py, db/roster/signups.py); accepting writes everything in one transaction
through the roster's write functions: a line with a problem, or one the rules refuse, and nothing is
written; the refused lines then show why.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import Static, TextArea

from console.i18n import t
from console.screens.base import PostScreen
from console.screens.common import footer, post_header
from console.text.roster import placement_lines, signup_offer_text
from console.workers import db_work
from db.roster import signups
from widgets.data_input import DataTextArea
from widgets.row_table import RowTable
from widgets.safe_text import data_text

BAD, WARN, GOOD = "bold white on #c62828", "bold black on #ffb74d", "bold black on #66bb6a"


class SignupScreen(PostScreen):
    DEFAULT_CSS = """
    SignupScreen #signup-text { height: 7; margin: 0 1; }
    SignupScreen #signup-status { height: auto; padding: 0 1; }
    SignupScreen #signup-table { height: 1fr; margin: 0 1; }
    SignupScreen #signup-detail { height: auto; max-height: 4; padding: 0 1; color: $warning; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "keys.back"),
        Binding("ctrl+r", "read_chain", "chain_keys.read"),
        Binding("space", "toggle_line", "signup_screen.toggle"),
        Binding("ctrl+t", "toggle_all", "signup_screen.toggle_all"),
        Binding("ctrl+s", "accept", "signup_screen.accept"),
    ]

    @dataclass
    class Read(Message):
        text: str
        offers: list
        problems: list
        placed: dict  # line -> signups.Placement

    @dataclass
    class Written(Message):
        recorded: int
        assigned: int
        refused: dict  # line -> signups.Placement, when nothing was written

    def __init__(self) -> None:
        super().__init__()
        self.offers: list = []
        self.problems: list = []
        self.placed: dict[int, signups.Placement] = {}
        self.refused: dict[int, signups.Placement] = {}
        self.assign: set[int] = set()  # the lines to put straight on their shifts
        self.text_read = ""
        self.details: dict[int, Text] = {}  # line -> the whole of what is said about it

    def compose(self) -> ComposeResult:
        yield post_header(self.app)
        yield Static(Text(t("signup_screen.title"), style="bold"), classes="status-line")
        yield DataTextArea(id="signup-text", soft_wrap=True)
        yield Static(Text(t("signup_screen.hint")), id="signup-status")
        table = RowTable(id="signup-table", cursor_type="row", zebra_stripes=True)
        table.add_columns(*(t(f"signup_screen.col_{c}") for c in ("line", "as", "who", "when", "where")))
        yield table
        yield Static(
            "", id="signup-detail"
        )  # the whole reason for the row under the cursor: no column cuts it
        yield footer()

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        return not (action == "accept" and self.app.readonly)

    def action_read_chain(self) -> None:
        self.read(self.query_one(TextArea).text)

    @db_work
    def read(self, text: str) -> None:
        from db.intake.signup import read_signup

        now = self.app.now()
        offers, problems = read_signup(text, self.app.duty, now.astimezone(self.app.config.tz).date())
        placed = {p.line: p for p in signups.place(offers, self.app.duty, int(now.timestamp()))}
        self.post_message(self.Read(text, offers, problems, placed))

    def on_signup_screen_read(self, message: Read) -> None:
        # A line keeps its choice only if it still says the same: another line there is asked afresh.
        before = {o.line: o.text for o in self.offers}
        after = {o.line: o.text for o in message.offers}
        self.assign = {line for line in self.assign if line in after and before.get(line) == after[line]}
        self.text_read = message.text
        self.offers, self.problems, self.placed = message.offers, message.problems, message.placed
        self.refused = {}
        self._show()
        if self.offers or self.problems:
            self.query_one(RowTable).focus()

    def _row(self, offer) -> tuple[Text, Text, Text]:
        """The line's "as" and "where" cells, and all that is said about it (shown under the table)."""
        tz = self.app.config.tz
        placed = self.refused.get(offer.line) or self.placed.get(offer.line)
        if offer.line not in self.assign or placed is None:
            kind = t(f"post_kind.{offer.kind}") if offer.kind else t("signup.any_post")
            detail = signup_offer_text(offer)
            return Text(t("signup_screen.as_offer")), data_text(offer.post or kind), data_text(detail)
        style = BAD if placed.refused else WARN if placed.soft else GOOD
        where = f"{placed.grid} {placed.post}" if placed.post else t("signup_screen.no_place")
        return (
            Text(t("signup_screen.as_assign"), style=style),
            data_text(where),
            Text("\n").join(data_text(line) for line in placement_lines(placed, tz)),
        )

    def _show(self) -> None:
        table = self.query_one(RowTable)
        cursor = table.cursor_row
        table.clear()
        rows: list[tuple[int, tuple]] = []
        self.details = {}
        for problem in self.problems:
            rows.append(
                (
                    problem.line,
                    (
                        Text(str(problem.line)),
                        Text(t("signup_screen.as_problem"), style=BAD),
                        data_text(problem.text),
                        Text(""),
                        Text(""),
                    ),
                )
            )
            self.details[problem.line] = data_text(
                t(
                    "signup.problem_line",
                    line=problem.line,
                    text=problem.text,
                    why=t(f"signup.problem.{problem.code}"),
                )
            )
        for offer in self.offers:
            kind, where, why = self._row(offer)
            rows.append(
                (
                    offer.line,
                    (
                        Text(str(offer.line)),
                        kind,
                        data_text(f"{offer.name} #{offer.staff_id}"),
                        Text(f"{offer.day.isoformat()[5:]} {offer.slot_hour:02d}:00"),
                        where,
                    ),
                )
            )
            self.details[offer.line] = why
        for line, cells in sorted(rows, key=lambda r: r[0]):
            table.add_row(*cells, key=str(line))
        if rows:
            table.move_cursor(row=min(cursor, len(rows) - 1))
        self.query_one("#signup-status", Static).update(Text(self._counts()))
        self._show_detail()

    def on_data_table_row_highlighted(self, event) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        line = self._line_under_cursor()
        self.query_one("#signup-detail", Static).update(
            self.details.get(line, Text("")) if line else Text("")
        )

    def _counts(self) -> str:
        if not (self.offers or self.problems):
            return t("signup_screen.hint")
        refused = sum(
            1
            for o in self.offers
            if o.line in self.assign
            and (o.line in self.refused or self.placed.get(o.line) is None or self.placed[o.line].refused)
        )
        text = t(
            "signup_screen.counts",
            offers=len(self.offers) - len(self.assign),
            assign=len(self.assign),
            problems=len(self.problems),
            refused=refused,
        )
        if self.problems or refused:
            text += "\n" + t("signup_screen.fix_first")
        return text

    def _line_under_cursor(self) -> int | None:
        table = self.query_one(RowTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        return int(key) if key is not None else None

    def action_toggle_line(self) -> None:
        line = self._line_under_cursor()
        if line is None or line not in self.placed:
            return  # a line with a problem is fixed in the text, not switched
        self.assign ^= {line}
        self.refused.pop(line, None)
        self._show()

    def action_toggle_all(self) -> None:
        lines = set(self.placed)
        self.assign = set() if lines and self.assign >= lines else lines
        self.refused = {}
        self._show()

    def action_accept(self) -> None:
        if self.app.readonly or not self.offers:
            return
        if self.query_one(TextArea).text != self.text_read:
            self.app.notify(t("signup_screen.read_first"), severity="warning", markup=False)
            return
        self.write(list(self.offers), list(self.problems), set(self.assign))

    @db_work
    def write(self, offers: list, problems: list, assign: set[int]) -> None:
        try:
            recorded, assigned = signups.accept(
                self.app.duty,
                offers,
                problems,
                assign,
                actor=self.app.actor,
                reason=t("signup.default_reason"),
                now=int(self.app.now().timestamp()),
            )
        except signups.SignupRefused as error:
            self.post_message(self.Written(0, 0, {p.line: p for p in error.refusals}))
            return
        self.post_message(self.Written(recorded, assigned, {}))

    def on_signup_screen_written(self, message: Written) -> None:
        if message.refused:
            self.refused = message.refused
            self._show()
            self.app.notify(
                t(
                    "signup.refused",
                    count=len(message.refused),
                    lines=", ".join(map(str, sorted(message.refused))),
                ),
                severity="error",
                markup=False,
            )
            return
        self.app.notify(
            t("signup_screen.done", recorded=message.recorded, assigned=message.assigned), markup=False
        )
        self.offers, self.problems, self.placed, self.assign = [], [], {}, set()
        self.query_one(TextArea).text = ""
        self.text_read = ""
        self._show()
        self.query_one(TextArea).focus()
