"""CSV files meant for Excel or WPS: every cell goes through ``db.safe_text.spreadsheet_cell``.

A cell that starts with =, +, -, @, a tab or a CR is read by a spreadsheet as a formula
(``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``); OWASP's advice is a leading single quote, which
is what the cell gets. Numbers passed as numbers stay numbers (-2 is -2), so callers pass counts
and quantities as ``int``, never pre-formatted text. The csv module quotes separators, quotes and
line ends inside a cell, and no control character is written.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable

from db.safe_text import spreadsheet_cell


class SpreadsheetWriter:
    def __init__(self, fh) -> None:
        self._writer = csv.writer(fh)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([spreadsheet_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)
