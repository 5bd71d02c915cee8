"""``cmdpost audit verify`` in full: the chain, guards found removed, and signed heads.

Exit codes: 0 the trail is intact (and holds the head, if one was given); 1 the chain is broken or
the trail no longer holds the head; 3 the chain is intact but guard triggers were once found
removed or altered outside cmdpost (each such event is printed as one warning line).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from console import i18n
from db.errors import DatabaseOpenError

GUARDS_RESTORED = 3


def add_verify_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--head", metavar="FILE", help="a signed head written earlier: the trail must still hold it"
    )
    parser.add_argument(
        "--key",
        metavar="FILE",
        help="the post's verify-only key (pass key --export-public) to check --head with;"
        " without it, the key beside the database",
    )
    parser.add_argument(
        "--write-head",
        metavar="FILE",
        help="if the chain is intact, write its signed head to FILE, a new file (admin)",
    )


def add_backup_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--write-head",
        metavar="FILE",
        help="also write the copy's signed audit head to FILE, a new file (admin)",
    )


def run_verify(args: argparse.Namespace, database, db_path: Path) -> int:
    from db.audit import guard_triggers
    from db.audit import head as audit_head
    from db.audit import trail as audit
    from db.passes import keys as pass_keys

    t = i18n.t
    if getattr(args, "write_head", None):
        from db.accounts.operators import require_admin

        require_admin()  # refused before a long walk of the chain, not after it
    head = audit_head.read_head(args.head) if getattr(args, "head", None) else None
    report = audit.verify_chain(database)
    if report.broken_at is not None:
        print(
            t(f"user_cli.audit_broken_{report.problem}", id=report.broken_at, entries=report.entries),
            file=sys.stderr,
        )
        return 1
    print(t("user_cli.audit_ok", entries=report.entries, head=report.head))
    code = 0
    for _, at, details in guard_triggers.restorations(database):
        names = "、".join(guard_triggers.named(details))
        print(t("audit_head.guards_restored", at=at, names=names), file=sys.stderr)
        code = GUARDS_RESTORED
    if head is not None:
        key = pass_keys.load_verifier(args.key) if args.key else pass_keys.post_verifier(db_path)
        check = audit_head.check_head(head, key, database, chain=report)
        if check.problem:
            print(
                t(
                    f"audit_head.problem_{check.problem}",
                    entries=head.entries,
                    at=head.at,
                    found=report.entries,
                ),
                file=sys.stderr,
            )
            return 1
        print(t("audit_head.holds", entries=head.entries, at=head.at))
    if getattr(args, "write_head", None):
        written = audit_head.write_head(db_path, args.write_head, report)
        print(t("audit_head.written", path=args.write_head, entries=written.entries, fingerprint=written.key))
    return code


def open_for_head(source: Path):
    """The post, opened (and its user signed in) before a backup that will write a head: a head is
    an admin's act, so anyone else is refused before anything is copied."""
    from db.accounts.operators import require_admin
    from db.connection import open_database

    if not source.is_file():
        raise DatabaseOpenError("db.missing", path=str(source))
    database = open_database(source)
    try:
        require_admin()
    except BaseException:
        database.close()
        raise
    return database


def write_backup_head(source: Path, copy: Path, out: str) -> None:
    """Sign the head of the copy's trail (the copy is what a later restore will bring back)."""
    from db.audit import head as audit_head
    from db.audit.guard import PostDatabase
    from db.audit.trail import verify_chain
    from db.connection import readonly_uri

    reader = PostDatabase(readonly_uri(copy), uri=True)
    try:
        report = verify_chain(reader)
    finally:
        reader.close()
    written = audit_head.write_head(source, out, report)
    print(i18n.t("audit_head.written", path=out, entries=written.entries, fingerprint=written.key))
