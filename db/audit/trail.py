"""The audit trail: who changed what, when, before and after, in a hash chain.

Row triggers on every table write the entries, so no write function can forget to. They are
generated from the live schema when a database is opened, which keeps tables added by later
migrations covered. Derived tables (kept totals and stock, which triggers of their own maintain)
are left out: their changes follow from audited rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

from db.audit.guard import chain_hash, guard_of
from db.models import database_proxy as db
from db.paging import nearer_end

# sync_outbox (schema 11) only says which rows changed, and its lines follow from audited changes.
DERIVED_TABLES = frozenset({"grid_total", "round_total", "supply_stock", "audit_entry", "sync_outbox"})
HIDDEN_COLUMNS = {"secret_hash": "substr({row}.secret_hash, -8)"}
# How each table's row names its grid, so the trail can be filtered by grid.
GRID_OF = {
    "grid": "{row}.id",
    "staff": "{row}.home_grid_id",
    "shift": "(SELECT grid_id FROM duty_post WHERE id = {row}.post_id)",
    "assignment": "(SELECT p.grid_id FROM shift s JOIN duty_post p ON p.id = s.post_id WHERE s.id = {row}.shift_id)",
    "test_record": "(SELECT grid_id FROM household WHERE id = {row}.household_id)",
    "callback": "(SELECT grid_id FROM household WHERE id = {row}.household_id)",
    "care_checkin": "(SELECT grid_id FROM household WHERE id = {row}.household_id)",
    "supply_order_line": "(SELECT root_id FROM supply_order WHERE id = {row}.order_id)",
}
NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
PREV = "COALESCE((SELECT hash FROM audit_entry ORDER BY id DESC LIMIT 1), '')"
COLUMNS = "at, actor, op, table_name, row_id, grid_id, before, after, prev_hash, hash"


class AuditRow(NamedTuple):
    id: int
    at: str
    actor: str
    op: str
    table_name: str
    row_id: int | None
    grid_id: int | None
    before: dict | None
    after: dict | None


class ChainReport(NamedTuple):
    entries: int
    head: str
    broken_at: int | None = None
    problem: str = ""


class AuditFilter(NamedTuple):
    actor: str | None = None
    grid_id: int | None = None
    table: str | None = None


def _entry_sql(op: str, table: str, row_id: str, grid: str, before: str, after: str) -> str:
    return (
        f"INSERT INTO audit_entry({COLUMNS}) SELECT at, actor, '{op}', '{table}', rid, gid, b, a, prev, "
        f"cmdpost_chain(prev, at, actor, '{op}', '{table}', rid, gid, b, a) FROM (SELECT {NOW} AS at, "
        f"cmdpost_actor() AS actor, {row_id} AS rid, {grid} AS gid, {before} AS b, {after} AS a, "
        f"{PREV} AS prev)"
    )


def _json(columns: list[str], row: str) -> str:
    pairs = ", ".join(
        f"'{c}', " + HIDDEN_COLUMNS.get(c, "{row}." + f'"{c}"').format(row=row) for c in columns
    )
    return f"json_object({pairs})"


def trigger_statements(table: str, columns: list[str], has_rowid: bool, has_grid: bool) -> dict[str, str]:
    """The three audit triggers of one table, by name."""
    grid = GRID_OF.get(table, "{row}.grid_id" if has_grid else "NULL")
    out = {}
    for op, row in (("insert", "NEW"), ("update", "NEW"), ("delete", "OLD")):
        when = f"cmdpost_audit('{op}')"
        if op == "update":
            when += " AND (" + " OR ".join(f'OLD."{c}" IS NOT NEW."{c}"' for c in columns) + ")"
        before = "NULL" if op == "insert" else _json(columns, "OLD")
        after = "NULL" if op == "delete" else _json(columns, "NEW")
        row_id = f"{row}.rowid" if has_rowid else "NULL"
        body = _entry_sql(op, table, row_id, grid.format(row=row), before, after)
        name = f"audit_{table}_{op}"
        out[name] = f'CREATE TRIGGER {name} AFTER {op.upper()} ON "{table}" WHEN {when} BEGIN {body}; END'
    return out


def expected_triggers(database) -> dict[str, str]:
    wanted: dict[str, str] = {}
    tables = database.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    virtual = {name for name, sql in tables if "VIRTUAL TABLE" in (sql or "").upper()}
    for name, sql in tables:
        # A virtual table's storage (an FTS index's "shadow" tables, named as SQLite names them: the virtual
        # table's name, "_", a part) is written by SQLite inside the virtual table's own write, and an
        # audit trigger there crashes the process (a segfault) at the first write.
        if name in DERIVED_TABLES or name in virtual or name.rpartition("_")[0] in virtual:
            continue
        columns = [r[1] for r in database.execute_sql(f'PRAGMA table_info("{name}")').fetchall()]
        has_rowid = "WITHOUT ROWID" not in (sql or "").upper()
        wanted.update(trigger_statements(name, columns, has_rowid, "grid_id" in columns))
    return wanted


def ensure_triggers(database) -> int:
    """Every guard trigger in place: db/audit/guard_triggers.py keeps the list and records removals."""
    from db.audit import guard_triggers

    return len(guard_triggers.ensure(database))


def record_event(kind: str, details: dict, *, grid_id: int | None = None, database=None) -> None:
    """An entry for something that is not a row change: a sign-in, an import, a backup."""
    after = json.dumps(details, ensure_ascii=False, sort_keys=True)
    (database or db).execute_sql(
        _entry_sql("event", kind.replace("'", ""), "NULL", "?", "NULL", "?"), (grid_id, after)
    )


@contextmanager
def inserts_summarised(kind: str, details: dict, ops: tuple[str, ...] = ("insert",)) -> Iterator[dict]:
    """Bulk writes (an import) record one event instead of a row per insert.

    Updates and deletes inside are still recorded row by row (unless ``ops`` names them too, as the
    demo build does), so a re-import that changes a household keeps its before and after. The
    caller may add figures to the yielded dict; the event is written only if the block succeeds.
    """
    guard = guard_of(db)
    saved = dict(guard.row_audit)
    guard.row_audit.update({op: False for op in ops})
    try:
        yield details
    finally:
        guard.row_audit.update(saved)
    record_event(kind, details)


def verify_chain(database=None, *, batch: int = 5000, progress=None) -> ChainReport:
    """Walk the trail from the first entry; report the first entry whose link or content is wrong.

    ``progress(checked, total)`` is called after each batch: a million entries take seconds.
    """
    database = database or db
    prev, count, last_id = "", 0, 0
    total = database.execute_sql("SELECT count(*) FROM audit_entry").fetchone()[0] if progress else 0
    while True:
        if progress and count:
            progress(count, total)
        rows = database.execute_sql(
            f"SELECT id, {COLUMNS} FROM audit_entry WHERE id > ? ORDER BY id LIMIT ?", (last_id, batch)
        ).fetchall()
        if not rows:
            return ChainReport(count, prev)
        for entry_id, at, actor, op, table, row_id, grid_id, before, after, prev_hash, stored in rows:
            if entry_id != last_id + 1:
                return ChainReport(count, prev, last_id + 1, "missing")
            if prev_hash != prev:
                return ChainReport(count, prev, entry_id, "link")
            if chain_hash(prev, at, actor, op, table, row_id, grid_id, before, after) != stored:
                return ChainReport(count, prev, entry_id, "altered")
            prev, count, last_id = stored, count + 1, entry_id


def _where(filters: AuditFilter) -> tuple[str, list]:
    clauses: list[str] = []
    params: list[int | str] = []
    if filters.actor:
        clauses.append("actor = ?")
        params.append(filters.actor)
    if filters.grid_id is not None:
        clauses.append("grid_id IN (SELECT id FROM grid WHERE id = ? OR root_id = ?)")
        params += [filters.grid_id, filters.grid_id]
    if filters.table:
        clauses.append("table_name = ?")
        params.append(filters.table)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def count_entries(filters: AuditFilter = AuditFilter()) -> int:
    where, params = _where(filters)
    return db.execute_sql(f"SELECT count(*) FROM audit_entry{where}", params).fetchone()[0]


def page_entries(filters: AuditFilter, offset: int, limit: int, total: int | None = None) -> list[AuditRow]:
    """Newest first. ``total`` (count_entries()): far pages are read from the oldest end (db/paging.py)."""
    where, params = _where(filters)
    order, limit, offset, turned = nearer_end(offset, limit, total)
    rows = db.execute_sql(
        f"SELECT id, at, actor, op, table_name, row_id, grid_id, before, after FROM audit_entry{where}"
        f" ORDER BY id {order} LIMIT ? OFFSET ?",
        (*params, limit, offset),
    ).fetchall()
    # one starred tuple: mypy cannot count a starred row followed by more arguments
    return [AuditRow(*(*r[:7], _load(r[7]), _load(r[8]))) for r in (reversed(rows) if turned else rows)]


def actors() -> list[str]:
    return [r[0] for r in db.execute_sql("SELECT DISTINCT actor FROM audit_entry ORDER BY actor").fetchall()]


def tables() -> list[str]:
    return [r[0] for r in db.execute_sql("SELECT DISTINCT table_name FROM audit_entry ORDER BY 1").fetchall()]


def changed_fields(row: AuditRow) -> list[tuple[str, object, object]]:
    """(field, before, after) for each field that differs: what the detail view shows."""
    before, after = row.before or {}, row.after or {}
    keys = list(dict.fromkeys([*before, *after]))
    return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


def _load(text: str | None) -> dict | None:
    return json.loads(text) if text else None
