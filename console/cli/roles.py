"""Who may run each command, as data: the README's role table is checked against it, and a test
walks every subcommand of the parser against every role, so a command cannot be added without
its row.

The rules themselves are the data layer's (db/audit/guard.py refuses every write the signed-in role may
not make; db/backup/replace_post.py and db/passes/keys.py hold the admin-only acts); this table says what
they amount to, per command. ``makes_post`` marks the commands that may create a database file
where none is; any other command given a missing file says so and creates nothing (console/cli/__init__.py).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

# A post with accounts, for each role signed in (--user) and for nobody signed in; then a post
# that has no accounts yet (open: whoever is at the laptop).
ROLES = ("admin", "operator", "supervisor", "nobody", "open post")
YES, NO = "yes", "no"
READ = (YES, YES, YES, YES, YES)  # reads need no sign-in
WRITE = (YES, YES, NO, NO, YES)  # the day's work: admins and operators
ADMIN = (YES, NO, NO, NO, YES)  # accounts, the signing key, replacing the whole post


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]  # one per ROLES
    makes_post: bool = False
    note: str = ""


COMMANDS: dict[str, Row] = {
    "import grids": Row(WRITE, True),
    "import households": Row(WRITE, True),
    "import staff": Row(WRITE, True),
    "import chain": Row(WRITE, True, "`--dry-run` only reads"),
    "chain template": Row(READ, note="text to post in the grid's WeChat group"),
    "chain missing": Row(READ, note="the doors that have not answered, phones masked"),
    "demo": Row(READ, True, "a new file only; an existing one needs `--force`"),
    "demo --force": Row(ADMIN, True, "the replaced post is kept under a new name"),
    "supervise": Row((YES, YES, YES, "sign-in", YES), False, "read-only console; asks who is signing in"),
    "coverage": Row(READ),
    "roster assign": Row(WRITE),
    "roster unassign": Row(WRITE),
    "roster generate": Row(WRITE),
    "roster add-shift": Row(WRITE),
    "roster move-shift": Row(WRITE),
    "roster cancel-shift": Row(WRITE),
    "roster need": Row(WRITE),
    "roster print": Row(READ),
    "roster print --print": Row(READ, note="and sends the PDF to the printer (CUPS lp)"),
    "roster plan": Row(READ, note="a preview: changes nothing"),
    "roster plan --apply": Row(WRITE, note="writes every assignment through the roster's own rules"),
    "roster checkin": Row(WRITE),
    "roster checkout": Row(WRITE),
    "roster noshow": Row(WRITE),
    "roster message": Row(READ, note="`--kind changes` also notes when it was sent, which needs an operator"),
    "roster signup": Row(READ, note="reads a sign-up chain and says what it would record"),
    "roster signup --apply": Row(WRITE, note="records the offers the plan prefers"),
    "roster signup --assign": Row(READ, note="says which shift each line would fill, or why not"),
    "roster signup --assign --apply": Row(
        WRITE, note="puts each line on its shift through the roster's rules"
    ),
    "pass issue": Row(WRITE, note="once an admin has made the key (`pass key`)"),
    "pass reissue": Row(WRITE, note="as `pass issue`"),
    "pass revoke": Row(WRITE),
    "pass list": Row(READ),
    "pass show": Row(READ, note="once the key exists"),
    "pass verify": Row(READ, note="records the scan when the role may write; otherwise says it did not"),
    "pass verify --key": Row(READ, note="without `--db`: checks offline, records nothing, needs no post"),
    "pass key": Row(ADMIN, note="making the key; once made, anyone may print its fingerprint"),
    "pass key --export-public": Row(ADMIN),
    "pass print": Row(READ, note="once the key exists"),
    "pass print --print": Row(READ, note="once the key exists; sends the PDF to the printer (CUPS lp)"),
    "pass bulletin": Row(READ, note="once the key exists"),
    "pass guard-page": Row(READ, note="once the key exists; the page holds the holders' names"),
    "pass import-scans": Row(WRITE, note="a guard page's scans into the scan log"),
    "round create": Row(WRITE),
    "round list": Row(READ),
    "round coverage": Row(READ),
    "export": Row(READ),
    "export --print": Row(READ, note="and sends the PDF to the printer (CUPS lp)"),
    "supply item add": Row(WRITE),
    "supply item list": Row(READ),
    "supply receive": Row(WRITE),
    "supply stock": Row(READ),
    "supply order add": Row(WRITE),
    "supply order cancel": Row(WRITE),
    "supply orders": Row(READ),
    "supply run create": Row(WRITE),
    "supply run list": Row(READ),
    "supply run print": Row(READ),
    "supply run print --print": Row(READ, note="and sends the PDF to the printer (CUPS lp)"),
    "supply deliver": Row(WRITE),
    "supply totals": Row(READ),
    "supply ledger": Row(READ),
    "supply return": Row(WRITE),
    "supply correct": Row(WRITE),
    "handoff deliver": Row(WRITE),
    "user add": Row(ADMIN, True, "on a post without accounts the first must be an admin; it closes the post"),
    "user list": Row(READ),
    "user disable": Row(ADMIN),
    "user enable": Row(ADMIN),
    "user passwd": Row(ADMIN),
    "user unlock": Row(ADMIN),
    "audit verify": Row(READ),
    "audit verify --write-head": Row(ADMIN, note="signs the trail's head with the post's key"),
    "audit list": Row(READ),
    "backup": Row(READ),
    "backup --write-head": Row(ADMIN, note="signs the copy's trail head with the post's key"),
    "backup --with-key": Row(ADMIN, note="copies the private signing key, like exporting it"),
    "restore": Row(
        ADMIN, True, "a missing file is made from the backup (a new laptop); the replaced one is kept"
    ),
    "sync": Row(
        READ,
        note="reads the post as a backup does and sends its changes to the county; then trims"
        " outbox lines the county holds (cmdpost's own bookkeeping, no sign-in)",
    ),
    "county": Row(
        READ,
        note="the county board, report, init and user add: `--db` is the county's PostgreSQL"
        " URL, whose own roles decide (the post is not opened)",
    ),
    "restore --check": Row(READ, note="changes nothing; needs no post"),
}

# What each role may do in the console (cmdpost; a supervisor's is cmdpost supervise, read-only):
# db/audit/guard.py refuses every write the role may not make, and the screens hide those keys.
SIGN_IN_ONLY, NOT_APPLICABLE = "sign-in screen only", "n/a"
SCREEN_ACTIONS: dict[str, tuple[str, ...]] = {
    "browse the screens (dashboard, grids, coverage board, passes, registers, supply, audit trail)": (
        YES,
        YES,
        YES,
        SIGN_IN_ONLY,
        YES,
    ),
    "change a zone, import, edit the roster, log callbacks and reports": WRITE,
    "issue, reissue and revoke passes; supply desk and delivery log": WRITE,
    "scan a pass": (YES, YES, "yes, not recorded", SIGN_IN_ONLY, YES),
    "make the signing key (the first pass issued)": ADMIN,
    "first-run screen (makes the post's file)": (NOT_APPLICABLE,) * 4 + (YES,),
}


def subcommands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[str]:
    """Every command path of ``parser`` ("roster assign", "backup", ...), from the parser itself."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += subcommands(sub, prefix + (name,))
    return found or [" ".join(prefix)]


def command_of(parser: argparse.ArgumentParser, args: argparse.Namespace) -> str:
    """The command path ``args`` was parsed for, as in COMMANDS (without the flag variants)."""
    words: list[str] = []
    while True:
        action = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
        name = getattr(args, action.dest, None) if action else None
        if action is None or name is None:
            return " ".join(words)
        words.append(name)
        parser = action.choices[name]


def makes_post(parser: argparse.ArgumentParser, args: argparse.Namespace) -> bool:
    row = COMMANDS.get(command_of(parser, args))
    return bool(row and row.makes_post)


def readme_rows() -> list[str]:
    """The README's table, line by line (tests/test_cli_roles.py checks the README holds it)."""
    head = [
        "| command | " + " | ".join(ROLES) + " | makes a post | note |",
        "|---|" + "---|" * (len(ROLES) + 2),
    ]
    return head + [
        f"| `{name}` | " + " | ".join(row.cells) + f" | {YES if row.makes_post else ''} | {row.note} |"
        for name, row in COMMANDS.items()
    ]


def readme_screen_rows() -> list[str]:
    head = ["| console action | " + " | ".join(ROLES) + " |", "|---|" + "---|" * len(ROLES)]
    return head + [f"| {name} | " + " | ".join(cells) + " |" for name, cells in SCREEN_ACTIONS.items()]
