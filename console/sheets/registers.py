"""Registers out of the console: CSV for Excel (UTF-8 with BOM) and paper lists with checkboxes
(a PDF, or HTML when the name ends in .html).

A grid worker takes the paper list on the round and ticks each door; the CSV
goes to whoever asked for the figures. Every value from the data is escaped.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from console.i18n import t
from console.sheets.paths import SHEET, sheet_format
from console.sheets.pdf import BOX, Cell, PdfSheet, on_paper
from console.sheets.spreadsheet import SpreadsheetWriter
from console.text.roster import clock
from db.grids import queries
from db.private_file import open_for_writing, write_private_text
from db.registers import queries as register_queries
from db.safe_text import shown_in_html

SHORT = 30.0  # mm: a column this narrow (a door, a phone, a code) is never wrapped to fit the page
PAPER_STYLE = """
@page { size: A4; margin: 12mm; }
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; font-size: 10.5pt; }
h1 { font-size: 15pt; margin: 0 0 2mm; } .meta { color: #444; margin-bottom: 3mm; }
table { width: 100%; border-collapse: collapse; } tr { page-break-inside: avoid; }
th, td { border: 1px solid #000; padding: 1.2mm 1.8mm; text-align: left; }
th { background: #eee; } td.box { width: 7mm; text-align: center; font-size: 13pt; } td.wide { width: 35%; }
"""


def register_rows(
    kind: str, grid_code: str, *, round_number: int | None, day: str, tz: ZoneInfo
) -> tuple[str, list[str], list[list[object]]]:
    """(title, header, rows) of one register for one grid: the same data for CSV and paper."""
    grid = queries.grid_by_code(grid_code)
    if grid is None:
        from db.errors import NotFound

        raise NotFound("grid.not_found", code=grid_code)
    stamp = lambda epoch: clock(epoch, tz, with_date=True) if epoch else ""  # noqa: E731
    if kind == "callbacks":
        from db.errors import NotFound
        from db.registers import writes as registers

        latest = next(iter(registers.rounds()), None)
        test_round = registers.round_by_number(round_number) if round_number else latest
        if test_round is None:
            raise NotFound("registers.no_rounds")
        total = register_queries.untested_count(test_round.id, grid.id)
        rows = register_queries.untested_page(test_round.id, grid.id, limit=max(total, 1))
        title = t("export.callbacks_title", round=test_round.number, grid=f"{grid.code} {grid.name}")
        return (
            title,
            [
                t("col.grid"),
                t("col.door"),
                t("col.head"),
                t("col.people"),
                t("col.phone"),
                t("export.last_call"),
            ],
            [
                [
                    r.grid_code,
                    r.door,
                    r.head_name,
                    r.people,
                    r.phone,
                    (t(f"outcome.{r.last_outcome}") + " " + r.last_note).strip() if r.last_outcome else "",
                ]
                for r in rows
            ],
        )
    if kind == "care":
        care = register_queries.care_register(day, grid.id)
        title = t("export.care_title", day=day, grid=f"{grid.code} {grid.name}")
        return (
            title,
            [
                t("col.grid"),
                t("col.door"),
                t("col.head"),
                t("col.phone"),
                t("col.care"),
                t("export.today"),
                t("export.last_check"),
            ],
            [
                [
                    r.grid_code,
                    r.door,
                    r.head_name,
                    r.phone,
                    r.care_tags,
                    t(f"care_status.{r.today or 'none'}"),
                    f"{stamp(r.last_checked_at)} {r.last_checked_by}".strip(),
                ]
                for r in care
            ],
        )
    reports = register_queries.unit_reports(day, grid.id)
    title = t("export.reports_title", day=day, grid=f"{grid.code} {grid.name}")
    return (
        title,
        [t("col.grid"), t("export.unit"), t("export.today"), t("export.observer"), t("col.note")],
        [[r.code, r.name, t(f"report_status.{r.today or 'none'}"), r.observer, r.note] for r in reports],
    )


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with open_for_writing(
        path, "w", encoding="utf-8-sig", newline=""
    ) as fh:  # the BOM makes Excel read UTF-8
        writer = SpreadsheetWriter(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_paper(path: Path, post_name: str, title: str, header: list[str], rows: list[list[object]]) -> Path:
    head = "".join(f"<th>{shown_in_html(h)}</th>" for h in header)
    body = "".join(
        "<tr><td class='box'>☐</td>"
        + "".join(f"<td>{shown_in_html(cell)}</td>" for cell in row)
        + "<td class='wide'></td></tr>"
        for row in rows
    )
    html = (
        f"<!doctype html><html lang='zh'><meta charset='utf-8'><title>{shown_in_html(title)}</title>"
        f"<style>{PAPER_STYLE}</style><body><h1>{shown_in_html(post_name)} · {shown_in_html(title)}</h1>"
        f"<p class='meta'>{shown_in_html(t('export.paper_hint', count=len(rows)))}</p>"
        f"<table><tr><th></th>{head}<th>{shown_in_html(t('export.remarks'))}</th></tr>{body}</table></body></html>"
    )
    write_private_text(path, html)
    return path


def export(
    kind: str, grid_code: str, out: Path, *, post_name: str, round_number: int | None, day: str, tz: ZoneInfo
) -> Path:
    """CSV when ``out`` ends in .csv, a paper list as a PDF (.pdf) or to print from a browser (.html)."""
    kind_of_file = sheet_format(out, (".csv", *SHEET))
    title, header, rows = register_rows(kind, grid_code, round_number=round_number, day=day, tz=tz)
    if kind_of_file == "csv":
        return write_csv(out, header, rows)
    if kind_of_file == "pdf":
        return paper_pdf(post_name, title, header, rows).save(out)
    return write_paper(out, post_name, title, header, rows)


def paper_pdf(post_name: str, title: str, header: list[str], rows: list[list[object]]) -> PdfSheet:
    """The paper list: a box to tick, the register's columns (as wide as their text needs, within
    bounds) and a wide column for notes by hand."""
    sheet = PdfSheet(post_name, title, size=9.5)
    sheet.heading(f"{on_paper(post_name)} · {title}")
    sheet.lines([t("export.paper_hint", count=len(rows))])
    cells = [[on_paper(cell) for cell in row] for row in rows]
    box, notes = 8.0, 40.0
    wanted = [
        sheet.content_width([name, *(row[i] for row in cells)], 10, 70) for i, name in enumerate(header)
    ]
    room = sheet.epw - box - notes
    if (
        sum(wanted) > room
    ):  # too wide: notes shrink first, then the long columns wrap; codes and phones stay whole
        notes = max(25.0, notes - (sum(wanted) - room))
        room = sheet.epw - box - notes
        short = sum(w for w in wanted if w <= SHORT)
        long = sum(w for w in wanted if w > SHORT)
        scale = (room - short) / long if long and room - short > 0 else room / sum(wanted)
        wanted = [w * scale if w > SHORT or not long else w for w in wanted]
    notes = sheet.epw - box - sum(wanted)
    sheet.draw_table(
        ["", *header, t("export.remarks")],
        [[Cell(BOX, box=True), *row, ""] for row in cells],
        (box, *wanted, notes),
    )
    return sheet
