"""Writing a file only its owner can read, made new (never over an existing one) and on disk before
the call returns. For the pass signing key and for backup copies of it."""

from __future__ import annotations

import os
from pathlib import Path


def create_private(path: str | os.PathLike[str], data: bytes) -> Path:
    """Raises FileExistsError if ``path`` exists (O_EXCL: two processes cannot both write it), and
    OSError when it cannot be written."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(handle, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return Path(path)
