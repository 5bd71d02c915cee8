"""The one rule for the names a sheet may be written under: a PDF by default, HTML only when asked
for with .html (and CSV for a register's figures). Any other name is refused with one line and
nothing is written: ``--out x.pdf`` once silently wrote HTML under a .pdf name, which a printer or a
viewer then refused or, worse, printed as markup."""

from __future__ import annotations

from pathlib import Path

from db.errors import CmdpostError

SHEET = (".pdf", ".html")


class SheetPathError(CmdpostError):
    """The sheet cannot be written under the name asked for."""


def sheet_format(path: Path, allowed: tuple[str, ...] = SHEET) -> str:
    """ "pdf", "html" or "csv": what ``path`` asks for, if it is one of ``allowed``."""
    suffix = Path(path).suffix.lower()
    if suffix not in allowed:
        raise SheetPathError(
            "sheet_path.wrong_suffix",
            path=str(path),
            suffix=Path(path).suffix or "—",
            allowed=", ".join(allowed),
        )
    return suffix[1:]


def require_pdf_to_print(path: Path) -> None:
    """``--print`` sends a PDF: the printer's queue reads neither HTML nor CSV."""
    if Path(path).suffix.lower() != ".pdf":
        raise SheetPathError("sheet_path.print_needs_pdf", path=str(path))
