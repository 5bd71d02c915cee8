"""``cmdpost pass …``: issue, reissue, revoke, list, show, print and verify delivery passes."""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from console import i18n
from console.cli.passes_field import add_field_commands, add_verify_options, run_field
from console.cli.post import open_post, post_path
from console.cli.session import cli_actor
from console.config import Config

# The parser is built on every start of cmdpost: what signs, draws and prints is imported only
# when a pass command runs (fpdf2 alone takes half a second to import).
if TYPE_CHECKING:
    from db.passes.check import Verdict
    from db.passes.issuing import PassRow
    from db.roster.settings import Duty

ACTOR = "cmdpost pass"
DEFAULT_DAYS = 7  # db.passes.issuing.DEFAULT_DAYS, repeated here to keep that import out of start-up


def add_commands(sub, common) -> None:
    cmd = sub.add_parser(
        "pass", parents=[common], help="individual delivery passes (单人单证): issue, print, verify"
    )
    cmd.set_defaults(handler="passes:run_pass")
    verbs = cmd.add_subparsers(dest="verb", required=True)
    issue = verbs.add_parser(
        "issue", parents=[common], help="a new pass for one person in one grid; prints its serial"
    )
    issue.add_argument("staff_id", type=int)
    issue.add_argument("--grid", required=True, metavar="CODE", help="the top-level grid the pass holds in")
    issue.add_argument("--days", type=int, default=DEFAULT_DAYS, help="days of validity, today included")
    reissue = verbs.add_parser(
        "reissue", parents=[common], help="the next version of a pass; the old one is revoked"
    )
    reissue.add_argument("serial")
    reissue.add_argument("--days", type=int, help="days from today (default: keep the old end date)")
    reissue.add_argument("--reason", default="", help="why (e.g. lost); recorded with the old version")
    revoke = verbs.add_parser("revoke", parents=[common], help="revoke a pass at once (lost, left, misused)")
    revoke.add_argument("serial")
    revoke.add_argument("--reason", required=True)
    listing = verbs.add_parser("list", parents=[common], help="the latest version of every pass")
    listing.add_argument("--grid", metavar="CODE")
    listing.add_argument("--json", action="store_true")
    show = verbs.add_parser("show", parents=[common], help="one pass with its QR code, drawn in the terminal")
    show.add_argument("serial")
    verify = verbs.add_parser(
        "verify", parents=[common], help="check a scanned payload; exit 0 only for VALID"
    )
    verify.add_argument("payload", help="the text a scanner reads from the QR code")
    verify.add_argument(
        "--at-grid", "--at", dest="at_grid", metavar="CODE", help="where the pass is being checked"
    )
    verify.add_argument(
        "--key",
        metavar="FILE",
        help="a verify-only key (pass key --export-public); without --db no register is used",
    )
    verify.add_argument("--json", action="store_true")
    add_verify_options(verify)
    key = verbs.add_parser(
        "key", parents=[common], help="the post's signing key: fingerprint, verify-only export"
    )
    key.add_argument("--export-public", metavar="FILE", help="write the verify-only key to FILE")
    prn = verbs.add_parser("print", parents=[common], help="a grid's passes in force, as an A4 PDF to cut up")
    prn.add_argument("--grid", required=True, metavar="CODE")
    prn.add_argument("--out", required=True, metavar="FILE.pdf")
    prn.add_argument(
        "--print",
        action="store_true",
        help="also send the PDF to the printer (CUPS lp; config.yaml printing.printer, else the default)",
    )
    add_field_commands(verbs, common)


def run_pass(args: argparse.Namespace, config: Config) -> int:
    # A missing post is refused before this (cli.args.require_existing_post): a check never makes one.
    if args.verb == "verify":
        return _verify(args, config)
    path = post_path(args, config)
    with open_post(args, config):
        if args.verb in ("bulletin", "guard-page", "import-scans"):
            return run_field(args, config, path)
        return _run(args, config, path)


def _run(args: argparse.Namespace, config: Config, path: Path) -> int:
    from console.text.passes import qr_half_blocks, validity
    from db.passes import issuing as passes
    from db.passes import keys as pass_keys
    from db.roster.settings import Duty

    duty, now, t = Duty(config.rules, config.tz), int(time.time()), i18n.t
    if args.verb == "issue":
        row = passes.issue(duty, args.staff_id, args.grid, actor=cli_actor(ACTOR), now=now, days=args.days)
        print(row.serial)
        print(
            t(
                "pass_cli.issued",
                serial=row.serial,
                name=row.name,
                dates=validity(row.valid_from, row.valid_until, duty.tz),
            ),
            file=sys.stderr,
        )
    elif args.verb == "reissue":
        row = passes.reissue(
            duty, args.serial, actor=cli_actor(ACTOR), now=now, days=args.days, why=args.reason
        )
        print(
            t(
                "pass_cli.reissued",
                serial=row.serial,
                version=row.version,
                dates=validity(row.valid_from, row.valid_until, duty.tz),
            )
        )
    elif args.verb == "revoke":
        row = passes.revoke(args.serial, args.reason, actor=cli_actor(ACTOR), now=now)
        print(t("pass_cli.revoked", serial=row.serial, version=row.version))
    elif args.verb == "list":
        _list(passes.register(now, args.grid), args.json, duty)
    elif args.verb == "show":
        row = passes.pass_by_serial(args.serial, now)
        payload = passes.payload_for(row, pass_keys.signing_key(path))
        _describe(row, duty)
        print(payload)
        from rich.console import Console

        Console(file=getattr(sys.stdout, "raw", sys.stdout)).print(qr_half_blocks(payload))  # its own colours
    elif args.verb == "key":
        key = pass_keys.signing_key(path)
        print(
            t(
                "pass_cli.key",
                path=pass_keys.key_path(path),
                fingerprint=pass_keys.fingerprint(key.public_key()),
            )
        )
        if args.export_public:
            out = pass_keys.export_public(path, args.export_public)
            print(t("pass_cli.exported", path=out))
    else:
        return _print(args, config, path, now)
    return 0


def _describe(row: PassRow, duty: Duty) -> None:
    from console.text.passes import status_text, validity

    status = status_text(row.status, row.revoke_reason, row.superseded).plain
    print(
        f"{row.serial}  v{row.version}  {status}  {row.name}  {i18n.role_label(row.role)}"
        f"  {row.grid_code} {row.grid_name}  {validity(row.valid_from, row.valid_until, duty.tz)}"
    )


def _list(rows: list[PassRow], as_json: bool, duty: Duty) -> None:
    if as_json:
        json.dump(
            [
                {
                    "serial": r.serial,
                    "version": r.version,
                    "status": r.status,
                    "staff_id": r.staff_id,
                    "name": r.name,
                    "role": r.role,
                    "grid": r.grid_code,
                    "valid_from": r.valid_from,
                    "valid_until": r.valid_until,
                    "revoke_reason": r.revoke_reason,
                }
                for r in rows
            ],
            sys.stdout,
            ensure_ascii=False,
            indent=1,
        )
        print()
        return
    for row in rows:
        _describe(row, duty)
    print(i18n.t("pass_cli.count", count=len(rows)), file=sys.stderr)


def _print(args: argparse.Namespace, config: Config, path: Path, now: int) -> int:
    from console.progress import ProgressBar
    from console.sheets.passes import COLUMNS, ROWS, write_sheet
    from console.sheets.paths import sheet_format
    from console.sheets.printer import printer_if_asked, send_and_say
    from db.passes import issuing as passes
    from db.passes import keys as pass_keys

    sheet_format(Path(args.out), (".pdf",))  # passes are PDF only: any other name is refused, nothing written
    printer = printer_if_asked(Path(args.out), args.print, config.printer)
    started = time.monotonic()
    rows = passes.printable(now, args.grid)
    key = pass_keys.signing_key(path)
    out = write_sheet(
        rows,
        [passes.payload_for(row, key) for row in rows],
        Path(args.out),
        post_name=config.post_name,
        tz=config.tz,
        progress=ProgressBar(i18n.t("pass_cli.printing")),
    )
    print(
        i18n.t(
            "pass_cli.printed",
            count=len(rows),
            pages=math.ceil(len(rows) / (COLUMNS * ROWS)),
            path=out,
            seconds=f"{time.monotonic() - started:.1f}",
        )
    )
    if printer:
        print(send_and_say(out, printer))
    return 0


def _verify(args: argparse.Namespace, config: Config) -> int:
    from console.cli.passes_field import verify

    result, notes = verify(args, config)
    _report(result, args.json, config)
    for note in notes:
        print(note, file=sys.stderr)
    return 0 if result.valid else 1


def _report(result: Verdict, as_json: bool, config: Config) -> None:
    from console.text.passes import validity, verdict_label

    fields, row = result.fields, result.row
    if as_json:
        json.dump(
            {
                "verdict": result.verdict,
                "serial": fields and fields.serial,
                "version": fields and fields.version,
                "grid": fields and fields.grid_code,
                "place": result.place,
                "name": row and row.name,
                "valid_from": fields and fields.valid_from,
                "valid_until": fields and fields.valid_until,
                "repeat": result.repeat,
            },
            sys.stdout,
            ensure_ascii=False,
        )
        print()
        return
    print(result.verdict)
    detail = [verdict_label(result.verdict)]
    if fields := result.trusted_fields:  # a forged payload's fields are claims, not facts
        detail += [
            f"{fields.serial} v{fields.version}",
            row.name if row else "",
            i18n.t("pass_cli.grid", code=fields.grid_code),
            validity(fields.valid_from, fields.valid_until, config.tz),
        ]
    if row and result.verdict == "REVOKED":
        reason = row.revoke_reason or (i18n.t("passes.superseded") if row.superseded else "")
        detail.append(i18n.t("pass_scan.revoked_reason", reason=reason or "—"))
    if result.repeat:
        detail.append(i18n.t("passes.repeat"))
    print("  ".join(part for part in detail if part), file=sys.stderr)
