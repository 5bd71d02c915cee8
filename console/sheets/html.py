"""The one rule for where an HTML sheet (roster day sheet, run voucher, register paper list) may be
written: only to a name ending in .html. Before this, ``--out x.pdf`` silently wrote HTML under a
.pdf name, which a printer or a viewer then refused or, worse, printed as markup."""

from __future__ import annotations

from pathlib import Path

from db.errors import CmdpostError


class SheetPathError(CmdpostError):
    """The sheet cannot be written under the name asked for."""


def require_html(path: Path) -> Path:
    if path.suffix.lower() != ".html":
        raise SheetPathError("sheet_path.html_only", path=str(path), suffix=path.suffix or "—")
    return path
