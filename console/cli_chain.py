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
from pathlib import Path

from console import i18n
from console.cli_user import cli_actor
from console.config import Config
from console.progress import ProgressBar
from db import fields as rules
from db.connection import open_database
from db.errors import CmdpostError, NotFound
from db.grids import queries, writes
from db.intake import chain
from db.intake.csv_import import CsvFileError, decode
from db.records import HouseholdInput
from db.registers import writes as registers

ACTOR = "cmdpost import chain"
MAX_PRINTED = 200
# A chain of 100,000 households is about 6 MB; anything far bigger is not a chain.
MAX_BYTES = 64 * 1024 * 1024
PROGRESS_MIN_ROWS = 5_000
SHOWN_TEXT = 40
COLUMNS = {"door": "col.door", "people": "col.people", "phone": "col.phone", "head_name": "col.head",
           "note": "col.note", "grid": "col.grid", "care_tags": "col.care"}


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


def check_grid(args: argparse.Namespace, config: Config, code: str) -> Path:
    """The database path, once the grid is known to be in it; a missing file is not created."""
    path = Path(args.db).expanduser() if args.db else config.database
    if not path.is_file():
        raise NotFound("grid.not_found", code=code)
    database = open_database(path)
    try:
        if queries.grid_by_code(code) is None:
            raise NotFound("grid.not_found", code=code)
    finally:
        database.close()
    return path


def print_json(entries: list[chain.ChainEntry]) -> None:
    text = json.dumps({"entries": [e.to_json() for e in entries]}, ensure_ascii=False) + "\n"
    # UTF-8 whatever the terminal's encoding, as the contract says: write the bytes.
    if hasattr(sys.stdout, "buffer"):
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(text)


def skipped_lines(entries: list[chain.ChainEntry], as_households: bool) -> list[tuple[int, str]]:
    """(line, reason) for every entry that will not be recorded, header lines apart."""
    found = []
    for entry in entries:
        if entry.status == chain.DUPLICATE:
            found.append((entry.line, i18n.t("chain.duplicate", door=entry.door, first=entry.duplicate_of)))
        elif entry.status == chain.UNPARSED:
            text = entry.text.replace("\n", " ")
            shown = text if len(text) <= SHOWN_TEXT else text[:SHOWN_TEXT] + "…"
            found.append((entry.line, i18n.t("chain.unparsed", text=shown)))
        elif entry.status == chain.OK and entry.people is None and as_households:
            found.append((entry.line, i18n.t("chain.no_people", door=entry.door)))
    return found


def summary_text(entries: list[chain.ChainEntry]) -> str:
    statuses = [e.status for e in entries]
    return i18n.t("chain.summary", entries=len(entries), ok=statuses.count(chain.OK),
                  duplicates=statuses.count(chain.DUPLICATE), unparsed=statuses.count(chain.UNPARSED),
                  headers=statuses.count(chain.HEADER))


def household_input(entry: chain.ChainEntry, code: str) -> HouseholdInput:
    """What the chain says about a household; what it leaves out stays as the register has it
    (db/grids/writes.upsert_households keeps unspecified fields, sub-grid filings and real phones)."""
    return HouseholdInput(code, entry.door, entry.people, entry.head or None, entry.phone or None, None,
                          entry.remark or None)


def write_tests(entries: list[chain.ChainEntry], code: str, path: Path, round_number: int | None, dry_run: bool,
                label: str, summary_out) -> int:
    recordable = [e for e in entries if e.status == chain.OK and e.people is not None]
    if not recordable:
        print(f"cmdpost: {label}: {i18n.t('chain.nothing_to_write')}", file=sys.stderr)
        return 1
    database = open_database(path)
    try:
        number = round_number or next((r.number for r in registers.rounds()), None)
        if number is None:
            print(f"cmdpost: {i18n.t('registers.no_rounds')}", file=sys.stderr)
            return 1
        test_round = registers.round_by_number(number)
        outcome = registers.mark_tested(test_round.id, code, [(e.door, e.people) for e in recordable],
                                        source="chain", actor=cli_actor(ACTOR), dry_run=dry_run)
    except writes.BatchError as err:
        for problem in err.problems[:MAX_PRINTED]:
            reason = i18n.error_text(CmdpostError(problem.key, **problem.params))
            print(f"{label}:{recordable[problem.index].line}: {reason}", file=sys.stderr)
        print(i18n.t("batch.invalid", count=len(err.problems)), file=sys.stderr)
        return 1
    finally:
        database.close()
    text = i18n.t("registers.tests_summary", round=number, rows=len(recordable), created=outcome.created,
                  updated=outcome.updated, unchanged=outcome.unchanged)
    print(i18n.t("import.dry_run", text=text) if dry_run else text, file=summary_out)
    return 0


def write_households(entries: list[chain.ChainEntry], code: str, path: Path, dry_run: bool, label: str,
                     summary_out) -> int:
    recordable = [e for e in entries if e.status == chain.OK and e.people is not None]
    if not recordable:
        print(f"cmdpost: {label}: {i18n.t('chain.nothing_to_write')}", file=sys.stderr)
        return 1
    database = open_database(path)
    try:
        rows = [household_input(e, code) for e in recordable]
        bar = ProgressBar(i18n.t("import.writing")) if len(rows) >= PROGRESS_MIN_ROWS else None
        outcome = writes.upsert_households(rows, actor=cli_actor(ACTOR), dry_run=dry_run, progress=bar)
    except writes.BatchError as err:
        for problem in err.problems[:MAX_PRINTED]:
            params = dict(problem.params)
            if "first" in params:  # the write counts rows; the operator counts lines of the chain
                params["first"] = recordable[params["first"] - 1].line
            column = i18n.t(COLUMNS.get(problem.column, problem.column))
            reason = i18n.error_text(CmdpostError(problem.key, **params))
            print(f"{label}:{recordable[problem.index].line}: {column}: {reason}", file=sys.stderr)
        print(i18n.t("batch.invalid", count=len(err.problems)), file=sys.stderr)
        return 1
    finally:
        database.close()
    text = i18n.t("import.summary", kind=i18n.t("import.kind.households"), rows=len(rows),
                  created=outcome.created, updated=outcome.updated, unchanged=outcome.unchanged)
    print(i18n.t("import.dry_run", text=text) if dry_run else text, file=summary_out)
    return 0


def run_chain(args: argparse.Namespace, config: Config) -> int:
    label = "stdin" if args.file == "-" else args.file
    as_households = args.as_kind == "households"
    if args.round is not None and args.as_kind != "tests":
        print(f"cmdpost: {i18n.t('chain.round_only_tests')}", file=sys.stderr)
        return 1
    code = rules.grid_code(args.grid, "grid")
    try:
        text = read_text(args.file)
    except ChainFileError as err:
        print(f"cmdpost: {label}: {i18n.error_text(err)}", file=sys.stderr)
        return 1
    if args.as_kind == "orders":  # goods against the day's menu: console/cli_chain_orders.py
        from console.cli_chain_orders import run_orders

        if not text.strip():
            print(f"cmdpost: {label}: {i18n.t('chain.empty')}", file=sys.stderr)
            return 1
        return run_orders(text, code, check_grid(args, config, code), dry_run=args.dry_run, as_json=args.json,
                          label=label)
    entries = chain.read_chain(text)
    if not entries:
        print(f"cmdpost: {label}: {i18n.t('chain.empty')}", file=sys.stderr)
        return 1
    path = check_grid(args, config, code)
    if args.json:
        print_json(entries)
    else:
        skipped = skipped_lines(entries, as_households)
        for line, reason in skipped[:MAX_PRINTED]:
            print(f"{label}:{line}: {reason}", file=sys.stderr)
        if len(skipped) > MAX_PRINTED:
            print(i18n.t("chain.more", count=len(skipped) - MAX_PRINTED), file=sys.stderr)
        print(summary_text(entries))
    # With --json, stdout carries only the JSON.
    out = sys.stderr if args.json else sys.stdout
    if args.as_kind == "tests":
        return write_tests(entries, code, path, args.round, args.dry_run, label, out)
    if not as_households:
        return 0
    return write_households(entries, code, path, args.dry_run, label, out)
