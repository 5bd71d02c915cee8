"""A ledger record (handoff) as text cells: shared by ``cmdpost supply ledger`` and the supply screen."""

from __future__ import annotations

from datetime import datetime

from console import i18n


def ledger_cells(row, tz) -> list[str]:
    """One ledger record as text cells, shared by the CLI and the supply screen."""
    t = i18n.t
    when = datetime.fromtimestamp(row.at, tz).strftime("%m-%d %H:%M")
    goods = f"{row.item} {row.quantity}{row.unit}" if row.item else (f"#{row.order_id}" if row.order_id else "")
    note = row.reason
    if row.corrects_id:
        note = t("supply.reverses", id=row.corrects_id) + (f" {note}" if note else "")
    if row.corrected_by:
        note = t("supply.reversed_by", id=row.corrected_by) + (f" {note}" if note else "")
    party = t("supply_more.from_supplier", party=row.party) if row.kind == "receive" and row.party else row.party
    return [str(row.id), when, t(f"supply_kind.{row.kind}"), row.grid_code, goods, row.staff_name, party, note]
