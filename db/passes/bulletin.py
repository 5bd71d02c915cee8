"""The revocation bulletin: every revoked pass still inside its days, signed, small enough for one QR code.

A checker with only the verify key (a checkpoint laptop, a guard's phone) cannot see the register,
so the post hands it this list on paper (on every shift sheet) and on screen. As text:

    CB1.<base32 of body and signature>

The body is binary: format byte 1, the first 6 bytes of SHA-256 of the post's public key (the
fingerprint ``pass key`` prints), the time it was made (UTC epoch seconds, 4 bytes), then per
top-level grid its code (length byte and ASCII) and its serials: for each, the pass number and
the highest revoked version (LEB128 varints). Every version up to that one is revoked: a version
is only ever followed by another once it has been revoked (a reissue revokes the one before).
The Ed25519 signature covers ``cmdpost-bulletin:`` and the body; the domain keeps a bulletin and a
pass from ever being taken for one another. Base32 keeps it in QR alphanumeric mode and typed
without Shift by a keyboard-wedge scanner, like a pass.

A checker whose newest bulletin is older than the maximum age answers STALE, never VALID.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from db.errors import RuleError
from db.passes.codec import PassFields, normalise

PREFIX = "CB1."
DOMAIN = b"cmdpost-bulletin:"
FORMAT = 1
FINGERPRINT_BYTES = 6
MAX_LENGTH = 4000  # the most a QR code can hold in alphanumeric mode is 4296 characters
HOUR = 3600


@dataclass(frozen=True)
class Bulletin:
    issued_at: int
    fingerprint: str  # as keys.fingerprint prints it (12 hex digits, upper case)
    revoked: dict[str, int] = field(default_factory=dict)  # serial -> highest revoked version

    def revokes(self, fields: PassFields) -> bool:
        return fields.version <= self.revoked.get(fields.serial, 0)

    def stale(self, now: int, max_age_hours: int) -> bool:
        return now - self.issued_at > max_age_hours * HOUR


def key_fingerprint(key: Ed25519PublicKey) -> bytes:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).digest()[:FINGERPRINT_BYTES]


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _read_varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if at >= len(data) or shift > 28:
            raise ValueError("truncated")
        byte = data[at]
        value |= (byte & 0x7F) << shift
        at, shift = at + 1, shift + 7
        if not byte & 0x80:
            return value, at


def encode(revoked: dict[str, int], issued_at: int, key: Ed25519PrivateKey) -> str:
    """The bulletin text for ``revoked`` (serial -> highest revoked version), signed with the post's key."""
    grids: dict[str, list[tuple[int, int]]] = {}
    for serial, version in revoked.items():
        code, number_text = serial.rsplit("-", 1)
        grids.setdefault(code, []).append((int(number_text), version))
    body = bytearray(struct.pack(">B6sI", FORMAT, key_fingerprint(key.public_key()), issued_at))
    body += _varint(len(grids))
    for code in sorted(grids):
        raw = code.encode("ascii")
        body += bytes([len(raw)]) + raw + _varint(len(grids[code]))
        for number, version in sorted(grids[code]):
            body += _varint(number) + _varint(version)
    signature = key.sign(DOMAIN + bytes(body))
    return PREFIX + base64.b32encode(bytes(body) + signature).decode("ascii").rstrip("=")


def looks_like(text: str) -> bool:
    return isinstance(text, str) and normalise(text[:10]).startswith(PREFIX)


def decode(text: str, key: Ed25519PublicKey) -> Bulletin:
    """A bulletin read back and checked; RuleError names what is wrong (damaged, another post's, altered)."""
    if not isinstance(text, str) or len(text) > MAX_LENGTH or not looks_like(text):
        raise RuleError("bulletin.malformed")
    encoded = normalise(text)[len(PREFIX) :]
    try:
        raw = base64.b32decode(encoded + "=" * (-len(encoded) % 8))
    except (binascii.Error, ValueError):
        raise RuleError("bulletin.malformed") from None
    body, signature = raw[:-64], raw[-64:]
    if len(body) < 12 or body[0] != FORMAT:
        raise RuleError("bulletin.malformed")
    _, fingerprint, issued_at = struct.unpack(">B6sI", body[:11])
    if fingerprint != key_fingerprint(key):
        raise RuleError("bulletin.other_post", fingerprint=fingerprint.hex().upper())
    try:
        key.verify(signature, DOMAIN + body)
    except InvalidSignature:
        raise RuleError("bulletin.forged") from None
    try:
        revoked = _entries(body, 11)
    except (ValueError, UnicodeDecodeError, IndexError):
        raise RuleError("bulletin.malformed") from None  # signed, yet unreadable: a bug at the post
    return Bulletin(issued_at, fingerprint.hex().upper(), revoked)


def _entries(body: bytes, at: int) -> dict[str, int]:
    revoked: dict[str, int] = {}
    grids, at = _read_varint(body, at)
    for _ in range(grids):
        size = body[at]
        code = body[at + 1 : at + 1 + size].decode("ascii")
        count, at = _read_varint(body, at + 1 + size)
        for _ in range(count):
            number, at = _read_varint(body, at)
            version, at = _read_varint(body, at)
            revoked[f"{code}-{number:04d}"] = version
    if at != len(body):
        raise ValueError("trailing bytes")
    return revoked
