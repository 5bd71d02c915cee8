"""``cmdpost export handoffs|orders|stock --out FILE.csv [--from DATE] [--to DATE]``: supply records
for Excel: UTF-8 with a BOM (so that Excel shows the Chinese), Chinese headers from the locale
catalogue, times in the post's own timezone. ``--from``/``--to`` are the post's local days,
both included. The registers' kinds of ``cmdpost export`` stay with console/cli/registers.py.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from console import i18n
from console.cli.post import open_post
from console.config import Config
from console.sheets.spreadsheet import SpreadsheetWriter
from db.errors import RuleError
from db.private_file import open_for_writing

KINDS = ("handoffs", "orders", "stock")
REGISTER_KINDS = ("callbacks", "care", "reports")
HANDOFF_COLUMNS = (
    "id",
    "time",
    "kind",
    "grid",
    "item",
    "quantity",
    "unit",
    "stock_delta",
    "order",
    "run",
    "volunteer",
    "received_by",
    "corrects",
    "corrected_by",
    "reason",
    "actor",
)
ORDER_COLUMNS = (
    "order",
    "ordered",
    "grid",
    "door",
    "head",
    "phone",
    "care",
    "urgent",
    "source",
    "state",
    "run",
    "items",
    "note",
    "delivered",
)
STOCK_COLUMNS = ("item", "category", "unit", "opening", "in", "out", "closing")


def add_commands(sub, common) -> None:
    """The supply kinds join ``cmdpost export``, which console/cli/registers.py defines."""
    exp = sub.choices["export"]
    exp.add_argument(
        "--from", dest="date_from", metavar="YYYY-MM-DD", help="first day (handoffs, orders, stock)"
    )
    exp.add_argument(
        "--to", dest="date_to", metavar="YYYY-MM-DD", help="last day, included (handoffs, orders, stock)"
    )


def local_day(text: str | None, flag: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise RuleError("export_supply.bad_date", flag=flag, value=text) from None


def day_range(date_from: str | None, date_to: str | None, tz: ZoneInfo) -> tuple[int, int]:
    """[start, end) in epoch seconds for the local days given; open ends when a day is left out."""
    first, last = local_day(date_from, "--from"), local_day(date_to, "--to")
    if first and last and first > last:
        raise RuleError("export_supply.bad_range", first=first.isoformat(), last=last.isoformat())
    start = int(datetime.combine(first, time(0), tz).timestamp()) if first else 0
    # The last day a date can be has no next day: an end that far is no end at all.
    end = (
        int(datetime.combine(last + timedelta(days=1), time(0), tz).timestamp())
        if last and last < date.max
        else 2**62
    )
    return start, end


def _stamp(epoch: int | None, tz: ZoneInfo) -> str:
    return datetime.fromtimestamp(epoch, tz).strftime("%Y-%m-%d %H:%M:%S") if epoch else ""


def _text(value: object) -> object:
    return "" if value is None else value


def handoff_csv(rows: Iterable[tuple], tz: ZoneInfo) -> Iterable[list[object]]:
    t = i18n.t
    for (
        hid,
        at,
        kind,
        grid,
        item,
        qty,
        unit,
        delta,
        order,
        run,
        staff,
        party,
        corrects,
        corrected,
        reason,
        actor,
    ) in rows:
        yield [
            hid,
            _stamp(at, tz),
            t(f"supply_kind.{kind}"),
            grid,
            item,
            qty if item else "",
            unit,
            delta if delta else "",
            _text(order),
            _text(run),
            staff,
            party,
            _text(corrects),
            _text(corrected),
            reason,
            actor,
        ]


def order_csv(rows: Iterable[tuple], tz: ZoneInfo) -> Iterable[list[object]]:
    t = i18n.t
    for (
        oid,
        created,
        grid,
        door,
        head,
        phone,
        care,
        urgent,
        source,
        state,
        run,
        items,
        note,
        delivered,
    ) in rows:
        yield [
            oid,
            _stamp(created, tz),
            grid,
            door,
            head,
            phone,
            care,
            t("supply.urgent") if urgent else "",
            t(f"export_supply.source_{source}"),
            t(f"supply_state.{state}"),
            _text(run),
            items or "",
            note,
            _stamp(delivered, tz) if state == "delivered" else "",
        ]


def write_csv(kind: str, out: Path, start: int, end: int, tz: ZoneInfo) -> int:
    """Write one kind to ``out``; returns the number of data rows."""
    from db.supply import report as supply_report

    columns = {"handoffs": HANDOFF_COLUMNS, "orders": ORDER_COLUMNS, "stock": STOCK_COLUMNS}[kind]
    if kind == "handoffs":
        rows = handoff_csv(supply_report.handoff_rows(start, end), tz)
    elif kind == "orders":
        rows = order_csv(supply_report.order_rows(start, end), tz)
    else:
        rows = (
            [
                s.item,
                i18n.t(f"supply_category.{s.category}"),
                s.unit,
                s.opening,
                s.received,
                s.sent,
                s.closing,
            ]
            for s in supply_report.stock_lines(start, end)
        )
    count = 0
    try:
        with open_for_writing(out, "w", encoding="utf-8-sig", newline="") as fh:  # owner-only when new
            writer = SpreadsheetWriter(fh)  # numbers stay numbers, formulas are neutralised
            writer.writerow([i18n.t(f"export_supply.col_{c}") for c in columns])
            for row in rows:
                writer.writerow(row)
                count += 1
    except OSError as exc:
        raise RuleError("export_supply.unwritable", path=str(out), reason=exc.strerror or str(exc)) from None
    return count


def run(args: argparse.Namespace, config: Config) -> int:
    if args.register in REGISTER_KINDS:
        if args.date_from or args.date_to:
            raise RuleError("export_supply.range_only_supply")
        if not args.grid:
            raise RuleError("export_supply.grid_needed", kind=args.register)
        from console.cli.registers import run_export

        return run_export(args, config)
    if args.grid or args.round or args.date or args.print:
        raise RuleError("export_supply.registers_only")
    start, end = day_range(args.date_from, args.date_to, config.tz)
    with open_post(args, config):
        count = write_csv(args.register, Path(args.out), start, end, config.tz)
    print(i18n.t("export_supply.written", rows=count, path=args.out))
    return 0
