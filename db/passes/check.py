"""Checking a scanned pass, and the log of every scan.

The verdicts come in a fixed order, the first that applies wins:

    MALFORMED      not a pass payload at all
    FORGED         the signature does not match (a bad key, or any field altered)
    UNKNOWN        signed, but not in this post's register (only when the register is at hand)
    REVOKED        revoked, or replaced by a newer version
    NOT_YET_VALID  before its first day
    EXPIRED        after its last day
    CROSS_GRID     checked at a place outside its grid (a sub-grid of its grid is inside)
    STALE          it would be VALID, but the checker's list of revocations is too old to say so
    VALID

A laptop with only the verify-only key and no database still gets every verdict but UNKNOWN;
with a revocation bulletin (db/passes/bulletin.py) it gets REVOKED too, and STALE once the bulletin
is older than the maximum age. A database copy that old answers STALE as well (db/passes/field.py).
With the database at hand every scan is recorded, failures included, and a scan of the same pass
within REPEAT_SECONDS of another is flagged as a repeat.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from db.errors import NotFound, RuleError
from db.fields import GRID_CODE
from db.models import database_proxy as db
from db.passes import codec as pass_codec
from db.passes import issuing as passes
from db.passes.bulletin import Bulletin
from db.passes.codec import PassFields
from db.passes.issuing import PassRow

REPEAT_SECONDS = 120


@dataclass(frozen=True)
class Verdict:
    verdict: str
    fields: PassFields | None  # what the payload says (trusted only from FORGED on down the list)
    row: PassRow | None  # the register's record, when the register is at hand and knows the pass
    place: str
    scanned_at: int
    repeat: bool = False

    @property
    def valid(self) -> bool:
        return self.verdict == "VALID"

    @property
    def trusted_fields(self) -> PassFields | None:
        """The payload's fields when they may be shown as the pass's own: a forged payload's fields
        are claims, not facts, so only the verdict is shown for it."""
        return None if self.verdict == "FORGED" else self.fields


@dataclass(frozen=True)
class ScanRow:
    scanned_at: int
    place: str
    operator: str
    verdict: str
    serial: str
    version: int | None
    name: str
    repeat: bool


def judge(
    text: str, key: Ed25519PublicKey, *, now: int, place: str | None, register: bool
) -> tuple[str, PassFields | None, PassRow | None]:
    """The verdict alone, recording nothing; reads the register when ``register`` is set."""
    parsed = pass_codec.parse(text)
    if parsed is None:
        return "MALFORMED", None, None
    fields = parsed.fields
    if not pass_codec.signature_ok(parsed, key):
        return "FORGED", fields, None
    row = None
    if register:
        row = passes.find(fields.serial, fields.version, now)
        if row is None or row.fields != fields:
            return "UNKNOWN", fields, None
        if row.revoked_at is not None:
            return "REVOKED", fields, row
    if now < fields.valid_from:
        return "NOT_YET_VALID", fields, row
    if now >= fields.valid_until:
        return "EXPIRED", fields, row
    if place and not pass_codec.inside(place, fields.grid_code):
        return "CROSS_GRID", fields, row
    return "VALID", fields, row


def check_place(place: str | None, register: bool) -> str:
    """A place must be a grid code, and with the register at hand one that exists."""
    place = (place or "").strip()
    if not place:
        return ""
    if not GRID_CODE.match(place):
        raise RuleError("field.bad_grid_code", value=place)
    if register and not db.execute_sql("SELECT 1 FROM grid WHERE code = ?", (place,)).fetchone():
        raise NotFound("passes.no_place", code=place)
    return place


_REVOCABLE = ("NOT_YET_VALID", "EXPIRED", "CROSS_GRID", "VALID")  # the verdicts REVOKED comes before


def verify_offline(
    text: str,
    key: Ed25519PublicKey,
    *,
    now: int,
    place: str | None = None,
    bulletin: Bulletin | None = None,
    max_age_hours: int = 12,
) -> Verdict:
    """For a laptop with only the verify-only key (and perhaps a bulletin): no register, nothing recorded."""
    place = check_place(place, register=False)
    verdict, fields, _ = judge(text, key, now=now, place=place, register=False)
    if bulletin is not None and fields is not None and verdict in _REVOCABLE and bulletin.revokes(fields):
        verdict = "REVOKED"
    if verdict == "VALID" and bulletin is not None and bulletin.stale(now, max_age_hours):
        verdict = "STALE"
    return Verdict(verdict, fields, None, place, now)


def scan(
    text: str,
    key: Ed25519PublicKey,
    *,
    now: int,
    place: str | None,
    operator: str,
    record: bool = True,
    stale: bool = False,
) -> Verdict:
    """Check a payload against the register and record the scan (unless ``record`` is off: read-only).

    ``stale``: the register is a copy older than the bulletin age, so VALID becomes STALE.
    """
    with db.atomic():
        place = check_place(place, register=True)
        verdict, fields, row = judge(text, key, now=now, place=place, register=True)
        if stale and verdict == "VALID":
            verdict = "STALE"
        serial, version = (fields.serial, fields.version) if fields else (None, None)
        repeat = (
            fields is not None
            and db.execute_sql(
                "SELECT 1 FROM pass_scan WHERE serial = ? AND version = ? AND scanned_at > ? LIMIT 1",
                (serial, version, now - REPEAT_SECONDS),
            ).fetchone()
            is not None
        )
        if record:
            db.execute_sql(
                "INSERT INTO pass_scan (scanned_at, place, operator, verdict, serial, version, pass_id,"
                " is_repeat) VALUES (?,?,?,?,?,?,?,?)",
                (now, place, operator, verdict, serial, version, row and row.id, int(repeat)),
            )
    return Verdict(verdict, fields, row, place, now, repeat)


def recent_scans(limit: int = 20, place: str | None = None) -> list[ScanRow]:
    where, params = ("WHERE c.place = ?", (place,)) if place else ("", ())
    rows = db.execute_sql(
        "SELECT c.scanned_at, c.place, c.operator, c.verdict, coalesce(c.serial, ''), c.version,"
        " coalesce(s.name, ''), c.is_repeat FROM pass_scan c LEFT JOIN pass p ON p.id = c.pass_id"
        f" LEFT JOIN staff s ON s.id = p.staff_id {where} ORDER BY c.id DESC LIMIT ?",
        (*params, limit),
    ).fetchall()
    # one starred tuple: mypy cannot count a starred row followed by more arguments
    return [ScanRow(*(*row[:7], bool(row[7]))) for row in rows]
