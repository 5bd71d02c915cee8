"""``cmdpost import chain FILE|- --grid CODE --as households|tests|orders``: read a pasted 接龙.

db/intake/chain reads the text. This prints its entries (``--json``) or the lines it
skipped and why, and for ``--as households`` writes the households in one
transaction. A chain's remarks and guessed names never overwrite what the
register already holds: only the head count and a full phone number do.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, cast

from console import i18n
from console.cli.post import open_post, post_path
from console.cli.session import cli_actor
from console.config import Config
from console.progress import ProgressBar
from console.text.chain import decision_text
from db import fields as rules
from db.errors import CmdpostError, NotFound
from db.grids import queries, writes
from db.intake import chain, chain_plan
from db.intake.csv_import import CsvFileError, decode
from db.records import HouseholdInput
from db.registers import writes as registers
from db.supply import queries as supply_queries

ACTOR = "cmdpost import chain"
MAX_PRINTED = 200
# A chain of 100,000 households is about 6 MB; anything far bigger is not a chain.
MAX_BYTES = 64 * 1024 * 1024
PROGRESS_MIN_ROWS = 5_000
COLUMNS = {
    "door": "col.door",
    "people": "col.people",
    "phone": "col.phone",
    "head_name": "col.head",
    "note": "col.note",
    "grid": "col.grid",
    "care_tags": "col.care",
}


class ChainFileError(CmdpostError):
    """The chain's text cannot be had: no such file, not text, too big."""


def read_text(file: str) -> str:
    try:
        if file == "-":
            stream = getattr(sys.stdin, "buffer", None)
            data = stream.read(MAX_BYTES + 1) if stream else sys.stdin.read(MAX_BYTES + 1).encode("utf-8")
        else:
            path = Path(file)
            if path.is_file() and path.stat().st_size > MAX_BYTES:
                raise ChainFileError("chain.too_large", max=MAX_BYTES // (1024 * 1024))
            data = path.read_bytes()
    except FileNotFoundError:
        raise ChainFileError("chain.no_file") from None
    except IsADirectoryError:
        raise ChainFileError("chain.is_directory") from None
    except OSError as exc:
        raise ChainFileError("chain.unreadable", reason=exc.strerror or str(exc)) from None
    if len(data) > MAX_BYTES:
        raise ChainFileError("chain.too_large", max=MAX_BYTES // (1024 * 1024))
    try:
        return decode(data)[0]
    except CsvFileError:
        raise ChainFileError("chain.not_text") from None


def check_grid(args: argparse.Namespace, config: Config, code: str) -> None:
    """Refuses a grid the post does not have; a missing file is not created."""
    if not post_path(args, config).is_file():
        raise NotFound("grid.not_found", code=code)
    with open_post(args, config):
        if queries.grid_by_code(code) is None:
            raise NotFound("grid.not_found", code=code)


def print_json(data: dict) -> None:
    text = json.dumps(data, ensure_ascii=False) + "\n"
    # UTF-8 whatever the terminal's encoding, as the contract says: write the bytes.
    if hasattr(sys.stdout, "buffer"):
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(text)


def summary_text(plan: chain_plan.ChainPlan) -> str:
    ok, ask = len(plan.recorded()), len(plan.asks())
    return i18n.t(
        "chain_plan.summary", entries=len(plan.entries), ok=ok, ask=ask, other=len(plan.entries) - ok - ask
    )


def read_plan(args: argparse.Namespace, config: Config, text: str, code: str) -> chain_plan.ChainPlan:
    with open_post(args, config):
        menu = [(row.name, row.unit) for row in supply_queries.stock()] if args.as_kind == "orders" else ()
        return chain_plan.plan_chain(
            args.as_kind, code, text, menu=menu, antigen_counts=config.antigen_counts
        )


def write_plan(plan: chain_plan.ChainPlan, args: argparse.Namespace, config: Config, label: str) -> int:
    """The plan's recorded lines written (or, with --dry-run, checked by the same write and rolled back)."""
    recorded = plan.recorded()
    with open_post(args, config):
        outcome: Any  # record_plan gives order ids for orders, a WriteOutcome otherwise
        try:
            round_number = None
            if plan.kind == "tests":
                round_number = args.round or next((r.number for r in registers.rounds()), None)
                if round_number is None:
                    print(f"cmdpost: {i18n.t('registers.no_rounds')}", file=sys.stderr)
                    return 1
            round_id = registers.round_by_number(round_number).id if round_number else None
            bar = ProgressBar(i18n.t("import.writing")) if len(recorded) >= PROGRESS_MIN_ROWS else None
            actor = cli_actor(ACTOR)
            if bar and plan.kind == "households":
                rows = [household_input(plan.entries[i], d, plan.grid_code) for i, d in recorded]
                outcome = writes.upsert_households(rows, actor=actor, dry_run=args.dry_run, progress=bar)
            else:
                outcome = chain_plan.record_plan(
                    plan, actor=actor, round_id=round_id, now=int(time.time()), dry_run=args.dry_run
                )
        except writes.BatchError as err:
            for problem in err.problems[:MAX_PRINTED]:
                params = dict(problem.params)
                if "first" in params:  # the write counts rows; the operator counts lines of the chain
                    params["first"] = recorded[params["first"] - 1][1].line
                reason = i18n.error_text(CmdpostError(problem.key, **params))
                column = f"{i18n.t(COLUMNS[problem.column])}: " if problem.column in COLUMNS else ""
                print(f"{label}:{recorded[problem.index][1].line}: {column}{reason}", file=sys.stderr)
            print(i18n.t("batch.invalid", count=len(err.problems)), file=sys.stderr)
            return 1
    out = sys.stderr if args.json else sys.stdout  # with --json, stdout carries only the JSON
    if plan.kind == "orders":
        text = (
            i18n.t("chain_orders.would_place", count=len(recorded))
            if args.dry_run
            else i18n.t(
                "chain_orders.placed",
                count=len(recorded),
                first=outcome[0] if outcome else "",
                last=outcome[-1] if outcome else "",
            )
        )
    elif plan.kind == "tests":
        text = i18n.t(
            "registers.tests_summary",
            round=round_number,
            rows=len(recorded),
            created=outcome.created,
            updated=outcome.updated,
            unchanged=outcome.unchanged,
        )
    else:
        text = i18n.t(
            "import.summary",
            kind=i18n.t("import.kind.households"),
            rows=len(recorded),
            created=outcome.created,
            updated=outcome.updated,
            unchanged=outcome.unchanged,
        )
    print(i18n.t("import.dry_run", text=text) if args.dry_run else text, file=out)
    return 0


def household_input(entry: chain.ChainEntry, decision: chain_plan.Decision, code: str) -> HouseholdInput:
    """What the chain says about a household; what it leaves out stays as the register has it
    (db/grids/writes.upsert_households keeps unspecified fields, sub-grid filings and real phones)."""
    # A recorded household line always has its door and its head count (db/intake/chain_plan._base).
    return HouseholdInput(
        code,
        cast(str, decision.door),
        cast(int, decision.value),
        entry.head or None,
        entry.phone or None,
        None,
        entry.remark or None,
    )


def run_chain(args: argparse.Namespace, config: Config) -> int:
    label = "stdin" if args.file == "-" else args.file
    if args.round is not None and args.as_kind != "tests":
        print(f"cmdpost: {i18n.t('chain.round_only_tests')}", file=sys.stderr)
        return 1
    code = rules.grid_code(args.grid, "grid")
    try:
        text = read_text(args.file)
    except ChainFileError as err:
        print(f"cmdpost: {label}: {i18n.error_text(err)}", file=sys.stderr)
        return 1
    if not text.strip():
        print(f"cmdpost: {label}: {i18n.t('chain.empty')}", file=sys.stderr)
        return 1
    check_grid(args, config, code)
    plan = read_plan(args, config, text, code)
    if args.json:
        print_json(plan.to_json())
    listed = [
        (d.line, why) for e, d in zip(plan.entries, plan.decisions) if (why := decision_text(e, d, plan.kind))
    ]
    for line, why in listed[:MAX_PRINTED]:
        print(f"{label}:{line}: {why}", file=sys.stderr)
    if len(listed) > MAX_PRINTED:
        print(i18n.t("chain.more", count=len(listed) - MAX_PRINTED), file=sys.stderr)
    print(summary_text(plan), file=sys.stderr if args.json else sys.stdout)
    if stopping := chain_plan.stopping_lines(plan):
        print(f"cmdpost: {label}: {i18n.t('chain_plan.fix_first', count=len(stopping))}", file=sys.stderr)
        return 1
    if not plan.recorded():
        key = "chain_orders.nothing" if plan.kind == "orders" else "chain.nothing_to_write"
        print(f"cmdpost: {label}: {i18n.t(key)}", file=sys.stderr)
        return 1
    return write_plan(plan, args, config, label)
