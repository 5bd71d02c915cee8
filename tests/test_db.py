"""Data layer: connection settings, the write rules, kept totals and paged reads."""

from __future__ import annotations

import pytest

from db.connection import open_database
from db.errors import RuleError
from db.fields import FieldError, people, phone
from db.grids import queries, writes
from db.records import GridInput, HouseholdInput, StaffInput
from tests.conftest import refused


def test_connection_is_wal_full_sync_with_foreign_keys(db_path):
    database = open_database(db_path)
    pragma = lambda name: database.execute_sql(f"PRAGMA {name}").fetchone()[0]
    assert pragma("journal_mode") == "wal"
    assert pragma("synchronous") == 2  # FULL
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") >= 5000
    database.close()


def test_missing_database_folder_is_created(tmp_path):
    path = tmp_path / "a" / "b" / "post.db"
    open_database(path).close()
    assert path.is_file()


def test_dashboard_totals_match_a_recount_after_every_kind_of_change(post_db):
    writes.upsert_households([HouseholdInput("1-2", "花厅口村1号", 6, care_tags="残疾")], actor="t")  # update
    post_db.execute_sql("DELETE FROM household WHERE door = '花厅口村2号'")
    recount = dict(
        (gid, (h, p, c))
        for gid, h, p, c in post_db.execute_sql(
            "SELECT g.id, count(h.id), coalesce(sum(h.people), 0), count(nullif(h.care_tags, ''))"
            " FROM grid g LEFT JOIN household h ON h.root_id = g.id WHERE g.level = 0 GROUP BY g.id"
        ).fetchall()
    )
    for summary in queries.grid_summaries():
        assert (summary.households, summary.residents, summary.care_households) == recount[summary.id]
    totals = queries.post_totals()
    assert totals.households == 40 and totals.grids == 3 and totals.subgrids == 6


def test_subgrid_totals_include_their_units(post_db):
    tree = {node.code: node for node in queries.grid_tree(queries.grid_by_code("1").id)}
    assert (
        tree["1-1"].households
        == tree["1-1-1"].households
        + queries.household_count(queries.grid_by_code("1").id, grid_code="1-1")
        - tree["1-1-1"].households
    )
    assert tree["1"].households == sum(tree[c].households for c in ("1-1", "1-2"))


def test_import_with_one_bad_row_writes_nothing(post_db):
    before = queries.household_count()
    rows = [
        HouseholdInput("1-1", "新1号", 3),
        HouseholdInput("9-9", "新2号", 3),
        HouseholdInput("1-1", "新3号", "很多"),
    ]
    with pytest.raises(writes.BatchError) as caught:
        writes.upsert_households(rows, actor="t")
    assert [(p.index, p.column, p.key) for p in caught.value.problems] == [
        (1, "grid", "field.unknown_grid"),
        (2, "people", "field.bad_people"),
    ]
    assert queries.household_count() == before


def test_same_door_twice_in_one_batch_is_refused(post_db):
    with pytest.raises(writes.BatchError) as caught:
        writes.upsert_households([HouseholdInput("1-1", "A1", 1), HouseholdInput("1-2", "A1", 2)], actor="t")
    assert caught.value.problems[0].key == "field.duplicate_door"


def test_reimport_updates_instead_of_duplicating(post_db):
    outcome = writes.upsert_households(
        [
            HouseholdInput("1-1", "花厅口村1号", 5, "新户主"),
            HouseholdInput("1-2", "花厅口村4号", 5, "户主4", "17000000004"),
        ],
        actor="t",
    )
    assert (outcome.created, outcome.updated) == (0, 2)
    assert queries.household_count() == 41


def test_unknown_parent_grid_is_refused(post_db):
    with pytest.raises(writes.BatchError) as caught:
        writes.upsert_grids([GridInput("7-1", "孤儿小网格")], actor="t")
    assert caught.value.problems[0].key == "field.unknown_parent"
    assert queries.grid_by_code("7-1") is None


def test_new_subgrid_starts_in_its_parents_zone(post_db):
    writes.upsert_grids([GridInput("1-3", "三组")], actor="t")
    tree = {n.code: n for n in queries.grid_tree(queries.grid_by_code("1").id)}
    assert tree["1-3"].zone == "sealed"


def test_zone_change_needs_a_reason_and_changes_nothing_without_one(post_db):
    grid = queries.grid_by_code("1")
    with refused(FieldError, "field.reason_required"):
        writes.change_zone(grid.id, "controlled", " ", actor="t")
    assert queries.grid_by_code("1").zone == "sealed"


def test_zone_change_is_recorded_for_the_grid_and_its_children(post_db):
    grid = queries.grid_by_code("1")
    changed = writes.change_zone(grid.id, "管控区", "连续7天无新增阳性", actor="值班员")
    assert changed == ["1", "1-1", "1-1-1", "1-2"]
    history = queries.zone_history_tree(grid.id)
    latest = [h for h in history if h.reason == "连续7天无新增阳性"]
    assert {h.grid_code for h in latest} == set(changed)
    assert all(
        h.old_zone == "sealed" and h.new_zone == "controlled" and h.changed_by == "值班员" for h in latest
    )


def test_setting_the_same_zone_again_is_refused(post_db):
    grid = queries.grid_by_code("3")
    with pytest.raises(RuleError) as caught:
        writes.change_zone(grid.id, "precaution", "重复操作", actor="t")
    assert caught.value.key == "zone_rules.unchanged"


def test_register_pages_in_natural_door_order(post_db):
    grid = queries.grid_by_code("1")
    doors = [row.door for row in queries.household_page(grid.id, offset=0, limit=5)]
    assert doors == ["花厅口村1号", "花厅口村2号", "花厅口村4号", "花厅口村5号", "花厅口村6号"]
    second = queries.household_page(grid.id, offset=5, limit=5)
    assert second[0].door == "花厅口村8号"


def test_search_by_phone_door_and_name(post_db):
    assert [r.door for r in queries.household_page(None, "00012")] == ["花厅口村12号"]
    assert queries.household_count(None, "户主1") == 11  # 户主1, 户主10..户主19
    assert queries.household_count(None, "99号") == 1
    assert queries.household_count(None, "%") == 0  # a literal percent sign matches nothing


def test_staff_rules(post_db):
    with pytest.raises(writes.BatchError) as caught:
        writes.upsert_staff(
            [StaffInput("甲", "保安", "1"), StaffInput("乙", "志愿者", "1", phone="138****5678")], actor="t"
        )
    assert [p.key for p in caught.value.problems] == ["field.bad_role", "field.masked_phone"]
    leader = queries.grid_by_code("1").leader
    assert leader == "许文倡"


def test_staff_reimport_counts_unchanged_and_matches_people_without_phones(post_db):
    rows = [
        StaffInput("陈志明", "志愿者", "2-1", phone="17000100003", birth_year=1995),
        StaffInput("无电话", "志愿者", "3", birth_year=1990),
    ]
    first = writes.upsert_staff(rows, actor="t")
    again = writes.upsert_staff(rows, actor="t")
    assert (first.created, first.unchanged) == (1, 1)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert queries.staff_count(search="无电话") == 1


@pytest.mark.parametrize(
    "raw,count",
    [
        ("3", 3),
        ("3人", 3),
        ("３口", 3),
        ("共4人", 4),
        ("两人", 2),
        ("三口", 3),
        ("十二人", 12),
        ("二十", 20),
        ("二十三", 23),
    ],
)
def test_head_counts_as_operators_write_them(raw, count):
    assert people(raw) == count


@pytest.mark.parametrize(
    "raw, key",
    [
        ("0", "field.people_range"),
        ("100", "field.people_range"),
        ("三四个", "field.bad_people"),
        ("3-4", "field.bad_people"),
    ],
)
def test_unreadable_head_counts_are_refused(raw, key):
    with refused(FieldError, key):
        people(raw)


def test_phone_forms():
    assert phone("138 0013-8000") == "13800138000"
    assert phone("１３８００１３８０００") == "13800138000"
    assert phone("138****5678") == "138****5678"
    with refused(FieldError, "field.bad_phone"):
        phone("call me")


def test_zone_change_follows_only_its_own_subgrids_case_sensitively(post_db):
    writes.upsert_grids(
        [GridInput("a", "甲网格", "封控区"), GridInput("A", "乙网格", "封控区"), GridInput("A-1", "乙一组")],
        actor="t",
    )
    changed = writes.change_zone(queries.grid_by_code("a").id, "防范区", "解除封控", actor="t")
    assert changed == ["a"]
    assert queries.grid_tree(queries.grid_by_code("A").id)[1].zone == "sealed"


def test_free_text_keeps_full_width_punctuation_but_doors_are_normalised(post_db):
    writes.upsert_households(
        [HouseholdInput("3-1", "３号", "２", "王（大）", note="行动不便，需送药")], actor="t"
    )
    row = queries.household_page(queries.grid_by_code("3").id)[0]
    assert (row.door, row.head_name, row.note, row.people) == ("3号", "王（大）", "行动不便，需送药", 2)


def test_children_with_a_status_of_their_own_keep_it(post_db):
    grid = queries.grid_by_code("1")
    sub = next(n for n in queries.grid_tree(grid.id) if n.code == "1-2")
    writes.change_zone(sub.id, "管控区", "该组先行解封", actor="t")
    changed = writes.change_zone(grid.id, "防范区", "全村解封", actor="t")
    assert changed == ["1", "1-1", "1-1-1"]  # 1-2 had its own status: it is not changed by the grid's
    tree = {n.code: n.zone for n in queries.grid_tree(grid.id)}
    assert tree["1-2"] == "controlled" and tree["1-1"] == "precaution"


def test_same_status_on_the_grid_is_refused_even_if_children_differ(post_db):
    grid = queries.grid_by_code("1")
    sub = next(n for n in queries.grid_tree(grid.id) if n.code == "1-2")
    writes.change_zone(sub.id, "防范区", "该组解封", actor="t")
    with refused(RuleError, "zone_rules.unchanged"):
        writes.change_zone(grid.id, "封控区", "重复", actor="t")
    assert {n.code: n.zone for n in queries.grid_tree(grid.id)}["1-2"] == "precaution"


def test_grid_import_reports_its_progress(post_db):
    seen = []
    writes.upsert_grids(
        [GridInput(f"9{n}", f"网格{n}") for n in range(3)],
        actor="t",
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(3, 3)]
