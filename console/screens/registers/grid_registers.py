"""A grid's registers (台账): special care checked today, buildings reported, and testing rounds."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Select, Static, TabbedContent, TabPane

from console.i18n import error_text, t
from console.screens.base import PostScreen
from console.screens.common import footer, post_header
from console.text.roster import clock
from console.workers import db_work
from db.errors import CmdpostError
from db.registers import queries as register_queries
from db.registers import writes as registers
from db.registers.queries import CareStatus, Coverage, UnitStatus, Untested
from widgets.paged_table import Column, PagedTable
from widgets.row_table import RowTable
from widgets.safe_text import data_text

# keys that act on one tab's table: elsewhere they are off and out of the footer, so `s` pressed on the
# testing tab can no longer mark the special-care household hidden under it
TAB_ACTIONS = {
    "check_safe": "reg-care",
    "check_problem": "reg-care",
    "report_normal": "reg-units",
    "report_problem": "reg-units",
    "mark_tested": "reg-tests",
    "record_call": "reg-tests",
}
WRITE_ACTIONS = {
    "mark_tested",
    "record_call",
    "check_safe",
    "check_problem",
    "report_normal",
    "report_problem",
    "paste_chain",
}


@dataclass(frozen=True)
class UntestedSource:
    round_id: int
    root_id: int

    def count(self) -> int:
        return register_queries.untested_count(self.round_id, self.root_id)

    def page(self, offset: int, limit: int) -> list[Untested]:
        return register_queries.untested_page(self.round_id, self.root_id, offset=offset, limit=limit)


class RegistersScreen(PostScreen):
    _left = False  # set once another screen has been over this one
    DEFAULT_CSS = """
    RegistersScreen .status-line { height: auto; }  /* the English key hints wrap at 80 */
    RegistersScreen #reg-tabs { height: 1fr; }  /* else the screen scrolls its title, the grid's name, away */
    RegistersScreen #round-pick { width: 30; }
    RegistersScreen #round-coverage { height: auto; max-height: 12; }
    RegistersScreen #care-table, RegistersScreen #unit-table { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "app.pop_screen", "keys.back"),
        Binding("1", "show_tab('reg-care')", show=False),
        Binding("2", "show_tab('reg-units')", show=False),
        Binding("3", "show_tab('reg-tests')", show=False),
        # priority: the tables would take ←/→ for sideways scrolling and Tab for the tab bar
        Binding("right,tab", "next_tab(1)", "reg_keys.next_tab", priority=True),
        Binding("left,shift+tab", "next_tab(-1)", "reg_keys.previous_tab", show=False, priority=True),
        Binding("r", "pick_round", "reg_keys.round", show=False),
        Binding("s", "check_safe", "reg_keys.safe"),
        Binding("p", "check_problem", "reg_keys.problem"),
        Binding("n", "report_normal", "reg_keys.normal"),
        Binding("b", "report_problem", "reg_keys.report_problem"),
        Binding("t", "mark_tested", "reg_keys.tested"),
        Binding("c", "record_call", "reg_keys.call"),
        Binding("v", "paste_chain", "reg_keys.paste"),
        Binding("w", "copy_chain('tests')", "reg_keys.chain_template"),
        Binding("W", "copy_chain('missing')", "reg_keys.chain_missing"),
        Binding("e", "export('csv')", "reg_keys.export"),
        Binding("P", "export('pdf')", "reg_keys.paper"),
        Binding(
            "L", "export('pdf', True)", "printer.key"
        ),  # after the screen's own jobs: 80 columns keep their words
        Binding("question_mark,f1", "app.show_help", "keys.help"),
    ]

    @dataclass
    class Loaded(Message):
        care: list[CareStatus]
        units: list[UnitStatus]
        rounds: list[registers.TestRound]
        coverage: list[Coverage]

    @dataclass
    class Done(Message):
        text: str
        failed: bool = False

    def __init__(self, grid_id: int, grid_code: str, grid_name: str) -> None:
        super().__init__()
        self.grid_id, self.grid_code, self.grid_name = grid_id, grid_code, grid_name
        self.round_id: int | None = None
        self.care: list[CareStatus] = []
        self.units: list[UnitStatus] = []

    def compose(self) -> ComposeResult:
        yield post_header(self.app)
        yield Static(
            data_text(f"{self.grid_code} {self.grid_name} · {t('reg.title')}", style="bold"),
            id="reg-title",
            classes="status-line",
        )
        with TabbedContent(id="reg-tabs"):
            with TabPane(t("reg.tab_care"), id="reg-care"):
                yield Static("", id="care-status", classes="status-line")
                yield RowTable(id="care-table", cursor_type="row", zebra_stripes=True)
            with TabPane(t("reg.tab_units"), id="reg-units"):
                yield Static("", id="unit-status", classes="status-line")
                yield RowTable(id="unit-table", cursor_type="row", zebra_stripes=True)
            with TabPane(t("reg.tab_tests"), id="reg-tests"):
                yield Select([], prompt=t("reg.no_round"), id="round-pick", allow_blank=True)
                yield RowTable(id="round-coverage", cursor_type="row", zebra_stripes=True)
                yield Static("", id="callback-status", classes="status-line")
                yield PagedTable(
                    [
                        Column(t("col.door"), 20, lambda r: r.door, lambda r: "bold"),
                        Column(t("col.grid"), 7, lambda r: r.grid_code),
                        Column(t("col.head"), 8, lambda r: r.head_name),
                        Column(t("col.people"), 4, lambda r: str(r.people), align_right=True),
                        Column(t("col.phone"), 12, lambda r: r.phone),
                        Column(
                            t("export.last_call"),
                            16,
                            lambda r: (
                                (t(f"outcome.{r.last_outcome}") + " " + r.last_note) if r.last_outcome else ""
                            ),
                        ),
                    ],
                    empty_text=t("reg.all_tested"),
                    loading_text=t("table.loading"),
                    id="callbacks",
                )
        yield footer()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "next_tab":  # the round list, when open or focused, keeps its own keys
            return not isinstance(self.focused, Select) and not self.focused.__class__.__name__.startswith(
                "Select"
            )
        if action in TAB_ACTIONS and self.query_one(TabbedContent).active != TAB_ACTIONS[action]:
            return False
        return not (self.app.readonly and action in WRITE_ACTIONS)

    def on_tabbed_content_tab_activated(self) -> None:
        self.refresh_bindings()  # the footer follows the tab: its own keys, with their words

    def on_mount(self) -> None:
        self.query_one("#care-table", DataTable).add_columns(
            t("export.today"),
            t("col.door"),
            t("col.head"),
            t("col.phone"),
            t("col.care"),
            t("export.last_check"),
        )
        self.query_one("#unit-table", DataTable).add_columns(
            t("export.today"), t("col.grid"), t("export.unit"), t("export.observer"), t("col.note")
        )
        self.query_one("#round-coverage", DataTable).add_columns(
            t("col.grid"), t("reg.households"), t("reg.people"), "%"
        )
        self.query_one("#care-table", DataTable).focus()
        self.load_registers()

    def today(self) -> str:
        return self.app.now().date().isoformat()

    @db_work
    def load_registers(self) -> None:
        rounds = registers.rounds()
        round_id = self.round_id or (rounds[0].id if rounds else None)
        coverage = register_queries.round_coverage(round_id, self.grid_id) if round_id else []
        self.post_message(
            self.Loaded(
                register_queries.care_register(self.today(), self.grid_id),
                register_queries.unit_reports(self.today(), self.grid_id),
                rounds,
                coverage,
            )
        )

    def on_registers_screen_loaded(self, message: Loaded) -> None:
        self.care, self.units = message.care, message.units
        tz = self.app.config.tz
        styles = {"": "bold white on #c62828", "problem": "bold black on #ffb74d", "safe": "", "normal": ""}
        _fill(
            self.query_one("#care-table", DataTable),
            [
                [
                    Text(t(f"care_status.{c.today or 'none'}"), style=styles[c.today]),
                    data_text(c.door),
                    data_text(c.head_name),
                    data_text(c.phone),
                    data_text(c.care_tags, style="#ef5350"),
                    data_text(
                        f"{clock(c.last_checked_at, tz, True)} {c.last_checked_by} {c.today_note}"
                        if c.last_checked_at
                        else ""
                    ),
                ]
                for c in message.care
            ],
        )
        overdue = sum(1 for c in message.care if not c.today)
        self.query_one("#care-status", Static).update(
            Text(t("reg.care_status", overdue=overdue, total=len(message.care)), style="bold")
        )
        _fill(
            self.query_one("#unit-table", DataTable),
            [
                [
                    Text(t(f"report_status.{u.today or 'none'}"), style=styles[u.today]),
                    data_text(u.code),
                    data_text(u.name),
                    data_text(u.observer),
                    data_text(u.note),
                ]
                for u in message.units
            ],
        )
        missing = sum(1 for u in message.units if not u.today)
        self.query_one("#unit-status", Static).update(
            Text(t("reg.unit_status", missing=missing, total=len(message.units)), style="bold")
        )
        pick = self.query_one("#round-pick", Select)
        with pick.prevent(Select.Changed):
            pick.set_options(
                [(data_text(t("reg.round", number=r.number, date=r.held_on)), r.id) for r in message.rounds]
            )
            if message.rounds:
                self.round_id = self.round_id or message.rounds[0].id
                pick.value = self.round_id
        _fill(
            self.query_one("#round-coverage", DataTable),
            [
                [
                    Text("  " * c.level) + data_text(f"{c.code} {c.name}"),
                    Text(f"{c.tested_households}/{c.households}"),
                    Text(f"{c.tested_people}/{c.residents}"),
                    Text(f"{c.percent:.0f}%", style="bold #ef5350" if c.percent < 100 else "bold #66bb6a"),
                ]
                for c in message.coverage
            ],
        )
        callbacks = self.query_one("#callbacks", PagedTable)
        # with no round yet, "all tested" would be untrue: say there is no round and how to make one
        callbacks.empty_text = t("reg.all_tested") if message.rounds else t("registers.no_rounds")
        callbacks.refresh()
        if self.round_id:
            callbacks.set_source(UntestedSource(self.round_id, self.grid_id))

    def on_select_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, int):  # a round's id (the only values it holds), not Select.NULL
            self.round_id = event.value
            self.load_registers()

    def on_paged_table_loaded(self, message: PagedTable.Loaded) -> None:
        self.query_one("#callback-status", Static).update(
            Text(t("reg.callback_status", count=f"{message.total:,}"))
        )

    def action_next_tab(self, step: int) -> None:
        tabs = ("reg-care", "reg-units", "reg-tests")
        self.action_show_tab(tabs[(tabs.index(self.query_one(TabbedContent).active) + step) % len(tabs)])

    def action_pick_round(self) -> None:
        self.action_show_tab("reg-tests")
        pick = self.query_one("#round-pick", Select)
        pick.focus()
        pick.expanded = True

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self.query_one(
            {"reg-care": "#care-table", "reg-units": "#unit-table", "reg-tests": "#callbacks"}[tab]
        ).focus()

    # -- writes -------------------------------------------------------------------------

    def _row(self, table_id: str, rows: list):
        index = self.query_one(table_id, DataTable).cursor_row
        return rows[index] if rows and 0 <= index < len(rows) else None

    def _ask(self, title: str, fields, then, choices=None) -> None:
        from console.screens.dialogs.prompt import PromptDialog

        self.app.push_screen(PromptDialog(title, fields, choices), lambda answer: answer and then(answer))

    def action_check_safe(self) -> None:
        household = self._row("#care-table", self.care)
        if household:
            self.write(
                registers.care_checkin,
                household.household_id,
                "safe",
                "",
                checked_by=self.app.actor,
                tz=self.app.config.tz,
                now=int(self.app.now().timestamp()),
            )

    def action_check_problem(self) -> None:
        household = self._row("#care-table", self.care)
        if household:
            self._ask(
                t("reg.problem_title", door=household.door),
                [("note", t("reg.problem_note"), "")],
                lambda a: self.write(
                    registers.care_checkin,
                    household.household_id,
                    "problem",
                    a["note"],
                    checked_by=self.app.actor,
                    tz=self.app.config.tz,
                    now=int(self.app.now().timestamp()),
                ),
            )

    def _report(self, status: str) -> None:
        unit = self._row("#unit-table", self.units)
        if unit:
            fields = [("observer", t("export.observer"), unit.observer)]
            if status == "problem":
                fields.append(("note", t("reg.problem_note"), ""))
            self._ask(
                t("reg.report_title", unit=f"{unit.code} {unit.name}"),
                fields,
                lambda a: self.write(
                    registers.unit_report,
                    unit.grid_id,
                    status,
                    a["observer"],
                    a.get("note", ""),
                    actor=self.app.actor,
                    tz=self.app.config.tz,
                    now=int(self.app.now().timestamp()),
                ),
            )

    def action_report_normal(self) -> None:
        self._report("normal")

    def action_report_problem(self) -> None:
        self._report("problem")

    def action_mark_tested(self) -> None:
        row = self.query_one("#callbacks", PagedTable).cursor_value
        if row and self.round_id:
            self._ask(
                t("reg.tested_title", door=row.door),
                [("people", t("reg.tested_people"), str(row.people))],
                lambda a: self.write(
                    registers.mark_tested,
                    self.round_id,
                    row.grid_code,
                    [(row.door, a["people"])],
                    source="hand",
                    actor=self.app.actor,
                ),
            )

    def action_record_call(self) -> None:
        row = self.query_one("#callbacks", PagedTable).cursor_value
        if row and self.round_id:
            self._ask(
                t("reg.call_title", door=row.door, phone=row.phone),
                [("note", t("col.note"), "")],
                lambda a: self.write(
                    registers.record_callback,
                    self.round_id,
                    row.household_id,
                    a["choice"],
                    a["note"],
                    actor=self.app.actor,
                ),
                choices=[(o, t(f"outcome.{o}")) for o in registers.OUTCOMES],
            )

    @db_work
    def write(self, action, *args, **kwargs) -> None:
        try:
            action(*args, **kwargs)
        except CmdpostError as err:
            self.post_message(self.Done(error_text(err), failed=True))
            return
        self.post_message(self.Done(t("reg.saved")))

    def on_registers_screen_done(self, message: Done) -> None:
        self.app.notify(message.text, severity="error" if message.failed else "information", markup=False)
        if not message.failed:
            self.load_registers()
            self.query_one("#callbacks", PagedTable).reload()

    def action_paste_chain(self) -> None:
        from console.screens.intake.chain_review import ChainReviewScreen

        self.app.push_screen(ChainReviewScreen(self.grid_code, self.grid_name))

    @db_work
    def action_copy_chain(self, kind: str) -> None:
        """w: the testing round's chain template (its untested doors); W: who has not answered, to post back."""
        from console.screens.intake.chain_review_copy import copy_chain_text

        number = (
            next((r.number for r in registers.rounds() if r.id == self.round_id), None)
            if self.round_id
            else next((r.number for r in registers.rounds()), None)
        )
        if number is None:
            self.app.call_from_thread(
                self.app.notify, t("registers.no_rounds"), severity="error", markup=False
            )
            return
        copy_chain_text(self, self.grid_code, kind, number)

    def on_screen_suspend(self) -> None:
        self._left = True

    def on_screen_resume(self) -> None:
        if self._left:  # back from a dialog or a chain; the first show was read at mount
            self.load_registers()
            self.query_one("#callbacks", PagedTable).reload()

    def action_export(self, kind: str, to_printer: bool = False) -> None:
        tab = self.query_one(TabbedContent).active
        register = {"reg-care": "care", "reg-units": "reports", "reg-tests": "callbacks"}[tab]
        self.export_register(register, kind, to_printer)

    @db_work
    def export_register(self, register: str, kind: str, to_printer: bool = False) -> None:
        from console.config import data_dir
        from console.sheets.registers import export

        number = next((r.number for r in registers.rounds() if r.id == self.round_id), None)
        path = data_dir() / "export" / f"{register}-{self.grid_code}-{self.today()}.{kind}"
        written = export(
            register,
            self.grid_code,
            path,
            post_name=self.app.config.post_name,
            round_number=number,
            day=self.today(),
            tz=self.app.config.tz,
        )
        self.post_message(self.Done(t("roster.printed", path=str(written))))
        if to_printer:
            from console.screens.printing import send_to_printer

            send_to_printer(self, written)


def _fill(table: DataTable, rows: list[list[Text]]) -> None:
    cursor = table.cursor_row
    table.clear()
    for row in rows:
        table.add_row(*row)
    if rows:
        table.move_cursor(row=min(cursor, len(rows) - 1))
