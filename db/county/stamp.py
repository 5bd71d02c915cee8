"""When this post last synced with the county: a stamp beside the database, written by the sync
(db/county/sync.py) and read by the console's header every second. Its own module, so that the
header does not import the sync (and its outbox) into every start of the console."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path


def stamp_path(db_path: str | Path) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".synced")


def last_sync(db_path: str | Path) -> datetime | None:
    """When this post last synced, or None: never synced, or the stamp cannot be read."""
    try:
        stamp = json.loads(stamp_path(db_path).read_text(encoding="utf-8"))
        at = datetime.fromisoformat(stamp["at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return at if at.tzinfo else None
