"""The demo post's accounts: one of each role, all with the PIN 123456 (it is a demo).

`cmdpost --demo` signs in as the admin without asking; opening the demo file any other way asks.
"""

from __future__ import annotations

from db.accounts import operators as accounts
from db.audit.guard import Session, guard_of
from db.errors import CmdpostError
from db.models import database_proxy as db

DEMO_PIN = "123456"
DEMO_ADMIN = "admin"
DEMO_ACCOUNTS = (
    (DEMO_ADMIN, "admin", "演示管理员"),
    ("zhiban", "operator", "值班员小林"),
    ("ducha", "supervisor", "镇督导组"),
)


def populate_accounts(now: int) -> None:
    guard = guard_of(db)
    if guard.closed:  # a post with accounts keeps its own
        return
    saved = guard.session
    try:
        for name, role, full_name in DEMO_ACCOUNTS:
            account_id = accounts.add_account(name, role, DEMO_PIN, now=now, full_name=full_name)
            if role == "admin":
                guard.session = Session(account_id, name, role)
    finally:
        guard.session = saved


def sign_in_demo_admin() -> bool:
    """`cmdpost --demo`: the demo's admin signed in without a PIN, and recorded as such. False when
    there is nobody to sign in (a post without accounts, someone signed in, the admin gone)."""
    guard = guard_of(db)
    if not guard.closed or guard.session is not None:
        return False
    try:
        accounts.open_session(DEMO_ADMIN)
    except CmdpostError:
        return False  # the demo file's admin is gone: the post asks like any other
    return True
