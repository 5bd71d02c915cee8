"""``cmdpost supply …`` and ``cmdpost handoff deliver``: items, depot stock, orders, delivery runs,
the voucher sheet, deliveries and the handoff ledger, from the shell. This is the parser; what
each verb does is console/cli/supply_actions.py's table.

Every refusal (not enough stock, CROSS_GRID, already delivered …) raises a CmdpostError, which
cmdpost's main prints and turns into exit code 1; the write is one transaction, so nothing is
written in that case.
"""

from __future__ import annotations

import argparse

from console.cli.post import open_post, post_path
from console.config import Config
from db.vocab import SUPPLY_CATEGORIES as CATEGORIES


def add_commands(sub, common) -> None:
    cmd = sub.add_parser(
        "supply", parents=[common], help="supply handoffs (物资配送): stock, orders, runs, ledger"
    )
    cmd.set_defaults(handler="supply:run")
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
    prn.add_argument(
        "--print",
        action="store_true",
        help="also send the PDF to the printer (CUPS lp; config.yaml printing.printer, else the default)",
    )
    deliver = verbs.add_parser("deliver", parents=[common], help="record a door delivery")
    deliver.add_argument("order", type=int)
    deliver.add_argument("--pass", dest="payload", required=True, metavar="PAYLOAD")
    deliver.add_argument("--received-by", default="", metavar="NAME")
    totals = verbs.add_parser(
        "totals", parents=[common], help="what reached doors and left the depot, per grid and item"
    )
    totals.add_argument("--day", metavar="YYYY-MM-DD", help="the post's local day (default: today)")
    totals.add_argument("--grid", metavar="CODE")
    ledger = verbs.add_parser("ledger", parents=[common], help="the handoff ledger, newest first")
    ledger.add_argument("--grid", metavar="CODE")
    ledger.add_argument("--limit", type=int, default=50)
    ret = verbs.add_parser(
        "return", parents=[common], help="goods a volunteer brings back to the depot from a run"
    )
    ret.add_argument("run", type=int, metavar="RUN_ID")
    ret.add_argument("item")
    ret.add_argument("quantity")
    ret.add_argument(
        "--received-by", required=True, metavar="NAME", help="who took the goods back at the depot"
    )
    ret.add_argument("--reason", default="")
    correct = verbs.add_parser("correct", parents=[common], help="a new record reversing a ledger record")
    correct.add_argument("handoff", type=int, metavar="LEDGER_ID")
    correct.add_argument("--reason", required=True)

    handoff = sub.add_parser("handoff", parents=[common], help="record a handoff from a script")
    handoff.set_defaults(handler="supply:run")
    handoff_verbs = handoff.add_subparsers(dest="verb", required=True)
    script = handoff_verbs.add_parser(
        "deliver", parents=[common], help="exit 1 with the refusal, writing nothing"
    )
    script.add_argument("--pass", dest="payload", required=True, metavar="PAYLOAD")
    script.add_argument("--order", dest="order", required=True, type=int)
    script.add_argument("--received-by", default="", metavar="NAME")


def run(args: argparse.Namespace, config: Config) -> int:
    from console.cli import supply_actions  # db/supply and pass signing: only when a supply command runs

    with open_post(args, config):
        return supply_actions.run(args, config, post_path(args, config))
