"""A register's size comes from the kept totals, not a count that grows with the grid (issue 18),
and always equals a recount: after inserts, a move between sub-grids and a bulk import."""

from __future__ import annotations

from db.grids import queries, writes
from db.models import database_proxy
from db.records import HouseholdInput


def recount(root_id=None, grid_code=None) -> int:
    clauses, params = [], []
    if root_id is not None:
        clauses.append("h.root_id = ?")
        params.append(root_id)
    if grid_code:
        clauses.append("(g.code = ? OR substr(g.code, 1, ?) = ?)")
        params += [grid_code, len(grid_code) + 1, grid_code + "-"]
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    return database_proxy.execute_sql(
        f"SELECT count(*) FROM household h JOIN grid g ON g.id = h.grid_id{where}", params
    ).fetchone()[0]


def every_count_matches() -> None:
    grids = database_proxy.execute_sql("SELECT code, root_id FROM grid").fetchall()
    assert queries.household_count() == recount()
    for code, root in grids:
        assert queries.household_count(grid_code=code) == recount(grid_code=code), code
        assert queries.household_count(root, grid_code=code) == recount(root, code), code
        assert queries.household_count(root) == recount(root), code


def test_register_counts_are_the_kept_totals(post_db):
    every_count_matches()
    writes.upsert_households(
        [
            HouseholdInput("1-2", "花厅口村1号", 3),  # moved from 1-1
            HouseholdInput("3-1-1", "新村1号", 2),
        ],
        actor="t",
    )
    every_count_matches()
    writes.upsert_households([HouseholdInput("2-1", f"批量{n}号", 1) for n in range(600)], actor="t")
    every_count_matches()


def test_a_count_with_search_text_still_counts_matches(post_db):
    assert queries.household_count(None, "户主1") == 11


def test_no_count_reads_the_households(post_db, monkeypatch):
    seen = []
    original = post_db.execute_sql
    monkeypatch.setattr(
        post_db, "execute_sql", lambda sql, params=None: seen.append(sql) or original(sql, params)
    )
    queries.household_count(queries.grid_by_code("1").id, grid_code="1-1")
    queries.household_count()
    assert seen and not any("FROM household" in sql for sql in seen)
