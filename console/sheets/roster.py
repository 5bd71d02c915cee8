"""A day's roster as an A4 sheet to print and pin on the wall of the post: a PDF (the CJK font
embedded, console/sheets/pdf.py), or HTML with print CSS when the name ends in .html. Every value
from the data is escaped in HTML and drawn as written in the PDF.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from console.i18n import role_label, t
from console.sheets.paths import sheet_format
from console.sheets.pdf import MARGIN, Cell, PdfSheet, on_paper
from console.text.passes import qr_svg
from console.text.roster import clock
from db.private_file import write_private_text
from db.roster.queries import day_roster
from db.roster.settings import Duty
from db.safe_text import shown_in_html

QR_MM = 34.0  # the revocation bulletin's QR code on the PDF sheet
STYLE = """
@page { size: A4; margin: 12mm; }
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; font-size: 11pt; }
h1 { font-size: 16pt; margin: 0 0 2mm; } h2 { font-size: 13pt; margin: 5mm 0 1mm; page-break-after: avoid; }
table { width: 100%; border-collapse: collapse; page-break-inside: avoid; }
th, td { border: 1px solid #000; padding: 1.5mm 2mm; text-align: left; vertical-align: top; }
th { background: #eee; } td.sign { width: 18mm; } td.time { white-space: nowrap; width: 24mm; }
.gap { color: #b00; font-weight: bold; } .meta { color: #444; }
.bulletin { float: right; width: 60mm; text-align: center; font-size: 9pt; margin: 0 0 3mm 3mm; }
"""


def write_sheet(
    duty: Duty,
    day: date,
    path: Path,
    *,
    grid_code: str | None = None,
    post_id: int | None = None,
    post_name: str = "",
    bulletin: tuple[str, str, int] | None = None,
) -> Path:
    """``bulletin``: (text, time made, max age in hours), printed as a QR code for the guard pages."""
    kind = sheet_format(path)
    shifts = day_roster(duty, day, grid_code, post_id)
    if kind == "pdf":
        return draw_day(duty, day, shifts, grid_code=grid_code, post_name=post_name, bulletin=bulletin).save(
            path
        )
    scope = grid_code and t("sheet.grid", code=grid_code) or ""
    parts = [
        f"<!doctype html><html lang='zh'><meta charset='utf-8'><title>{shown_in_html(t('sheet.title'))}</title>",
        f"<style>{STYLE}</style><body>",
        f"<h1>{shown_in_html(post_name)} · {shown_in_html(t('sheet.title'))}</h1>",
        f"<p class='meta'>{shown_in_html(day.isoformat())} {shown_in_html(scope)}"
        f" · {shown_in_html(t('sheet.legend'))}</p>",
    ]
    if bulletin:  # paper carries the revocations to every post at each change of shift
        text, made, hours = bulletin
        parts.append(
            f"<div class='bulletin'>{qr_svg(text)}<p>{shown_in_html(t('bulletin.caption', time=made, hours=hours))}"
            "</p></div>"
        )
    current = None
    for post, kind, grid, start, end, needed, people in shifts:
        if post != current:
            if current is not None:
                parts.append("</table>")
            current = post
            parts.append(
                f"<h2>{shown_in_html(post)} <small>({shown_in_html(t(f'post_kind.{kind}'))}"
                f" · {shown_in_html(grid)})</small></h2>"
                f"<table><tr><th>{shown_in_html(t('sheet.time'))}</th><th>{shown_in_html(t('sheet.people'))}</th>"
                f"<th>{shown_in_html(t('sheet.phone'))}</th><th>{shown_in_html(t('sheet.in'))}</th>"
                f"<th>{shown_in_html(t('sheet.out'))}</th></tr>"
            )
        rows = [
            (f"{shown_in_html(name)} <small>{shown_in_html(role_label(role))}</small>", shown_in_html(phone))
            for name, role, phone in people
        ]
        rows += [(f"<span class='gap'>{shown_in_html(t('sheet.open'))}</span>", "")] * max(
            0, needed - len(people)
        )
        for index, (who, phone) in enumerate(rows or [("", "")]):
            time_cell = (
                (
                    f"<td class='time' rowspan='{len(rows) or 1}'>{clock(start, duty.tz)}–{clock(end, duty.tz)}"
                    f"<br><small>{shown_in_html(t('sheet.needed', needed=needed))}</small></td>"
                )
                if index == 0
                else ""
            )
            parts.append(
                f"<tr>{time_cell}<td>{who}</td><td>{phone}</td><td class='sign'></td><td class='sign'></td></tr>"
            )
    parts.append("</table>" if current is not None else f"<p>{shown_in_html(t('sheet.empty'))}</p>")
    parts.append("</body></html>")
    write_private_text(path, "\n".join(parts))  # names and phones: owner-only when cmdpost makes the file
    return path


def draw_day(
    duty: Duty,
    day: date,
    shifts: list[tuple],
    *,
    grid_code: str | None,
    post_name: str,
    bulletin: tuple[str, str, int] | None,
) -> PdfSheet:
    """The day sheet as a PDF: a table per post, a shift's time beside its people, open places in red,
    and two columns to sign in and out."""
    title = t("sheet.title")
    sheet = PdfSheet(post_name, title)
    beside = 0.0
    if bulletin:  # paper carries the revocations to every post at each change of shift
        from console.sheets.passes import draw_qr
        from console.text.passes import qr_matrix

        text, made, hours = bulletin
        beside, left = QR_MM + 4, sheet.w - MARGIN - QR_MM
        draw_qr(sheet, left, MARGIN, QR_MM, qr_matrix(text))
        sheet.set_xy(left, MARGIN + QR_MM + 1)
        caption = t("bulletin.caption", time=made, hours=hours)
        sheet.used.update(caption)
        sheet.set_font_size(7.5)
        sheet.multi_cell(QR_MM, 3.5, caption, align="C")
        sheet.set_font_size(sheet.size)
        sheet.set_xy(MARGIN, MARGIN)
    sheet.heading(f"{on_paper(post_name)} · {title}", width=sheet.epw - beside)
    scope = t("sheet.grid", code=on_paper(grid_code)) if grid_code else ""
    sheet.lines(
        [" ".join(x for x in (day.isoformat(), scope) if x), t("sheet.legend")], width=sheet.epw - beside
    )
    if bulletin:
        sheet.set_y(max(sheet.get_y(), MARGIN + QR_MM + 12))
    if not shifts:
        sheet.lines([t("sheet.empty")])
    header = [t("sheet.time"), t("sheet.people"), t("sheet.phone"), t("sheet.in"), t("sheet.out")]
    for post, kind, grid, rows in _by_post(shifts):
        sheet.keep_room(30)
        sheet.heading(f"{on_paper(post)}({t(f'post_kind.{kind}')} · {on_paper(grid)})", size=12)
        table: list[list[str | Cell]] = []
        for start, end, needed, people in rows:
            cells: list[list[str | Cell]] = [
                [f"{on_paper(name)}  {role_label(role)}", on_paper(phone)] for name, role, phone in people
            ]
            cells += [[Cell(t("sheet.open"), red=True), ""] for _ in range(max(0, needed - len(people)))]
            cells = cells or [["", ""]]
            when = f"{clock(start, duty.tz)}–{clock(end, duty.tz)}\n{t('sheet.needed', needed=needed)}"
            for index, (who, phone) in enumerate(cells):
                first: list[str | Cell] = [Cell(when, rowspan=len(cells))] if index == 0 else []
                table.append([*first, who, phone, "", ""])
        sheet.draw_table(header, table, (26, 70, 34, 28, 28))
    return sheet


def _by_post(shifts: list[tuple]) -> list[tuple[str, str, str, list[tuple]]]:
    """The day's shifts grouped by post, in the query's order: (post, kind, grid, [(start, end, needed, people)])."""
    groups: list[tuple[str, str, str, list[tuple]]] = []
    for post, kind, grid, start, end, needed, people in shifts:
        if not groups or groups[-1][0] != post:
            groups.append((post, kind, grid, []))
        groups[-1][3].append((start, end, needed, people))
    return groups


def sheet_bulletin(db_path: Path, config) -> tuple[str, str, int] | None:
    """The revocation bulletin for a shift sheet (None when the post has made no pass): text, time, max age."""
    import time
    from datetime import datetime

    from db.passes import field

    now = int(time.time())
    text = field.current_bulletin(db_path, now)
    made = datetime.fromtimestamp(now, config.tz).strftime("%Y-%m-%d %H:%M")
    return (text, made, config.bulletin_max_age_hours) if text else None
