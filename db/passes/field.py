"""What the post gives its checkers in the field, and what comes back from them.

- the revocation bulletin, made from the register (db/passes/bulletin.py has its format);
- the age of a database copy taken to a checkpoint laptop: a copy older than the bulletin age
  answers STALE, never VALID, as an old bulletin does;
- the scans a guard page kept, merged into the scan log (idempotent: each carries its own ref).

The age of a copy is measured from the newest change made **at the post** that it holds: the newest
pass issued or revoked, and the newest entry of the audit trail other than scans, sign-in
bookkeeping and events (those are written at the checkpoint too, so they say nothing about how
recent the copy is). The post's own database, the one with the signing key beside it, is where
revocations are made: it is never stale.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from db.errors import NotPermitted, RuleError
from db.fields import GRID_CODE
from db.models import database_proxy as db
from db.passes import bulletin as pass_bulletin
from db.vocab import PASS_VERDICTS as VERDICTS

MAX_SCANS = 10_000  # a phone's worth; refuse a pasted novel before doing any work on it
_REF = re.compile(r"^[0-9A-Za-z]{1,16}$")


def revoked(now: int) -> dict[str, int]:
    """serial -> highest revoked version, for every serial with a revoked version still inside its days."""
    rows = db.execute_sql(
        "SELECT serial, max(version) FROM pass WHERE revoked_at IS NOT NULL GROUP BY serial"
        " HAVING max(CASE WHEN valid_until > ? THEN 1 ELSE 0 END) = 1",
        (now,),
    ).fetchall()
    return dict(rows)


def make_bulletin(key: Ed25519PrivateKey, now: int) -> str:
    """The bulletin as of now, signed with the post's key."""
    return pass_bulletin.encode(revoked(now), now, key)


def current_bulletin(db_path, now: int, shown: bool = False) -> str | None:
    """The bulletin for a printed sheet, or None when the post has made no pass yet (no key, nothing to revoke).

    Shown on the passes screen (`shown`), a post whose passes were issued but never yet shown or printed
    (the demo's) gets its key made now, as the first pass shown would make it: an admin only."""
    from db.passes import keys as pass_keys

    no_key = not pass_keys.key_path(db_path).exists()
    if no_key and (not shown or db.execute_sql("SELECT 1 FROM pass LIMIT 1").fetchone() is None):
        return None
    try:
        return make_bulletin(pass_keys.signing_key(db_path), now)
    except (pass_keys.PassKeyError, NotPermitted):
        return None  # the key is not this account's to read or make: the sheet goes without, as with no key


def newest_change() -> int | None:
    """When the newest change made at the post that this database holds was made (epoch seconds)."""
    passes = db.execute_sql("SELECT max(issued_at), max(revoked_at) FROM pass").fetchone()
    audit = db.execute_sql(
        "SELECT CAST(strftime('%s', max(at)) AS INTEGER) FROM audit_entry"
        " WHERE op != 'event' AND table_name NOT IN ('pass_scan', 'account')"
    ).fetchone()
    times = [t for t in (*passes, *audit) if t is not None]
    return max(times) if times else None


def copy_stale(now: int, max_age_hours: int) -> bool:
    newest = newest_change()
    return newest is None or now - newest > max_age_hours * pass_bulletin.HOUR


def guard_page_data(now: int) -> tuple[list[tuple[str, str]], list[tuple[str, int, str]]]:
    """What a guard page holds: (code, name) of every grid, and (serial, version, holder's name) in force."""
    grids = db.execute_sql("SELECT code, name FROM grid ORDER BY sort_key").fetchall()
    holders = db.execute_sql(
        "SELECT p.serial, p.version, s.name FROM pass p JOIN staff s ON s.id = p.staff_id"
        " WHERE p.revoked_at IS NULL AND p.valid_until > ?",
        (now,),
    ).fetchall()
    return [tuple(g) for g in grids], [tuple(h) for h in holders]


@dataclass(frozen=True)
class GuardScan:
    ref: str  # the page's id and the scan's number: the same scan read twice is recognised
    scanned_at: int
    place: str
    verdict: str
    serial: str | None
    version: int | None


def parse_scans(text: str) -> tuple[str, list[GuardScan]]:
    """A guard page's export (JSON: page id, guard's name, scans), checked field by field."""
    if not isinstance(text, str) or len(text) > MAX_SCANS * 200:
        raise RuleError("guard_scans.malformed")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise RuleError("guard_scans.malformed") from None
    if not isinstance(data, dict) or data.get("format") != "cmdpost-guard-scans-1":
        raise RuleError("guard_scans.malformed")
    page, guard, scans = data.get("page"), data.get("guard", ""), data.get("scans")
    if not isinstance(page, str) or not _REF.match(page) or not isinstance(guard, str) or len(guard) > 40:
        raise RuleError("guard_scans.malformed")
    if not isinstance(scans, list) or len(scans) > MAX_SCANS:
        raise RuleError("guard_scans.malformed")
    return guard.strip() or page, [_scan(page, number, item) for number, item in enumerate(scans, 1)]


def _scan(page: str, number: int, item: object) -> GuardScan:
    if not isinstance(item, dict):
        raise RuleError("guard_scans.bad_scan", number=number)
    seq, at, place, verdict = item.get("n"), item.get("at"), item.get("grid", ""), item.get("verdict")
    serial, version = item.get("serial"), item.get("version")
    if not (
        isinstance(seq, int)
        and not isinstance(seq, bool)
        and 0 < seq < 10**9
        and isinstance(at, int)
        and not isinstance(at, bool)
        and 0 < at < 2**32
        and isinstance(place, str)
        and (place == "" or GRID_CODE.match(place))
        and verdict in VERDICTS
        and (
            serial is None
            or (
                isinstance(serial, str)
                and len(serial) <= 20
                and re.fullmatch(r"[0-9A-Za-z]{1,8}-[0-9]{4,6}", serial)
            )
        )
        and (
            version is None
            or (isinstance(version, int) and not isinstance(version, bool) and 0 < version < 10**6)
        )
    ):
        raise RuleError("guard_scans.bad_scan", number=number)
    return GuardScan(f"{page}-{seq}", at, place, verdict, serial, version)


def import_scans(text: str) -> tuple[int, int]:
    """Merge a guard page's scans into the scan log: (added, already there). All or nothing."""
    guard, scans = parse_scans(text)
    operator = f"guard:{guard}"[:60]
    added = 0
    with db.atomic():
        for scan in scans:
            pass_id = None
            if scan.serial is not None and scan.version is not None:
                row = db.execute_sql(
                    "SELECT id FROM pass WHERE serial = ? AND version = ?", (scan.serial, scan.version)
                ).fetchone()
                pass_id = row[0] if row else None
            cursor = db.execute_sql(
                "INSERT OR IGNORE INTO pass_scan (scanned_at, place, operator, verdict, serial, version, pass_id,"
                " is_repeat, ref) VALUES (?,?,?,?,?,?,?,0,?)",
                (
                    scan.scanned_at,
                    scan.place,
                    operator,
                    scan.verdict,
                    scan.serial,
                    scan.version,
                    pass_id,
                    scan.ref,
                ),
            )
            added += cursor.rowcount
    return added, len(scans) - added
