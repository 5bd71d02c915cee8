"""``cmdpost import chain FILE --grid CODE --as orders``: a pasted chain of orders (接龙下单).

db/intake/orders_chain reads each entry's door and goods against the day's menu (the item catalogue);
db.supply.writes.add_orders places them in one transaction. All or nothing: a line that names goods
but cannot be read as an order (unknown goods, no door, a door twice, a door not in the grid)
is reported with its line number, and then nothing is written. Chatter ("收到") is only listed.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from console import i18n
from console.cli_user import cli_actor
from console.text.orders_chain import entry_problem
from db.connection import open_database
from db.errors import CmdpostError
from db.grids import writes
from db.intake import orders_chain as supply_chain
from db.intake.orders_chain import OrderEntry
from db.supply import queries as supply_queries
from db.supply import writes as supply

ACTOR = "cmdpost import chain"
MAX_PRINTED = 200


def summary_text(entries: list[OrderEntry]) -> str:
    statuses = [e.status for e in entries]
    return i18n.t("chain_orders.summary", ok=statuses.count(supply_chain.OK),
                  problems=sum(supply_chain.blocking(e) for e in entries),
                  chatter=statuses.count(supply_chain.CHATTER), headers=statuses.count(supply_chain.HEADER))


def _print_json(entries: list[OrderEntry]) -> None:
    text = json.dumps({"entries": [e.to_json() for e in entries]}, ensure_ascii=False) + "\n"
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8")) if hasattr(sys.stdout, "buffer") else sys.stdout.write(text)
    sys.stdout.flush()


def run_orders(text: str, code: str, path: Path, *, dry_run: bool, as_json: bool, label: str) -> int:
    database = open_database(path)
    try:
        return _run(text, code, dry_run, as_json, label)
    finally:
        database.close()


def _run(text: str, code: str, dry_run: bool, as_json: bool, label: str) -> int:
    menu = [(row.name, row.unit) for row in supply_queries.stock()]
    entries = supply_chain.read_order_chain(text, menu)
    out = sys.stderr if as_json else sys.stdout  # with --json, stdout carries only the JSON
    if as_json:
        _print_json(entries)
    problems = [(e.line, entry_problem(e)) for e in entries if e.status != supply_chain.HEADER]
    problems = [(line, why) for line, why in problems if why]
    for line, why in problems[:MAX_PRINTED]:
        print(f"{label}:{line}: {why}", file=sys.stderr)
    if len(problems) > MAX_PRINTED:
        print(i18n.t("chain.more", count=len(problems) - MAX_PRINTED), file=sys.stderr)
    print(summary_text(entries), file=out)
    if any(supply_chain.blocking(e) for e in entries):
        print(f"cmdpost: {label}: {i18n.t('chain_orders.fix_first')}", file=sys.stderr)
        return 1
    chosen = [e for e in entries if e.status == supply_chain.OK]
    if not chosen:
        print(f"cmdpost: {label}: {i18n.t('chain_orders.nothing')}", file=sys.stderr)
        return 1
    try:
        ids = supply.add_orders(code, [(e.door, e.goods, e.urgent, e.remark or "") for e in chosen], source="chain",
                                actor=cli_actor(ACTOR), now=int(time.time()), dry_run=dry_run)
    except writes.BatchError as err:
        for problem in err.problems[:MAX_PRINTED]:
            print(f"{label}:{chosen[problem.index].line}: {i18n.error_text(CmdpostError(problem.key, **problem.params))}",
                  file=sys.stderr)
        print(f"cmdpost: {label}: {i18n.t('chain_orders.fix_first')}", file=sys.stderr)
        return 1
    done = i18n.t("chain_orders.placed", count=len(chosen), first=ids[0] if ids else "", last=ids[-1] if ids else "")
    print(i18n.t("import.dry_run", text=i18n.t("chain_orders.would_place", count=len(chosen))) if dry_run else done,
          file=out)
    return 0
