"""Signing the command line in: who a command acts as, and the PINs it asks for.

Once a post has accounts, a command that changes anything runs as a signed-in person:
``--user NAME`` (or CMDPOST_USER), with the PIN from CMDPOST_PIN or asked at the terminal.
Read-only commands need no sign-in. New PINs come from CMDPOST_NEW_PIN or are asked twice.
Every command passes through here (main installs the sign-in), so this imports no command module.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time

from console import i18n
from console.config import Config
from db.errors import RuleError


def install_sign_in(args: argparse.Namespace, config: Config) -> None:
    """Sign the named user in on every database this command opens, under the post's lockout settings."""
    from db import connection

    # One sign-in per command: drop any left by an earlier main() in this process (tests, scripts).
    connection.AFTER_OPEN[:] = [
        hook for hook in connection.AFTER_OPEN if not getattr(hook, "from_cli", False)
    ]
    name = getattr(args, "user", None) or os.environ.get("CMDPOST_USER")
    if not name or getattr(args, "command", None) in ("supervise", None):
        return

    def sign_in(database) -> None:
        from db.accounts import operators as accounts

        if not database.guard.closed:
            return
        accounts.sign_in(
            name,
            pin(i18n.t("user_cli.pin_prompt", name=name), "CMDPOST_PIN"),
            now=int(time.time()),
            max_failures=config.lockout_after,
            lock_seconds=config.lockout_minutes * 60,
        )

    sign_in.from_cli = True  # type: ignore[attr-defined]
    connection.AFTER_OPEN.append(sign_in)


def pin(prompt: str, env: str, confirm: bool = False) -> str:
    if os.environ.get(env):
        return os.environ[env]
    if not sys.stdin.isatty():
        raise RuleError("user_cli.pin_needed", env=env)
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass(i18n.t("user_cli.pin_again")) != first:
        raise RuleError("user_cli.pin_mismatch")
    return first


def cli_actor(default: str) -> str:
    """The name a command records in a row's *_by column: the signed-in account, if any."""
    from db.audit.guard import guard_of
    from db.models import database_proxy

    session = guard_of(database_proxy).session if database_proxy.obj is not None else None
    return session.name if session else default
