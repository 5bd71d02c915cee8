"""How a pass looks wherever it is shown: its grid's colour, its dates, its verdicts, its QR code."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from qrcode.exceptions import DataOverflowError
from rich.text import Text

from console.i18n import t
from console.text import qr_fixed
from db.safe_text import shown

# One strong colour per grid, white text on it, so a guard sees a wrong grid from a metre away.
# Neighbouring grid numbers get different colours.
GRID_COLOURS = (
    "#C62828",
    "#1565C0",
    "#2E7D32",
    "#EF6C00",
    "#6A1B9A",
    "#00838F",
    "#5D4037",
    "#AD1457",
    "#283593",
    "#827717",
)
# Every other verdict is a refusal: red. STALE is orange: the pass may be good, the checker cannot tell.
VERDICT_COLOURS = {"VALID": "#2E7D32", "NOT_YET_VALID": "#EF6C00", "STALE": "#EF6C00"}
REFUSED_COLOUR = "#C62828"
QUIET_ZONE = 4  # modules of white around a code, as the QR standard asks
QR_VERSION = 6  # 41×41 modules hold 154 alphanumeric characters at level M; a payload is about 135
PASS_MASK = 2  # fixed: see qr_matrix


def grid_colour(code: str) -> str:
    index = int(code) - 1 if code.isdigit() and int(code) > 0 else sum(map(ord, code))
    return GRID_COLOURS[index % len(GRID_COLOURS)]


def rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def validity(valid_from: int, valid_until: int, tz: ZoneInfo) -> str:
    """First and last day, both inclusive (a pass runs until the midnight after its last day)."""
    first = datetime.fromtimestamp(valid_from, tz)
    last = datetime.fromtimestamp(valid_until, tz) - timedelta(seconds=1)
    return t("passes.validity", first=first.strftime("%Y-%m-%d"), last=last.strftime("%Y-%m-%d"))


def status_text(status: str, reason: str = "", superseded: bool = False) -> Text:
    label = t(f"passes.status_{status}")
    why = reason or (t("passes.superseded") if superseded else "")
    if status == "revoked" and why:
        # a reason is data: "\r有效" in it must not read as 有效
        label = t("passes.status_with_reason", status=label, reason=shown(why))
    style = {"active": "bold #66bb6a", "revoked": "bold #ef5350", "expired": "#9e9e9e"}[status]
    return Text(label, style=style)


def verdict_label(verdict: str) -> str:
    return t(f"passes.verdict_{verdict.lower()}")


def verdict_colour(verdict: str) -> str:
    return VERDICT_COLOURS.get(verdict, REFUSED_COLOUR)


def qr_any(text: str, border: int = QUIET_ZONE) -> list[list[bool]]:
    """The QR modules of any text (a bulletin, a guard page's scans), at the smallest size that holds it."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=border)
    code.add_data(text)
    code.make(fit=True)
    return code.get_matrix()


def qr_svg(text: str, module_mm: float = 0.5) -> str:
    """An inline SVG of a QR code, for an HTML sheet: one path of dark squares, sized for print."""
    matrix = qr_any(text)
    size = len(matrix)
    dark = "".join(f"M{x},{y}h1v1h-1z" for y, row in enumerate(matrix) for x, on in enumerate(row) if on)
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {size} {size}' width='{size * module_mm}mm'"
        f" height='{size * module_mm}mm' shape-rendering='crispEdges'><rect width='{size}' height='{size}'"
        f" fill='#fff'/><path d='{dark}' fill='#000'/></svg>"
    )


def qr_matrix(payload: str, border: int = QUIET_ZONE) -> list[list[bool]]:
    """The QR modules of a payload, quiet zone included (True is dark).

    The mask is fixed rather than scored: the payload is mostly signature, random bits, so the
    eight masks score within a few per cent of each other, and scoring them costs seven times
    as long, which is most of the time of printing a thousand passes.
    """
    fast = qr_fixed.encode(payload, QR_VERSION, ERROR_CORRECT_M, PASS_MASK, border)
    if fast is not None:
        return fast
    code = qrcode.QRCode(
        version=QR_VERSION, error_correction=ERROR_CORRECT_M, border=border, mask_pattern=PASS_MASK
    )
    code.add_data(payload, optimize=0)
    try:
        code.make(fit=False)  # finding the size costs as much as making the code, and nearly all fit this one
    except DataOverflowError:  # a long grid code or a large staff id
        code.make(fit=True)
    return code.get_matrix()


def qr_half_blocks(payload: str, border: int = QUIET_ZONE) -> Text:
    """The QR code drawn with half blocks, two modules to a character cell, dark on white.

    Scannable straight off the screen: a terminal cell is about twice as tall as it is wide,
    so an upper and a lower half block make two square modules.
    """
    matrix = qr_matrix(payload, border)  # a longer text (a bulletin) takes a larger code
    if len(matrix) % 2:
        matrix = matrix + [[False] * len(matrix[0])]
    glyphs = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
    lines = [
        "".join(glyphs[top, bottom] for top, bottom in zip(upper, lower))
        for upper, lower in zip(matrix[0::2], matrix[1::2])
    ]
    return Text("\n".join(lines), style="#000000 on #ffffff", no_wrap=True)
