"""Text from the database made safe to draw: the one place control characters are neutralised.

Data is never parsed as markup (widgets build ``rich.text.Text``, not markup strings), but a
name can still hold characters a terminal acts on: ESC starts an ANSI sequence (colours, cursor
moves, a new window title), BEL rings, C1 codes (U+0080-U+009F) are escapes to some terminals,
and bidirectional controls (U+202E ...) reorder what follows. ``shown`` turns each into a visible
stand-in, so an operator sees what was typed, literally, and the terminal is never steered:

    "\\x1b[31m红" -> "␛[31m红"    "\\u202e名" -> "<U+202E>名"
"""

from __future__ import annotations

_BIDI = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
_TABLE: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}  # ␀ … ␟ (Control Pictures)
_TABLE[0x7F] = "\u2421"  # ␡
_TABLE.update({code: "\ufffd" for code in range(0x80, 0xA0)})
_TABLE.update({code: f"<U+{code:04X}>" for code in _BIDI})


def shown(value: object) -> str:
    """``value`` as text with every control, escape and direction character made visible."""
    return "" if value is None else str(value).translate(_TABLE)


_LINES_TABLE = {code: stand_in for code, stand_in in _TABLE.items() if code not in (0x09, 0x0A, 0x0D)}


def shown_keeping_lines(value: object) -> str:
    """As ``shown``, but tabs, line ends and carriage returns stay what they are: for whole lines of
    output (a listing's columns, a progress bar redrawn in place)."""
    return "" if value is None else str(value).translate(_LINES_TABLE)
