"""Text from the database made safe to show: the one place control characters are neutralised.

Pure Python, so the data layer, the widgets and the console all use the same rule (db/ never
imports Textual or console; widgets never import console).

Data is never parsed as markup (widgets build ``rich.text.Text``, not markup strings), but a
name can still hold characters a terminal acts on: ESC starts an ANSI sequence (colours, cursor
moves, a new window title, a cleared screen), BEL rings, CR returns to the start of the line so what
follows overwrites what came before, C1 codes (U+0080-U+009F: U+009B is CSI) are escapes to some
terminals, and bidirectional controls (U+202E ...) reorder what follows. ``shown`` turns each into a
visible stand-in, so an operator sees what was typed, literally, and the terminal is never steered:

    "\\x1b[31m红" -> "␛[31m红"    "\\u202e名" -> "<U+202E>名"    "\\r有效" -> "␍有效"

Every screen, widget, printed sheet, export and command-line output shows data through ``shown``
(or ``shown_keeping_lines`` for whole lines of output); CSV cells go through ``spreadsheet_cell``.
"""

from __future__ import annotations

_BIDI = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
_TABLE: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}  # ␀ … ␟ (Control Pictures)
_TABLE[0x7F] = "\u2421"  # ␡
_TABLE.update({code: "\ufffd" for code in range(0x80, 0xA0)})
_TABLE.update({code: f"<U+{code:04X}>" for code in _BIDI})
CONTROLS = frozenset(chr(code) for code in _TABLE)  # every character ``shown`` replaces


def shown(value: object) -> str:
    """``value`` as text with every control, escape and direction character made visible."""
    return "" if value is None else str(value).translate(_TABLE)


_LINES_TABLE = {code: stand_in for code, stand_in in _TABLE.items() if code not in (0x09, 0x0A)}


def shown_keeping_lines(value: object) -> str:
    """As ``shown``, but tabs and line ends (LF, or CR LF as csv writes them) stay what they are: for
    whole lines of output (a listing's columns). A CR on its own is shown: it would send the cursor
    back so that what follows overwrites the line ("遗失\r有效" would read 有效)."""
    if value is None:
        return ""
    return "\r\n".join(part.translate(_LINES_TABLE) for part in str(value).split("\r\n"))


def shown_in_html(value: object) -> str:
    """``shown``, then escaped for HTML: for printed sheets (a direction mark would reorder a name on paper)."""
    from html import escape  # only for sheets: the html package loads its 2,000 entities, 1.3 ms of a start

    return escape(shown(value))


_ONE_FOR_ONE = {code: stand_in if len(stand_in) == 1 else "\ufffd" for code, stand_in in _TABLE.items()}


def shown_one_for_one(value: object) -> str:
    """As ``shown``, but every character stays one character (a direction mark becomes U+FFFD): for a
    field being edited, whose cursor counts characters of the real value."""
    return "" if value is None else str(value).translate(_ONE_FOR_ONE)


# OWASP "CSV injection": a cell a spreadsheet would read as a formula starts with one of these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: object) -> object:
    """One cell for a CSV file meant for Excel or WPS: a number stays a number, text is shown with its
    controls made visible, and text a spreadsheet would run as a formula gets a leading single quote.

    Only ``int`` and ``float`` count as numbers (a real -2 stays -2); text that looks like one, such as
    "-2+3" or "-2" typed into a note, is text and is neutralised. The csv module quotes separators,
    quotes and line ends inside a cell; this never has to.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    return shown(text)
