"""Schema 9: the ledger indexed by run, for what a run still holds.

Plain data, wrapped in a Migration by db/schema/migrations.py (see db/schema/v4.py for why).

A return (退回) checks, inside its write transaction, what went out on the run less what reached
a door and what came back before. Without this index that read the whole ledger: 61 ms at a
million records, with the write lock held.
"""

from __future__ import annotations

V9 = (
    9,
    "the ledger indexed by run and item",
    ("CREATE INDEX handoff_run ON handoff(run_id, item_id) WHERE run_id IS NOT NULL",),
)
