"""An order chain's lines (接龙下单) in the operator's words: why a line cannot be placed and what it
orders, the same words in ``cmdpost import chain --as orders`` and the chain review screen."""

from __future__ import annotations

from console import i18n
from db.intake import orders_chain as supply_chain
from db.intake.orders_chain import OrderEntry

SHOWN_TEXT = 40


def _shown(entry: OrderEntry) -> str:
    text = entry.text.replace("\n", " ")
    return text if len(text) <= SHOWN_TEXT else text[:SHOWN_TEXT] + "…"


def entry_problem(entry: OrderEntry) -> str | None:
    """Why an entry cannot be placed as an order, or None when it can (or is only a header)."""
    t = i18n.t
    if entry.status == supply_chain.DUPLICATE:
        return t("chain_orders.duplicate", door=entry.door, first=entry.duplicate_of)
    if entry.status == supply_chain.UNPARSED:
        return t("chain_orders.no_door", text=_shown(entry))
    if entry.status == supply_chain.UNMATCHED and entry.problems:
        return t("chain_orders.not_on_menu", door=entry.door, goods="、".join(entry.problems))
    if entry.status == supply_chain.UNMATCHED:
        return t("chain_orders.no_goods", door=entry.door)
    if entry.status == supply_chain.CHATTER:
        return t("chain_orders.chatter", text=_shown(entry))
    return None


def goods_text(entry: OrderEntry, units: dict[str, str]) -> str:
    return "、".join(f"{name} {qty}{units.get(name, '')}" for name, qty in entry.goods)
