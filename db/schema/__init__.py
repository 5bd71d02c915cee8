"""The schema: its versions and the migrations between them (migrations, v4 … v11).

A released migration is frozen: each keeps its own copy of any value list it needs, so editing
db/vocab.py can never silently change an old schema. Code outside this package imports only what
is here, never a migration module.
"""

from __future__ import annotations

from db.schema.migrations import MIGRATIONS, SCHEMA_VERSION

# The household triggers a bulk write lifts and puts back (db/grids/bulk.py): schema 8's insert
# trigger, and the delete and update triggers of the kept totals from schema 2.
BULK_LIFTED = ("household_upkeep_ins", "household_total_del", "household_total_upd")

__all__ = ["BULK_LIFTED", "MIGRATIONS", "SCHEMA_VERSION"]
