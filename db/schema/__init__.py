"""The schema: its versions and the migrations between them (migrations, v4 … v13).

A released migration is frozen: each keeps its own copy of any value list it needs, so editing
db/vocab.py can never silently change an old schema. Code outside this package imports only what
is here, never a migration module.
"""

from __future__ import annotations

from db.schema.migrations import MIGRATIONS, SCHEMA_VERSION
from db.schema.v13 import GRAMS_FUNCTION, grams, query_token

# The household triggers a bulk write lifts and puts back (db/grids/bulk.py): schema 8's insert
# trigger (schema 13's since), and the delete and update triggers of the kept totals from schema 2.
BULK_LIFTED = ("household_upkeep_ins", "household_total_del", "household_total_upd")

__all__ = ["BULK_LIFTED", "GRAMS_FUNCTION", "MIGRATIONS", "SCHEMA_VERSION", "grams", "query_token"]
