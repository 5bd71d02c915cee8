"""Schema 8: a trigram index for the whole-post household search, and bulk writes that keep the
grid totals and that index up to date once per batch instead of once per row.

Plain data, wrapped in a Migration by db/schema/migrations.py (see db/schema/v4.py for why).

``household_fts`` is an FTS5 index over door, phone and head's name with the trigram tokenizer
(SQLite 3.34 or later): any substring of three characters or more is found through the index,
whatever the size of the post. It holds no copy of the text (``content='household'``).

The row triggers that keep ``grid_total`` and the index are the ones a bulk write (db/grids/bulk.py)
lifts for the length of its own transaction: it recounts the totals of the grids it touched with
one GROUP BY, indexes its new rows with one INSERT … SELECT and puts the triggers back before it
commits, so no other connection ever sees the schema without them or a stale total. An insert
fires one trigger that does both jobs: each trigger fired costs about as much as the work in it.
The index keeps no column sizes (``columnsize=0``): it is only ever asked which rows match.
"""

from __future__ import annotations

_ANCESTORS = (
    "SELECT id FROM grid WHERE id = {g} UNION SELECT parent_id FROM grid WHERE id = {g}"
    " UNION SELECT root_id FROM grid WHERE id = {g}"
)


def _bump(grid: str, sign: str, row: str) -> str:
    # The same statement as schema 2's (db/schema/migrations.py), which is frozen there.
    return (
        f"UPDATE grid_total SET households = households {sign} 1,"
        f" residents = residents {sign} {row}.people,"
        f" care_households = care_households {sign} ({row}.care_tags <> '')"
        f" WHERE grid_id IN ({_ANCESTORS.format(g=grid)});"
    )


def _index(row: str) -> str:
    return (
        f"INSERT INTO household_fts (rowid, door, phone, head_name)"
        f" VALUES ({row}.id, {row}.door, {row}.phone, {row}.head_name);"
    )


def _unindex(row: str) -> str:
    return (
        f"INSERT INTO household_fts (household_fts, rowid, door, phone, head_name)"
        f" VALUES ('delete', {row}.id, {row}.door, {row}.phone, {row}.head_name);"
    )


V8 = (
    8,
    "trigram household search index; one insert trigger for totals and index",
    (
        "DROP TRIGGER household_total_ins",
        "CREATE VIRTUAL TABLE household_fts USING fts5(door, phone, head_name, content='household',"
        " content_rowid='id', tokenize='trigram', columnsize=0)",
        f"CREATE TRIGGER household_upkeep_ins AFTER INSERT ON household BEGIN"
        f" {_bump('NEW.grid_id', '+', 'NEW')} {_index('NEW')} END",
        # Deletes and changed text always reach the index, in a bulk write too.
        f"CREATE TRIGGER household_fts_del AFTER DELETE ON household BEGIN {_unindex('OLD')} END",
        f"CREATE TRIGGER household_fts_upd AFTER UPDATE OF door, phone, head_name ON household BEGIN"
        f" {_unindex('OLD')} {_index('NEW')} END",
        "INSERT INTO household_fts (household_fts) VALUES ('rebuild')",
    ),
)
