"""Bulk writes of households: kept totals and the search index brought up to date once per batch.

The row triggers of schema 2, 8 and 13 keep ``grid_total`` and the search indexes in step with
every household written: right for one change, but for a 150,000-row import they made each insert
update three totals rows and the index, seven times the cost of the insert itself. Inside
``deferred_upkeep()`` those triggers are lifted (dropped, and created again from their own stored
text on the way out); the totals of every grid under the touched top-level grids are recounted
with one GROUP BY and the new rows are indexed with one INSERT … SELECT per index. SQLite changes
its schema inside a transaction like any row: the lifted triggers, the rows, the recount and the index all
commit together or not at all, and no other connection ever sees the triggers missing (readers
see the schema as of their own snapshot; writers wait for the lock).

An insert trigger that does nothing still costs a third of a plain insert, so while the audit
trail records inserts as one summary entry (db/audit/trail.py ``inserts_summarised``), its household
insert trigger is lifted too. So is the county outbox's (schema 11): the new rows go into the
outbox with one INSERT … SELECT before the commit, in id order, so a sync still sees every one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from db.audit.guard import guard_of
from db.models import database_proxy as db
from db.schema import BULK_LIFTED, GRAMS_FUNCTION

# Below this many rows the per-row triggers are cheaper than recounting whole top-level grids.
BULK_ROWS = 500

_ANCESTRY = (
    "SELECT id AS grid_id, id AS total_id FROM grid WHERE root_id IN (SELECT value FROM json_each(?1))"
    " UNION SELECT id, parent_id FROM grid WHERE parent_id IS NOT NULL"
    " AND root_id IN (SELECT value FROM json_each(?1))"
    " UNION SELECT id, root_id FROM grid WHERE root_id IN (SELECT value FROM json_each(?1))"
)


def recount_totals(root_ids: set[int] | list[int]) -> None:
    """Household totals of every grid, sub-grid and unit under ``root_ids``, counted afresh."""
    roots = json.dumps(sorted(root_ids))
    db.execute_sql(
        "UPDATE grid_total SET households = 0, residents = 0, care_households = 0"
        " WHERE grid_id IN (SELECT id FROM grid WHERE root_id IN (SELECT value FROM json_each(?1)))",
        (roots,),
    )
    db.execute_sql(
        f"WITH leaf AS (SELECT grid_id, count(*) AS n, sum(people) AS p, sum(care_tags <> '') AS c"
        f" FROM household WHERE root_id IN (SELECT value FROM json_each(?1)) GROUP BY grid_id),"
        f" ancestry AS ({_ANCESTRY}),"
        f" summed AS (SELECT a.total_id AS id, sum(leaf.n) AS n, sum(leaf.p) AS p, sum(leaf.c) AS c"
        f" FROM leaf JOIN ancestry a ON a.grid_id = leaf.grid_id GROUP BY a.total_id)"
        f" UPDATE grid_total SET households = summed.n, residents = summed.p, care_households = summed.c"
        f" FROM summed WHERE grid_total.grid_id = summed.id",
        (roots,),
    )


def _lifted(audit_inserts: bool) -> list[tuple[str, str]]:
    names = (
        list(BULK_LIFTED)
        + ["outbox_household_insert"]
        + ([] if audit_inserts else ["audit_household_insert"])
    )
    marks = ",".join("?" * len(names))
    return db.execute_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'household'"
        f" AND name IN ({marks})",
        names,
    ).fetchall()


@contextmanager
def deferred_upkeep() -> Iterator[set[int]]:
    """Write many households with totals and the search index kept once, at the end.

    Must run inside a transaction (``db.atomic()``). The caller adds the root id of every
    household it inserts, updates or deletes to the yielded set.
    """
    if not db.in_transaction():
        raise RuntimeError("deferred_upkeep() needs the caller's transaction")
    guard = guard_of(db)
    roots: set[int] = set()
    last_id = db.execute_sql("SELECT coalesce(max(id), 0) FROM household").fetchone()[0]
    lifted = _lifted(bool(guard.audit_enabled("insert")))
    with guard.system():  # cmdpost itself changes the schema here, not the person at the keyboard
        for name, _ in lifted:
            db.execute_sql(f"DROP TRIGGER {name}")
    try:
        yield roots
    finally:
        # On an error the caller's transaction rolls the drop back with everything else; putting the
        # triggers back here as well keeps a caller that catches the error and commits from losing them.
        with guard.system():
            for _, sql in lifted:
                db.execute_sql(sql)
    if roots:
        recount_totals(roots)
    db.execute_sql(
        "INSERT INTO household_fts (rowid, door, phone, head_name)"
        " SELECT id, door, phone, head_name FROM household WHERE id > ?",
        (last_id,),
    )
    db.execute_sql(
        f"INSERT INTO household_grams_fts (rowid, grams)"
        f" SELECT id, {GRAMS_FUNCTION}(door, phone, head_name) FROM household WHERE id > ?",
        (last_id,),
    )
    if any(name == "outbox_household_insert" for name, _ in lifted):
        db.execute_sql(
            "INSERT INTO sync_outbox (table_name, row_id, op)"
            " SELECT 'household', id, 'upsert' FROM household WHERE id > ? ORDER BY id",
            (last_id,),
        )
