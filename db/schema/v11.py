"""Schema 11: the outbox a county sync reads (db/county/), filled by triggers.

Plain data, wrapped in a Migration by db/schema/migrations.py (see db/schema/v4.py for why).

Every insert, update and delete of a post's own records adds one line to ``sync_outbox`` in the
same transaction as the change, so a change and its outbox line commit together or not at all.
A line holds only which row changed (table, rowid) and whether it still exists: the sync reads the
row as it is when it sends, so a household changed ten times is read, not copied, ten times, and
the triggers cost one short insert. ``seq`` is AUTOINCREMENT: a rolled-back change takes its
number back, so the numbers the county receives have no holes.

Left out: the derived tables (kept totals and stock, rebuilt from the rows they follow), the
search index, and ``account`` (its PIN hashes never leave the post; the audit trail records
account changes with the hash cut short). The table list is frozen here: a later migration that
adds a table adds its outbox triggers too (tests/test_county_cli.py checks that none is missed).

The migration puts every row already in the post into the outbox, so a post's first sync sends
all it holds, whatever version it was made at.
"""

from __future__ import annotations

SYNCED_TABLES = (
    "post_meta",
    "grid",
    "zone_change",
    "team",
    "staff",
    "household",
    "duty_post",
    "shift",
    "assignment",
    "availability",
    "audit_entry",
    "test_round",
    "test_record",
    "callback",
    "care_checkin",
    "unit_report",
    "pass",
    "pass_scan",
    "supply_item",
    "supply_order",
    "supply_order_line",
    "supply_run",
    "handoff",
)


def _triggers(table: str) -> tuple[str, ...]:
    line = "INSERT INTO sync_outbox (table_name, row_id, op) VALUES ('{t}', {row}.rowid, '{op}');"
    return tuple(
        f'CREATE TRIGGER outbox_{table}_{op} AFTER {op.upper()} ON "{table}" BEGIN '
        + line.format(
            t=table, row="OLD" if op == "delete" else "NEW", op="delete" if op == "delete" else "upsert"
        )
        + " END"
        for op in ("insert", "update", "delete")
    )


V11 = (
    11,
    "an outbox of every change, for the county sync",
    (
        """CREATE TABLE sync_outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            table_name TEXT NOT NULL,
            row_id INTEGER NOT NULL,
            op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')))""",
        # The post's name at the county: random, made once, never changed.
        "INSERT OR IGNORE INTO post_meta (key, value) VALUES ('post_uid', lower(hex(randomblob(16))))",
        *(statement for table in SYNCED_TABLES for statement in _triggers(table)),
        # Rows already here: post_meta first (the uid), the audit trail in its own order.
        *(
            f"INSERT INTO sync_outbox (table_name, row_id, op) SELECT '{table}', rowid, 'upsert'"
            f' FROM "{table}" ORDER BY rowid'
            for table in SYNCED_TABLES
        ),
    ),
)
