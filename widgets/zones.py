"""Zone colours, shared by every widget that shows a zone status."""

from __future__ import annotations

from rich.text import Text

ZONE_ORDER = ("sealed", "controlled", "precaution")
ZONE_STYLES = {
    "sealed": "bold white on #b71c1c",
    "controlled": "bold black on #f9a825",
    "precaution": "bold white on #2e7d32",
}


def zone_chip(zone: str, label: str) -> Text:
    """A coloured label such as ' 封控区 ' that reads in colour and in monochrome."""
    return Text(f" {label} ", style=ZONE_STYLES.get(zone, "reverse"))
