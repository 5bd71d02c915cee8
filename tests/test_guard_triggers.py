"""Guard triggers cannot be removed quietly: missing ones come back at open and the trail says so."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from console.cli import main
from db.accounts import operators as accounts
from db.audit import guard_triggers
from db.audit import trail as audit
from db.connection import open_database
from db.schema import GRAMS_FUNCTION, grams
from db.supply import writes as supply

NOW = 1_650_000_000
TZ = ZoneInfo("Asia/Shanghai")


def _raw(db_path, *statements):
    """Edits made with the sqlite3 shell, outside cmdpost."""
    raw = sqlite3.connect(db_path)
    for name, args, value in (
        ("cmdpost_audit", 1, 0),
        ("cmdpost_actor", 0, "x"),
        ("cmdpost_chain", 9, ""),
        ("cmdpost_may_unlock", 0, 1),
        ("cmdpost_pin_proven", 1, 0),
    ):
        raw.create_function(name, args, lambda *_, v=value: v)  # stubs: trail off, as a tamperer would
    raw.create_function(GRAMS_FUNCTION, 3, grams, deterministic=True)  # the search index's, kept right
    for statement in statements:
        raw.execute(statement)
    raw.commit()
    raw.close()


def _restored(database):
    return [details for _, _, details in guard_triggers.restorations(database)]


def _reopen(database, db_path):
    database.close()
    return open_database(db_path)


def test_a_dropped_audit_trigger_is_put_back_and_recorded(post_db, db_path):
    post_db.close()
    _raw(
        db_path, "DROP TRIGGER audit_household_update", "UPDATE household SET head_name = '改过' WHERE id = 1"
    )
    database = open_database(db_path)
    assert (
        database.execute_sql(
            "SELECT count(*) FROM sqlite_master WHERE name = 'audit_household_update'"
        ).fetchone()[0]
        == 1
    )
    assert _restored(database) == [{"missing": ["audit_household_update"]}]
    event = audit.page_entries(audit.AuditFilter(table="guard_restored"), 0, 1)[0]
    assert event.op == "event" and event.at.startswith(datetime.now(ZoneInfo("UTC")).strftime("%Y-%m-%d"))
    database.execute_sql("UPDATE household SET head_name = '再改' WHERE id = 1")  # audited again
    assert audit.page_entries(audit.AuditFilter(table="household"), 0, 1)[0].after["head_name"] == "再改"
    database.close()


def test_a_dropped_ledger_guard_is_restored_so_the_ledger_stays_append_only(post_db, db_path):
    supply.add_item("大米", "斤", "grain_oil", actor="t", now=NOW)
    supply.receive("大米", 100, "粮油公司", actor="t", now=NOW, tz=TZ)
    post_db.close()
    _raw(db_path, "DROP TRIGGER handoff_no_update")
    database = open_database(db_path)
    with pytest.raises(Exception, match="append-only"):
        database.execute_sql("UPDATE handoff SET quantity = 999")
    assert _restored(database) == [{"missing": ["handoff_no_update"]}]
    database.close()


def test_a_guard_replaced_by_a_harmless_one_is_put_back(post_db, db_path):
    supply.add_item("大米", "斤", "grain_oil", actor="t", now=NOW)
    supply.receive("大米", 100, "粮油公司", actor="t", now=NOW, tz=TZ)
    post_db.close()
    _raw(
        db_path,
        "DROP TRIGGER handoff_no_update",
        "CREATE TRIGGER handoff_no_update BEFORE UPDATE ON handoff WHEN 0 BEGIN SELECT 1; END",
    )
    database = open_database(db_path)
    with pytest.raises(Exception, match="append-only"):
        database.execute_sql("UPDATE handoff SET quantity = 999")
    assert _restored(database) == [{"altered": ["handoff_no_update"]}]
    database.close()


def test_every_trigger_on_the_list_comes_back(post_db, db_path):
    wanted = guard_triggers.expected(post_db)
    assert {
        "handoff_no_update",
        "handoff_no_delete",
        "audit_entry_no_update",
        "household_total_upd",
        "audit_household_update",
        "account_sign_in_only",
        "audit_entry_own_actor",
    } <= set(wanted)
    post_db.close()
    _raw(db_path, *[f'DROP TRIGGER "{name}"' for name in wanted])
    database = open_database(db_path)
    present = dict(
        database.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    )
    assert all(present.get(name) == sql for name, sql in wanted.items())
    assert _restored(database) == [{"missing": sorted(wanted)}]
    assert audit.verify_chain().broken_at is None
    database.close()


def test_a_new_or_upgraded_post_records_no_restoration(post_db, db_path, tmp_path):
    from tests.test_migrations import make_v1_file

    assert _restored(post_db) == []
    assert _restored(_reopen(post_db, db_path)) == []
    old = tmp_path / "old.db"
    make_v1_file(old)
    upgraded = open_database(old)
    assert (
        _restored(upgraded) == [] and audit.page_entries(audit.AuditFilter(table="guard_added"), 0, 5) == []
    )
    upgraded.close()


def test_a_post_made_before_the_code_guards_gets_them_added_not_restored(post_db, db_path):
    post_db.close()
    _raw(
        db_path,
        "DROP TRIGGER account_sign_in_only",
        "DROP TRIGGER audit_entry_own_actor",
        f"DELETE FROM post_meta WHERE key = '{guard_triggers.INSTALLED_KEY}'",
    )
    database = open_database(db_path)
    assert _restored(database) == []
    added = audit.page_entries(audit.AuditFilter(table="guard_added"), 0, 5)
    assert [e.after for e in added] == [{"added": ["account_sign_in_only", "audit_entry_own_actor"]}]
    database.close()
    _raw(db_path, "DROP TRIGGER account_sign_in_only")  # from now on, a removal is a removal
    database = open_database(db_path)
    assert _restored(database) == [{"missing": ["account_sign_in_only"]}]
    database.close()


def test_audit_verify_warns_and_exits_3_after_a_restoration(post_db, db_path, capsys):
    post_db.close()
    assert main(["audit", "verify", "--db", str(db_path)]) == 0
    capsys.readouterr()
    _raw(db_path, "DROP TRIGGER handoff_no_delete")
    assert main(["audit", "verify", "--db", str(db_path)]) == 3
    out = capsys.readouterr()
    assert "审计链完好" in out.out
    warnings = out.err.splitlines()
    assert len(warnings) == 1 and "handoff_no_delete" in warnings[0] and warnings[0].startswith("警告")


def test_a_read_only_console_restores_nothing(post_db, db_path):
    from db.connection import open_readonly

    accounts.add_account("boss", "admin", "246810", now=NOW)
    post_db.close()
    _raw(db_path, "DROP TRIGGER handoff_no_delete")
    reader = open_readonly(db_path)
    assert (
        reader.execute_sql("SELECT count(*) FROM sqlite_master WHERE name = 'handoff_no_delete'").fetchone()[
            0
        ]
        == 0
    )
    reader.close()


def test_the_schema_triggers_are_exactly_what_the_migrations_leave():
    from db.schema import MIGRATIONS

    memory = sqlite3.connect(":memory:")
    memory.create_function(GRAMS_FUNCTION, 3, grams, deterministic=True)
    for migration in MIGRATIONS:
        for statement in migration.statements:
            memory.execute(statement)
    replayed = dict(memory.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall())
    memory.close()
    assert guard_triggers.schema_triggers() == replayed and "handoff_no_update" in replayed


def test_a_trigger_added_outside_cmdpost_is_dropped_and_recorded(post_db, db_path):
    """RAISE(IGNORE) before each audit insert would empty the trail of every later write, and the
    chain of what is left still verifies: a trigger that is not cmdpost's is dropped at open."""
    post_db.close()
    _raw(
        db_path,
        'CREATE TRIGGER "zz quiet\x1b[2J" BEFORE INSERT ON audit_entry BEGIN SELECT RAISE(IGNORE); END',
    )
    database = open_database(db_path)
    assert database.execute_sql("SELECT count(*) FROM sqlite_master WHERE name LIKE 'zz%'").fetchone()[0] == 0
    assert _restored(database) == [{"foreign": ["zz quiet\x1b[2J"]}]
    assert guard_triggers.named(_restored(database)[0]) == ["zz quiet␛[2J"]
    database.execute_sql("UPDATE household SET head_name = '改过' WHERE id = 1")  # audited, not swallowed
    assert audit.page_entries(audit.AuditFilter(table="household"), 0, 1)[0].after["head_name"] == "改过"
    database.close()


def test_a_dropped_unique_index_is_a_removed_guard_too(post_db, db_path):
    """One live pass per serial, one correction per ledger line: unique indexes are rules, and
    sqlite3 drops them as easily as a trigger."""
    post_db.close()
    _raw(db_path, "DROP INDEX pass_live_serial", "DROP INDEX handoff_corrected_once")
    database = open_database(db_path)
    names = {row[0] for row in database.execute_sql("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"pass_live_serial", "handoff_corrected_once"} <= names
    assert _restored(database) == [{"missing": ["handoff_corrected_once", "pass_live_serial"]}]
    database.close()


def test_a_unique_index_the_data_now_breaks_is_named_not_guessed(post_db, db_path):
    phone = post_db.execute_sql("SELECT phone FROM staff WHERE phone <> '' LIMIT 1").fetchone()[0]
    post_db.close()
    _raw(db_path, "DROP INDEX staff_phone", f"UPDATE staff SET phone = '{phone}' WHERE id IN (1, 2)")
    database = open_database(db_path)  # still opens: the post is in use, the duplicate is for a person
    assert _restored(database) == [{"unrestorable": ["staff_phone"]}]
    assert guard_triggers.named(_restored(database)[0]) == ["staff_phone"]
    database = _reopen(database, db_path)
    assert _restored(database) == [{"unrestorable": ["staff_phone"]}]  # named once, not at every open
    database.close()
