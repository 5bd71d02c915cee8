"""What a pass's QR code carries: its fields and an Ed25519 signature, as QR alphanumeric text.

    CP2.04CD.3-0042.2.1V.RB3K00.RBQ800.<signature>     issued now
    CP1.3-0042.2.1V.RB3K00.RBQ800.<signature>          printed before format 2, still read

``CP2`` (format 2) and the key id (the first 4 hex digits of the signing key's fingerprint, so a
checker holding the keys of neighbouring posts knows whose pass it is), or ``CP1`` (format 1,
no key id), then the serial (top-level grid code, ``-``, number), then in base 36 the version,
the staff id and the validity (UTC epoch seconds, from and until), then the signature: base32
without padding (103 characters) of the Ed25519 signature of ``cmdpost-pass2:`` (``cmdpost-pass:``
for format 1) and everything before the last dot. About 140 characters: a version 6 QR code
(41×41 modules, 154 characters at level M).

Every character is upper case, a digit or ``-``/``.``, all in the QR alphanumeric set and all typed
without Shift by a keyboard-wedge scanner. A lower-case letter of a grid code is written as ``/``
and its capital, so a payload typed with Caps Lock on (lower case) reads back exactly.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import unicodedata
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PREFIX = "CP2"  # what is issued now
PREFIXES = ("CP1", "CP2")
DOMAIN = b"cmdpost-pass2:"  # signs only pass payloads, whatever else the key might ever sign
DOMAIN_CP1 = b"cmdpost-pass:"
KEY_ID_CHARS = 4
MAX_LENGTH = 300  # refuse a pasted novel before doing any work on it
SIGNATURE_CHARS = 103
_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_NUMBER = r"([0-9A-Z]{1,7})"
_PAYLOAD = re.compile(
    rf"^(?:CP1|CP2\.([0-9A-F]{{{KEY_ID_CHARS}}}))\.((?:[0-9A-Z]|/[A-Z]){{1,8}})-([0-9]{{4,6}})\.([0-9A-Z]{{1,4}})\.{_NUMBER}\.{_NUMBER}\.{_NUMBER}"
    rf"\.([A-Z2-7]{{{SIGNATURE_CHARS}}})$"
)


@dataclass(frozen=True)
class PassFields:
    """What a pass says about itself, all of it covered by the signature."""

    grid_code: str  # the top-level grid; the pass holds in it and its sub-grids
    number: int
    version: int
    staff_id: int
    valid_from: int
    valid_until: int

    @property
    def serial(self) -> str:
        return serial(self.grid_code, self.number)


@dataclass(frozen=True)
class Parsed:
    fields: PassFields
    signed: bytes
    signature: bytes
    key_id: str | None = None  # None: format 1, signed by the post whose key the checker holds


def key_id(key: Ed25519PublicKey) -> str:
    """The first hex digits of the key's fingerprint (db/passes/keys.py fingerprint), as a pass carries them."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:KEY_ID_CHARS].upper()


def looks_like(text: str) -> bool:
    """A scanned pass (of either format), not a name typed in its place; parse() judges the rest."""
    return normalise(text[:4]) in tuple(p + "." for p in PREFIXES)


def serial(grid_code: str, number: int) -> str:
    return f"{grid_code}-{number:04d}"


def _base36(value: int) -> str:
    digits = ""
    while True:
        value, rest = divmod(value, 36)
        digits = _DIGITS[rest] + digits
        if not value:
            return digits


def _code_out(code: str) -> str:
    return "".join(f"/{c.upper()}" if c.islower() else c for c in code)


def _code_in(text: str) -> str:
    return re.sub(r"/([A-Z])", lambda m: m.group(1).lower(), text)


def body(fields: PassFields, key: str | None = None) -> str:
    """What is signed: format 2 with a key id, format 1 without."""
    numbers = (fields.version, fields.staff_id, fields.valid_from, fields.valid_until)
    head = ("CP2", key) if key else ("CP1",)
    return ".".join((*head, f"{_code_out(fields.grid_code)}-{fields.number:04d}", *map(_base36, numbers)))


def payload(fields: PassFields, key: Ed25519PrivateKey) -> str:
    text = body(fields, key_id(key.public_key()))
    signature = key.sign(DOMAIN + text.encode("ascii"))
    return f"{text}.{base64.b32encode(signature).decode('ascii').rstrip('=')}"


def normalise(text: str) -> str:
    """What a scanner or a paste may add or change: spaces, line ends, full-width forms, case."""
    return unicodedata.normalize("NFKC", text).strip().upper()


def parse(text: str) -> Parsed | None:
    """The fields and signature of a payload, or None if it is not a pass payload at all."""
    if not isinstance(text, str) or len(text) > MAX_LENGTH:
        return None
    text = normalise(text)
    match = _PAYLOAD.match(text)
    if not match:
        return None
    kid, code, number, *numbers, signature_text = match.groups()
    try:
        signature = base64.b32decode(signature_text + "=")
    except (binascii.Error, ValueError):
        return None
    version, staff_id, valid_from, valid_until = (int(n, 36) for n in numbers)
    fields = PassFields(_code_in(code), int(number), version, staff_id, valid_from, valid_until)
    if base64.b32encode(signature).decode("ascii").rstrip("=") != signature_text:
        signature = b""  # spare bits set in the last character: altered, so never a valid signature
    domain = DOMAIN if kid else DOMAIN_CP1
    return Parsed(fields, domain + text.rsplit(".", 1)[0].encode("ascii"), signature, kid)


def signature_ok(parsed: Parsed, key: Ed25519PublicKey) -> bool:
    if len(parsed.signature) != 64 or parsed.key_id not in (None, key_id(key)):
        return False
    try:
        key.verify(parsed.signature, parsed.signed)
    except InvalidSignature:
        return False
    return True


def inside(place: str, grid_code: str) -> bool:
    """Whether a place (a grid, sub-grid or unit code) lies in a pass's top-level grid."""
    return place == grid_code or place.startswith(grid_code + "-")
