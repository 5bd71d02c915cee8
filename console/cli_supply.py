"""``cmdpost supply …`` and ``cmdpost handoff deliver``: items, depot stock, orders, delivery runs,
the voucher sheet, deliveries and the handoff ledger, from the shell.

Every refusal (not enough stock, CROSS_GRID, already delivered …) raises a CmdpostError, which
cmdpost's main prints and turns into exit code 1; the write is one transaction, so nothing is
written in that case.
"""

from __future__ import annotations

import argparse
import time
from datetime import datetime
from pathlib import Path

from console import i18n
from console.cli_user import cli_actor
from console.config import Config
from console.text.supply import ledger_cells
from db.errors import RuleError
from db.vocab import SUPPLY_CATEGORIES as CATEGORIES

ACTOR = "cmdpost supply"


def add_commands(sub, common) -> None:
    cmd = sub.add_parser("supply", parents=[common], help="supply handoffs (物资配送): stock, orders, runs, ledger")
    verbs = cmd.add_subparsers(dest="verb", required=True)
    item = verbs.add_parser("item", parents=[common], help="the item catalogue")
    item_verbs = item.add_subparsers(dest="item_verb", required=True)
    add = item_verbs.add_parser("add", parents=[common])
    add.add_argument("name")
    add.add_argument("--unit", required=True, help="斤 kg 份 箱 瓶 盒 袋 包 个 桶")
    add.add_argument("--category", required=True, choices=CATEGORIES)
    item_verbs.add_parser("list", parents=[common])
    receive = verbs.add_parser("receive", parents=[common], help="goods into the depot")
    receive.add_argument("item")
    receive.add_argument("quantity")
    receive.add_argument("--from", dest="supplier", required=True, metavar="SUPPLIER")
    verbs.add_parser("stock", parents=[common], help="stock on hand per item")
    order = verbs.add_parser("order", parents=[common], help="a household's order")
    order_verbs = order.add_subparsers(dest="order_verb", required=True)
    order_add = order_verbs.add_parser("add", parents=[common])
    order_add.add_argument("--grid", required=True, metavar="CODE")
    order_add.add_argument("--door", required=True)
    order_add.add_argument("lines", nargs="+", metavar="ITEM=QTY")
    order_add.add_argument("--urgent", action="store_true", help="a medicine run (送药) or other urgent need")
    order_add.add_argument("--note", default="")
    cancel = order_verbs.add_parser("cancel", parents=[common])
    cancel.add_argument("order", type=int)
    cancel.add_argument("--reason", required=True)
    orders = verbs.add_parser("orders", parents=[common], help="open orders, special care first")
    orders.add_argument("--grid", metavar="CODE")
    orders.add_argument("--all", action="store_true", help="every state, not only open")
    run = verbs.add_parser("run", parents=[common], help="delivery runs")
    run_verbs = run.add_subparsers(dest="run_verb", required=True)
    create = run_verbs.add_parser("create", parents=[common])
    create.add_argument("--grid", required=True, metavar="CODE")
    create.add_argument("--staff", type=int, metavar="ID", help="the volunteer (checked against the pass)")
    create.add_argument("--pass", dest="payload", required=True, metavar="PAYLOAD")
    create.add_argument("orders", nargs="+", type=int, metavar="ORDER_ID")
    run_verbs.add_parser("list", parents=[common])
    prn = run_verbs.add_parser("print", parents=[common], help="the run's voucher sheet (PDF, or HTML)")
    prn.add_argument("run", type=int)
    prn.add_argument("--out", required=True, metavar="FILE.pdf|FILE.html")
    prn.add_argument("--print", action="store_true",
                     help="also send the PDF to the printer (CUPS lp; config.yaml printing.printer, else the default)")
    deliver = verbs.add_parser("deliver", parents=[common], help="record a door delivery")
    deliver.add_argument("order", type=int)
    deliver.add_argument("--pass", dest="payload", required=True, metavar="PAYLOAD")
    deliver.add_argument("--received-by", default="", metavar="NAME")
    totals = verbs.add_parser("totals", parents=[common], help="what reached doors and left the depot, per grid and item")
    totals.add_argument("--day", metavar="YYYY-MM-DD", help="the post's local day (default: today)")
    totals.add_argument("--grid", metavar="CODE")
    ledger = verbs.add_parser("ledger", parents=[common], help="the handoff ledger, newest first")
    ledger.add_argument("--grid", metavar="CODE")
    ledger.add_argument("--limit", type=int, default=50)
    ret = verbs.add_parser("return", parents=[common], help="goods a volunteer brings back to the depot from a run")
    ret.add_argument("run", type=int, metavar="RUN_ID")
    ret.add_argument("item")
    ret.add_argument("quantity")
    ret.add_argument("--received-by", required=True, metavar="NAME", help="who took the goods back at the depot")
    ret.add_argument("--reason", default="")
    correct = verbs.add_parser("correct", parents=[common], help="a new record reversing a ledger record")
    correct.add_argument("handoff", type=int, metavar="LEDGER_ID")
    correct.add_argument("--reason", required=True)

    handoff = sub.add_parser("handoff", parents=[common], help="record a handoff from a script")
    handoff_verbs = handoff.add_subparsers(dest="verb", required=True)
    script = handoff_verbs.add_parser("deliver", parents=[common], help="exit 1 with the refusal, writing nothing")
    script.add_argument("--pass", dest="payload", required=True, metavar="PAYLOAD")
    script.add_argument("--order", dest="order", required=True, type=int)
    script.add_argument("--received-by", default="", metavar="NAME")


def _lines(texts: list[str]) -> list[tuple[str, str]]:
    lines = []
    for text in texts:
        name, sep, qty = text.replace("＝", "=").rpartition("=")
        if not sep or not name:
            raise RuleError("supply.bad_line", value=text)
        lines.append((name, qty))
    return lines


def run(args: argparse.Namespace, config: Config) -> int:
    from db.connection import open_database

    path = Path(args.db).expanduser() if args.db else config.database
    database = open_database(path)
    try:
        return _run(args, config, path)
    finally:
        database.close()


def _key(path: Path):
    from db.passes import keys as pass_keys

    return pass_keys.post_verifier(path)


def _run(args: argparse.Namespace, config: Config, path: Path) -> int:
    from db.supply import queries as supply_queries
    from db.supply import writes as supply

    now, tz, t = int(time.time()), config.tz, i18n.t
    verb = args.verb
    if verb == "item" and args.item_verb == "add":
        item_id = supply.add_item(args.name, args.unit, args.category, actor=cli_actor(ACTOR), now=now)
        print(t("supply.item_added", id=item_id, item=args.name))
    elif verb in ("item", "stock"):
        for row in supply_queries.stock():
            print(f"{row.item_id}\t{row.name}\t{t(f'supply_category.{row.category}')}\t{row.on_hand}\t{row.unit}")
    elif verb == "receive":
        handoff = supply.receive(args.item, args.quantity, args.supplier, actor=cli_actor(ACTOR), now=now, tz=tz)
        print(t("supply.received", id=handoff))
    elif verb == "order" and args.order_verb == "add":
        order_id = supply.add_order(args.grid, args.door, _lines(args.lines), urgent=args.urgent, note=args.note,
                                    actor=cli_actor(ACTOR), now=now)
        print(t("supply.order_added", id=order_id))
    elif verb == "order":
        supply.cancel_order(args.order, args.reason, actor=cli_actor(ACTOR), now=now, tz=tz)
        print(t("supply.order_cancelled", id=args.order))
    elif verb == "orders":
        states = ("open", "on_run", "delivered", "cancelled") if args.all else ("open",)
        for row in supply_queries.orders(args.grid, states):
            flags = " ".join(x for x in (row.care_tags, t("supply.urgent") if row.urgent else "") if x)
            print(f"{row.id}\t{row.grid_code}\t{row.door}\t{row.items}\t{t(f'supply_state.{row.state}')}\t{flags}")
    elif verb == "run" and args.run_verb == "create":
        run_id = supply.create_run(args.payload, args.orders, args.grid, key=_key(path), actor=cli_actor(ACTOR), now=now, tz=tz,
                                   staff_id=args.staff)
        print(t("supply.run_created", id=run_id, stops=len(set(args.orders))))
    elif verb == "run" and args.run_verb == "list":
        for row in supply_queries.runs():
            made = datetime.fromtimestamp(row.created_at, tz).strftime("%m-%d %H:%M")
            print(f"{row.id}\t{row.grid_code}\t{row.staff_name}\t{row.pass_serial}\t{made}\t{row.delivered}/{row.stops}")
    elif verb == "run":
        from console.sheets.printer import printer_if_asked, send_and_say
        from console.sheets.supply import write_voucher

        printer = printer_if_asked(Path(args.out), args.print, config.printer)
        out = write_voucher(args.run, Path(args.out), post_name=config.post_name, tz=tz)
        print(t("roster.printed", path=out))
        if printer:
            print(send_and_say(out, printer))
    elif verb == "deliver":
        handoff = supply.deliver(args.payload, args.order, key=_key(path), received_by=args.received_by,
                                 actor=cli_actor(ACTOR), now=now, tz=tz)
        print(t("supply.delivered", id=handoff, order=args.order))
    elif verb == "totals":
        _print_totals(args, tz)
    elif verb == "ledger":
        for row in supply_queries.ledger(args.grid, args.limit):
            print("\t".join(ledger_cells(row, tz)))
    elif verb == "return":
        handoff = supply.return_goods(args.run, args.item, args.quantity, received_by=args.received_by,
                                      reason=args.reason, actor=cli_actor(ACTOR), now=now, tz=tz)
        print(t("supply_returns.returned", id=handoff))
    elif verb == "correct":
        handoff = supply.correct(args.handoff, args.reason, actor=cli_actor(ACTOR), now=now, tz=tz)
        print(t("supply.corrected", id=handoff, original=args.handoff))
    return 0


def _print_totals(args: argparse.Namespace, tz) -> None:
    """Per grid and item on one day, then the post's sum per item: the figures a daily report quotes."""
    from db import fields as rules
    from db.grids import queries
    from db.supply import report as supply_report

    day = rules.iso_date(args.day, "day") if args.day else datetime.now(tz).date().isoformat()
    rows = supply_report.totals(day, queries.grid_id_for(args.grid) if args.grid else None)
    t = i18n.t
    print("\t".join(t(f"supply_totals.col_{c}") for c in ("grid", "item", "delivered", "dispatched")))
    post: dict[tuple[str, str], int] = {}
    for row in rows:
        print(f"{row.grid_code} {row.grid_name}\t{row.item}\t{row.delivered}{row.unit}\t{row.dispatched}{row.unit}")
        post[(row.item, row.unit)] = post.get((row.item, row.unit), 0) + row.delivered
    if not rows:
        print(t("supply_totals.none", day=day))
    else:
        print(t("supply_totals.post", day=day, goods="、".join(
            f"{item} {_amount(qty, unit)}" for (item, unit), qty in post.items() if qty)))


def _amount(quantity: int, unit: str) -> str:
    """斤 and kg become tonnes once there are tonnes of them, as the seeds report vegetables."""
    kilos = quantity / 2 if unit == "斤" else quantity if unit == "kg" else None
    if kilos is not None and kilos >= 1000:
        return i18n.t("supply_totals.tonnes", tonnes=f"{kilos / 1000:.1f}")
    return f"{quantity}{unit}"
