"""A household file is streamed in batches (issue 18): memory does not grow with the file, a bad
row anywhere still writes nothing, a door given twice is caught however far apart, and a small
import into a big post reads only its own doors."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.grids import household_writes, writes
from db.intake import csv_import
from db.models import database_proxy
from db.records import HouseholdInput

HEADER = "网格,门牌号,人数,联系电话,户主\n"


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(writes, "BATCH", 4)  # a 10-row file is three batches


@pytest.fixture
def no_whole_file(monkeypatch):
    """Reading a whole household file (CsvFile.rows) fails the test."""
    monkeypatch.setattr(
        csv_import.CsvFile, "rows", property(lambda self: pytest.fail("the file was read whole"))
    )


def household_file(tmp_path, lines: list[str], name: str = "h.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="gbk")
    return path


def count(sql: str = "SELECT count(*) FROM household") -> int:
    return database_proxy.execute_sql(sql).fetchone()[0]


def test_a_big_file_is_written_batch_by_batch(post_db, tmp_path, small_batches, no_whole_file):
    path = household_file(tmp_path, [f"1-1,流村{n}号,{n % 5 + 1},1700009{n:04d},户{n}" for n in range(10)])
    before = count()
    result = csv_import.import_csv(path, "households", actor="t")
    assert not result.problems and result.outcome.created == 10 and result.table.count == 10
    assert count() == before + 10
    assert count(
        "SELECT households FROM grid_total t JOIN grid g ON g.id = t.grid_id WHERE g.code = '1'"
    ) == count("SELECT count(*) FROM household h JOIN grid g ON g.id = h.root_id WHERE g.code = '1'")


def test_a_bad_row_in_a_late_batch_writes_nothing(post_db, tmp_path, small_batches, no_whole_file):
    lines = [f"1-1,流村{n}号,2,,户{n}" for n in range(10)]
    lines[9] = "1-1,流村9号,很多,,户9"
    before = count()
    result = csv_import.import_csv(household_file(tmp_path, lines), "households", actor="t")
    assert result.outcome is None and [(p.line, p.key) for p in result.problems] == [(11, "field.bad_people")]
    assert count() == before


def test_a_door_given_twice_in_different_batches_names_both_lines(post_db, tmp_path, small_batches):
    lines = [f"1-1,流村{n}号,2,,户{n}" for n in range(9)] + ["1-2,流村1号,3,,又一户"]
    result = csv_import.import_csv(household_file(tmp_path, lines), "households", actor="t")
    assert [(p.line, p.key, p.params["first"]) for p in result.problems] == [(11, "import.duplicate_door", 3)]
    assert count("SELECT count(*) FROM household WHERE door LIKE '流村%'") == 0


def test_a_door_updated_twice_across_batches_is_caught_too(post_db, tmp_path, small_batches):
    lines = (
        ["1-1,花厅口村1号,2,,改一"]
        + [f"1-1,流村{n}号,2,,户{n}" for n in range(6)]
        + ["1-1,花厅口村1号,3,,改二"]
    )
    result = csv_import.import_csv(household_file(tmp_path, lines), "households", actor="t")
    assert [(p.line, p.params["first"]) for p in result.problems] == [(9, 2)]


def test_extra_values_found_while_streaming_roll_the_import_back(post_db, tmp_path, small_batches):
    lines = [f"1-1,流村{n}号,2,,户{n}" for n in range(9)] + ["1-1,流村9号,2,,户9,多出来的"]
    before = count()
    result = csv_import.import_csv(household_file(tmp_path, lines), "households", actor="t")
    assert [p.key for p in result.problems] == ["import.extra_values"]
    assert count() == before


def test_a_small_import_reads_only_its_own_doors(post_db, monkeypatch):
    writes.upsert_households([HouseholdInput("2-1", f"大村{n}号", 2) for n in range(3000)], actor="t")
    read = []
    original = household_writes._existing
    monkeypatch.setattr(
        household_writes, "_existing", lambda checked: read.append(original(checked)) or read[-1]
    )
    outcome = writes.upsert_households(
        [HouseholdInput("2-1", "大村7号", 5), HouseholdInput("2-1", "新村1号", 1)], actor="t"
    )
    assert (outcome.created, outcome.updated) == (1, 1)
    assert [len(found) for found in read] == [1]  # the one door that exists, not the post's 3,000


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    doors=st.lists(
        st.sampled_from(["甲1号", "甲2号", "甲3号", "花厅口村1号", " 甲1号 "]), min_size=1, max_size=12
    ),
    batch=st.integers(1, 5),
)
def test_streamed_and_whole_imports_agree(post_db, monkeypatch, doors, batch):
    """Whatever the batch size, the streamed write refuses exactly the rows a single batch refuses."""
    rows = [HouseholdInput("1-1", door, 2) for door in doors]

    def outcome(size):
        monkeypatch.setattr(writes, "BATCH", size)
        try:
            with database_proxy.atomic() as txn:
                result = writes.upsert_households(rows, actor="t")
                txn.rollback()
            return result, None
        except writes.BatchError as err:
            return None, [(p.index, p.key, p.params.get("first")) for p in err.problems]

    assert outcome(batch) == outcome(len(rows))
