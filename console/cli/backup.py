"""``cmdpost backup DEST`` and ``cmdpost restore FILE``: the post's file, copied and put back.

Both are safe to run while the console is open for a backup (SQLite's online backup), and a
restore refuses while anything has the database open. Refusals are BackupErrors, which cmdpost's
main prints as one line and exit code 1.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from console import i18n
from console.cli.post import post_path
from console.config import Config
from console.progress import ProgressBar

# Below this a copy takes well under a second: a bar would only flicker.
PROGRESS_MIN_BYTES = 64 * 1024 * 1024


def add_commands(sub, common) -> None:
    backup = sub.add_parser(
        "backup", parents=[common], help="a consistent copy of the database, safe while the console is in use"
    )
    backup.set_defaults(handler="backup:run_backup")
    backup.add_argument("dest", metavar="DEST", help="file to write, or an existing folder to write it in")
    backup.add_argument(
        "--with-key",
        action="store_true",
        help="also copy the pass signing key beside the copy (DEST.passkey, mode 0600)",
    )
    from console.cli.audit_head import add_backup_arguments

    add_backup_arguments(backup)
    backup.add_argument(
        "--check",
        action="store_true",
        help="also check every page and index of the copy (PRAGMA integrity_check)",
    )
    restore = sub.add_parser(
        "restore",
        parents=[common],
        help="check a backup, keep the current database, then put the backup in its place",
    )
    restore.set_defaults(handler="backup:run_restore")
    restore.add_argument("file", metavar="FILE")
    restore.add_argument("--check", action="store_true", help="only check the file; change nothing")


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def run_backup(args: argparse.Namespace, config: Config) -> int:
    from db.backup import copies as backup
    from db.backup import replace_post
    from db.passes import keys as pass_keys

    source, t = post_path(args, config), i18n.t
    if args.with_key:  # refused before anything is written, not after the copy is made
        replace_post.require_admin(source, "backup.key_admin_only", backup.BackupError)
    dest = Path(args.dest).expanduser()
    if dest.is_dir():
        dest = dest / f"{source.stem}-{datetime.now(config.tz).strftime(backup.STAMP)}.db"  # the post's clock
    big = source.is_file() and source.stat().st_size >= PROGRESS_MIN_BYTES
    bar = ProgressBar(t("backup.progress")) if big else None
    from console.cli import audit_head as cli_audit_head

    head_db = cli_audit_head.open_for_head(source) if args.write_head else None  # admin, asked before copying
    try:
        info = backup.backup_database(source, dest, progress=bar, full_check=args.check)
        print(t("backup.done", path=info.path, size=_size(info.size), version=info.version))
        _print_chain(info.path)
        if head_db is not None:
            cli_audit_head.write_backup_head(source, info.path, args.write_head)
    finally:
        if head_db is not None:
            head_db.close()
    key = pass_keys.key_path(source)
    if args.with_key:
        copied = backup.copy_key(source, f"{info.path}{pass_keys.SUFFIX}")
        print(t("backup.key_copied", path=copied) if copied else t("backup.no_key", path=key))
    elif key.is_file():
        print(t("backup.key_where", path=key), file=sys.stderr)
    return 0


def _print_chain(path: Path) -> None:
    """The copy's audit-chain head: written down with the backup, it shows a later rewrite."""
    import sqlite3

    from db.audit.guard import PostDatabase
    from db.audit.trail import verify_chain
    from db.connection import readonly_uri

    copy = PostDatabase(readonly_uri(path), uri=True)
    try:
        report = verify_chain(copy)
    except sqlite3.DatabaseError:  # a schema from before the trail
        return
    finally:
        copy.close()
    if report.broken_at is None:
        print(i18n.t("backup.chain", entries=report.entries, head=report.head))
    else:
        print(
            i18n.t(f"user_cli.audit_broken_{report.problem}", id=report.broken_at, entries=report.entries),
            file=sys.stderr,
        )


def run_restore(args: argparse.Namespace, config: Config) -> int:
    from db.backup import copies as backup
    from db.passes import keys as pass_keys

    target, t = post_path(args, config), i18n.t
    file = Path(args.file).expanduser()
    if args.check:
        version = backup.check_backup(file, work_dir=target.parent if target.parent.is_dir() else None)
        print(t("restore.checked", path=file, version=version))
        return 0
    result = backup.restore(file, target)
    print(t("restore.done", path=target, file=file, version=result.version))
    from db.schema import SCHEMA_VERSION

    if result.version < SCHEMA_VERSION:
        print(t("restore.upgrade_next"))
    if result.kept:
        print(t("restore.kept", path=result.kept))
    key = pass_keys.key_path(target)
    if result.key_copied:
        print(t("restore.key_copied", path=result.key_copied))
    elif not key.exists() and result.has_passes:
        print(t("restore.no_key", path=key), file=sys.stderr)
    return 0
