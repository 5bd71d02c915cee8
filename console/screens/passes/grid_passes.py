"""A grid's delivery passes: issue, reissue, revoke, look at the QR, print a selection to PDF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Select, Static

from console.i18n import error_text, role_label, t
from console.screens.base import PostScreen
from console.screens.common import footer, post_header
from console.text.passes import status_text, validity
from console.text.paths import path_on_own_line
from console.workers import db_work
from db.errors import CmdpostError
from db.grids import queries
from db.passes import issuing as passes
from db.passes import keys as pass_keys
from db.passes.issuing import Holder, PassRow
from widgets.row_table import RowTable
from widgets.safe_text import data_text

WRITE_ACTIONS = {"issue_pass", "reissue_pass", "revoke_pass", "print_passes", "show_card"}
PROGRESS_EVERY = 16  # cards between two updates of the printing line


class PassesScreen(PostScreen):
    DEFAULT_CSS = """
    PassesScreen #passes-bar { height: auto; padding: 0 1; }
    PassesScreen #passes-grid { width: 36; }
    PassesScreen #passes-status { width: 1fr; height: auto; min-height: 3; padding: 0 1; content-align: left middle; }
    PassesScreen .section { height: auto; padding: 0 1; color: $text-muted; }  /* English wraps at 80 */
    PassesScreen #passes-table { height: 2fr; }
    PassesScreen #passes-holders { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "keys.back"),
        Binding("n", "issue_pass", "pass_keys.issue"),
        Binding("r", "reissue_pass", "pass_keys.reissue"),
        Binding("x", "revoke_pass", "pass_keys.revoke"),
        Binding("space", "toggle_mark", "pass_keys.mark"),
        Binding("p", "print_passes", "pass_keys.print"),
        Binding("v", "show_card", "pass_keys.show"),
        Binding("c", "app.check_passes", "pass_keys.scan"),
        Binding("b", "show_bulletin", "pass_keys.bulletin"),
        Binding(
            "L", "print_passes(True)", "printer.key"
        ),  # after the screen's own jobs: 80 columns keep their words
        Binding("question_mark,f1", "app.show_help", "keys.help"),
    ]

    @dataclass
    class Loaded(Message):
        grid_code: str
        rows: list[PassRow]
        holders: list[Holder]

    @dataclass
    class Done(Message):
        text: str
        failed: bool = False

    @dataclass
    class Printing(Message):
        done: int
        total: int

    @dataclass
    class BulletinReady(Message):
        text: str | None
        caption: str

    @dataclass
    class CardReady(Message):
        row: PassRow
        payload: str

    def __init__(self, grid_code: str | None = None) -> None:
        super().__init__()
        self.grid_code = grid_code
        self.rows: list[PassRow] = []
        self.holders: list[Holder] = []
        self.marked: set[str] = set()

    def compose(self) -> ComposeResult:
        yield post_header(self.app)
        with Horizontal(id="passes-bar"):
            yield Select([], prompt=t("pass_screen.choose_grid"), id="passes-grid")
            yield Static("", id="passes-status")
        yield Static(t("pass_screen.passes"), classes="section")
        yield RowTable(id="passes-table", cursor_type="row", zebra_stripes=True)
        yield Static(t("pass_screen.holders"), classes="section")
        yield RowTable(id="passes-holders", cursor_type="row", zebra_stripes=True)
        yield footer()

    def on_mount(self) -> None:
        table = self.query_one("#passes-table", DataTable)
        for key, label in (
            ("mark", "col_mark"),
            ("serial", "col_serial"),
            ("version", "col_version"),
            ("name", None),
            ("role", None),
            ("status", "col_status"),
            ("valid", "col_valid"),
        ):
            table.add_column(t(f"pass_screen.{label}") if label else t(f"col.{key}"), key=key)
        self.query_one("#passes-holders", DataTable).add_columns(
            t("col.name"), t("col.role"), t("col.home_grid")
        )
        table.focus()
        self.load_grids()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        return not (self.app.readonly and action in WRITE_ACTIONS)

    @property
    def now(self) -> int:
        return int(self.app.now().timestamp())

    @db_work
    def load_grids(self) -> None:
        # Text, not str: a Select reads a str prompt as markup, and names are data.
        grids = [
            (data_text(f"{code} {name}"), code)
            for _, code, name, level, _ in queries.grid_directory()
            if level == 0
        ]
        self.app.call_from_thread(self._show_grids, grids)

    def _show_grids(self, grids: list[tuple[Text, str]]) -> None:
        select = self.query_one("#passes-grid", Select)
        select.set_options(grids)
        codes = [code for _, code in grids]
        if codes:
            select.value = self.grid_code if self.grid_code in codes else codes[0]

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.value is not Select.NULL:
            self.grid_code = str(event.value)
            self.marked.clear()
            self.load_passes()

    @db_work
    def load_passes(self) -> None:
        code = self.grid_code
        if code:
            self.post_message(
                self.Loaded(
                    code, passes.register(self.now, code), passes.holders_without_pass(code, self.now)
                )
            )

    def on_passes_screen_loaded(self, message: Loaded) -> None:
        if message.grid_code != self.grid_code:
            return  # another grid was chosen while this one loaded
        self.rows, self.holders, tz = message.rows, message.holders, self.app.config.tz
        # a revoked pass's reason wraps in its status cell, so the validity beside it is never pushed off
        self.query_one("#passes-table", RowTable).fill_wrapped(
            [
                [
                    Text("✓" if row.serial in self.marked else ""),
                    data_text(row.serial),
                    Text(f"v{row.version}"),
                    data_text(row.name),
                    Text(role_label(row.role)),
                    status_text(row.status, row.revoke_reason, row.superseded),
                    Text(validity(row.valid_from, row.valid_until, tz)),
                ]
                for row in message.rows
            ],
            wrap=(5,),
            keys=[row.serial for row in message.rows],
        )
        holders = self.query_one("#passes-holders", DataTable)
        holders.clear()
        for holder in message.holders:
            holders.add_row(
                data_text(holder.name), Text(role_label(holder.role)), data_text(holder.home_grid)
            )
        if not message.rows:
            self.query_one("#passes-status", Static).update(Text(t("pass_screen.empty")))

    def _current(self) -> PassRow | None:
        index = self.query_one("#passes-table", DataTable).cursor_row
        return self.rows[index] if self.rows and 0 <= index < len(self.rows) else None

    def action_toggle_mark(self) -> None:
        row = self._current()
        if row:
            self.marked ^= {row.serial}
            self.query_one("#passes-table", DataTable).update_cell(
                row.serial, "mark", Text("✓" if row.serial in self.marked else "")
            )

    def action_issue_pass(self) -> None:
        index = self.query_one("#passes-holders", DataTable).cursor_row
        if self.grid_code and self.holders and 0 <= index < len(self.holders):
            self.issue(self.holders[index], self.grid_code)

    @db_work
    def issue(self, holder: Holder, grid_code: str) -> None:
        try:
            row = passes.issue(self.app.duty, holder.staff_id, grid_code, actor=self.app.actor, now=self.now)
        except CmdpostError as err:
            self.post_message(self.Done(error_text(err), failed=True))
            return
        self.post_message(self.Done(t("pass_screen.issued", serial=row.serial, name=row.name)))

    def action_reissue_pass(self) -> None:
        """A reissue revokes the paper in the volunteer's hand, so it is confirmed first."""
        from console.screens.dialogs.prompt import PromptDialog

        row = self._current()
        if row:
            serial = row.serial

            def confirmed(answer: dict | None) -> None:
                if answer is not None:
                    self.reissue(serial)

            self.app.push_screen(
                PromptDialog(
                    t("pass_screen.reissue_confirm", serial=row.serial, name=row.name),
                    [("confirm", t("pass_screen.reissue_hint"), "")],
                ),
                confirmed,
            )

    @db_work
    def reissue(self, serial: str) -> None:
        try:
            row = passes.reissue(self.app.duty, serial, actor=self.app.actor, now=self.now)
        except CmdpostError as err:
            self.post_message(self.Done(error_text(err), failed=True))
            return
        self.post_message(self.Done(t("pass_screen.reissued", serial=row.serial, version=row.version)))

    def action_revoke_pass(self) -> None:
        from console.screens.passes.dialogs import RevokeDialog

        row = self._current()
        if row:
            self.app.push_screen(RevokeDialog(row), lambda done: done and self.load_passes())

    def action_show_card(self) -> None:
        row = self._current()
        if row:
            self.sign_for_card(row)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "passes-table" and not self.app.readonly:
            self.action_show_card()

    @db_work
    def sign_for_card(self, row: PassRow) -> None:
        self.post_message(
            self.CardReady(row, passes.payload_for(row, pass_keys.signing_key(self.app.db_path)))
        )

    def on_passes_screen_card_ready(self, message: CardReady) -> None:
        from console.screens.passes.dialogs import PassCard

        self.app.push_screen(PassCard(message.row, message.payload))

    def action_show_bulletin(self) -> None:
        self.make_bulletin()

    @db_work
    def make_bulletin(self) -> None:
        from db.passes import field

        text = field.current_bulletin(self.app.db_path, self.now, shown=True)
        made = datetime.fromtimestamp(self.now, self.app.config.tz).strftime("%Y-%m-%d %H:%M")
        self.post_message(
            self.BulletinReady(
                text, t("bulletin.caption", time=made, hours=self.app.config.bulletin_max_age_hours)
            )
        )

    def on_passes_screen_bulletin_ready(self, message: BulletinReady) -> None:
        from console.screens.passes.dialogs import QrView

        if message.text is None:
            self.app.notify(t("pass_screen.no_bulletin"), markup=False)
        else:
            self.app.push_screen(QrView(message.text, message.caption))

    def action_print_passes(self, to_printer: bool = False) -> None:
        if self.grid_code:
            self.print_sheet(self.grid_code, sorted(self.marked) or None, to_printer)

    @db_work
    def print_sheet(self, grid_code: str, serials: list[str] | None, to_printer: bool = False) -> None:
        from console.config import data_dir
        from console.sheets.passes import write_sheet

        def progress(done: int, total: int) -> None:
            if done % PROGRESS_EVERY == 0 or done == total:
                self.post_message(self.Printing(done, total))

        try:
            rows = passes.printable(self.now, grid_code, serials)
            key = pass_keys.signing_key(self.app.db_path)
            stamp = datetime.fromtimestamp(self.now, self.app.config.tz).strftime("%Y%m%d-%H%M%S")
            path = write_sheet(
                rows,
                [passes.payload_for(row, key) for row in rows],
                data_dir() / "print" / f"passes-{grid_code}-{stamp}.pdf",
                post_name=self.app.config.post_name,
                tz=self.app.config.tz,
                progress=progress,
            )
        except CmdpostError as err:
            self.post_message(self.Done(error_text(err), failed=True))
            return
        self.post_message(self.Done(t("pass_screen.printed", count=len(rows), path=str(path))))
        if to_printer:
            from console.screens.printing import send_to_printer

            send_to_printer(self, path)

    def on_passes_screen_printing(self, message: Printing) -> None:
        self.query_one("#passes-status", Static).update(
            Text(t("pass_screen.printing", done=message.done, total=message.total))
        )

    def on_passes_screen_done(self, message: Done) -> None:
        self.query_one(
            "#passes-status", Static
        ).update(  # the sheet's path on its own line, not split after 张:
            Text(
                path_on_own_line(message.text, name_apart=True),
                style="bold #ef5350" if message.failed else "#66bb6a",
            )
        )
        if not message.failed:
            self.app.notify(message.text, markup=False, timeout=10)
            self.load_passes()
