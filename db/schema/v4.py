"""Schema version 4: individual delivery passes (单人单证) and the log of every scan.

Plain data, wrapped in a Migration by db/schema/migrations.py: that module imports this
one at its end, so importing it back from here would fail whenever this module
happens to be imported first.
"""

from __future__ import annotations

VERDICTS = ("MALFORMED", "FORGED", "UNKNOWN", "REVOKED", "NOT_YET_VALID", "EXPIRED", "CROSS_GRID", "VALID")

V4 = (
    4,
    "individual delivery passes bound to one grid, and every scan of them",
    (
        # One row per version: a reissue adds a row with the same serial and a
        # higher version and revokes the row before it, so an old printed pass
        # keeps failing as REVOKED. Times are UTC epoch seconds.
        """CREATE TABLE pass (
            id INTEGER PRIMARY KEY,
            grid_id INTEGER NOT NULL REFERENCES grid(id),
            number INTEGER NOT NULL CHECK (number >= 1),
            serial TEXT NOT NULL,
            version INTEGER NOT NULL CHECK (version >= 1),
            staff_id INTEGER NOT NULL REFERENCES staff(id),
            valid_from INTEGER NOT NULL,
            valid_until INTEGER NOT NULL,
            issued_at INTEGER NOT NULL,
            issued_by TEXT NOT NULL,
            revoked_at INTEGER,
            revoked_by TEXT,
            revoke_reason TEXT NOT NULL DEFAULT '',
            superseded INTEGER NOT NULL DEFAULT 0,
            CHECK (valid_until > valid_from))""",
        "CREATE UNIQUE INDEX pass_serial_version ON pass(serial, version)",
        "CREATE UNIQUE INDEX pass_number ON pass(grid_id, number, version)",
        # At most one version of a serial is unrevoked at any time.
        "CREATE UNIQUE INDEX pass_live_serial ON pass(serial) WHERE revoked_at IS NULL",
        "CREATE INDEX pass_staff ON pass(staff_id) WHERE revoked_at IS NULL",
        f"""CREATE TABLE pass_scan (
            id INTEGER PRIMARY KEY,
            scanned_at INTEGER NOT NULL,
            place TEXT NOT NULL DEFAULT '',
            operator TEXT NOT NULL,
            verdict TEXT NOT NULL CHECK (verdict IN ({",".join(repr(v) for v in VERDICTS)})),
            serial TEXT,
            version INTEGER,
            pass_id INTEGER REFERENCES pass(id),
            is_repeat INTEGER NOT NULL DEFAULT 0)""",
        "CREATE INDEX pass_scan_time ON pass_scan(scanned_at)",
        "CREATE INDEX pass_scan_serial ON pass_scan(serial, version, scanned_at)",
    ),
)
