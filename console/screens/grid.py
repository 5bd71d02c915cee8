"""One grid in full: sub-grid tree, household register, staff and zone history."""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import ContentSwitcher, DataTable, Input, Static, Tree
from textual.widgets.tree import TreeNode

from console.i18n import t, zone_label
from console.screens.base import PostScreen
from console.screens.common import footer, post_header
from console.sources import HouseholdSource, StaffSource, household_columns, staff_columns
from console.supply_sources import grid_supply_text
from console.workers import db_work
from db.grids import queries
from db.records import GridNode, GridSummary, ZoneChangeRow
from db.safe_text import shown
from widgets.data_input import DataInput
from widgets.grid_supply import GridSupply
from widgets.paged_table import PagedTable
from widgets.row_table import RowTable
from widgets.tab_strip import TabStrip
from widgets.zones import zone_chip

WIDE = 110
TABS = (
    ("tab-households", "grid.tab_households"),
    ("tab-staff", "grid.tab_staff"),
    ("tab-zone", "grid.tab_zone"),
)
TAB_FOCUS = {"tab-households": "#register", "tab-staff": "#staff", "tab-zone": "#zone-history"}
SEARCH_DELAY = 0.25


class GridScreen(PostScreen):
    BINDINGS = [
        Binding("escape", "back", "keys.back"),
        Binding("slash", "focus_search", "keys.search"),
        Binding("z", "change_zone", "keys.change_zone"),
        Binding("t", "toggle_tree", "keys.tree"),
        Binding("g", "open_registers", "reg_keys.open"),
        Binding("1", "show_tab('tab-households')", "keys.tab_households", show=False),
        Binding("2", "show_tab('tab-staff')", "keys.tab_staff", show=False),
        Binding("3", "show_tab('tab-zone')", "keys.tab_zone", show=False),
        Binding("r", "reload_grid", "keys.refresh", show=False),
        Binding("question_mark,f1", "app.show_help", "keys.help"),
    ]

    @dataclass
    class Loaded(Message):
        summary: GridSummary
        tree: list[GridNode]
        history: list[ZoneChangeRow]
        care_overdue: int
        units_missing: int

    def __init__(
        self,
        grid_id: int,
        subgrid_code: str | None = None,
        search: str = "",
        register_first: Future | None = None,
    ) -> None:
        """``register_first``: the register's first rows, already being read (see App.open_grid)."""
        super().__init__()
        self._register_first = register_first
        self.grid_id = grid_id
        self.subgrid_code = subgrid_code
        self.search = search
        self.summary: GridSummary | None = None
        self._search_timer: Timer | None = None
        self._grid_requested = False

    def compose(self) -> ComposeResult:
        yield post_header(self.app)
        yield Static("", id="grid-due")
        yield Static(t("dashboard.loading"), id="grid-title")
        yield GridSupply(
            lambda: grid_supply_text(self.grid_id, self.app.now().date().isoformat()), id="grid-supply"
        )
        with Horizontal(id="grid-body"):
            yield Tree(Text(t("grid.structure")), id="grid-tree")
            with Vertical(id="grid-main"):
                yield TabStrip([(tab, t(label)) for tab, label in TABS], "tab-households", id="grid-tabs")
                with ContentSwitcher(initial="tab-households", id="grid-panes"):
                    with Vertical(id="tab-households"):
                        yield DataInput(
                            value=self.search, placeholder=t("grid.search_hint"), id="search", compact=True
                        )
                        yield Static("", id="register-status", classes="status-line")
                        yield PagedTable(
                            household_columns(),
                            empty_text=t("table.empty"),
                            loading_text=t("table.loading"),
                            id="register",
                        )
                    # The staff and history tables are built when their tab is first opened: a screen
                    # with fewer widgets paints its register sooner.
                    yield Vertical(id="tab-staff")
                    with Vertical(id="tab-zone"):
                        yield Static("", id="zone-now")
        yield footer()

    def on_mount(self) -> None:
        self.history: list[ZoneChangeRow] = []
        self.query_one("#grid-tree", Tree).show_root = False
        self._apply_width(self.size.width)
        self._set_register_source()
        self.query_one("#register", PagedTable).focus()

    async def _build_tab(self, tab: str) -> None:
        """Mount a tab's table the first time the tab is opened."""
        if tab == "tab-staff" and not self.query("#staff"):
            table = PagedTable(
                staff_columns(self.app.test_is_stale),
                empty_text=t("table.empty"),
                loading_text=t("table.loading"),
                id="staff",
            )
            await self.query_one("#tab-staff", Vertical).mount(table)
            table.set_source(StaffSource(self.grid_id))
        if tab == "tab-zone" and not self.query("#zone-history"):
            history = RowTable(id="zone-history", cursor_type="row", zebra_stripes=True)
            await self.query_one("#tab-zone", Vertical).mount(history)
            history.add_columns(
                t("zone_history.when"),
                t("zone_history.grid"),
                t("zone_history.change"),
                t("zone_history.by"),
                t("zone_history.reason"),
            )
            self._fill_history_table()

    async def on_tab_strip_chosen(self, message: TabStrip.Chosen) -> None:
        await self.action_show_tab(message.tab)

    def on_resize(self, event) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        self.query_one("#grid-tree").display = width >= WIDE

    @db_work
    def load_grid(self) -> None:
        summary = queries.grid_summary(self.grid_id)
        if summary is None:
            return
        from db.registers import queries as register_queries

        today = self.app.now().date().isoformat()
        missing = sum(1 for unit in register_queries.unit_reports(today, self.grid_id) if not unit.today)
        self.post_message(
            self.Loaded(
                summary,
                queries.grid_tree(self.grid_id),
                queries.zone_history_tree(self.grid_id),
                register_queries.care_overdue_count(today, self.grid_id),
                missing,
            )
        )

    def on_grid_screen_loaded(self, message: Loaded) -> None:
        self.summary = s = message.summary
        title = Text.assemble(
            (f"{s.code} ", "bold"), (shown(s.name), "bold"), "  ", zone_chip(s.zone, zone_label(s.zone))
        )
        title.append(f"   {t('tile.leader')} ")
        title.append(shown(s.leader) if s.leader else t("tile.no_leader"))  # a name is data
        counts = t(
            "grid.counts",
            households=f"{s.households:,}",
            residents=f"{s.residents:,}",
            care=f"{s.care_households:,}",
            staff=f"{s.staff:,}",
        )
        # too long for the line: the counts start the next one whole, never "人员" here and its figure there
        fits = title.cell_len + 3 + Text(counts).cell_len <= self.size.width - 2
        title.append(("   " if fits else "\n") + counts)
        self.query_one("#grid-title", Static).update(title)
        # What is overdue today comes first: it is what the grid worker must do next (g opens it).
        due = self.query_one("#grid-due", Static)
        due.display = bool(message.care_overdue or message.units_missing)
        due.update(Text(t("grid.overdue", care=message.care_overdue, units=message.units_missing)))
        self._fill_tree(message.tree)
        self._fill_history(s, message.history)

    def _fill_tree(self, nodes: list[GridNode]) -> None:
        tree = self.query_one("#grid-tree", Tree)
        tree.clear()
        parents = {node.parent_id for node in nodes}
        handles: dict[int | None, TreeNode] = {}  # by grid id; a top-level grid's parent is None
        for node in nodes:
            # The count comes before the name so that a long name is what gets cut.
            label = Text.assemble(
                zone_chip(node.zone, zone_label(node.zone)[:1]),
                " ",
                (node.code, "bold"),
                (f" ({node.households:,}) ", "cyan"),
                shown(node.name),
            )
            parent = handles.get(node.parent_id, tree.root)
            handles[node.id] = parent.add(
                label, data=node.code, expand=node.level == 0, allow_expand=node.id in parents
            )
            if node.code == self.subgrid_code:
                tree.select_node(handles[node.id])

    def _fill_history(self, summary: GridSummary, rows: list[ZoneChangeRow]) -> None:
        now = Text.assemble(
            t("zone_dialog.current") + " ",
            zone_chip(summary.zone, zone_label(summary.zone)),
            "   " + t("grid.zone_hint"),
        )
        self.query_one("#zone-now", Static).update(now)
        self.history = rows
        self._fill_history_table()

    def _fill_history_table(self) -> None:
        if not self.query("#zone-history"):
            return  # built, and filled, when its tab is first opened
        table = self.query_one("#zone-history", DataTable)
        table.clear()
        for row in self.history:
            change = Text(zone_label(row.old_zone) + " → ") if row.old_zone else Text()
            change.append_text(zone_chip(row.new_zone, zone_label(row.new_zone)))
            table.add_row(
                Text(self.app.local_time(row.changed_at)),
                Text(row.grid_code),
                change,
                Text(shown(row.changed_by)),
                Text(shown(row.reason) or t("zone_history.initial")),
            )

    # -- register filtering ---------------------------------------------------

    def _set_register_source(self) -> None:
        source = HouseholdSource(self.grid_id, self.search, self.subgrid_code)
        first, self._register_first = self._register_first, None
        self.query_one("#register", PagedTable).set_source(source, first)

    def on_paged_table_loaded(self, message: PagedTable.Loaded) -> None:
        if message.table.id != "register":
            return
        if self.summary is None and not self._grid_requested:
            # The title, tree and history are read once the register's first rows are on screen:
            # what the operator came for is drawn first, whatever the size of the grid's tree.
            self._grid_requested = True
            self.call_after_refresh(self.load_grid)
        parts = [t("grid.register_count", count=f"{message.total:,}")]
        if self.subgrid_code:
            parts.append(t("grid.register_scope", code=self.subgrid_code))
        if self.search:
            parts.append(t("grid.register_search", text=self.search))
        self.query_one("#register-status", Static).update(Text("  ·  ".join(parts)))

    def on_paged_table_row_selected(self, message: PagedTable.RowSelected) -> None:
        if message.table.id == "register":
            from console.screens.dialogs.household_card import HouseholdCard

            self.app.push_screen(HouseholdCard(message.row))

    def on_input_changed(self, event: Input.Changed) -> None:
        if self._search_timer:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY, lambda: self._apply_search(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._apply_search(event.value)
        self.query_one("#register", PagedTable).focus()

    def _apply_search(self, text: str) -> None:
        if text.strip() != self.search:
            self.search = text.strip()
            self._set_register_source()

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        code = event.node.data
        self.subgrid_code = None if code == (self.summary.code if self.summary else None) else code
        self._set_register_source()
        # The register shows the choice; the tree keeps focus for the next one.
        self.query_one("#grid-panes", ContentSwitcher).current = "tab-households"
        self.query_one(TabStrip).active = "tab-households"

    # -- actions --------------------------------------------------------------

    def action_back(self) -> None:
        """Esc in the search box clears it (or leaves it); only then does Esc leave the grid."""
        search = self.query_one("#search", Input)
        if self.focused is search:
            if search.value:
                search.value = ""
                self._apply_search("")
            self.query_one("#register", PagedTable).focus()
        else:
            self.app.pop_screen()

    def action_open_registers(self) -> None:
        from console.screens.registers.grid_registers import RegistersScreen

        if self.summary:
            self.app.push_screen(RegistersScreen(self.summary.id, self.summary.code, self.summary.name))

    async def action_focus_search(self) -> None:
        await self.action_show_tab("tab-households")
        self.query_one("#search", Input).focus()

    async def action_show_tab(self, tab: str) -> None:
        # Focus must move into the new tab at once: if it stays in a hidden
        # pane, Textual refocuses that pane and the tab switches back.
        await self._build_tab(tab)
        self.query_one("#grid-panes", ContentSwitcher).current = tab
        self.query_one(TabStrip).active = tab
        self.query_one(f"#{tab} {TAB_FOCUS[tab]}").focus()

    @property
    def active_tab(self) -> str:
        return self.query_one("#grid-panes", ContentSwitcher).current or ""

    def action_toggle_tree(self) -> None:
        tree = self.query_one("#grid-tree")
        tree.display = not tree.display
        if tree.display:
            tree.focus()

    def action_reload_grid(self) -> None:
        self.load_grid()
        self.query_one(GridSupply).reload()
        self.query_one("#register", PagedTable).reload()
        for staff in self.query("#staff").results(PagedTable):
            staff.reload()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        return not (self.app.readonly and action == "change_zone")

    def action_change_zone(self) -> None:
        """The zone of what is in view: the sub-grid or unit chosen in the tree, else the grid."""
        self.open_zone_dialog(self.subgrid_code or (self.summary.code if self.summary else None))

    @db_work
    def open_zone_dialog(self, code: str | None) -> None:
        target = queries.grid_by_code(code) if code else None
        if target:
            self.app.call_from_thread(self._push_zone_dialog, target)

    def _push_zone_dialog(self, target: GridSummary) -> None:
        from console.screens.dialogs.zone import ZoneDialog

        self.app.push_screen(ZoneDialog(target), lambda changed: changed and self.load_grid())
