"""Schema 10: availability volunteers offer by sign-up chain (接龙报名), which the roster plan prefers.

Plain data, wrapped in a Migration by db/schema/migrations.py (see db/schema/v4.py for why).
"""

from __future__ import annotations

V10 = (
    10,
    "availability offered by sign-up chain",
    (
        # slot_hour: the start hour of the configured shift offered, at the post (0-23); kind: the kind
        # of post asked for, or '' for any. Nothing is deleted: a withdrawn offer keeps who withdrew it.
        """CREATE TABLE availability (
            id INTEGER PRIMARY KEY,
            staff_id INTEGER NOT NULL REFERENCES staff(id),
            day TEXT NOT NULL,
            slot_hour INTEGER NOT NULL CHECK (slot_hour BETWEEN 0 AND 23),
            kind TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            removed_at TEXT,
            removed_by TEXT)""",
        "CREATE UNIQUE INDEX availability_live ON availability(staff_id, day, slot_hour, kind)"
        " WHERE removed_at IS NULL",
        "CREATE INDEX availability_day ON availability(day) WHERE removed_at IS NULL",
    ),
)
