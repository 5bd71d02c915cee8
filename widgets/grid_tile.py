"""What one grid's tile says: zone, counts and leader. Drawn by TileBoard."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

from db.records import GridSummary
from db.safe_text import shown
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
    tested: str = ""
    orders: str = ""
    handoffs: str = ""


@dataclass(frozen=True)
class TileCounts:
    """What a tile shows beyond the grid itself; None where the post does not keep it yet."""

    tested: int | None = None
    open_orders: int | None = None
    handoffs_today: int | None = None


def tile_lines(s: GridSummary, lab: TileLabels, counts: TileCounts = TileCounts()) -> list[Text]:
    """The four content lines of a tile. Names are data: built as Text, never parsed as markup."""
    # The zone comes first so that a long grid name is what gets cut, never the status.
    line1 = Text.assemble(
        zone_chip(s.zone, lab.zones.get(s.zone, s.zone)), " ", (f"{s.code} ", "bold"), (shown(s.name), "bold")
    )
    # two spaces between figures: with three, English tiles cut the last number at 34 columns
    line2 = Text(f"{lab.households} {s.households:,}  {lab.residents} {s.residents:,}")
    if counts.tested is not None and s.households:
        share = 100 * counts.tested // s.households
        line2.append(f"  {lab.tested} ")
        line2.append(f"{share}%", style="bold #66bb6a" if share == 100 else "bold #ffb74d")
    line3 = Text(f"{lab.care} ")
    line3.append(f"{s.care_households:,}", style="bold #ef5350" if s.care_households else "")
    line3.append(f"  {lab.staff} {s.staff:,}")
    line4 = Text(f"{lab.leader} ")
    line4.append(shown(s.leader) or lab.no_leader, style="" if s.leader else "italic #9e9e9e")
    if s.sealed_subgrids and s.zone != "sealed":
        line4.append(f"  {lab.sealed_subgrids}{s.sealed_subgrids}", style="#ef5350")
    line5 = Text()
    if counts.open_orders is not None:
        line5.append(f"{lab.orders} ")
        line5.append(f"{counts.open_orders:,}", style="bold #ffb74d" if counts.open_orders else "")
        line5.append(f"  {lab.handoffs} {counts.handoffs_today or 0:,}")
    return [line1, line2, line3, line4, line5]
