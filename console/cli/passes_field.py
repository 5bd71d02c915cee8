"""``cmdpost pass verify|bulletin|guard-page|import-scans``: checking passes away from the post's laptop.

The rules live in db/passes/issuing (check, bulletin, field); this file reads the arguments and prints.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from console import i18n
from console.config import Config

if TYPE_CHECKING:
    from db.passes.check import Verdict

ACTOR = "cmdpost pass"


def add_field_commands(verbs, common) -> None:
    bulletin = verbs.add_parser(
        "bulletin",
        parents=[common],
        help="the signed list of revoked passes, for checkers without the register",
    )
    bulletin.add_argument("--out", metavar="FILE", help="write it to FILE (default: print it)")
    page = verbs.add_parser(
        "guard-page",
        parents=[common],
        help="one offline HTML file for guards' phones: scans and checks passes",
    )
    page.add_argument(
        "--grid", metavar="CODE", help="the grid the page stands at (else chosen once on the phone)"
    )
    page.add_argument("--out", required=True, metavar="FILE.html")
    page.add_argument(
        "--neighbour",
        action="append",
        default=[],
        metavar="verify.pem",
        help="a neighbouring post's verify-only key: its passes read CROSS_GRID here (repeatable)",
    )
    scans = verbs.add_parser(
        "import-scans", parents=[common], help="merge a guard page's scans into the scan log"
    )
    scans.add_argument("file", metavar="FILE|-")


def add_verify_options(verify: argparse.ArgumentParser) -> None:
    verify.add_argument(
        "--bulletin", metavar="FILE", help="a revocation bulletin (pass bulletin), with --key"
    )
    verify.add_argument(
        "--now",
        metavar="YYYY-MM-DD HH:MM",
        type=_moment,
        help="check as of this time, in the post's time zone (default: now)",
    )


def _moment(text: str) -> str:
    try:
        datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a time as YYYY-MM-DD HH:MM: {text[:24]}") from None
    return text.strip()


def _now(args: argparse.Namespace, config: Config) -> int:
    if not getattr(args, "now", None):
        return int(time.time())
    return int(datetime.strptime(args.now, "%Y-%m-%d %H:%M").replace(tzinfo=config.tz).timestamp())


def _read_text(name: str, error: str) -> str:
    from db.errors import RuleError

    try:
        if name == "-":
            return sys.stdin.read()
        return Path(os.path.expanduser(name)).read_text(encoding="utf-8-sig", errors="replace")
    except OSError as exc:
        raise RuleError(error, path=name, reason=exc.strerror or str(exc)) from None


def verify(args: argparse.Namespace, config: Config) -> tuple[Verdict, list[str]]:
    """The verdict, and the notes to print under it (stale copy, not recorded)."""
    from console.cli.post import open_post, post_path
    from console.cli.session import cli_actor
    from db.audit.guard import guard_of
    from db.models import database_proxy
    from db.passes import bulletin as pass_bulletin
    from db.passes import check as pass_check
    from db.passes import field
    from db.passes import keys as pass_keys

    now, t, hours = _now(args, config), i18n.t, config.bulletin_max_age_hours
    if args.key and not args.db:  # a laptop with only the verify-only key: no register, nothing recorded
        key = pass_keys.load_verifier(args.key)
        bulletin = None
        if args.bulletin:
            bulletin = pass_bulletin.decode(_read_text(args.bulletin, "bulletin.unreadable"), key)
        result = pass_check.verify_offline(
            args.payload, key, now=now, place=args.at_grid, bulletin=bulletin, max_age_hours=hours
        )
        notes = []
        if bulletin is not None and bulletin.stale(now, hours):
            notes.append(t("bulletin.stale_note", time=_clock(bulletin.issued_at, config), hours=hours))
        return result, notes
    db_path = post_path(args, config)
    with open_post(args, config):
        key = pass_keys.load_verifier(args.key) if args.key else pass_keys.post_verifier(db_path)
        # The post's own database (its signing key beside it) is where revocations are made: never stale.
        own = pass_keys.key_path(db_path).exists()
        stale = not own and field.copy_stale(now, hours)
        guard = guard_of(database_proxy)
        record = guard.may_write("pass_scan", None) and not guard.readonly
        result = pass_check.scan(
            args.payload,
            key,
            now=now,
            place=args.at_grid,
            operator=cli_actor(getpass.getuser()),
            record=record,
            stale=stale,
        )
    notes = [t("pass_field.copy_stale", hours=hours)] if stale else []
    if not record:
        who = guard.session.name if guard.session else t("pass_field.nobody")
        notes.append(t("pass_field.not_recorded", who=who))
    return result, notes


def _clock(epoch: int, config: Config) -> str:
    return datetime.fromtimestamp(epoch, config.tz).strftime("%Y-%m-%d %H:%M")


def run_field(args: argparse.Namespace, config: Config, db_path: Path) -> int:
    """bulletin, guard-page and import-scans, with the database already open."""
    from db.passes import field
    from db.passes import keys as pass_keys

    now, t = int(time.time()), i18n.t
    if args.verb == "import-scans":
        added, already = field.import_scans(_read_text(args.file, "guard_scans.unreadable"))
        print(t("guard_scans.imported", added=added, already=already))
        return 0
    key = pass_keys.signing_key(db_path)
    text = field.make_bulletin(key, now)
    if args.verb == "bulletin":
        if args.out:
            _write(Path(os.path.expanduser(args.out)), text + "\n", db_path)
        else:
            print(text)
        print(
            t(
                "bulletin.written",
                count=len(field.revoked(now)),
                size=len(text),
                time=_clock(now, config),
                fingerprint=pass_keys.fingerprint(key.public_key()),
            ),
            file=sys.stderr,
        )
        return 0
    from console.guard_page import build_page

    out = Path(os.path.expanduser(args.out))  # Path.expanduser raises on "~nosuchuser"
    neighbours = [pass_keys.load_verifier(path) for path in args.neighbour]
    page, grids = build_page(config, key.public_key(), text, grid=args.grid, neighbours=neighbours)
    _write(out, page, db_path)
    print(
        t(
            "pass_field.guard_page_written",
            path=out,
            size=round(len(page.encode("utf-8")) / 1024),
            grids=grids,
            count=len(field.revoked(now)),
        )
    )
    return 0


def _write(path: Path, text: str, db_path: Path) -> None:
    from db.errors import RuleError
    from db.passes import keys as pass_keys
    from db.private_file import write_private_text

    kept = (
        db_path,
        Path(f"{db_path}-wal"),
        Path(f"{db_path}-shm"),
        Path(f"{db_path}-journal"),
        pass_keys.key_path(db_path),
    )
    if any(path.resolve() == Path(k).resolve() for k in kept):  # never write over the post itself
        raise RuleError("pass_field.out_is_post", path=str(path))
    try:
        write_private_text(path, text)  # a new file is the owner's only: the page holds holders' names
    except OSError as exc:
        raise RuleError(
            "pass_sheet_errors.unwritable", path=str(path), reason=exc.strerror or str(exc)
        ) from None
