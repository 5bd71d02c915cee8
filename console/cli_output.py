"""What the command line prints: a name holding an escape sequence is shown, never obeyed.

Stored text (names, remarks, pasted chain lines) can hold ESC, BEL or direction marks. Rather than
trust every print of every command to remember ``shown()``, the command line writes through streams
that make those characters visible (db/safe_text.py); tabs and line ends pass unchanged, and a CR
on its own is shown (it would let a reason overwrite what came before it on the line). The terminal
QR code and the progress bars are drawn through ``raw``: their colours and CRs are cmdpost's own.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager

from db.safe_text import shown_keeping_lines


class VisibleControls:
    def __init__(self, stream) -> None:
        self.raw = stream

    def write(self, text: str) -> int:
        return self.raw.write(shown_keeping_lines(text))

    def __getattr__(self, name: str):
        return getattr(self.raw, name)


@contextmanager
def visible_controls():
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = VisibleControls(sys.stdout), VisibleControls(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
