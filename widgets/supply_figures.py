"""The day's supply figures: what reached doors per item (the seeds' "X 吨蔬菜, Y 瓶消毒液") and a
small bar chart of deliveries per hour, drawn with block characters. Item names are data: they
go into rich Text as plain strings, never as markup.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.widget import Widget

from db.safe_text import shown

BLOCKS = " ▁▂▃▄▅▆▇█"
CHART_ROWS = 3


def plain_amount(quantity: int, unit: str) -> str:
    """A quantity in its own unit, when the screen gives no wording of its own."""
    return f"{quantity:,}{unit}"


def bars(counts: list[int], rows: int = CHART_ROWS) -> list[str]:
    """Top to bottom, one line per row: each count as a column of eighths, two cells per hour."""
    top = max(counts, default=0)
    levels = [round(c * rows * 8 / top) if top else 0 for c in counts]
    levels = [max(level, 1) if c else 0 for level, c in zip(levels, counts)]  # one delivery still shows
    lines = []
    for row in range(rows - 1, -1, -1):
        cells = [BLOCKS[min(max(level - row * 8, 0), 8)] * 2 for level in levels]
        lines.append("".join(cells))
    return lines


class SupplyFigures(Widget):
    DEFAULT_CSS = """
    SupplyFigures { height: auto; min-height: 7; padding: 0 1; border-left: tall $panel; }
    SupplyFigures > .supply-figures--title { text-style: bold; color: $text-muted; }
    SupplyFigures > .supply-figures--bars { color: $success; }
    """
    COMPONENT_CLASSES = {"supply-figures--title", "supply-figures--bars"}

    def __init__(
        self,
        *,
        totals_title: str,
        chart_title: str,
        empty_text: str,
        amount: Callable[[int, str], str] = plain_amount,
        id: str | None = None,
    ) -> None:
        """``amount`` words a quantity in its unit (the console passes console.text.supply.amount_text)."""
        super().__init__(id=id)
        self.totals_title, self.chart_title, self.empty_text = totals_title, chart_title, empty_text
        self.amount = amount
        self.totals: list[tuple[str, str, str, int]] = []
        self.hours: list[int] = [0] * 24

    def show(self, totals: list[tuple[str, str, str, int]], hours: list[int]) -> None:
        """``totals``: (item, unit, category, quantity delivered); ``hours``: deliveries in each hour."""
        self.totals, self.hours = totals, hours
        self.refresh(layout=True)

    def render(self) -> Text:
        title = self.get_component_rich_style("supply-figures--title", partial=True)
        bar_style = self.get_component_rich_style("supply-figures--bars", partial=True)
        text = Text(self.totals_title, style=title)
        text.append("\n")
        if self.totals:
            text.append(
                " · ".join(shown(f"{name} {self.amount(qty, unit)}") for name, unit, _, qty in self.totals)
            )
        else:
            text.append(self.empty_text, style="dim")
        text.append("\n")
        text.append(f"{self.chart_title}  {sum(self.hours):,}", style=title)
        for line in bars(self.hours):
            text.append("\n")
            text.append(line, style=bar_style)
        text.append("\n" + "".join(f"{h:<6}" for h in range(0, 24, 3)), style="dim")
        return text
