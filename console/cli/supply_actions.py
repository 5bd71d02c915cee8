"""What each ``cmdpost supply …`` verb does, as a table: the verb's words to one function that calls
db/supply and prints. console/cli/supply.py parses and imports this only when a supply command runs
(db/supply signs and checks passes: its imports stay out of every other command's start).

Every refusal is a CmdpostError from db/, printed by cmdpost's main as one line, exit code 1.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from console import i18n
from console.cli.session import cli_actor
from console.config import Config
from console.text.supply import amount_text, ledger_cells
from db.passes import keys as pass_keys
from db.supply import queries as supply_queries
from db.supply import writes as supply

ACTOR = "cmdpost supply"
t = i18n.t


@dataclass(frozen=True)
class Call:
    """One supply command: its arguments, the post's settings and file, and the moment it runs."""

    args: argparse.Namespace
    config: Config
    path: Path
    now: int

    @property
    def actor(self) -> str:
        return cli_actor(ACTOR)


def run(args: argparse.Namespace, config: Config, path: Path) -> int:
    verb = args.verb
    sub_verb = getattr(args, f"{verb}_verb", None)  # item add, order cancel, run print …
    ACTIONS[f"{verb} {sub_verb}" if sub_verb else verb](Call(args, config, path, int(time.time())))
    return 0


def add_item(c: Call) -> None:
    item_id = supply.add_item(c.args.name, c.args.unit, c.args.category, actor=c.actor, now=c.now)
    print(t("supply.item_added", id=item_id, item=c.args.name))


def stock(c: Call) -> None:
    for row in supply_queries.stock():
        print(f"{row.item_id}\t{row.name}\t{t(f'supply_category.{row.category}')}\t{row.on_hand}\t{row.unit}")


def receive(c: Call) -> None:
    handoff = supply.receive(
        c.args.item, c.args.quantity, c.args.supplier, actor=c.actor, now=c.now, tz=c.config.tz
    )
    print(t("supply.received", id=handoff))


def add_order(c: Call) -> None:
    lines = [supply.order_line(text) for text in c.args.lines]
    order_id = supply.add_order(
        c.args.grid, c.args.door, lines, urgent=c.args.urgent, note=c.args.note, actor=c.actor, now=c.now
    )
    print(t("supply.order_added", id=order_id))


def cancel_order(c: Call) -> None:
    supply.cancel_order(c.args.order, c.args.reason, actor=c.actor, now=c.now, tz=c.config.tz)
    print(t("supply.order_cancelled", id=c.args.order))


def orders(c: Call) -> None:
    states = ("open", "on_run", "delivered", "cancelled") if c.args.all else ("open",)
    for row in supply_queries.orders(c.args.grid, states):
        flags = " ".join(x for x in (row.care_tags, t("supply.urgent") if row.urgent else "") if x)
        print(
            f"{row.id}\t{row.grid_code}\t{row.door}\t{row.items}\t{t(f'supply_state.{row.state}')}\t{flags}"
        )


def create_run(c: Call) -> None:
    run_id = supply.create_run(
        c.args.payload,
        c.args.orders,
        c.args.grid,
        key=pass_keys.post_verifier(c.path),
        actor=c.actor,
        now=c.now,
        tz=c.config.tz,
        staff_id=c.args.staff,
    )
    print(t("supply.run_created", id=run_id, stops=len(set(c.args.orders))))


def list_runs(c: Call) -> None:
    for row in supply_queries.runs():
        made = datetime.fromtimestamp(row.created_at, c.config.tz).strftime("%m-%d %H:%M")
        print(
            f"{row.id}\t{row.grid_code}\t{row.staff_name}\t{row.pass_serial}\t{made}\t{row.delivered}/{row.stops}"
        )


def print_voucher(c: Call) -> None:
    from console.sheets.printer import printer_if_asked, send_and_say
    from console.sheets.supply import write_voucher

    printer = printer_if_asked(Path(c.args.out), c.args.print, c.config.printer)
    out = write_voucher(c.args.run, Path(c.args.out), post_name=c.config.post_name, tz=c.config.tz)
    print(t("roster.printed", path=out))
    if printer:
        print(send_and_say(out, printer))


def deliver(c: Call) -> None:
    handoff = supply.deliver(
        c.args.payload,
        c.args.order,
        key=pass_keys.post_verifier(c.path),
        received_by=c.args.received_by,
        actor=c.actor,
        now=c.now,
        tz=c.config.tz,
    )
    print(t("supply.delivered", id=handoff, order=c.args.order))


def totals(c: Call) -> None:
    """Per grid and item on one day, then the post's sum per item: the figures a daily report quotes."""
    from db import fields as rules
    from db.grids import queries
    from db.supply import report as supply_report

    args, tz = c.args, c.config.tz
    # --day as the post's local day; left out (or blank), today
    day = (rules.iso_date(args.day, "day") if args.day else None) or datetime.now(tz).date().isoformat()
    rows = supply_report.totals(day, queries.grid_id_for(args.grid) if args.grid else None)
    print(
        "\t".join(t(f"supply_totals.col_{column}") for column in ("grid", "item", "delivered", "dispatched"))
    )
    post: dict[tuple[str, str], int] = {}
    for row in rows:
        print(
            f"{row.grid_code} {row.grid_name}\t{row.item}\t{row.delivered}{row.unit}\t{row.dispatched}{row.unit}"
        )
        post[(row.item, row.unit)] = post.get((row.item, row.unit), 0) + row.delivered
    if not rows:
        print(t("supply_totals.none", day=day))
    else:
        print(
            t(
                "supply_totals.post",
                day=day,
                goods="、".join(
                    f"{item} {amount_text(qty, unit)}" for (item, unit), qty in post.items() if qty
                ),
            )
        )


def ledger(c: Call) -> None:
    for row in supply_queries.ledger(c.args.grid, c.args.limit):
        print("\t".join(ledger_cells(row, c.config.tz)))


def return_goods(c: Call) -> None:
    handoff = supply.return_goods(
        c.args.run,
        c.args.item,
        c.args.quantity,
        received_by=c.args.received_by,
        reason=c.args.reason,
        actor=c.actor,
        now=c.now,
        tz=c.config.tz,
    )
    print(t("supply_returns.returned", id=handoff))


def correct(c: Call) -> None:
    handoff = supply.correct(c.args.handoff, c.args.reason, actor=c.actor, now=c.now, tz=c.config.tz)
    print(t("supply.corrected", id=handoff, original=c.args.handoff))


# The verb's words (``supply item add``, ``handoff deliver`` …) to what runs it.
ACTIONS: dict[str, Callable[[Call], None]] = {
    "item add": add_item,
    "item list": stock,
    "stock": stock,
    "receive": receive,
    "order add": add_order,
    "order cancel": cancel_order,
    "orders": orders,
    "run create": create_run,
    "run list": list_runs,
    "run print": print_voucher,
    "deliver": deliver,
    "totals": totals,
    "ledger": ledger,
    "return": return_goods,
    "correct": correct,
}
