"""Supply wording shared by ``cmdpost supply`` and the supply screens: a ledger record as text cells,
and an amount of goods."""

from __future__ import annotations

from datetime import datetime

from console import i18n
from db.supply.report import in_tonnes


def ledger_cells(row, tz) -> list[str]:
    """One ledger record as text cells, shared by the CLI and the supply screen."""
    t = i18n.t
    when = datetime.fromtimestamp(row.at, tz).strftime("%m-%d %H:%M")
    goods = (
        f"{row.item} {row.quantity}{row.unit}" if row.item else (f"#{row.order_id}" if row.order_id else "")
    )
    note = row.reason
    if row.corrects_id:
        note = t("supply.reverses", id=row.corrects_id) + (f" {note}" if note else "")
    if row.corrected_by:
        note = t("supply.reversed_by", id=row.corrected_by) + (f" {note}" if note else "")
    party = (
        t("supply_more.from_supplier", party=row.party) if row.kind == "receive" and row.party else row.party
    )
    return [
        str(row.id),
        when,
        t(f"supply_kind.{row.kind}"),
        row.grid_code,
        goods,
        row.staff_name,
        party,
        note,
    ]


def amount_text(quantity: int, unit: str, grouped: bool = False) -> str:
    """ "30瓶", or in tonnes once there is a tonne of it: "2.0 吨" (db.supply.report.in_tonnes). ``grouped``
    puts thousands separators in, for the screens ("1,999斤"); the CLI's figures stay plain for scripts."""
    tonnes = in_tonnes(quantity, unit)
    if tonnes is not None:
        return i18n.t("supply_totals.tonnes", tonnes=f"{tonnes:,.1f}" if grouped else f"{tonnes:.1f}")
    return f"{quantity:,}{unit}" if grouped else f"{quantity}{unit}"
