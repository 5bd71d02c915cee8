"""A delivery run's voucher sheet (订单凭证): the stops in route order (sub-grid, unit, door), each
with its items and a box to tick, for the volunteer to carry along the designated route.

HTML with print CSS, like console/roster_sheet.py: every value from the data is escaped.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from console.i18n import t
from db.supply import queries as supply_queries
from db.private_file import write_private_text
from db.safe_text import shown_in_html

STYLE = """
@page { size: A4; margin: 12mm; }
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; font-size: 11pt; }
h1 { font-size: 16pt; margin: 0 0 2mm; } .meta { color: #444; margin: 0 0 3mm; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 1px solid #000; padding: 1.5mm 2mm; text-align: left; vertical-align: top; }
th { background: #eee; } td.box { width: 10mm; font-size: 14pt; text-align: center; }
td.sign { width: 22mm; } .care { font-weight: bold; } .urgent { color: #b00; font-weight: bold; }
"""


def write_voucher(run_id: int, path: Path, *, post_name: str, tz: ZoneInfo) -> Path:
    run = supply_queries.run(run_id)
    stops = supply_queries.run_stops(run_id)
    made = datetime.fromtimestamp(run.created_at, tz).strftime("%Y-%m-%d %H:%M")
    parts = [f"<!doctype html><html lang='zh'><meta charset='utf-8'><title>{shown_in_html(t('supply_sheet.title'))}</title>",
             f"<style>{STYLE}</style><body>",
             f"<h1>{shown_in_html(post_name)} · {shown_in_html(t('supply_sheet.title'))} #{run.id}</h1>",
             "<p class='meta'>" + shown_in_html(t("supply_sheet.meta", grid=f"{run.grid_code} {run.grid_name}",
                                               name=run.staff_name, serial=run.pass_serial, time=made,
                                               stops=len(stops))) + "</p>",
             "<table><tr>" + "".join(f"<th>{shown_in_html(t(f'supply_sheet.{col}'))}</th>" for col in
                                     ("number", "grid", "door", "household", "items", "done", "signed")) + "</tr>"]
    for number, stop in enumerate(stops, 1):
        flags = []
        if stop.care_tags:
            flags.append(f"<span class='care'>{shown_in_html(stop.care_tags)}</span>")
        if stop.urgent:
            flags.append(f"<span class='urgent'>{shown_in_html(t('supply.urgent'))}</span>")
        who = " ".join([shown_in_html(stop.head_name), shown_in_html(stop.phone), *flags])
        box = "☑" if stop.state == "delivered" else "☐"
        parts.append(f"<tr><td>{number}</td><td>{shown_in_html(stop.grid_code)}</td><td>{shown_in_html(stop.door)}"
                     f"<br><small>#{stop.id}</small></td><td>{who}</td><td>{shown_in_html(stop.items)}</td>"
                     f"<td class='box'>{box}</td><td class='sign'></td></tr>")
    parts.append("</table></body></html>")
    write_private_text(path, "\n".join(parts))  # names and phones: owner-only when cmdpost makes the file
    return path
