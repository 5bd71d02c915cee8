"""Every trigger the post relies on, in one list, checked each time the database opens.

Triggers keep the rules no write function can forget: the audit trail (one per table and
operation), the append-only ledger and trail, the kept totals and stock, and the sign-in
bookkeeping guard. A trigger dropped or replaced outside cmdpost (``sqlite3 post.db "DROP TRIGGER
handoff_no_update"``) would quietly switch a rule off. So at open the live triggers are compared
with the list; a missing or altered one is put back AND the trail records which ones and when
(event ``guard_restored``). ``audit verify`` reports those events and the console shows them to an
admin after sign-in.

The list has three parts, none of which is written out twice:
- the schema's own triggers, as the migrations leave them (replayed once in memory);
- the audit triggers, generated from the live schema (db/audit/trail.py);
- cmdpost's code guards below, which hold for any code on the connection (db/audit/guard.py supplies
  the functions they call).
"""

from __future__ import annotations

import functools
import json
import re

from db.audit.guard import guard_of
from db.safe_text import shown

RESTORED_EVENT = "guard_restored"
ADDED_EVENT = "guard_added"
# post_meta key: the code guards this database has had installed. A code guard missing from a
# database that never had it (a post made before it existed) is added, not reported as removed.
INSTALLED_KEY = "code_guards"
_NOW = "CAST(strftime('%s', 'now') AS INTEGER)"
_NEVER = "9000000000000000000"  # an unset lock never "ran out"; NULL would void the whole check

CODE_GUARDS = {
    # Nobody signed in (or anyone but an admin) may write only the sign-in bookkeeping: a failed
    # count may go up (or restart at 1 once a lock has run out), a lock may be set or lengthened,
    # and only a PIN checked right this moment (db/accounts/operators.py) may reset them. So no code on the
    # connection can lift a lockout with "UPDATE account SET failed_attempts = 0".
    "account_sign_in_only": (
        "CREATE TRIGGER account_sign_in_only BEFORE UPDATE ON account"
        " WHEN cmdpost_may_unlock() = 0 AND cmdpost_pin_proven(OLD.id) = 0 AND NOT COALESCE(("
        " NEW.last_sign_in IS OLD.last_sign_in"
        f" AND (NEW.failed_attempts = OLD.failed_attempts + 1"
        f" OR (NEW.failed_attempts = 1 AND COALESCE(OLD.locked_until, {_NEVER}) <= {_NOW}))"
        " AND (NEW.locked_until IS OLD.locked_until"
        " OR (NEW.locked_until IS NOT NULL AND NEW.locked_until > COALESCE(OLD.locked_until, 0))"
        f" OR (NEW.locked_until IS NULL AND COALESCE(OLD.locked_until, {_NEVER}) <= {_NOW}))), 0)"
        " BEGIN SELECT RAISE(ABORT, 'sign-in bookkeeping: a failed count only goes up; only a right PIN"
        " resets it'); END"
    ),
    # An entry names whoever the connection acts for: code cannot append one "by admin".
    "audit_entry_own_actor": (
        "CREATE TRIGGER audit_entry_own_actor BEFORE INSERT ON audit_entry"
        " WHEN NEW.actor IS NOT cmdpost_actor()"
        " BEGIN SELECT RAISE(ABORT, 'an audit entry names the signed-in person'); END"
    ),
}


_CREATE = re.compile(r"CREATE\s+TRIGGER\s+(\w+)", re.IGNORECASE)
_DROP = re.compile(r"DROP\s+TRIGGER\s+(?:IF\s+EXISTS\s+)?(\w+)", re.IGNORECASE)


@functools.cache
def schema_triggers() -> dict[str, str]:
    """The triggers the migrations leave, by name, with the text SQLite keeps for each. Read from the
    migrations' statements (replaying them in memory cost 36 ms at every start); a test checks this
    against a replay."""
    from db.schema import MIGRATIONS

    found: dict[str, str] = {}
    for migration in MIGRATIONS:
        for statement in migration.statements:
            text = statement.strip()
            if created := _CREATE.match(text):
                found[created.group(1)] = text
            elif dropped := _DROP.match(text):
                found.pop(dropped.group(1), None)
    return found


_UNIQUE = re.compile(r"CREATE\s+UNIQUE\s+INDEX\s+(\w+)", re.IGNORECASE)


@functools.cache
def schema_unique_indexes() -> dict[str, str]:
    """The unique indexes the migrations make, by name: rules too (one live pass per serial, one
    correction per ledger line, no one booked twice on a shift), and as easy to drop with sqlite3."""
    from db.schema import MIGRATIONS

    return {
        found.group(1): statement.strip()
        for migration in MIGRATIONS
        for statement in migration.statements
        if (found := _UNIQUE.match(statement.strip()))
    }


def _restore_indexes(database, names: list[str]) -> list[str]:
    """Make each missing unique index again; return those the data no longer allows (a duplicate
    written while it was gone): the trail names them, for someone to sort out by hand."""
    unrestorable = []
    for name in names:
        try:
            with database.atomic():
                database.execute_sql(schema_unique_indexes()[name])
        except Exception as exc:  # peewee.IntegrityError: the rows now break the rule
            if "UNIQUE" not in str(exc).upper():
                raise
            unrestorable.append(name)
    return unrestorable


def expected(database) -> dict[str, str]:
    """Every guard trigger this database should have, by name, with its SQL."""
    from db.audit import trail as audit

    return {**schema_triggers(), **audit.expected_triggers(database), **CODE_GUARDS}


def ensure(database, *, upgraded: bool = False) -> list[str]:
    """Put back every missing or altered guard trigger, drop every trigger that is not cmdpost's; return
    their names.

    A trigger added outside cmdpost is as dangerous as one removed: "BEFORE INSERT ON audit_entry ...
    RAISE(IGNORE)" silently empties the trail of every later write while the chain still verifies.

    Recorded in the trail unless the schema was just created or upgraded (new tables then need
    their audit triggers: that is cmdpost's own doing, not a removal).
    """
    from db.audit import trail as audit

    generated_all = audit.expected_triggers(database)
    wanted = {**schema_triggers(), **generated_all, **CODE_GUARDS}
    present = dict(
        database.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    )
    missing = sorted(n for n in wanted if n not in present)
    altered = sorted(n for n in wanted if n in present and present[n] != wanted[n])
    foreign = sorted(n for n in present if n not in wanted)
    indexes = {row[0] for row in database.execute_sql("SELECT name FROM sqlite_master WHERE type = 'index'")}
    lost = sorted(n for n in schema_unique_indexes() if n not in indexes)
    if not missing and not altered and not foreign and not lost:
        return []
    installed = _installed(database)
    generated = set(generated_all) if upgraded else set()
    new_code = [n for n in missing if n in CODE_GUARDS and n not in installed]
    removed = [n for n in missing if n not in generated and n not in new_code]
    changed = [n for n in altered if n not in generated]
    with guard_of(database).system(), database.atomic():
        for name in altered + foreign:
            database.execute_sql(f'DROP TRIGGER IF EXISTS "{_quoted(name)}"')
        for name in missing + altered:
            database.execute_sql(wanted[name])
        unrestorable = _restore_indexes(database, lost)
        removed = sorted(removed + [n for n in lost if n not in unrestorable])
        told = not (removed or changed or foreign) and unrestorable == _last_unrestorable(database)
        if (
            removed or changed or foreign or unrestorable
        ) and not told:  # a duplicate is named once, not at every open
            guard_of(database).restored_after = (
                database.execute_sql("SELECT COALESCE(max(id), 0) FROM audit_entry").fetchone()[0] or -1
            )
            details = {
                key: names
                for key, names in (
                    ("missing", removed),
                    ("altered", changed),
                    ("foreign", foreign),
                    ("unrestorable", unrestorable),
                )
                if names
            }
            audit.record_event(RESTORED_EVENT, details, database=database)
        if new_code:
            if not upgraded:
                audit.record_event(ADDED_EVENT, {"added": new_code}, database=database)
            database.execute_sql(
                "INSERT OR REPLACE INTO post_meta(key, value) VALUES (?, ?)",
                (INSTALLED_KEY, json.dumps(sorted(installed | set(new_code)))),
            )
    return missing + altered + foreign + lost


def _quoted(name: str) -> str:
    return name.replace('"', '""')  # a foreign trigger's name is anyone's text


def named(details: dict) -> list[str]:
    """The triggers one guard_restored event names (missing, altered, then added from outside), shown
    literally: a foreign trigger's name may hold any character."""
    return [
        shown(n)
        for key in ("missing", "altered", "foreign", "unrestorable")
        for n in details.get(key, []) or []
    ]


def _last_unrestorable(database) -> list[str]:
    row = database.execute_sql(
        "SELECT after FROM audit_entry WHERE op = 'event' AND table_name = ? ORDER BY id DESC LIMIT 1",
        (RESTORED_EVENT,),
    ).fetchone()
    return _details(row[0] if row else None).get("unrestorable", [])


def _installed(database) -> set[str]:
    row = database.execute_sql("SELECT value FROM post_meta WHERE key = ?", (INSTALLED_KEY,)).fetchone()
    try:
        return set(json.loads(row[0])) if row else set()
    except (ValueError, TypeError):
        return set()


def restorations(database=None, *, after_id: int = 0) -> list[tuple[int, str, dict]]:
    """(entry id, when, details) of each guard_restored event after ``after_id``, oldest first."""
    from db.models import database_proxy

    rows = (
        (database or database_proxy)
        .execute_sql(
            "SELECT id, at, after FROM audit_entry WHERE op = 'event' AND table_name = ? AND id > ? ORDER BY id",
            (RESTORED_EVENT, after_id),
        )
        .fetchall()
    )
    return [(entry_id, at, _details(after)) for entry_id, at, after in rows]


def restorations_since_last_sign_in(name: str) -> list[tuple[int, str, dict]]:
    """What an admin has not been shown: restorations since their previous sign-in (all of them at
    their first). The sign-in just made is the newest sign_in event of theirs, so skip it."""
    from db.models import database_proxy

    row = database_proxy.execute_sql(
        "SELECT id FROM audit_entry WHERE op = 'event' AND table_name = 'sign_in' AND actor = ?"
        " ORDER BY id DESC LIMIT 1 OFFSET 1",
        (name,),
    ).fetchone()
    return restorations(after_id=row[0] if row else 0)


def _details(text: str | None) -> dict:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
