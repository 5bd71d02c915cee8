"""Passes printed on A4 with fpdf2: eight to a page (2 × 4), dashed cut lines between them.

Each pass shows its grid large on the grid's colour, the name and role, the serial and version,
the validity, the QR code and the issuing post. Chinese needs a CJK font, which a PDF must
embed: one is looked for on the system (or named by $CMDPOST_FONT). Without one, or when the
font lacks a character of a name, nothing is printed and the error says what to install:
a pass with empty boxes for a name is worse than no pass.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from fontTools.ttLib import TTCollection, TTFont, TTLibError
from fpdf import FPDF
from fpdf.fonts import TTFFont

from console.i18n import role_label, t
from console.text.passes import grid_colour, qr_matrix, rgb, validity
from db.errors import CmdpostError
from db.passes.issuing import PassRow
from db.private_file import open_for_writing
from db.safe_text import shown

FONT_ENV = "CMDPOST_FONT"
FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",  # Debian, Ubuntu: fonts-noto-cjk
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",  # Arch
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",  # Fedora
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  # Debian, Ubuntu: fonts-wqy-microhei
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",  # Arch
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",  # Fedora
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/simsun.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "/System/Library/Fonts/Hiragino Sans GB.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
)
PROBE = "网格通行证"  # a face that lacks these is no Chinese font
PAGE_W, PAGE_H = 210.0, 297.0
COLUMNS, ROWS = 2, 4
CARD_W, CARD_H = PAGE_W / COLUMNS, PAGE_H / ROWS
BAND = 17.0  # height of the coloured band with the grid's code
QR_SIZE = 46.0  # mm, quiet zone included: about 0.94 mm a module for a version 6 code
Progress = Callable[[int, int], None]
_DARK_RUN = re.compile(b"\x01+")  # a row of modules as bytes: 1 is dark


class PassSheetError(CmdpostError):
    """The passes cannot be printed as asked (no font, a missing character, nothing to print)."""


def _faces(path: Path) -> list[tuple[int, TTFont]]:
    if path.suffix.lower() in (".ttc", ".otc"):
        return list(enumerate(TTCollection(str(path), lazy=True).fonts))
    return [(0, TTFont(str(path), lazy=True))]


def _simplified_face(path: Path) -> int | None:
    """The collection index of the best Simplified Chinese face in a font file, or None."""
    try:
        faces = _faces(path)
        # Noto CJK holds JP, KR, SC, TC and HK faces: SC draws the mainland forms. Names are read
        # first because decoding a CJK cmap takes a tenth of a second a face.
        names = [(index, face["name"].getDebugName(1) or "") for index, face in faces]
        preferred = [
            index for index, name in names if any(mark in name for mark in (" SC", "GB", "YaHei", "Hei"))
        ]
        for index in preferred + [index for index, _ in names if index not in preferred]:
            cmap = faces[index][1].getBestCmap() or {}
            if all(ord(c) in cmap for c in PROBE):
                return index
    except (OSError, TTLibError, KeyError, AssertionError):
        return None
    return None


@lru_cache(maxsize=4)
def find_font(explicit: str | None = None) -> tuple[Path, int]:
    """A CJK font file and the index of its Simplified Chinese face."""
    chosen = explicit or os.environ.get(FONT_ENV)
    candidates = [Path(chosen).expanduser()] if chosen else [Path(p) for p in FONT_FILES]
    for path in candidates:
        if path.is_file():
            index = _simplified_face(path)
            if index is not None:
                return path, index
    if chosen:
        raise PassSheetError("pass_sheet.bad_font", path=chosen)
    raise PassSheetError("pass_sheet.no_font", env=FONT_ENV)


def qr_runs(matrix: list[list[bool]]) -> str:
    """The dark modules as PDF rectangles in module units, one per run of dark modules in a row.

    A vector code is sharp at any printer's resolution and costs no image to encode and embed
    per pass (a grey-scale image a pass took 0.7 ms in fpdf2).
    """
    runs = []
    for row, line in enumerate(matrix):
        at_row = f" {row} "
        runs += [
            f"{run.start()}{at_row}{run.end() - run.start()} 1 re" for run in _DARK_RUN.finditer(bytes(line))
        ]
    return " ".join(runs)


def draw_qr(pdf: FPDF, x: float, y: float, size: float, matrix: list[list[bool]]) -> None:
    """A code `size` mm wide with its top left at (x, y): one black path of the dark runs.

    One path, filled once, so a renderer leaves no hairline seams between adjacent rows.
    """
    scale = size / len(matrix) * pdf.k  # PDF points a module; rows go down the page
    pdf._out(
        f"q 0 g {scale:.4f} 0 0 {-scale:.4f} {x * pdf.k:.2f} {(pdf.h - y) * pdf.k:.2f} cm"
        f" {qr_runs(matrix)} f Q"
    )


class _Sheet(FPDF):
    def __init__(self, font: tuple[Path, int]) -> None:
        super().__init__(unit="mm", format="A4")
        self.set_auto_page_break(False)
        self.set_margins(0, 0, 0)
        self.add_font("cjk", "", str(font[0]), collection_font_number=font[1])
        self.set_font("cjk", size=10)
        assert isinstance(self.current_font, TTFFont), "the font just set is the TrueType one added above"
        self.cmap = self.current_font.cmap
        self.font_path = font[0]
        self.em_widths: dict[str, float] = {}  # a text's width at a font size of one mm

    def check_glyphs(self, texts: list[str]) -> None:
        missing = sorted({c for text in texts for c in text if not c.isspace() and ord(c) not in self.cmap})
        if missing:
            raise PassSheetError(
                "pass_sheet.missing_glyphs", chars="".join(missing[:20]), font=str(self.font_path)
            )

    def fit_text(self, x: float, y: float, text: str, size: float, width: float, bold: bool = False) -> None:
        """One line of text, its baseline at y, shrunk to fit ``width``."""
        em = self.em_widths.get(text)
        if em is None:  # most texts recur on every pass (title, post, dates): measured once
            self.set_font_size(10)
            em = self.em_widths[text] = self.get_string_width(text) / self.font_size
        wide = em * size / self.k  # the size is in points, the page in mm
        self.set_font_size(size * width / wide if wide > width else size)
        self.text_mode = "FILL_STROKE" if bold else "FILL"  # the font has no bold face: stroke thickens it
        self.text(x, y, text)

    def cut_lines(self) -> None:
        self.set_draw_color(150, 150, 150)
        self.set_line_width(0.2)
        with self.local_context():
            self.set_dash_pattern(dash=2, gap=2)
            for column in range(1, COLUMNS):
                self.line(column * CARD_W, 0, column * CARD_W, PAGE_H)
            for row in range(1, ROWS):
                self.line(0, row * CARD_H, PAGE_W, row * CARD_H)

    def card(self, x: float, y: float, row: PassRow, payload: str, texts: dict[str, str]) -> None:
        self.set_fill_color(*rgb(grid_colour(row.grid_code)))
        self.rect(x + 3, y + 3, CARD_W - 6, BAND, style="F")
        self.set_text_color(255, 255, 255)
        self.set_draw_color(255, 255, 255)
        self.set_line_width(0.35)
        self.fit_text(x + 6, y + 16, row.grid_code, 36, 30, bold=True)
        code_w = min(30, self.get_string_width(row.grid_code))
        self.fit_text(x + 9 + code_w, y + 11, row.grid_name, 13, CARD_W - 24 - code_w - 30)
        self.fit_text(x + 9 + code_w, y + 17, texts["only"], 7, CARD_W - 24 - code_w)
        self.fit_text(x + CARD_W - 31, y + 11, texts["title"], 11, 26)
        self.set_text_color(0, 0, 0)
        self.set_draw_color(0, 0, 0)
        self.set_line_width(0.15)
        left, width = x + 7, CARD_W - QR_SIZE - 13
        self.fit_text(left, y + 31, row.name, 18, width, bold=True)
        self.fit_text(left, y + 37.5, role_label(row.role), 10, width)
        self.fit_text(left, y + 45, texts["serial"].format(serial=row.serial, version=row.version), 11, width)
        self.fit_text(left, y + 51, texts["valid"], 8.5, width)
        self.fit_text(left, y + 56, texts["dates"], 8.5, width)
        self.fit_text(left, y + 66, texts["post"], 7.5, width)
        self.qr_code(x + CARD_W - QR_SIZE - 4, y + BAND + 3.5, qr_matrix(payload))

    def qr_code(self, x: float, y: float, matrix: list[list[bool]]) -> None:
        """The code QR_SIZE wide with its top left at (x, y): one black path of the dark runs.

        One path, filled once, so a renderer leaves no hairline seams between adjacent rows.
        """
        draw_qr(self, x, y, QR_SIZE, matrix)


def write_sheet(
    rows: list[PassRow],
    payloads: list[str],
    out: Path,
    *,
    post_name: str,
    tz: ZoneInfo,
    progress: Progress | None = None,
    font: str | None = None,
) -> Path:
    """Write the passes to ``out`` as a PDF; ``payloads`` are the signed QR texts, one per pass."""
    if not rows:
        raise PassSheetError("pass_sheet.nothing")
    sheet = _Sheet(find_font(font))
    # What is printed is shown as on screen: a direction mark in a name would reorder it on paper.
    rows = [replace(r, name=shown(r.name), grid_name=shown(r.grid_name)) for r in rows]
    post_name = shown(post_name)
    title = t("pass_sheet.title")
    texts = [[r.name, r.grid_name, role_label(r.role)] for r in rows]
    sheet.check_glyphs(
        [
            post_name,
            title,
            t("pass_sheet.serial"),
            t("pass_sheet.valid"),
            t("pass_sheet.only"),
            *(text for row in texts for text in row),
        ]
    )
    sheet.set_title(title)
    sheet.set_creator(post_name)
    for index, (row, payload) in enumerate(zip(rows, payloads, strict=True)):
        place = index % (COLUMNS * ROWS)
        if place == 0:
            sheet.add_page()
            sheet.cut_lines()
        x, y = (place % COLUMNS) * CARD_W, (place // COLUMNS) * CARD_H
        sheet.card(
            x,
            y,
            row,
            payload,
            {
                "title": title,
                "only": t("pass_sheet.only"),
                "serial": t("pass_sheet.serial"),
                "valid": t("pass_sheet.valid"),
                "dates": validity(row.valid_from, row.valid_until, tz),
                "post": post_name,
            },
        )
        if progress:
            progress(index + 1, len(rows))
    out = Path(out).expanduser()
    try:
        data = bytes(sheet.output())
        with open_for_writing(out, "wb") as fh:  # names on paper: owner-only when cmdpost makes the file
            fh.write(data)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise PassSheetError("pass_sheet_errors.unwritable", path=str(out), reason=reason) from None
    return out
