"""One grid on the dashboard: zone colour, counts and leader, opened with Enter."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from db.records import GridSummary
from widgets.zones import zone_chip


@dataclass(frozen=True)
class TileLabels:
    households: str
    residents: str
    care: str
    staff: str
    leader: str
    no_leader: str
    zones: dict[str, str]
    sealed_subgrids: str


class GridTile(Widget, can_focus=True):
    DEFAULT_CSS = """
    GridTile {
        height: 6;
        border: round $panel-lighten-2;
        padding: 0 1;
        background: $surface;
    }
    GridTile.-sealed { border: heavy #e53935; }
    GridTile.-controlled { border: round #f9a825; }
    GridTile.-precaution { border: round #43a047; }
    GridTile:focus { background: $boost; border: double $accent; }
    GridTile:hover { background: $boost; }
    """
    BINDINGS = [Binding("enter", "open_grid", "keys.open_grid")]

    summary: reactive[GridSummary | None] = reactive(None)

    @dataclass
    class Chosen(Message):
        grid: GridSummary

    def __init__(self, summary: GridSummary, labels: TileLabels, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.labels = labels
        self.set_reactive(GridTile.summary, summary)
        self._apply_zone_class(summary.zone)

    def watch_summary(self, summary: GridSummary | None) -> None:
        if summary:
            self._apply_zone_class(summary.zone)

    def _apply_zone_class(self, zone: str) -> None:
        for name in ("sealed", "controlled", "precaution"):
            self.set_class(zone == name, f"-{name}")

    def render(self) -> Text:
        s, lab = self.summary, self.labels
        if s is None:
            return Text("")
        title = Text(f"{s.code} ", style="bold")
        title.append(s.name, style="bold")
        line1 = Text.assemble(title, "  ", zone_chip(s.zone, lab.zones.get(s.zone, s.zone)))
        line2 = Text(f"{lab.households} {s.households:,}   {lab.residents} {s.residents:,}")
        line3 = Text(f"{lab.care} ")
        line3.append(f"{s.care_households:,}", style="bold #ef5350" if s.care_households else "")
        line3.append(f"   {lab.staff} {s.staff:,}")
        line4 = Text(f"{lab.leader} ")
        line4.append(s.leader or lab.no_leader, style="" if s.leader else "italic #9e9e9e")
        if s.sealed_subgrids and s.zone != "sealed":
            line4.append(f"  {lab.sealed_subgrids}{s.sealed_subgrids}", style="#ef5350")
        return Text("\n").join([line1, line2, line3, line4])

    def action_open_grid(self) -> None:
        if self.summary:
            self.post_message(self.Chosen(self.summary))

    def on_click(self) -> None:
        self.focus()
        self.action_open_grid()
