"""``cmdpost user …`` (accounts) and ``cmdpost audit …`` (the trail).

Signing in, and the PINs asked for, are console/cli/session.py's.
"""

from __future__ import annotations

import argparse
import time

from console import i18n
from console.cli.post import open_post, post_path
from console.cli.session import pin
from console.config import Config
from db.errors import CmdpostError, RuleError
from db.vocab import ACCOUNT_ROLES as ROLES


def add_commands(sub, common) -> None:
    user = sub.add_parser("user", parents=[common], help="operator accounts (admin only once accounts exist)")
    user.set_defaults(handler="accounts:run_user")
    verbs = user.add_subparsers(dest="verb", required=True)
    add = verbs.add_parser("add", parents=[common], help="a new account; the first must be an admin")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--full-name", default="", metavar="TEXT")
    verbs.add_parser("list", parents=[common])
    for verb, text in (
        ("disable", "the account can no longer sign in"),
        ("enable", "undo disable"),
        ("passwd", "set a new PIN (also lifts a lockout)"),
        ("unlock", "lift a lockout"),
    ):
        verbs.add_parser(verb, parents=[common], help=text).add_argument("name")
    audit = sub.add_parser(
        "audit", parents=[common], help="the audit trail: verify the hash chain, list entries"
    )
    audit.set_defaults(handler="accounts:run_audit")
    audit_verbs = audit.add_subparsers(dest="verb", required=True)
    verify = audit_verbs.add_parser(
        "verify", parents=[common], help="check every link; report the first broken one"
    )
    from console.cli.audit_head import add_verify_arguments

    add_verify_arguments(verify)
    listing = audit_verbs.add_parser("list", parents=[common], help="entries, newest first")
    listing.add_argument("--by", metavar="NAME", help="entries made by this person")
    listing.add_argument("--grid", metavar="CODE")
    listing.add_argument("--table", metavar="NAME")
    listing.add_argument("--limit", type=int, default=50)


def run_user(args: argparse.Namespace, config: Config) -> int:
    from db.accounts import operators as accounts

    with open_post(args, config):
        if args.verb == "list":
            for row in accounts.list_accounts():
                state = (
                    i18n.t("account.disabled")
                    if row.disabled
                    else (
                        i18n.t("account.locked")
                        if row.locked_until and row.locked_until > time.time()
                        else ""
                    )
                )
                print(f"{row.name}\t{i18n.t('account.role.' + row.role)}\t{row.full_name}\t{state}".rstrip())
            return 0
        accounts.require_admin()
        if args.verb == "add":
            secret = pin(i18n.t("user_cli.new_pin", name=args.name), "CMDPOST_NEW_PIN", confirm=True)
            accounts.add_account(args.name, args.role, secret, now=int(time.time()), full_name=args.full_name)
        elif args.verb == "passwd":
            accounts.set_secret(
                args.name, pin(i18n.t("user_cli.new_pin", name=args.name), "CMDPOST_NEW_PIN", True)
            )
        else:
            {
                "disable": accounts.disable_account,
                "enable": accounts.enable_account,
                "unlock": accounts.unlock_account,
            }[args.verb](args.name)
        print(i18n.t(f"user_cli.user_{args.verb}", name=args.name))
        return 0


def run_audit(args: argparse.Namespace, config: Config) -> int:
    from db.audit import trail as audit
    from db.grids import queries

    with open_post(args, config) as database:
        if args.verb == "verify":
            from console.cli.audit_head import run_verify

            return run_verify(args, database, post_path(args, config))
        grid_id = queries.grid_id_for(args.grid) if args.grid else None
        args.table = _table_name(args.table) if args.table else None
        if args.limit < 1:
            raise CmdpostError("user_cli.bad_limit")
        rows = audit.page_entries(audit.AuditFilter(args.by, grid_id, args.table), 0, args.limit)
        from console.text.audit import change_summary, field_value, table_label
        from widgets.safe_text import shown

        for row in rows:
            # shown(): a name holding an escape sequence must not drive the terminal it is printed on.
            print(
                "\t".join(
                    shown(cell)
                    for cell in (
                        str(row.id),
                        field_value("at", row.at, tz=config.tz),
                        row.actor,
                        i18n.t(f"audit.op.{row.op}"),
                        table_label(row.table_name),
                        str(row.row_id or ""),
                        change_summary(row, config.tz),
                    )
                )
            )
        return 0


def _table_name(text: str) -> str:
    """--table takes the stored name (zone_change) or its label (分区变更); anything else is refused."""
    from console.text.audit import table_label
    from db.audit import trail as audit

    known = audit.tables()
    for name in known:
        if text in (name, table_label(name)):
            return name
    raise RuleError("user_cli.unknown_table", value=text, known="、".join(table_label(n) for n in known))
