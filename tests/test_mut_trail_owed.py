"""The trail mutation survivors (db/audit/trail.py) that owed a test: a far page read from the trail's oldest
end, and the audit triggers a table of a kind today's schema lacks would get (a virtual table not named
``_fts``, its storage, a table WITHOUT ROWID), tried on a scratch table added to a real post."""

from __future__ import annotations

import peewee

from db.audit import guard_triggers
from db.audit import trail as audit
from db.audit.guard import guard_of
from db.audit.trail import AuditFilter

# named with an underscore of its own, as SQLite names its storage after it: care_notes_data, _idx, ...
VIRTUAL = "CREATE VIRTUAL TABLE care_notes USING fts5(body)"
WITHOUT_ROWID = (
    "CREATE TABLE handover (post TEXT, shift TEXT, note TEXT, PRIMARY KEY (post, shift)) WITHOUT ROWID"
)


def _add_tables(database, *statements: str) -> list[str]:
    """Tables added as a later migration would add them, then the triggers put in place as at open."""
    with guard_of(database).system(), database.atomic():
        for statement in statements:
            database.execute_sql(statement)
    return guard_triggers.ensure(database, upgraded=True)


def test_a_scratch_schemas_virtual_table_and_its_storage_are_left_out_of_the_trail():
    # Nothing written: with a trigger on the storage, the first write would crash the process, not fail a test.
    scratch = peewee.SqliteDatabase(":memory:")
    for statement in (
        VIRTUAL,
        WITHOUT_ROWID,
        "CREATE TABLE care_notebook (id INTEGER PRIMARY KEY, body TEXT)",
    ):
        scratch.execute_sql(statement)
    wanted = audit.expected_triggers(scratch)
    assert sorted(wanted) == [
        f"audit_{table}_{op}"
        for table in ("care_notebook", "handover")
        for op in ("delete", "insert", "update")
    ]
    assert (
        "NEW.rowid" in wanted["audit_care_notebook_insert"] and "rowid" not in wanted["audit_handover_insert"]
    )


def test_a_far_page_of_the_trail_is_read_from_its_oldest_end(post_db):
    total = audit.count_entries()
    assert total > 20
    read: list[str] = []
    post_db.connection().set_trace_callback(read.append)
    try:
        last = audit.page_entries(AuditFilter(), total - 5, 5, total)
        first = audit.page_entries(AuditFilter(), 0, 5, total)
    finally:
        post_db.connection().set_trace_callback(None)
    pages = [s for s in read if "FROM audit_entry" in s and "LIMIT" in s]
    assert ["ORDER BY id ASC" in s for s in pages] == [True, False], pages  # the last page skips no rows
    assert [e.id for e in last] == sorted((e.id for e in last), reverse=True) and last[-1].id == 1
    assert len(first) == 5 and first[0].id == total


def test_a_virtual_table_and_its_storage_get_no_audit_trigger(post_db):
    post_db.execute_sql("CREATE TABLE care_notebook (id INTEGER PRIMARY KEY, body TEXT)")  # a real table
    added = _add_tables(post_db, VIRTUAL)
    assert not [name for name in added if name.startswith("audit_care_notes_")], added
    assert sorted(name for name in added if name.startswith("audit_care_notebook")) == [
        "audit_care_notebook_delete",
        "audit_care_notebook_insert",
        "audit_care_notebook_update",
    ]
    storage = {
        r[0] for r in post_db.execute_sql("SELECT name FROM sqlite_master WHERE name LIKE 'care_notes_%'")
    }
    assert {"care_notes_data", "care_notes_idx", "care_notes_config"} <= storage  # all left out above
    entries = audit.count_entries()
    post_db.execute_sql(
        "INSERT INTO care_notes (body) VALUES ('insulin for flat 3')"
    )  # a trigger here crashed
    assert post_db.execute_sql(
        "SELECT count(*) FROM care_notes WHERE care_notes MATCH 'insulin'"
    ).fetchone() == (1,)
    assert audit.count_entries() == entries


def test_a_table_without_rowid_is_audited_with_no_row_id(post_db):
    added = _add_tables(post_db, WITHOUT_ROWID)
    assert {"audit_handover_insert", "audit_handover_update", "audit_handover_delete"} <= set(added)
    post_db.execute_sql("INSERT INTO handover VALUES ('卡口', '早班', '交接口罩两箱')")
    post_db.execute_sql("UPDATE handover SET note = '交接口罩三箱'")
    post_db.execute_sql("DELETE FROM handover")
    logged = [
        e for e in audit.page_entries(AuditFilter(table="handover"), 0, 10) if e.table_name == "handover"
    ]
    assert [(e.op, e.row_id) for e in logged] == [("delete", None), ("update", None), ("insert", None)]
    assert logged[-1].after == {"post": "卡口", "shift": "早班", "note": "交接口罩两箱"}
    assert logged[1].before["note"] == "交接口罩两箱" and logged[1].after["note"] == "交接口罩三箱"
    assert audit.verify_chain().broken_at is None
