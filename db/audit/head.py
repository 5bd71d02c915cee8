"""Signed audit heads: the trail's length and last hash, signed with the post's key.

A hash chain shows an entry edited in place, but not a trail edited and then re-hashed from that
entry on: every link matches again. A head written earlier (by a backup or ``audit verify
--write-head``) and signed with the post's Ed25519 key (db/passes/keys.py) pins entry N's hash. A
later check recomputes the chain and compares entry N with the head: a rewritten trail differs
there, and a new head cannot be forged without the private key. Checking needs only the public
half (``pass key --export-public``), so it can run on another laptop.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from db.audit.trail import ChainReport, verify_chain
from db.errors import CmdpostError
from db.passes import keys as pass_keys
from db.private_file import create_private

FORMAT = "cmdpost-audit-head/1"
MAX_HEAD_BYTES = 4096


class AuditHeadError(CmdpostError):
    """A head that cannot be written, read or understood."""


class Head(NamedTuple):
    entries: int
    hash: str
    at: str
    key: str  # the signing key's fingerprint, to tell which post's key to check it with
    signature: str


class HeadCheck(NamedTuple):
    """``problem``: "" (the trail still holds the head), "signature", "shorter" or "rewritten"."""

    head: Head
    chain: ChainReport
    problem: str = ""


def _message(entries: int, head_hash: str, at: str) -> bytes:
    return f"{FORMAT}\n{entries}\n{head_hash}\n{at}\n".encode()


def write_head(
    db_path: str | os.PathLike[str],
    out: str | os.PathLike[str],
    report: ChainReport,
    *,
    now: datetime | None = None,
) -> Head:
    """Sign ``report`` (an intact chain's count and last hash) with the post's key into ``out``, a
    new file. An admin's act once the post has accounts: the head vouches for the whole trail."""
    from db.accounts.operators import require_admin

    require_admin()
    if report.broken_at is not None:
        raise AuditHeadError("audit_head.broken", id=report.broken_at)
    key = pass_keys.signing_key(db_path)
    at = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    signature = base64.b64encode(key.sign(_message(report.entries, report.head, at))).decode()
    head = Head(report.entries, report.head, at, pass_keys.fingerprint(key.public_key()), signature)
    text = json.dumps({"format": FORMAT, **head._asdict()}, indent=1) + "\n"
    out = Path(out).expanduser()
    try:
        create_private(out, text.encode())
    except FileExistsError:
        raise AuditHeadError("audit_head.exists", path=str(out)) from None
    except OSError as exc:
        raise AuditHeadError(
            "audit_head.unwritable", path=str(out), reason=exc.strerror or str(exc)
        ) from None
    return head


def read_head(path: str | os.PathLike[str]) -> Head:
    path = Path(path).expanduser()
    data = pass_keys.read_small_file(path, MAX_HEAD_BYTES, AuditHeadError, "audit_head.file")
    try:
        raw = json.loads(data.decode("utf-8"))
        head = Head(raw["entries"], raw["hash"], raw["at"], raw["key"], raw["signature"])
        valid = (
            raw.get("format") == FORMAT
            and isinstance(head.entries, int)
            and not isinstance(head.entries, bool)
            and head.entries >= 0
            and all(isinstance(v, str) for v in head[1:])
        )
    except (ValueError, TypeError, KeyError, AttributeError):
        valid = False
    if not valid:
        raise AuditHeadError("audit_head.file_bad", path=str(path))
    return head


def check_head(
    head: Head, key: Ed25519PublicKey, database=None, chain: ChainReport | None = None
) -> HeadCheck:
    """Does the trail still hold what ``head`` pins? The chain is walked in full first (``chain``:
    a walk the caller has just made)."""
    from db.models import database_proxy

    database = database or database_proxy
    try:
        key.verify(
            base64.b64decode(head.signature, validate=True), _message(head.entries, head.hash, head.at)
        )
    except (InvalidSignature, binascii.Error, ValueError):
        return HeadCheck(head, ChainReport(0, ""), "signature")
    chain = chain or verify_chain(database)
    if chain.broken_at is not None:
        return HeadCheck(head, chain)  # the chain's own report says where
    if chain.entries < head.entries:
        return HeadCheck(head, chain, "shorter")
    row = database.execute_sql("SELECT hash FROM audit_entry WHERE id = ?", (head.entries,)).fetchone()
    stored = row[0] if row else ""  # a head of an empty trail pins the empty hash
    return HeadCheck(head, chain, "" if stored == head.hash else "rewritten")
