"""``cmdpost sync --to URL`` and ``cmdpost county [board|report|init] --db URL`` (issue 19).

The rules and the reads are in db/county/; this is wording and the opening of things.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

from console import i18n
from console.cli.post import post_path
from console.config import Config
from db.errors import CmdpostError

REPORT_FORMATS = ("json", "csv", "text")


def add_commands(sub, common) -> None:
    sync = sub.add_parser(
        "sync", parents=[common], help="send this post's changes to the county's PostgreSQL"
    )
    sync.add_argument("--to", required=True, metavar="URL", help="postgresql://USER:PASSWORD@HOST/DB")
    sync.add_argument("--batch", type=int, default=5000, metavar="N", help="changes per batch (default 5000)")
    sync.add_argument(
        "--every",
        type=int,
        metavar="SECONDS",
        help="keep syncing every SECONDS (an unreachable county is retried, never fatal)",
    )
    sync.set_defaults(handler="county:run_sync")
    county = sub.add_parser(
        "county", parents=[common], help="the county board over every post's synced records (read-only)"
    )
    county.set_defaults(handler="county:run_county")
    county.add_argument("action", nargs="?", choices=("board", "report", "init", "user"), default="board")
    county.add_argument(
        "words",
        nargs="*",
        metavar="add NAME",
        help="county user add NAME [--post POST_ID]: a read-only county user (password from"
        " $CMDPOST_COUNTY_PASSWORD or asked)",
    )
    county.add_argument(
        "--post", metavar="POST_ID", help="with user add: the user reads this post's rows only"
    )
    county.add_argument("--format", choices=REPORT_FORMATS, default="text", help="report format")
    county.add_argument(
        "--quiet-minutes",
        type=int,
        default=30,
        metavar="N",
        help="flag posts not synced for N minutes (default 30)",
    )


def _post_database(args: argparse.Namespace, config: Config):
    """The post's file, read-only; a file at an older schema is upgraded first (its outbox then
    holds every row it has), like any cmdpost command would."""
    from db.connection import open_database, open_readonly
    from db.errors import DatabaseOpenError
    from db.schema import SCHEMA_VERSION

    path = post_path(args, config)
    try:
        return path, open_readonly(path)
    except DatabaseOpenError as err:
        found = err.params.get("found", 0)
        if err.key != "db.readonly_version" or not isinstance(found, int) or found >= SCHEMA_VERSION:
            raise
    open_database(path).close()
    return path, open_readonly(path)


def _verify_pem(path: Path) -> str | None:
    """The post's verify-only key, if it has made one (a sync never makes one)."""
    from cryptography.hazmat.primitives import serialization

    from db.passes import keys

    try:
        public = keys.post_verifier(path)
    except CmdpostError:
        return None
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def run_sync(args: argparse.Namespace, config: Config) -> int:
    from db.county import sync

    sync.check_url(args.to)
    if args.batch < 1:
        raise CmdpostError("county.bad_batch")
    path, database = _post_database(args, config)
    try:
        while True:
            code = _sync_once(sync, database, path, args, config)
            if not args.every:
                return code
            time.sleep(max(1, args.every))
    finally:
        database.close()


def _sync_once(sync, database, path: Path, args, config: Config) -> int:
    try:
        result = sync.sync(
            database,
            args.to,
            post_name=config.post_name,
            verify_pem=_verify_pem(path),
            batch=args.batch,
            trim_after_hours=config.county_trim_after_hours,
        )
    except CmdpostError as err:
        if not args.every:
            raise
        print(f"cmdpost: {i18n.error_text(err)}", file=sys.stderr)
        return 1
    sync.record_sync(path, result, args.to)
    key = "county.synced" if result.sent else "county.up_to_date"
    line = i18n.t(key, sent=result.sent, post=result.post_id, seq=result.last_seq)
    trimmed = _trim(path, result, config)
    print(line + (i18n.t("county.trimmed", count=trimmed) if trimmed else ""))
    return 0


def _trim(path: Path, result, config: Config) -> int:
    """Outbox lines the county has held long enough, trimmed on a short connection of their own
    (the sync's is read-only). A trim that cannot run now (the file busy or read-only) is said in
    one line and tried again at the next sync: the sync itself succeeded."""
    import sqlite3

    import peewee

    from db.connection import open_bookkeeper
    from db.county import trim

    database = None
    try:
        database = open_bookkeeper(path)
        return trim.trim(database, result.last_seq, result.aged_seq, config.county_keep_synced)
    except (sqlite3.Error, peewee.DatabaseError) as exc:
        print(
            f"cmdpost: {i18n.t('county.trim_failed', reason=str(exc).splitlines()[0] if str(exc) else '')}",
            file=sys.stderr,
        )
        return 0
    finally:
        if database is not None:
            database.close()


def county_now(config: Config) -> tuple[int, tuple[int, int], str]:
    """Now, tonight's window and today's date, at the county's time zone (config.yaml)."""
    from db.county import board
    from db.roster.settings import Duty

    return board.moment(Duty(config.rules, config.tz), int(time.time()))


def run_county(args: argparse.Namespace, config: Config) -> int:
    from db.county import sync

    url = sync.check_url(args.db or "")
    if args.words and args.action != "user" or args.post and args.action != "user":
        raise CmdpostError("county.words_only_for_user")
    if args.action == "user":
        return _add_user(url, args)
    if args.action == "init":
        from db.county import pg_schema

        conn = sync.connect(url)
        try:
            pg_schema.install(conn)
        finally:
            conn.close()
        print(i18n.t("county.installed"))
        return 0
    if args.action == "report":
        return _report(url, args, config)
    from console.screens.county.board import CountyApp

    app = CountyApp(config, url, args.quiet_minutes)
    app.run()
    return app.return_code or 0


def _password(name: str) -> str:
    """The new user's password: $CMDPOST_COUNTY_PASSWORD, else asked twice at the terminal (never an
    argument, which any user of the machine could read in the process list)."""
    import getpass
    import os

    if os.environ.get("CMDPOST_COUNTY_PASSWORD"):
        return os.environ["CMDPOST_COUNTY_PASSWORD"]
    if not sys.stdin.isatty():
        raise CmdpostError("county.password_needed")
    first = getpass.getpass(i18n.t("county.password_prompt", name=name))
    if getpass.getpass(i18n.t("county.password_again")) != first:
        raise CmdpostError("county.password_mismatch")
    return first


def _add_user(url: str, args: argparse.Namespace) -> int:
    import psycopg

    from db.county import pg_access, sync

    if len(args.words) != 2 or args.words[0] != "add":
        raise CmdpostError("county.user_usage")
    name = args.words[1]
    password = _password(name)
    conn = sync.connect(url)
    try:
        pg_access.add_user(conn, name, password, args.post)
    except psycopg.errors.UndefinedTable:
        raise sync.CountyError("county.not_set_up") from None
    except psycopg.errors.InsufficientPrivilege as exc:
        raise sync.CountyError("county.not_permitted", reason=sync._reason(exc)) from None
    except psycopg.Error as exc:
        raise sync.CountyError("county.unreachable", reason=sync._reason(exc)) from None
    finally:
        conn.close()
    key = "county.user_added_post" if args.post else "county.user_added"
    print(i18n.t(key, name=name, post=args.post or ""))
    return 0


REPORT_COLUMNS = (
    "post_id",
    "name",
    "households",
    "residents",
    "open_now",
    "open_soon",
    "open_tonight",
    "round_number",
    "tested_households",
    "delivered_today",
    "synced_at",
    "quarantined",
)


def _report(url: str, args: argparse.Namespace, config: Config) -> int:
    import psycopg

    from db.county import board, sync
    from db.safe_text import shown

    conn = sync.connect(url, autocommit=True)
    try:
        rows = board.posts(conn, *county_now(config))
    except psycopg.Error as exc:
        raise sync.CountyError("county.unreachable", reason=sync._reason(exc)) from None
    finally:
        conn.close()
    records = [{**r._asdict(), "synced_at": r.synced_at.isoformat() if r.synced_at else None} for r in rows]
    if args.format == "json":
        print(json.dumps(records, ensure_ascii=False, indent=1))
    elif args.format == "csv":
        from db.safe_text import spreadsheet_cell

        out = csv.writer(sys.stdout)
        out.writerow(REPORT_COLUMNS)
        for record in records:
            out.writerow([spreadsheet_cell(record[c]) for c in REPORT_COLUMNS])
    else:
        for r in rows:
            print(
                f"{shown(r.name) or r.post_id}\t{r.households}\t{r.residents}\t{r.open_now}/{r.open_soon}/"
                f"{r.open_tonight}\t{r.tested_households}\t{r.delivered_today}"
            )
    return 0
