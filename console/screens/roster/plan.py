"""The roster plan from the coverage board: plan the gaps, read the preview, accept or discard.

The database is read on the database thread (``gather``); the solver then runs in a thread of
its own, so the board behind keeps refreshing while it works. Esc stops it and keeps the best
plan found so far; accepting writes the plan through ``planner.apply`` in one transaction.
"""

from __future__ import annotations

import threading
from datetime import date

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from console.i18n import t
from console.screens.base import PostDialog
from console.text.roster import clock, plan_fairness_lines, plan_header_lines, plan_open_lines, violation_text
from console.workers import db_work
from db.roster import planner
from db.roster.writes import RosterRefused
from widgets.row_table import RowTable
from widgets.safe_text import data_text
from widgets.worker_errors import report_from_thread

SECONDS = 120  # as the CLI: a county week fits; Esc stops sooner and keeps the best plan so far


class PlanScreen(PostDialog[bool]):
    DEFAULT_CSS = """
    PlanScreen { align: center middle; }
    PlanScreen > Vertical { width: 110; max-width: 100%; height: 90%; border: thick $accent;
                            background: $surface; padding: 0 1; }
    PlanScreen #plan-status { height: auto; }
    PlanScreen #plan-rows { height: 1fr; }
    PlanScreen #plan-open { height: auto; max-height: 8; overflow-y: auto; color: $warning; }
    PlanScreen #plan-detail { height: auto; max-height: 3; color: #ffb74d; }
    """
    BINDINGS = [
        Binding("escape", "stop_or_close", "keys.cancel"),
        Binding("y,ctrl+s", "accept", "roster_plan.accept"),
    ]

    def __init__(self, first_day: date, days: int, grid_code: str | None) -> None:
        super().__init__()
        self.first_day, self.days, self.grid_code = first_day, days, grid_code
        self.stop = threading.Event()
        self.result: planner.Plan | None = None
        self.running = True

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(t("roster_plan.screen_title"), style="bold"))
            yield Static(Text(t("roster_plan.working")), id="plan-status")
            table = RowTable(id="plan-rows", cursor_type="row")  # Home/End as F1 says; warnings wrap
            table.add_columns(
                *(
                    t(k)
                    for k in (
                        "roster_plan.col_time",
                        "roster_plan.col_post",
                        "roster_plan.col_person",
                        "roster_plan.col_warnings",
                    )
                )
            )
            yield table
            yield Static(
                "", id="plan-detail"
            )  # the row's warnings whole: at 80 columns their column is off-screen
            yield Static("", id="plan-open")

    def on_mount(self) -> None:
        self.gather()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        return not (action == "accept" and (self.app.readonly or self.running))

    @db_work
    def gather(self) -> None:
        now = int(self.app.now().timestamp())
        problem = planner.gather(self.app.duty, self.first_day, self.days, now, self.grid_code)
        self.app.call_from_thread(self.solve, problem)

    @work(thread=True, exclusive=True, exit_on_error=False, group="roster-plan")
    def solve(self, problem: planner.Problem) -> None:
        """No database here: the solver works on what ``gather`` read."""
        try:
            result = planner.solve_problem(
                problem, self.app.duty, seconds=SECONDS, stop=self.stop, progress=self._progress
            )
        except Exception as error:  # reported in the one place; the screen says it stopped
            report_from_thread(self.app, error)
            result = None
        self.app.call_from_thread(self.show, result)

    def _progress(self, done: int, total: int) -> None:
        text = Text(t("roster_plan.working") + "  " + t("roster_plan.progress", done=done, total=total))
        self.app.call_from_thread(self.query_one("#plan-status", Static).update, text)

    def show(self, result: planner.Plan | None) -> None:
        self.running, self.result = False, result
        self.refresh_bindings()
        if result is None:
            return
        tz = self.app.config.tz
        status = Text("\n".join(plan_header_lines(result, tz)))
        for line in plan_fairness_lines(result):
            status.append("\n" + line)
        status.append(
            "\n" + (t("roster_plan.preview_keys") if result.assignments else t("roster_plan.nothing"))
        )
        self.query_one("#plan-status", Static).update(status)
        table = self.query_one("#plan-rows", RowTable)
        rows = []
        for a in result.assignments:
            warnings = "; ".join(violation_text(v, tz) for v in a.warnings)
            rows.append(
                [
                    Text(f"{clock(a.starts_at, tz, True)}–{clock(a.ends_at, tz)}"),
                    data_text(f"{a.grid} {a.post}"),
                    data_text(f"{a.name} ({a.staff_grid})"),
                    Text(warnings, style="#ffb74d" if warnings else ""),
                ]
            )
        table.fill_wrapped(rows, wrap=(1, 3))  # at 80 columns the warnings were past the right edge
        self.query_one("#plan-open", Static).update(Text("\n".join(plan_open_lines(result, tz))))
        table.focus()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if not self.result or not 0 <= event.cursor_row < len(self.result.assignments):
            return
        tz = self.app.config.tz
        warnings = self.result.assignments[event.cursor_row].warnings
        self.query_one("#plan-detail", Static).update(
            Text("\n").join(data_text("! " + violation_text(v, tz)) for v in warnings)
        )

    def action_stop_or_close(self) -> None:
        if self.running:
            self.stop.set()  # the solver ends at its next solution and the preview shows what it has
            return
        self.dismiss(False)

    def action_accept(self) -> None:
        if self.result and self.result.assignments and not self.running:
            self.running = True
            self.write_plan(self.result)

    @db_work
    def write_plan(self, result: planner.Plan) -> None:
        try:
            count = planner.apply(
                self.app.duty,
                result,
                actor=self.app.actor,
                reason=t("roster_plan.default_reason"),
                now=int(self.app.now().timestamp()),
            )
        except RosterRefused:
            self.running = False
            self.app.call_from_thread(
                self.app.notify, t("roster_plan.refused"), severity="error", markup=False
            )
            return
        finally:
            self.running = False
        self.app.call_from_thread(self.app.notify, t("roster_plan.accepted", count=count), markup=False)
        self.app.call_from_thread(self.dismiss, True)
