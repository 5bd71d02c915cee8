"""Schema 12: scans checked in the field (STALE, and scans brought home from a guard's phone).

Plain data, wrapped in a Migration by db/schema/migrations.py (see db/schema/v4.py for why).

A checker whose revocation bulletin is too old answers STALE, and a guard page's scans come home
with their own verdicts, so the scan log accepts STALE. ``ref`` names a scan made elsewhere (the
guard page's id and the scan's number): unique, so reading the same scans twice adds nothing.
SQLite cannot change a CHECK in place, so the table is rebuilt; its audit triggers are made again
when the database is next opened (db/audit/trail.py ensure_triggers). The county outbox's
triggers on the table (schema 11) go with the old table, so they are made again here.
"""

from __future__ import annotations

VERDICTS = (
    "MALFORMED",
    "FORGED",
    "UNKNOWN",
    "REVOKED",
    "NOT_YET_VALID",
    "EXPIRED",
    "CROSS_GRID",
    "STALE",
    "VALID",
)
# Schema 11's outbox triggers for pass_scan, frozen here as that migration wrote them.
_OUTBOX_LINE = "INSERT INTO sync_outbox (table_name, row_id, op) VALUES ('pass_scan', {row}.rowid, '{op}');"
_OUTBOX_TRIGGERS = tuple(
    f'CREATE TRIGGER outbox_pass_scan_{op} AFTER {op.upper()} ON "pass_scan" BEGIN '
    + _OUTBOX_LINE.format(row="OLD" if op == "delete" else "NEW", op="delete" if op == "delete" else "upsert")
    + " END"
    for op in ("insert", "update", "delete")
)
_COLUMNS = "id, scanned_at, place, operator, verdict, serial, version, pass_id, is_repeat"

V12 = (
    12,
    "scans checked in the field: STALE, and scans brought home from a guard page",
    (
        # The old table is renamed first, so the new one is created under its own name (a backup's
        # check reads the CREATE TABLE statements of the migrations for the tables a file must hold).
        "ALTER TABLE pass_scan RENAME TO pass_scan_v9",
        f"""CREATE TABLE pass_scan (
            id INTEGER PRIMARY KEY,
            scanned_at INTEGER NOT NULL,
            place TEXT NOT NULL DEFAULT '',
            operator TEXT NOT NULL,
            verdict TEXT NOT NULL CHECK (verdict IN ({",".join(repr(v) for v in VERDICTS)})),
            serial TEXT,
            version INTEGER,
            pass_id INTEGER REFERENCES pass(id),
            is_repeat INTEGER NOT NULL DEFAULT 0,
            ref TEXT)""",
        f"INSERT INTO pass_scan ({_COLUMNS}) SELECT {_COLUMNS} FROM pass_scan_v9",
        "DROP TABLE pass_scan_v9",
        "CREATE INDEX pass_scan_time ON pass_scan(scanned_at)",
        "CREATE INDEX pass_scan_serial ON pass_scan(serial, version, scanned_at)",
        "CREATE UNIQUE INDEX pass_scan_ref ON pass_scan(ref) WHERE ref IS NOT NULL",
        *_OUTBOX_TRIGGERS,
    ),
)
