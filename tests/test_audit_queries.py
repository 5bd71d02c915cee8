"""Reading the trail: filters that combine, counts that agree with pages, far pages read from the old end,
and the lists the filter pickers offer. The audit screen shows only what these return."""

from __future__ import annotations

from db.accounts import operators as accounts
from db.audit import trail as audit
from db.audit.trail import AuditFilter
from db.grids import writes
from db.records import HouseholdInput

NOW = 1_650_000_000
PIN = "246810"


def _changes() -> None:
    """Two people change households in two grids (2-1 lies under grid 2, 3-1 under grid 3)."""
    accounts._unknown.clear()
    accounts.add_account("boss", "admin", PIN, now=NOW)
    accounts.sign_in("boss", PIN, now=NOW)
    accounts.add_account("op", "operator", PIN, now=NOW)
    writes.upsert_households([HouseholdInput("2-1", "花厅口村3号", 5, "甲改", "", "", "")], actor="boss")
    with audit.inserts_summarised("import", {"file": "x.csv"}):
        pass
    accounts.sign_in("op", PIN, now=NOW)
    writes.upsert_households([HouseholdInput("3-1", "新村1号", 4, "乙", "", "", "")], actor="op")


def _grid_ids(post_db) -> dict[str, int]:
    return dict(post_db.execute_sql("SELECT code, id FROM grid").fetchall())


def test_filters_combine_and_the_count_agrees_with_the_pages(post_db):
    _changes()
    grids = _grid_ids(post_db)
    actor = "boss"
    everything = audit.page_entries(AuditFilter(), 0, 10_000)
    assert audit.count_entries() == len(everything) > 0
    for filters in (
        AuditFilter(actor=actor),
        AuditFilter(grid_id=grids["2"]),
        AuditFilter(table="household"),
        AuditFilter(actor=actor, grid_id=grids["2"]),
        AuditFilter(actor=actor, table="household"),
        AuditFilter(actor="op", grid_id=grids["3"], table="household"),
        AuditFilter(grid_id=grids["2"], table="household"),
    ):
        under = {
            gid for code, gid in grids.items() if filters.grid_id in (gid, grids.get(code.split("-")[0]))
        }
        wanted = [
            e
            for e in everything
            if (filters.actor is None or e.actor == filters.actor)
            and (filters.grid_id is None or e.grid_id in under)
            and (filters.table is None or e.table_name == filters.table)
        ]
        assert 0 < len(wanted) < len(everything), filters  # each filter selects something, not everything
        assert audit.page_entries(filters, 0, 10_000) == wanted, filters
        assert audit.count_entries(filters) == len(wanted), filters
    both = audit.page_entries(AuditFilter(grid_id=grids["2"], table="household"), 0, 10_000)
    assert any(e.after and e.after.get("head_name") == "甲改" for e in both)
    assert not any(
        e.after and e.after.get("head_name") == "乙" for e in both
    )  # grid 3's change is not grid 2's
    assert audit.page_entries(AuditFilter(actor="nobody", table="household"), 0, 10) == []


def test_a_far_page_read_from_the_old_end_is_the_same_page_newest_first(post_db):
    _changes()
    total = audit.count_entries()
    everything = audit.page_entries(AuditFilter(), 0, total)
    assert [e.id for e in everything] == sorted((e.id for e in everything), reverse=True)
    for offset in (0, total // 2, total - 7, total - 1):
        page = audit.page_entries(AuditFilter(), offset, 5, total)
        assert page == everything[offset : offset + 5], offset


def test_the_pickers_list_each_actor_and_table_once(post_db):
    _changes()
    rows = post_db.execute_sql("SELECT actor, table_name FROM audit_entry").fetchall()
    assert audit.actors() == sorted({r[0] for r in rows}) and audit.actors()
    assert audit.tables() == sorted({r[1] for r in rows})
    assert {"household", "import"} <= set(audit.tables()) and {"boss", "op"} <= set(audit.actors())


def test_an_events_details_are_stored_as_readable_sorted_json_under_a_plain_name(post_db):
    """What someone reading the file with the sqlite3 shell sees, and what the chain's hash covers."""
    audit.record_event("it's", {"名": "王", "b": 2, "a": [1]}, grid_id=1)
    kind, grid, after = post_db.execute_sql(
        "SELECT table_name, grid_id, after FROM audit_entry ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert (kind, grid, after) == (
        "its",
        1,
        '{"a": [1], "b": 2, "名": "王"}',
    )  # a quote never reaches the SQL
    assert audit.verify_chain().broken_at is None


def test_the_trail_keeps_only_the_tail_of_a_pin_hash(post_db):
    """A PIN's hash is a secret: the trail shows that it changed (its last 8 characters), never the hash."""
    accounts.add_account("boss", "admin", PIN, now=NOW)
    stored = post_db.execute_sql("SELECT secret_hash FROM account WHERE name = 'boss'").fetchone()[0]
    entry = audit.page_entries(AuditFilter(table="account"), 0, 1)[0]
    assert entry.after["secret_hash"] == stored[-8:] and entry.after["name"] == "boss"
    raw = post_db.execute_sql("SELECT group_concat(after) FROM audit_entry").fetchone()[0]
    assert stored not in raw and stored.split("$")[4] not in raw  # neither the hash nor its salt


def test_a_deleted_row_is_recorded_with_what_it_held(post_db):
    row_id = post_db.execute_sql("SELECT id FROM staff WHERE name = '陈志明'").fetchone()[0]
    post_db.execute_sql("DELETE FROM staff WHERE id = ?", (row_id,))
    entry = audit.page_entries(AuditFilter(table="staff"), 0, 1)[0]
    assert (entry.op, entry.row_id, entry.after) == ("delete", row_id, None)
    assert entry.before["name"] == "陈志明" and entry.before["phone"] == "17000100003"
