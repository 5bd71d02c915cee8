"""Import grids, households or staff from a CSV file, with every bad row listed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Checkbox, DataTable, Input, ProgressBar, Select, Static

from console.i18n import error_text, t
from console.screens.base import PostScreen
from console.screens.common import footer, post_header
from console.text.imports import summary_text
from console.workers import db_work
from db.errors import CmdpostError
from db.intake.csv_import import CsvFileError, ImportResult, import_csv
from widgets.data_input import DataInput
from widgets.row_table import RowTable
from widgets.safe_text import data_text

KINDS = ("grids", "households", "staff")


class ImportScreen(PostScreen):
    DEFAULT_CSS = """
    ImportScreen #import-form { height: auto; padding: 0 1; }
    /* not a one-line .status-line: it wraps at 80 columns instead of stopping at "Excel" */
    ImportScreen #import-hint { height: auto; padding: 0 1; color: $text-muted; }
    ImportScreen #import-kind { width: 20; }
    ImportScreen #import-path { width: 1fr; }
    ImportScreen #import-run { margin-left: 1; }
    ImportScreen #import-options { height: auto; padding: 0 1; }
    ImportScreen ProgressBar { padding: 0 2; }
    ImportScreen #import-summary { padding: 0 2; height: auto; }
    ImportScreen #import-summary.-failed { color: $error; }
    ImportScreen #import-problems { height: 1fr; margin: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "leave_import", "keys.back"),
        Binding("ctrl+s", "run_import", "keys.run_import"),
        Binding("question_mark,f1", "app.show_help", "keys.help"),
    ]

    @dataclass
    class Progress(Message):
        stage: str
        done: int
        total: int

    @dataclass
    class Finished(Message):
        result: ImportResult | None
        error: str = ""

    def __init__(self) -> None:
        super().__init__()
        self.imported_any = False
        self.file_label = ""

    def compose(self) -> ComposeResult:
        yield post_header(self.app)
        yield Static(Text(t("import_screen.title"), style="bold"), id="import-title")
        yield Static(Text(t("import_screen.hint")), id="import-hint")
        with Horizontal(id="import-form"):
            yield Select(
                [(t(f"import.kind.{k}"), k) for k in KINDS],
                value="grids",
                allow_blank=False,
                id="import-kind",
            )
            yield DataInput(placeholder=t("import_screen.path_hint"), id="import-path")
            yield Button(t("import_screen.run"), variant="primary", id="import-run")
        with Horizontal(id="import-options"):
            yield Checkbox(t("import_screen.dry_run"), value=False, id="import-dry-run")
        yield ProgressBar(id="import-progress", show_eta=False)
        yield Static("", id="import-summary")
        yield RowTable(id="import-problems", cursor_type="row", zebra_stripes=True)
        yield footer()

    def on_mount(self) -> None:
        self.query_one("#import-problems", DataTable).add_columns(
            t("import_screen.line"), t("import_screen.column"), t("import_screen.reason")
        )
        self.query_one("#import-path", Input).focus()

    def on_input_submitted(self) -> None:
        self.action_run_import()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "import-run":
            self.action_run_import()

    def action_run_import(self) -> None:
        raw = self.query_one("#import-path", Input).value.strip().strip("'\"")
        if not raw:
            self._show_summary(t("import_screen.no_path"), failed=True)
            return
        self.file_label = raw
        self.query_one("#import-run", Button).disabled = True
        self.query_one("#import-problems", DataTable).clear()
        self._show_summary(t("import_screen.running"), failed=False)
        self.import_file(
            str(self.query_one("#import-kind", Select).value),
            Path(raw).expanduser(),
            self.query_one("#import-dry-run", Checkbox).value,
        )

    @db_work
    def import_file(self, kind: str, path: Path, dry_run: bool) -> None:
        def report(stage: str, done: int, total: int) -> None:
            self.post_message(self.Progress(stage, done, total))

        try:
            result = import_csv(path, kind, actor=self.app.actor, dry_run=dry_run, progress=report)
        except CsvFileError as err:
            where = f"{self.file_label}:{err.line}: " if err.line else ""
            self.post_message(self.Finished(None, where + error_text(err)))
            return
        self.post_message(self.Finished(result))

    def on_import_screen_progress(self, message: Progress) -> None:
        self.query_one(ProgressBar).update(total=message.total, progress=message.done)

    def on_import_screen_finished(self, message: Finished) -> None:
        self.query_one("#import-run", Button).disabled = False
        result = message.result
        if result is None:
            self._show_summary(message.error, failed=True)
            return
        kind = result.table.kind
        dry_run = self.query_one("#import-dry-run", Checkbox).value
        if result.problems:
            table = self.query_one("#import-problems", DataTable)
            for problem in result.problems:
                table.add_row(
                    Text(str(problem.line)),
                    data_text(problem.column),
                    Text(error_text(CmdpostError(problem.key, **problem.params))),
                )
            self._show_summary(t("batch.invalid", count=len(result.problems)), failed=True)
            self.query_one("#import-path", Input).focus()  # the next step is usually a corrected file
            return
        self.imported_any = self.imported_any or not dry_run
        self._show_summary(summary_text(kind, result, dry_run), failed=False)
        if not dry_run and kind in KINDS[:-1]:
            next_kind = KINDS[KINDS.index(kind) + 1]
            self.query_one("#import-kind", Select).value = next_kind
            self.query_one("#import-path", Input).value = ""

    def _show_summary(self, text: str, *, failed: bool) -> None:
        summary = self.query_one("#import-summary", Static)
        summary.update(Text(text))
        summary.set_class(failed, "-failed")

    def action_leave_import(self) -> None:
        from console.screens.first_run import FirstRunScreen

        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else None
        if self.imported_any and isinstance(below, FirstRunScreen):
            self.app.show_dashboard()
        else:
            self.app.pop_screen()
