"""Every key, per screen, read from the screens' own bindings so it cannot drift."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from console.i18n import t
from console.screens.base import PostDialog


def _sections():
    from console.screens.audit.trail import AuditScreen
    from console.screens.dashboard import DashboardScreen
    from console.screens.first_run import FirstRunScreen
    from console.screens.grid import GridScreen
    from console.screens.intake.chain_review import ChainReviewScreen
    from console.screens.intake.import_data import ImportScreen
    from console.screens.passes.grid_passes import PassesScreen
    from console.screens.passes.scan import ScanScreen
    from console.screens.registers.grid_registers import RegistersScreen
    from console.screens.roster.coverage import CoverageScreen
    from console.screens.roster.shift_panel import ShiftPanel
    from console.screens.roster.signup import SignupScreen
    from console.screens.search import SearchScreen
    from console.screens.sign_in import SignInScreen
    from console.screens.supply.delivery_log import SupplyLogScreen
    from console.screens.supply.overview import SupplyScreen
    from widgets.coverage_timeline import CoverageTimeline
    from widgets.paged_table import PagedTable
    from widgets.tile_board import TileBoard

    return [
        (
            "help.global",
            [
                Binding("ctrl+p", "", "keys.palette"),
                Binding("f1", "", "keys.help"),
                Binding("tab", "", "keys.next_field"),
                Binding("ctrl+q", "", "keys.quit"),
            ],
        ),
        (
            "help.dashboard",
            [
                Binding("left,right,up,down", "", "keys.move_tiles"),
                *_described(TileBoard.BINDINGS),
                *DashboardScreen.BINDINGS,
            ],
        ),
        ("help.grid", GridScreen.BINDINGS),
        ("help.search", SearchScreen.BINDINGS),
        ("help.coverage", [*_described(CoverageTimeline.BINDINGS), *CoverageScreen.BINDINGS]),
        ("help.shift", ShiftPanel.BINDINGS),
        ("help.signup", SignupScreen.BINDINGS),
        ("help.import", ImportScreen.BINDINGS),
        ("help.passes", PassesScreen.BINDINGS),
        ("help.pass_scan", ScanScreen.BINDINGS),
        ("help.registers", RegistersScreen.BINDINGS),
        ("help.supply", SupplyScreen.BINDINGS),
        ("help.supply_log", SupplyLogScreen.BINDINGS),
        ("help.chain", ChainReviewScreen.BINDINGS),
        ("help.first_run", FirstRunScreen.BINDINGS),
        ("help.audit", AuditScreen.BINDINGS),
        ("help.signin", SignInScreen.BINDINGS),
        (
            "help.tables",
            [
                Binding("up,down", "", "keys.move_rows"),
                Binding("pageup,pagedown", "", "keys.page"),
                Binding("home,end", "", "keys.first_last"),
                *_described(PagedTable.BINDINGS),
            ],
        ),
    ]


def _described(bindings: list[BindingType]) -> list[Binding]:
    """A widget's keys that say what they do (the others are its own plumbing)."""
    return [b for b in bindings if isinstance(b, Binding) and b.description]


class HelpScreen(PostDialog):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    """
    BINDINGS = [Binding("escape,f1,question_mark,q", "dismiss", "keys.close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text(t("help.title"), style="bold"))
            for title, bindings in _sections():
                yield Static(self._table(t(title), bindings))
            yield Static(Text(t("help.footer"), style="italic"))

    def _table(self, title: str, bindings) -> Table:
        table = Table(
            title=title, title_justify="left", show_header=False, box=None, expand=True, padding=(0, 1)
        )
        table.add_column(width=18, style="bold cyan")
        table.add_column(ratio=1)  # only this column takes the spare width: keys line up in every section
        seen = set()
        for binding in bindings:
            if not binding.description or binding.description in seen:
                continue
            seen.add(binding.description)
            keys = ", ".join(self.app.get_key_display(Binding(k.strip(), "")) for k in binding.key.split(","))
            table.add_row(Text(keys), Text(t(binding.description)))
        return table
