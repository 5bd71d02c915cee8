"""Each person's load this week: hours, nights and next shift, so nights are shared fairly."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from console.i18n import role_label, t
from console.screens.base import PostScreen
from console.screens.common import footer, post_header
from console.text.roster import clock
from db.roster import queries as roster_queries
from db.roster.settings import Duty
from widgets.paged_table import Column, PagedTable


@dataclass(frozen=True)
class LoadSource:
    duty: Duty
    now: int

    def count(self) -> int:
        return roster_queries.person_load_count()

    def page(self, offset: int, limit: int):
        return roster_queries.person_loads(self.duty, self.now, offset=offset, limit=limit)


class PersonLoadScreen(PostScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "keys.back"),
        Binding("question_mark,f1", "app.show_help", "keys.help"),
    ]

    def compose(self) -> ComposeResult:
        tz = self.app.config.tz
        max_week = self.app.config.rules.max_hours_per_week
        yield post_header(self.app)
        yield Static(Text(t("loads.title"), style="bold"), classes="status-line")
        yield PagedTable(
            [
                Column(t("col.name"), 8, lambda r: r.name, lambda r: "bold"),
                Column(t("col.role"), 8, lambda r: role_label(r.role)),
                Column(t("col.home_grid"), 7, lambda r: r.grid),
                Column(
                    t("shift_panel.hours_week"),
                    8,
                    lambda r: f"{r.hours_week:.0f}",
                    align_right=True,
                    style=lambda r: "bold #ef5350" if r.hours_week > max_week else None,
                ),
                Column(
                    t("shift_panel.nights_week"),
                    8,
                    lambda r: str(r.nights_week),
                    align_right=True,
                    style=lambda r: "bold #ffb74d" if r.nights_week >= 3 else None,
                ),
                Column(
                    t("loads.next"),
                    30,
                    lambda r: f"{clock(r.next_start, tz, True)} {r.next_post}" if r.next_start else "—",
                ),
            ],
            empty_text=t("table.empty"),
            loading_text=t("table.loading"),
            id="loads",
        )
        yield footer()

    def on_mount(self) -> None:
        table = self.query_one(PagedTable)
        table.set_source(LoadSource(self.app.duty, int(self.app.now().timestamp())))
        table.focus()
