"""A4 sheets as PDF (roster day sheet, run voucher, register paper lists): the CJK font the passes
use, a title block, tables whose long cells wrap and whose header row repeats on every page, and
"第 n / N 页" at the foot of each page.

The font is looked up by console/sheets/passes.py (the system's, or $CMDPOST_FONT); a PDF must
embed it, and one missing from the laptop is said in one line, as for the passes. Text from the
data is drawn as it is written, never read as markup; controls and direction marks are drawn as
visible ``<U+XXXX>`` stand-ins (ASCII: every font has them), as ``db.safe_text.shown`` does on
screen. A sheet whose font lacks a character of the data is refused before anything is written:
a door or a name printed as empty boxes would send a volunteer to the wrong place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF, FontFace
from fpdf.fonts import TTFFont

from console.i18n import t
from db.errors import CmdpostError
from db.private_file import open_for_writing
from db.safe_text import CONTROLS

MARGIN = 12.0  # mm, all round; the foot line sits inside the bottom one
FOOT = 8.0
BOX = "□"  # a box to tick by hand (in every CJK font: it is in GB 2312)
TICKED = "✓"
GREY = (235, 235, 235)
RED = (176, 0, 0)
# Every control and direction character as ASCII; a remark's own line breaks stay line breaks.
_ON_PAPER = {ord(c): f"<U+{ord(c):04X}>" for c in CONTROLS if c != "\n"}
_ON_PAPER[ord("\t")] = " "


class SheetError(CmdpostError):
    """A sheet cannot be made as asked (no CJK font, a character the font lacks, an unwritable file)."""


def on_paper(value: object) -> str:
    """Text from the data as it is drawn on a sheet: controls and direction marks made visible."""
    if value is None:
        return ""
    return str(value).replace("\r\n", "\n").translate(_ON_PAPER)


def sheet_font() -> tuple[Path, int]:
    """The passes' CJK font; its errors reworded for any sheet (they name passes)."""
    from console.sheets.passes import PassSheetError, find_font

    try:
        return find_font()
    except PassSheetError as err:
        raise SheetError(err.key.replace("pass_sheet.", "pdf_sheet."), **err.params) from None


@dataclass(frozen=True)
class Cell:
    """A table cell with more than text: spanning rows, in red, or a box drawn large."""

    text: str
    rowspan: int = 1
    red: bool = False
    box: bool = False


class PdfSheet(FPDF):
    """An A4 page set with the sheet's title running at the head of every page after the first."""

    def __init__(self, post_name: str, title: str, size: float = 10) -> None:
        super().__init__(unit="mm", format="A4")
        font = sheet_font()
        self.add_font("cjk", "", str(font[0]), collection_font_number=font[1])
        self.font_path, self.size = font[0], size
        self.set_font("cjk", size=size)
        face = self.current_font
        if not isinstance(face, TTFFont):  # a font added from a file is always one; this says so to mypy
            raise SheetError("pdf_sheet.bad_font", path=str(font[0]))
        self.cmap = face.cmap
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, MARGIN + FOOT)
        self.running = f"{on_paper(post_name)} · {title}"
        self.used: set[str] = set(self.running)
        self.set_title(title)
        self.set_creator(on_paper(post_name))
        self.add_page()

    # -- the page's head and foot, drawn by fpdf2 on every page ------------------------------

    def header(self) -> None:
        if self.page_no() > 1:
            self.set_font_size(8)
            self.set_text_color(90, 90, 90)
            self.cell(self.epw, 5, self.running, align="L", new_x="LMARGIN", new_y="NEXT")
            self.set_text_color(0, 0, 0)
            self.set_font_size(self.size)
            self.ln(1)

    def footer(self) -> None:
        self.set_y(-MARGIN - FOOT + 2)
        self.set_font_size(8.5)
        # {nb} is fpdf2's alias for the page count, filled in when the document is finished.
        self.cell(self.epw, 5, t("pdf_sheet.page", page=self.page_no(), pages="{nb}"), align="C")
        self.set_font_size(self.size)

    # -- blocks ------------------------------------------------------------------------------

    def heading(self, text: str, size: float = 15, width: float = 0) -> None:
        self._text_block(text, size, width, gap=1.5)

    def lines(self, texts: Sequence[str], size: float = 9.5, width: float = 0) -> None:
        self.set_text_color(60, 60, 60)
        for text in texts:
            self._text_block(text, size, width, gap=0.5)
        self.set_text_color(0, 0, 0)
        self.ln(2)

    def keep_room(self, height: float) -> None:
        """A new page unless ``height`` mm are left on this one (a post's name with its first rows)."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def _text_block(self, text: str, size: float, width: float, gap: float) -> None:
        self.used.update(text)
        self.set_font_size(size)
        self.multi_cell(width or self.epw, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font_size(self.size)
        self.ln(gap)

    def draw_table(
        self, header: Sequence[str], rows: Sequence[Sequence[str | Cell]], widths: Sequence[float]
    ) -> None:
        """A bordered table across the page; ``widths`` in mm or as shares. Long cells wrap (character by
        character when a word is wider than its column); the header row repeats on each page."""
        self.used.update("".join(header))
        with super().table(
            col_widths=tuple(widths),
            width=self.epw,
            text_align="LEFT",
            v_align="TOP",
            line_height=self.size * 0.5,
            padding=(1.2, 1.5),
            headings_style=FontFace(emphasis="", fill_color=GREY),
            repeat_headings=1,
        ) as table:
            row = table.row()
            for name in header:
                row.cell(name)
            for cells in rows:
                row = table.row()
                for cell in cells:
                    if isinstance(cell, Cell):
                        self.used.update(cell.text)
                        style = (
                            FontFace(size_pt=self.size * 1.4)
                            if cell.box
                            else (FontFace(color=RED) if cell.red else None)
                        )
                        row.cell(
                            cell.text, rowspan=cell.rowspan, style=style, align="C" if cell.box else None
                        )
                    else:
                        self.used.update(cell)
                        row.cell(cell)
        self.ln(3)

    def content_width(self, texts: Sequence[str], low: float, high: float) -> float:
        """The width (mm) a column needs for its longest line, padding included, kept within low..high."""
        widest = max((self.get_string_width(line) for text in texts for line in text.split("\n")), default=0)
        return min(high, max(low, widest + 3.5))

    # -- the file ----------------------------------------------------------------------------

    def save(self, path: Path) -> Path:
        """Write the PDF (owner-only when cmdpost makes the file); nothing is written when the font lacks
        a character of the sheet."""
        missing = sorted({c for c in self.used if not c.isspace() and ord(c) not in self.cmap})
        if missing:
            raise SheetError(
                "pdf_sheet.missing_glyphs", chars="".join(missing[:20]), font=str(self.font_path)
            )
        self.alias_nb_pages()
        try:
            data = bytes(self.output())
            with open_for_writing(path, "wb") as fh:
                fh.write(data)
        except OSError as exc:
            raise SheetError(
                "pdf_sheet.unwritable", path=str(path), reason=exc.strerror or str(exc)
            ) from None
        return path
