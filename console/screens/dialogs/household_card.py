"""One household in full: nothing cut to fit a column, and how to close it (a dialog has no footer)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from console.i18n import t
from console.screens.base import PostDialog
from db.records import HouseholdRow
from widgets.safe_text import data_text


class HouseholdCard(PostDialog[None]):
    DEFAULT_CSS = """
    HouseholdCard { align: center middle; }
    HouseholdCard > Vertical { width: 64; max-width: 100%; height: auto; border: thick $accent;
                               background: $surface; padding: 1 2; }
    """
    BINDINGS = [Binding("escape,enter,q", "dismiss", "keys.close")]

    def __init__(self, household: HouseholdRow) -> None:
        super().__init__()
        self.household = household

    def compose(self) -> ComposeResult:
        h = self.household
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for label, value in (
            ("col.door", h.door),
            ("col.grid", h.grid_code),
            (
                "household_card.head",
                h.head_name,
            ),  # the whole word: the columns' "Head" and "Ppl" are cut to fit
            ("household_card.people", str(h.people)),
            ("col.phone", h.phone),
            ("col.care", h.care_tags),
            ("col.note", h.note),
        ):
            table.add_row(
                Text(t(label)),
                data_text(value or "—", style="bold #ef5350" if label == "col.care" and value else ""),
            )
        with Vertical():
            yield Static(table)
            yield Static(Text(t("household_card.hint"), style="italic"), id="household-card-hint")
