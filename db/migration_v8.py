"""Schema 8: a trigram index for the whole-post household search, and bulk writes that keep the
grid totals and that index up to date once per batch instead of once per row.

Plain data, wrapped in a Migration by db/migrations.py (see db/migration_v4.py for why).

``household_fts`` is an FTS5 index over door, phone and head's name with the trigram tokenizer
(SQLite 3.34 or later): any substring of three characters or more is found through the index,
whatever the size of the post. It holds no copy of the text (``content='household'``).

``bulk_write`` is empty except inside a bulk write's own transaction (db/bulk.py): while it holds
its one row, the per-row triggers that keep ``grid_total`` skip their work and new households are
not indexed one by one. The bulk write recounts the totals of the grids it
touched with one GROUP BY and indexes its new rows with one INSERT … SELECT, then empties the
table, all before it commits: another connection never sees the flag or stale totals.
"""

from __future__ import annotations

_ANCESTORS = (
    "SELECT id FROM grid WHERE id = {g} UNION SELECT parent_id FROM grid WHERE id = {g}"
    " UNION SELECT root_id FROM grid WHERE id = {g}"
)
# Per row, outside a bulk write. One trigger does both jobs of an insert: each trigger fired costs
# about as much as the work in it, and inserts are what a bulk write does 150,000 times.
OUTSIDE_BULK = "NOT EXISTS (SELECT 1 FROM bulk_write)"


def _bump(grid: str, sign: str, row: str) -> str:
    # The same statement as schema 2's (db/migrations.py), which is frozen there.
    return (
        f"UPDATE grid_total SET households = households {sign} 1,"
        f" residents = residents {sign} {row}.people,"
        f" care_households = care_households {sign} ({row}.care_tags <> '')"
        f" WHERE grid_id IN ({_ANCESTORS.format(g=grid)});"
    )


def _index(row: str) -> str:
    return (f"INSERT INTO household_fts (rowid, door, phone, head_name)"
            f" VALUES ({row}.id, {row}.door, {row}.phone, {row}.head_name);")


def _unindex(row: str) -> str:
    return (f"INSERT INTO household_fts (household_fts, rowid, door, phone, head_name)"
            f" VALUES ('delete', {row}.id, {row}.door, {row}.phone, {row}.head_name);")


V8 = (
    8,
    "trigram household search index; bulk writes recount grid totals once",
    (
        "CREATE TABLE bulk_write (id INTEGER PRIMARY KEY CHECK (id = 1))",
        "DROP TRIGGER household_total_ins",
        "DROP TRIGGER household_total_del",
        "DROP TRIGGER household_total_upd",
        "CREATE VIRTUAL TABLE household_fts USING fts5(door, phone, head_name, content='household',"
        " content_rowid='id', tokenize='trigram')",
        f"CREATE TRIGGER household_upkeep_ins AFTER INSERT ON household WHEN {OUTSIDE_BULK} BEGIN"
        f" {_bump('NEW.grid_id', '+', 'NEW')} {_index('NEW')} END",
        f"CREATE TRIGGER household_total_del AFTER DELETE ON household WHEN {OUTSIDE_BULK} BEGIN"
        f" {_bump('OLD.grid_id', '-', 'OLD')} END",
        f"CREATE TRIGGER household_total_upd AFTER UPDATE OF grid_id, people, care_tags ON household"
        f" WHEN {OUTSIDE_BULK} BEGIN {_bump('OLD.grid_id', '-', 'OLD')} {_bump('NEW.grid_id', '+', 'NEW')} END",
        # Deletes and changed text always reach the index: a bulk write indexes only the rows it adds.
        f"CREATE TRIGGER household_fts_del AFTER DELETE ON household BEGIN {_unindex('OLD')} END",
        f"CREATE TRIGGER household_fts_upd AFTER UPDATE OF door, phone, head_name ON household BEGIN"
        f" {_unindex('OLD')} {_index('NEW')} END",
        "INSERT INTO household_fts (household_fts) VALUES ('rebuild')",
    ),
)
