"""The post's pass signing key: a file beside the database, readable by its owner only.

The private key never goes into the database, a backup copy of it or any export: whoever holds
it can make passes. ``export_public`` writes the verify-only half for another laptop, which can
then check passes and cannot make them.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from db.errors import CmdpostError, NotFound
from db.private_file import create_private, refuse_overwriting_post_files

SUFFIX = ".passkey"


class PassKeyError(CmdpostError):
    """A key file that cannot be read, written or understood."""


def key_path(db_path: str | os.PathLike[str]) -> Path:
    return Path(f"{Path(db_path).expanduser()}{SUFFIX}")


# A PEM key is a few hundred bytes; anything far larger is not one, and is not read to its end.
MAX_KEY_BYTES = 64 * 1024


def read_small_file(
    path: Path,
    limit: int = MAX_KEY_BYTES,
    error: type[CmdpostError] | None = None,
    prefix: str = "passes.key",
) -> bytes:
    """The file's bytes (a key; db/audit/head.py reads signed heads so too). Reading never changes the
    file (no mode "fixed", nothing written), and only a regular file is read: a FIFO, a device or a
    folder is refused with one line (``{prefix}_not_file``); past ``limit`` bytes it is not one of
    ours (``{prefix}_bad``). O_NONBLOCK: opening a FIFO with no writer must not hang the check."""
    error = error or PassKeyError
    try:
        handle = os.open(
            path,
            os.O_RDONLY
            | getattr(os, "O_NONBLOCK", 0)
            | getattr(os, "O_NOCTTY", 0)
            | getattr(os, "O_BINARY", 0),
        )
    except OSError as exc:
        raise error(f"{prefix}_unreadable", path=str(path), reason=exc.strerror or str(exc)) from None
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise error(f"{prefix}_not_file", path=str(path))
        with os.fdopen(handle, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise error(f"{prefix}_unreadable", path=str(path), reason=exc.strerror or str(exc)) from None
    finally:
        os.close(handle)
    if len(data) > limit:
        raise error(f"{prefix}_bad", path=str(path))
    return data


def _private(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(read_small_file(path), password=None)
    except (ValueError, TypeError):
        raise PassKeyError("passes.key_bad", path=str(path)) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise PassKeyError("passes.key_bad", path=str(path))
    return key


def _require_admin() -> None:
    """Making or exporting the post's key is an admin's job once the post has accounts."""
    from db.audit.guard import denial
    from db.models import database_proxy

    guard = getattr(database_proxy.obj, "guard", None)
    if guard is not None and guard.closed and guard.role != "admin":
        raise (
            denial(guard)
            if guard.session is None or guard.role == "supervisor"
            else PassKeyError("passes.key_admin_only", name=guard.session.name)
        )


def signing_key(db_path: str | os.PathLike[str]) -> Ed25519PrivateKey:
    """The post's key, created on first use (mode 0600, never replaced once made)."""
    path = key_path(db_path)
    if path.exists():
        return _private(path)
    _require_admin()
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    try:
        create_private(path, pem)
    except FileExistsError:  # two processes made the first pass at once: the other key stands
        return _private(path)
    except OSError as exc:
        raise PassKeyError("passes.key_unwritable", path=str(path), reason=exc.strerror or str(exc)) from None
    return key


def post_verifier(db_path: str | os.PathLike[str]) -> Ed25519PublicKey:
    """The public half of the post's key; never creates one (a new key would fail every pass)."""
    path = key_path(db_path)
    if not path.exists():
        raise NotFound("passes.no_key", path=str(path))
    return _private(path).public_key()


def load_verifier(path: str | os.PathLike[str]) -> Ed25519PublicKey:
    """A verify-only key file as export_public writes it (a private key file also serves)."""
    path = Path(path).expanduser()
    data = read_small_file(path)
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError):
        return _private(path).public_key()
    if not isinstance(key, Ed25519PublicKey):
        raise PassKeyError("passes.key_bad", path=str(path))
    return key


def export_public(db_path: str | os.PathLike[str], out: str | os.PathLike[str]) -> Path:
    """Write the verify-only key to ``out`` (the private key is created first if there is none)."""
    _require_admin()
    out = Path(out).expanduser()
    if out.resolve() == key_path(db_path).resolve():
        raise PassKeyError("passes.key_overwrite", path=str(out))
    refuse_overwriting_post_files(out)  # a typo must not put a PEM over the post's database
    pem = (
        signing_key(db_path)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    try:
        out.write_bytes(pem)
    except OSError as exc:
        raise PassKeyError("passes.key_unwritable", path=str(out), reason=exc.strerror or str(exc)) from None
    return out


def fingerprint(key: Ed25519PublicKey) -> str:
    """A short name for a key, printed on sheets and by ``pass key`` so two keys can be told apart."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:12].upper()
