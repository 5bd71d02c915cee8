"""A delivery run's voucher sheet (订单凭证): the households in route order (sub-grid, unit, door),
each with the resident's remarks, a box per door and per item to tick by hand, and the run's
totals, for the volunteer to carry along the designated route.

A PDF (console/sheets/pdf.py), or HTML with print CSS when the name ends in .html.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

from console.i18n import t
from console.sheets.paths import sheet_format
from console.sheets.pdf import BOX, TICKED, Cell, PdfSheet, on_paper
from db.private_file import write_private_text
from db.safe_text import shown_in_html
from db.supply import queries as supply_queries
from db.supply.queries import OrderRow, RunLine, RunRow

STYLE = """
@page { size: A4; margin: 12mm; }
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; font-size: 11pt; }
h1 { font-size: 16pt; margin: 0 0 2mm; } .meta { color: #444; margin: 0 0 3mm; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 1px solid #000; padding: 1.5mm 2mm; text-align: left; vertical-align: top; }
th { background: #eee; } td.box { width: 10mm; font-size: 14pt; text-align: center; }
td.sign { width: 22mm; } .note { font-style: italic; } .care { font-weight: bold; }
.urgent { color: #b00; font-weight: bold; }
"""


def write_voucher(run_id: int, path: Path, *, post_name: str, tz: ZoneInfo) -> Path:
    kind = sheet_format(path)
    run = supply_queries.run(run_id)
    stops = supply_queries.run_stops(run_id)
    made = datetime.fromtimestamp(run.created_at, tz).strftime("%Y-%m-%d %H:%M")
    if kind == "pdf":
        return _voucher_pdf(run, stops, supply_queries.run_lines(run_id), post_name, made).save(path)
    parts = [
        f"<!doctype html><html lang='zh'><meta charset='utf-8'><title>{shown_in_html(t('supply_sheet.title'))}</title>",
        f"<style>{STYLE}</style><body>",
        f"<h1>{shown_in_html(post_name)} · {shown_in_html(t('supply_sheet.title'))} #{run.id}</h1>",
        "<p class='meta'>"
        + shown_in_html(
            t(
                "supply_sheet.meta",
                grid=f"{run.grid_code} {run.grid_name}",
                name=run.staff_name,
                serial=run.pass_serial,
                time=made,
                stops=len({(s.grid_code, s.door) for s in stops}),
            )
        )
        + "</p>",
        "<table><tr>"
        + "".join(
            f"<th>{shown_in_html(t(f'supply_sheet.{col}'))}</th>"
            for col in ("number", "grid", "door", "household", "items", "done", "signed")
        )
        + "</tr>",
    ]
    for number, stop in enumerate(stops, 1):
        flags = []
        if stop.care_tags:
            flags.append(f"<span class='care'>{shown_in_html(stop.care_tags)}</span>")
        if stop.urgent:
            flags.append(f"<span class='urgent'>{shown_in_html(t('supply.urgent'))}</span>")
        who = " ".join([shown_in_html(stop.head_name), shown_in_html(stop.phone), *flags])
        box = "☑" if stop.state == "delivered" else "☐"
        remark = f"<br><span class='note'>{shown_in_html(stop.note)}</span>" if stop.note else ""
        parts.append(
            f"<tr><td>{number}</td><td>{shown_in_html(stop.grid_code)}</td><td>{shown_in_html(stop.door)}"
            f"<br><small>#{stop.id}</small></td><td>{who}</td><td>{shown_in_html(stop.items)}{remark}</td>"
            f"<td class='box'>{box}</td><td class='sign'></td></tr>"
        )
    parts.append("</table></body></html>")
    write_private_text(path, "\n".join(parts))  # names and phones: owner-only when cmdpost makes the file
    return path


class _Door(NamedTuple):
    grid_code: str
    door: str
    orders: list[OrderRow]


def _doors(stops: list[OrderRow]) -> list[_Door]:
    """The stops as households in route order: one door's several orders are one stop."""
    doors: list[_Door] = []
    for stop in stops:
        if not doors or (doors[-1].grid_code, doors[-1].door) != (stop.grid_code, stop.door):
            doors.append(_Door(stop.grid_code, stop.door, []))
        doors[-1].orders.append(stop)
    return doors


def _voucher_pdf(
    run: RunRow, stops: list[OrderRow], lines: list[RunLine], post_name: str, made: str
) -> PdfSheet:
    title = t("supply_sheet.title")
    sheet = PdfSheet(post_name, f"{title} #{run.id}")
    doors = _doors(stops)
    by_order: dict[int, list[RunLine]] = {}
    totals: dict[tuple[str, str], int] = {}
    for line in lines:
        by_order.setdefault(line.order_id, []).append(line)
        totals[(line.item, line.unit)] = totals.get((line.item, line.unit), 0) + line.quantity
    goods = "、".join(
        f"{on_paper(item)} {quantity}{on_paper(unit)}" for (item, unit), quantity in totals.items()
    )
    sheet.heading(f"{on_paper(post_name)} · {title} #{run.id}")
    sheet.lines(
        [
            t(
                "supply_sheet.meta",
                grid=f"{on_paper(run.grid_code)} {on_paper(run.grid_name)}",
                name=on_paper(run.staff_name),
                serial=on_paper(run.pass_serial),
                time=made,
                stops=len(doors),
            ),
            t("supply_sheet.totals", goods=goods or t("supply_sheet.nothing")),
        ]
    )
    rows: list[list[str | Cell]] = []
    for number, door in enumerate(doors, 1):
        first = door.orders[0]
        who = [on_paper(first.head_name), on_paper(first.phone), on_paper(first.care_tags)]
        if any(o.urgent for o in door.orders):
            who.append(t("supply.urgent"))
        items = [
            f"{BOX} {on_paper(x.item)} {x.quantity}{on_paper(x.unit)}"
            for o in door.orders
            for x in by_order.get(o.id, [])
        ]
        remarks = list(dict.fromkeys(on_paper(o.note) for o in door.orders if o.note.strip()))
        done = all(o.state == "delivered" for o in door.orders)
        rows.append(
            [
                str(number),
                f"{on_paper(door.grid_code)}\n{on_paper(door.door)}\n"
                + " ".join(f"#{o.id}" for o in door.orders),
                "\n".join(x for x in who if x),
                "\n".join(items),
                "\n".join(remarks),
                Cell(TICKED if done else BOX, box=True),
                "",
            ]
        )
    header = [
        t(f"supply_sheet.{col}")
        for col in ("number", "door", "household", "items", "remarks", "done", "signed")
    ]
    sheet.draw_table(header, rows, (12, 30, 32, 38, 40, 12, 22))
    sheet.keep_room(12)
    sheet.lines([t("supply_sheet.sign_off")], size=10)
    return sheet
