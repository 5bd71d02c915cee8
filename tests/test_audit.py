"""The audit trail: every change with who, before and after; append-only; a verifiable hash chain."""

from __future__ import annotations

import sqlite3

import pytest

from console.cli import main
from db.accounts import operators as accounts
from db.audit import trail as audit
from db.audit.trail import AuditFilter
from db.grids import writes
from db.records import HouseholdInput

NOW = 1_650_000_000
PIN = "246810"


def latest(**filters):
    return audit.page_entries(AuditFilter(**filters), 0, 1)[0]


def test_every_table_but_derived_ones_is_audited(post_db):
    tables = {
        r[0]
        for r in post_db.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND sql NOT LIKE '%VIRTUAL%' AND name NOT LIKE '%fts%'"
        )
    }
    triggers = {r[0] for r in post_db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    for table in tables - audit.DERIVED_TABLES:
        for op in ("insert", "update", "delete"):
            assert f"audit_{table}_{op}" in triggers, (table, op)


def test_a_change_records_who_before_and_after(post_db):
    accounts.add_account("boss", "admin", PIN, now=NOW)
    accounts.sign_in("boss", PIN, now=NOW)
    writes.change_zone(1, "controlled", "连续7天无新增", actor="boss")
    entry = next(e for e in audit.page_entries(AuditFilter(table="grid"), 0, 20) if e.row_id == 1)
    assert (entry.actor, entry.op, entry.grid_id) == ("boss", "update", 1)
    assert ("zone", "sealed", "controlled") in audit.changed_fields(entry)
    assert latest(table="zone_change").after["reason"] == "连续7天无新增"


def test_filters_by_person_and_grid(post_db):
    writes.upsert_households([HouseholdInput("2-1", "花厅口村3号", 5, "改名", "", "", "")], actor="t")
    by_grid = audit.page_entries(AuditFilter(grid_id=2), 0, 100)
    assert by_grid and all(e.grid_id in {2, *range(4, 20)} for e in by_grid)
    assert any(e.table_name == "household" and e.after["head_name"] == "改名" for e in by_grid)
    assert audit.page_entries(AuditFilter(actor="nobody"), 0, 10) == []


def test_a_no_op_update_is_not_recorded(post_db):
    before = audit.count_entries()
    post_db.execute_sql("UPDATE household SET people = people")
    assert audit.count_entries() == before


def test_trail_is_append_only(post_db):
    with pytest.raises(Exception, match="append-only"):
        post_db.execute_sql("UPDATE audit_entry SET actor = 'x'")
    with pytest.raises(Exception, match="append-only"):
        post_db.execute_sql("DELETE FROM audit_entry")


def _tamper(db_path, *statements):
    raw = sqlite3.connect(db_path)
    raw.execute("DROP TRIGGER audit_entry_no_update")
    raw.execute("DROP TRIGGER audit_entry_no_delete")
    for statement in statements:
        raw.execute(statement)
    raw.commit()
    raw.close()


@pytest.mark.parametrize(
    "statement, problem",
    [
        ("UPDATE audit_entry SET after = replace(after, '1', '2') WHERE id = 20", "altered"),
        ("DELETE FROM audit_entry WHERE id = 20", "missing"),
        ("UPDATE audit_entry SET prev_hash = 'x' WHERE id = 20", "link"),
    ],
)
def test_verify_reports_the_first_broken_link(post_db, db_path, statement, problem):
    assert audit.verify_chain().broken_at is None
    post_db.close()
    _tamper(db_path, statement)
    from db.connection import open_database

    database = open_database(db_path)
    report = audit.verify_chain(database)
    assert (report.broken_at, report.problem, report.entries) == (20, problem, 19)
    # the head reported is the last entry still intact: what a copy kept from before may be checked against
    assert report.head == database.execute_sql("SELECT hash FROM audit_entry WHERE id = 19").fetchone()[0]
    database.close()


def test_an_edited_entry_rehashed_and_relinked_still_breaks_the_chain(post_db, db_path):
    """Whoever edits an entry can re-hash it and re-link the next; the next one's own hash gives it away,
    because each hash covers the previous entry's hash."""
    from db.audit.guard import chain_hash

    rows = post_db.execute_sql(
        f"SELECT id, {audit.COLUMNS} FROM audit_entry WHERE id IN (20, 21) ORDER BY id"
    )
    (_, at, actor, op, table, row_id, grid_id, before, after, prev, _), following = rows.fetchall()
    after = after.replace("1", "2")
    forged = chain_hash(prev, at, actor, op, table, row_id, grid_id, before, after)
    post_db.close()
    _tamper(
        db_path,
        f"UPDATE audit_entry SET after = '{after}', hash = '{forged}' WHERE id = 20",
        f"UPDATE audit_entry SET prev_hash = '{forged}' WHERE id = 21",
    )
    from db.connection import open_database

    database = open_database(db_path)
    report = audit.verify_chain(database)
    assert (report.broken_at, report.problem, report.entries) == (21, "altered", 20)
    database.close()


# A fixed sequence of entries and the hashes it must give: the stored trail of every post depends on
# this exact format (field order, separator, how NULL is written), so any change to it must fail here.
KNOWN_SEQUENCE = [
    (
        (1_650_000_000, "test", "insert", "grid", 1, 1, None, '{"code": "1", "name": "第一网格"}'),
        "b0babb3dc67688a0f4a20dae2001d1765ec249a79aa234a8a7fbd88651c1ae3c",
    ),
    (
        (1_650_000_060, "许文倡", "update", "household", 7, 4, '{"people": 3}', '{"people": 4}'),
        "e4a771dfcc6c2068fc55db8852fa10720dad1fe2dfc452ab94d823163d1a7687",
    ),
    (
        (1_650_000_120, "boss", "delete", "staff", 3, None, '{"name": "陈志明"}', None),
        "2f3983244560d707198884e099233658d7f90b6f37fc33c0564d540af7da6a4e",
    ),
    # a lone surrogate (a half of a character that some old file held) is hashed, not refused
    (
        (1_650_000_180, "op", "update", "household", 9, 5, '{"head_name": "\ud800"}', '{"head_name": "x"}'),
        "632ac99886caed21a58e23a714231eaa14e9f6f51794372976a86e2233306827",
    ),
]


def test_the_hash_format_is_pinned_by_a_known_sequence():
    from db.audit.guard import chain_hash

    prev = ""
    for fields, expected in KNOWN_SEQUENCE:
        prev = chain_hash(prev, *fields)
        assert prev == expected, fields


def test_cli_verify_exit_codes(post_db, db_path, capsys):
    post_db.close()
    assert main(["--db", str(db_path), "audit", "verify"]) == 0
    assert "审计链完好" in capsys.readouterr().out
    _tamper(db_path, "UPDATE audit_entry SET actor = 'someone else' WHERE id = 7")
    assert main(["--db", str(db_path), "audit", "verify"]) == 1
    assert "第 7 条" in capsys.readouterr().err


def test_bulk_inserts_are_one_event_but_updates_stay_row_by_row(post_db):
    before = audit.count_entries()
    rows = [HouseholdInput("3-1", f"新村{n}号", 2, f"户{n}", "", "", "") for n in range(500)]
    with audit.inserts_summarised("import", {"file": "new.csv"}) as details:
        outcome = writes.upsert_households(rows, actor="t")
        details["added"] = outcome.created
    assert audit.count_entries() == before + 1
    event = latest()
    assert (event.op, event.table_name, event.after["added"]) == ("event", "import", 500)
    with audit.inserts_summarised("import", {"file": "again.csv"}):
        writes.upsert_households([HouseholdInput("3-1", "新村1号", 4, "户1", "", "", "")], actor="t")
    update = audit.page_entries(AuditFilter(table="household"), 0, 1)[0]
    assert ("people", 2, 4) in audit.changed_fields(update)
    assert audit.verify_chain().broken_at is None


def test_csv_import_is_one_entry_committed_with_its_rows(post_db, tmp_path):
    from db.intake import csv_import

    path = tmp_path / "h.csv"
    path.write_text("网格,门牌,人数,户主\n3-1,新村1号,2,甲\n3-1,新村2号,3,乙\n", encoding="utf-8")
    before = audit.count_entries()
    csv_import.import_csv(path, "households", actor="t")
    assert audit.count_entries() == before + 1
    assert latest().after == {"kind": "households", "rows": 2, "created": 2, "updated": 0}
    path.write_text("网格,门牌,人数,户主\n3-1,新村1号,2,甲\n3-1,不在,x,乙\n", encoding="utf-8")
    csv_import.import_csv(path, "households", actor="t")  # refused: nothing written, nothing recorded
    assert audit.count_entries() == before + 1


def test_append_only_guards_removed_outside_cmdpost_are_restored_and_recorded(post_db, db_path):
    from db.connection import open_database

    post_db.close()
    _tamper(db_path)
    database = open_database(db_path)
    with pytest.raises(Exception, match="append-only"):
        database.execute_sql("DELETE FROM audit_entry")
    event = latest()
    assert (event.table_name, event.after) == (
        "guard_restored",
        {"missing": ["audit_entry_no_delete", "audit_entry_no_update"]},
    )
    database.close()


def test_verify_reports_progress_batch_by_batch(post_db):
    seen = []
    report = audit.verify_chain(batch=10, progress=lambda done, total: seen.append((done, total)))
    total = audit.count_entries()
    assert report.entries == total and total > 20
    assert seen == [(done, total) for done in [*range(10, total, 10), total]]  # every batch, then the end


def test_cli_list_shows_escape_sequences_as_text(post_db, db_path, capsys):
    writes.upsert_households([HouseholdInput("3-1", "新村1号", 2, "\x1b[31m红", "", "", "")], actor="t")
    post_db.close()
    assert main(["--db", str(db_path), "audit", "list", "--limit", "1"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "␛[31m红" in out
