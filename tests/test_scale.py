"""Issue #8 at the data layer: bulk writes keep totals and the search index exact, and the
whole-post search is answered from its index (or a bounded scan) with a capped count."""

from __future__ import annotations

import pytest

from db.connection import open_database
from db.fields import natural_key
from db.grids import bulk, household_search, queries, writes
from db.records import HouseholdInput
from tests.conftest import refused
from tests.test_migrations import make_v1_file


def recount(database) -> dict[int, tuple[int, int, int]]:
    """Every grid's (households, residents, care households), counted from the rows themselves."""
    return {
        gid: (h, p, c)
        for gid, h, p, c in database.execute_sql(
            "SELECT g.id, count(h.id), coalesce(sum(h.people), 0), count(nullif(h.care_tags, ''))"
            " FROM grid g LEFT JOIN grid x ON g.id IN (x.id, x.parent_id, x.root_id)"
            " LEFT JOIN household h ON h.grid_id = x.id GROUP BY g.id"
        ).fetchall()
    }


def kept(database) -> dict[int, tuple[int, int, int]]:
    return {
        gid: (h, p, c)
        for gid, h, p, c in database.execute_sql(
            "SELECT grid_id, households, residents, care_households FROM grid_total"
        ).fetchall()
    }


def triggers(database) -> set[tuple[str, str]]:
    return set(database.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall())


def big_batch(count: int, offset: int = 0) -> list[HouseholdInput]:
    grids = ["1", "1-1", "1-2", "1-1-1", "2-1", "3"]
    return [
        HouseholdInput(
            grids[n % len(grids)],
            f"批量村{n + offset}号",
            n % 6 + 1,
            f"户主{n}",
            f"139{n:08d}",
            "独居老人" if n % 7 == 0 else "",
            "",
        )
        for n in range(count)
    ]


def test_totals_after_a_bulk_import_equal_a_recount(post_db):
    schema = triggers(post_db)
    rows = big_batch(bulk.BULK_ROWS + 100)
    # The same batch also moves existing households into other sub-grids and changes their figures.
    rows += [
        HouseholdInput("1-1-1", "花厅口村1号", 6, care_tags="残疾"),
        HouseholdInput("1-2", "花厅口村2号", 1),
    ]
    outcome = writes.upsert_households(rows, actor="t")
    assert (outcome.created, outcome.updated) == (bulk.BULK_ROWS + 100, 2)
    assert kept(post_db) == recount(post_db)
    assert triggers(post_db) == schema  # the lifted triggers are back, as they were
    # Row-by-row changes after a bulk write are still kept by the triggers.
    writes.upsert_households([HouseholdInput("3", "单户1号", 4, care_tags="孕产妇")], actor="t")
    post_db.execute_sql("DELETE FROM household WHERE door = '批量村3号'")
    assert kept(post_db) == recount(post_db)


def test_bulk_dry_run_and_refused_batch_leave_everything_as_it_was(post_db):
    before = kept(post_db), queries.household_count(), triggers(post_db)
    writes.upsert_households(big_batch(bulk.BULK_ROWS), actor="t", dry_run=True)
    with refused(writes.BatchError, "batch.invalid", count=1) as caught:
        writes.upsert_households(
            big_batch(bulk.BULK_ROWS) + [HouseholdInput("9-9", "无此网格1号", 2)], actor="t"
        )
    assert [(p.index, p.column) for p in caught.value.problems] == [
        (bulk.BULK_ROWS, "grid")
    ]  # the bad row, named
    assert (kept(post_db), queries.household_count(), triggers(post_db)) == before
    assert household_search.search_count("批量村") == 0


def test_bulk_import_records_one_audit_entry_and_row_writes_are_still_trailed(post_db):
    from db.audit import trail as audit

    before = audit.count_entries()
    with post_db.atomic(), audit.inserts_summarised("import", {"kind": "households"}):
        writes.upsert_households(big_batch(bulk.BULK_ROWS), actor="t")
    assert audit.count_entries() == before + 1  # one summary, not one entry per household
    writes.upsert_households(
        big_batch(bulk.BULK_ROWS, offset=10_000), actor="t"
    )  # inserts trailed row by row
    assert audit.count_entries() == before + 1 + bulk.BULK_ROWS
    assert audit.verify_chain().broken_at is None


def test_a_supervisor_bulk_write_is_refused_and_leaves_the_triggers(post_db):
    from db.audit.guard import Session, guard_of, is_denied

    schema, guard = triggers(post_db), guard_of(post_db)
    guard.closed, guard.session = True, Session(1, "督导", "supervisor")
    try:
        with pytest.raises(Exception) as caught:
            writes.upsert_households(big_batch(bulk.BULK_ROWS), actor="t")
        assert is_denied(caught.value)
    finally:
        guard.closed, guard.session = False, None
    assert triggers(post_db) == schema and household_search.search_count("批量村") == 0


def test_deferred_upkeep_needs_a_transaction(post_db):
    with pytest.raises(RuntimeError, match="needs the caller's transaction"), bulk.deferred_upkeep():
        pass


def like_count(database, text: str) -> int:
    like = f"%{text}%"
    return database.execute_sql(
        "SELECT count(*) FROM household WHERE door LIKE ? OR phone LIKE ? OR head_name LIKE ?",
        (like, like, like),
    ).fetchone()[0]


@pytest.mark.parametrize(
    "text", ["花厅口村1", "0000", "户主1", "号", "户主", "[bold]x", "17000009999", "无此户"]
)
def test_search_finds_what_a_substring_scan_finds(post_db, text):
    assert household_search.search_count(text) == like_count(post_db, text)
    page = household_search.search_page(text)
    assert len(page) == like_count(post_db, text)
    assert all(text in f"{r.door}|{r.phone}|{r.head_name}" for r in page)
    assert page == sorted(page, key=lambda r: (r.root_id, natural_key(r.door)))  # grid and door order


def test_search_index_follows_every_kind_of_write(post_db):
    writes.upsert_households(big_batch(bulk.BULK_ROWS), actor="t")  # bulk: indexed once at the end
    assert household_search.search_count("批量村17号") == like_count(post_db, "批量村17号") == 1
    writes.upsert_households([HouseholdInput("1-1", "花厅口村1号", 2, head_name="新户主甲")], actor="t")
    assert [r.door for r in household_search.search_page("新户主甲")] == ["花厅口村1号"]
    assert household_search.search_count("户主1") == like_count(post_db, "户主1")
    post_db.execute_sql("DELETE FROM household WHERE door = '批量村17号'")
    assert household_search.search_count("批量村17号") == 0
    post_db.execute_sql(
        "INSERT INTO household_fts (household_fts) VALUES ('integrity-check')"
    )  # raises if damaged


def test_search_count_stops_past_the_cap_and_shows_at_most_the_cap(post_db, monkeypatch):
    monkeypatch.setattr(household_search, "CAP", 10)
    assert household_search.search_count("花厅口村") == 11  # 41 match: counting stops at CAP + 1
    assert household_search.search_count("号") == 11  # the one- and two-character index stops there too
    assert len(household_search.search_page("花厅口村", 0, 100)) == 10
    assert household_search.search_count("花厅口村99") == 1
    assert household_search.search_count('"') == 0 and household_search.search_count("   ") == 0


def test_quotes_and_like_wildcards_are_plain_text(post_db):
    assert household_search.search_count('a"b"c') == 0
    assert household_search.search_count("%") == 0 and household_search.search_count("_") == 0


def test_version_1_file_is_indexed_when_upgraded(db_path):
    make_v1_file(db_path)
    database = open_database(db_path)
    assert household_search.search_count("花厅口村") == like_count(database, "花厅口村") > 0
    assert household_search.search_count("施建") == 1
    database.close()
