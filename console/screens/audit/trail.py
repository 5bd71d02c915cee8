"""The audit trail: every change, newest first, filtered by person, grid or kind.

Rows page from the database (a county post collects millions of entries). Enter opens one entry
with its fields before and after. `v` checks the hash chain, in a worker, with progress by count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Static

from console.i18n import catalogue, language, t
from console.screens.base import PostScreen
from console.screens.common import footer, post_header
from console.text.audit import change_summary, table_label
from console.workers import db_work
from db.audit import trail as audit
from db.audit.trail import AuditFilter, AuditRow
from db.grids import queries
from widgets.choice_field import ChoiceField
from widgets.paged_table import Column, PagedTable, first_page
from widgets.safe_text import data_text
from widgets.worker_errors import report_from_thread

KIND_WIDTH_MOST = 14  # longer, rarer names ("guard trigger added", ending in …) are read in full with Enter


def _widest(prefix: str) -> int:
    """The widest word of a catalogue section, in cells: "changed" and "post setting" were cut at 6 and 10."""
    words = [text for key, text in catalogue(language()).items() if key.startswith(prefix)]
    return max((cell_len(word) for word in words), default=6)


class AuditSource:
    def __init__(self, filters: AuditFilter) -> None:
        self.filters = filters
        self.total: int | None = None

    def count(self) -> int:
        self.total = audit.count_entries(self.filters)
        return self.total

    def page(self, offset: int, limit: int) -> list[AuditRow]:
        return audit.page_entries(self.filters, offset, limit, self.total)


class AuditScreen(PostScreen):
    AUTO_FOCUS = "#audit-table"  # not the first filter: one focus change (and restyle) fewer
    DEFAULT_CSS = """
    AuditScreen #audit-filters { height: 3; padding: 0 1; }
    AuditScreen #audit-filters ChoiceField { width: 28; margin-right: 1; }
    AuditScreen #audit-status { height: 1; padding: 0 1; color: $text-muted; }
    AuditScreen #audit-table { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "keys.back"),
        Binding("v", "verify_chain", "audit.keys.verify"),
        Binding("r", "reload_entries", "keys.refresh", show=False),
        Binding("question_mark,f1", "app.show_help", "keys.help"),
    ]

    @dataclass
    class Choices(Message):
        actors: list[str]
        grids: list[tuple[int, str]]
        tables: list[str]

    @dataclass
    class Verified(Message):
        text: str
        ok: bool

    def __init__(self) -> None:
        super().__init__()
        self.filters = AuditFilter()
        # The first page is read while the screen is composed, so that its first frame shows the rows.
        self._source = AuditSource(self.filters)
        self._first = self.app.db_thread.submit(first_page, self._source)

    def compose(self) -> ComposeResult:
        yield post_header(self.app)
        with Horizontal(id="audit-filters"):
            yield ChoiceField(t("audit.all_people"), id="audit-actor")
            yield ChoiceField(t("audit.all_grids"), id="audit-grid")
            yield ChoiceField(t("audit.all_kinds"), id="audit-table-filter")
        yield Static(t("audit.hint"), id="audit-status")
        yield PagedTable(
            [
                Column(t("audit.col.id"), 8, lambda r: str(r.id), align_right=True),
                Column(t("audit.col.time"), 17, lambda r: self.app.local_time(r.at)),
                Column(t("audit.col.actor"), 12, lambda r: r.actor),
                Column(t("audit.col.op"), _widest("audit.op."), lambda r: t(f"audit.op.{r.op}")),
                Column(
                    t("audit.col.kind"),
                    min(_widest("audit.table."), KIND_WIDTH_MOST),
                    lambda r: table_label(r.table_name),
                ),
                Column(
                    t("audit.col.row"),
                    7,
                    lambda r: "" if r.row_id is None else str(r.row_id),
                    align_right=True,
                ),
                Column(t("audit.col.change"), 0, lambda r: change_summary(r, self.app.config.tz)),
            ],
            empty_text=t("audit.empty"),
            loading_text=t("table.loading"),
            id="audit-table",
        )
        yield footer()

    def on_mount(self) -> None:
        self.query_one("#audit-table", PagedTable).focus()
        self.query_one("#audit-table", PagedTable).set_source(self._source, self._first)
        self.call_after_refresh(self.load_choices)  # the filters' choices: after the rows are drawn

    @db_work
    def load_choices(self) -> None:
        roots = [(s.id, f"{s.code} {s.name}") for s in queries.grid_summaries()]
        self.post_message(self.Choices(audit.actors(), roots, audit.tables()))

    def on_audit_screen_choices(self, message: Choices) -> None:
        self.query_one("#audit-actor", ChoiceField).set_options((data_text(a), a) for a in message.actors)
        self.query_one("#audit-grid", ChoiceField).set_options(
            (data_text(label), gid) for gid, label in message.grids
        )
        self.query_one("#audit-table-filter", ChoiceField).set_options(
            (Text(table_label(name)), name) for name in message.tables
        )

    def on_choice_field_changed(self, event: ChoiceField.Changed) -> None:
        value: Any = event.value  # an actor, a grid's id or a table; None: everyone, every grid, every kind
        fields: dict[str | None, str] = {
            "audit-actor": "actor",
            "audit-grid": "grid_id",
            "audit-table-filter": "table",
        }
        field = fields[event.field.id]
        self.filters = self.filters._replace(**{field: value})
        self.query_one("#audit-table", PagedTable).set_source(AuditSource(self.filters))

    def on_paged_table_row_selected(self, message: PagedTable.RowSelected) -> None:
        from console.screens.audit.entry_dialog import AuditEntryDialog

        if message.row is not None:
            self.app.push_screen(AuditEntryDialog(message.row))

    def action_reload_entries(self) -> None:
        self.query_one("#audit-table", PagedTable).reload()

    def action_verify_chain(self) -> None:
        if any(w.group == "verify-chain" and w.is_running for w in self.workers):
            return  # one check at a time: a second press would only start the walk again
        self.query_one("#audit-status", Static).update(t("audit.verifying"))
        self.verify()

    @work(thread=True, exclusive=True, group="verify-chain", exit_on_error=False)
    def verify(self) -> None:
        """Not on the app's database thread: a million entries take seconds, and the other screens'
        reads must not queue behind them. This thread gets a connection of its own (Peewee keeps one
        per thread), closed when the check is done."""
        status = self.query_one("#audit-status", Static)
        database = self.app.database

        def checked(done: int, total: int) -> None:
            self.app.call_from_thread(
                status.update, t("audit.verifying_n", done=f"{done:,}", total=f"{total:,}")
            )

        try:
            report = audit.verify_chain(database, progress=checked)
        except Exception as error:
            report_from_thread(self.app, error)
            return
        finally:
            database.close()  # this thread's connection only
        if report.broken_at is None:
            self.post_message(
                self.Verified(t("user_cli.audit_ok", entries=report.entries, head=report.head[:16]), True)
            )
        else:
            self.post_message(
                self.Verified(
                    t(f"user_cli.audit_broken_{report.problem}", id=report.broken_at, entries=report.entries),
                    False,
                )
            )

    def on_audit_screen_verified(self, message: Verified) -> None:
        self.query_one("#audit-status", Static).update(
            Text(message.text, style="green" if message.ok else "bold red")
        )
        self.notify(message.text, severity="information" if message.ok else "error", markup=False)
