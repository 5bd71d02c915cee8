"""Pieces every screen shares: the header, the footer and the tile labels."""

from __future__ import annotations

from typing import TYPE_CHECKING

from console.i18n import t, zone_label
from widgets.footer import CatalogueFooter
from widgets.grid_tile import TileLabels
from widgets.post_header import PostHeader
from widgets.zones import ZONE_ORDER

if TYPE_CHECKING:
    from console.app import CmdpostApp


def post_header(app: CmdpostApp) -> PostHeader:
    return PostHeader(
        app.config.post_name,
        t("app.demo_badge") if app.demo else "",
        [(zone, zone_label(zone)) for zone in ZONE_ORDER],
        app.now,
        status=app.header_status,
    )


def footer() -> CatalogueFooter:
    return CatalogueFooter(t)


def tile_labels() -> TileLabels:
    return TileLabels(
        households=t("tile.households"),
        residents=t("tile.residents"),
        care=t("tile.care"),
        staff=t("tile.staff"),
        leader=t("tile.leader"),
        no_leader=t("tile.no_leader"),
        zones={zone: zone_label(zone) for zone in ZONE_ORDER},
        sealed_subgrids=t("tile.sealed_subgrids"),
        tested=t("tile.tested"),
        orders=t("tile.orders"),
        handoffs=t("tile.handoffs"),
    )


def whole_number(text: str, most_digits: int = 12) -> int | None:
    """An id or count typed by an operator, or None: "²" and "١٢" pass str.isdigit but not int(), and
    thirty digits overflow SQLite."""
    text = text.strip().lstrip("#")
    if text.isascii() and text.isdigit() and len(text) <= most_digits:
        return int(text)
    return None
