"""Schema 7: operator accounts and the audit trail.

Plain data, wrapped in a Migration by db/schema/migrations.py (see db/schema/v4.py for why).

``account`` holds a slow salted hash of each PIN (scrypt), never the PIN. ``audit_entry`` is the
post's memory of every change: the row triggers that fill it are generated from the live schema by
db/audit/trail.py, so a table added later is covered without editing this frozen file. The trail is
append-only in the database itself, and each entry carries a SHA-256 chained to the one before.
"""

from __future__ import annotations

ACCOUNT_ROLES = ("admin", "operator", "supervisor")


def _in(values: tuple[str, ...]) -> str:
    return "(" + ",".join(f"'{v}'" for v in values) + ")"


V7 = (
    7,
    "operator accounts, sign-in lockout, and the hash-chained audit trail",
    (
        f"""CREATE TABLE account (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 40),
            full_name TEXT NOT NULL DEFAULT '',
            role TEXT NOT NULL CHECK (role IN {_in(ACCOUNT_ROLES)}),
            secret_hash TEXT NOT NULL,
            disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
            failed_attempts INTEGER NOT NULL DEFAULT 0,
            locked_until INTEGER,
            last_sign_in INTEGER,
            created_at INTEGER NOT NULL,
            created_by TEXT NOT NULL)""",
        """CREATE TABLE audit_entry (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete', 'event')),
            table_name TEXT NOT NULL,
            row_id INTEGER,
            grid_id INTEGER,
            before TEXT,
            after TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL)""",
        "CREATE INDEX audit_entry_actor ON audit_entry(actor, id)",
        "CREATE INDEX audit_entry_grid ON audit_entry(grid_id, id)",
        "CREATE INDEX audit_entry_table ON audit_entry(table_name, id)",
        """CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
           BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END""",
        """CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
           BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END""",
    ),
)
