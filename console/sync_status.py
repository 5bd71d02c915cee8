"""The header's "synced 3 min ago": when ``cmdpost sync`` last reached the county.

The sync writes a stamp beside the database (db/county/sync.py ``record_sync``, db/county/stamp.py); the header asks
for its label every second, so the stamp is read again only when its file changes (one stat).
Nothing is shown on a post that has never synced: most posts never do.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from console.i18n import t
from db.county.stamp import last_sync, stamp_path


class SyncStatus:
    def __init__(self, db_path: Path | None, now: Callable[[], datetime]) -> None:
        self.db_path = db_path
        self.path = stamp_path(db_path) if db_path else None
        self.now = now
        self._seen: float | None = None
        self._at: datetime | None = None

    def label(self) -> str:
        if self.path is None or self.db_path is None:  # both or neither: a post without a file never syncs
            return ""
        try:
            changed = os.stat(self.path).st_mtime
        except OSError:
            return ""
        if changed != self._seen:
            self._seen, self._at = changed, last_sync(self.db_path)
        if self._at is None:
            return ""
        minutes = int((self.now() - self._at).total_seconds() // 60)
        ago = t("county.ago_just_now") if minutes < 1 else t("county.ago_minutes", minutes=minutes)
        return t("county.header_synced", ago=ago)
