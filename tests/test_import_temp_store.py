"""A household import keeps its temporary table and journals on disk, then gives the connection back.

Its peak memory grew with the file while they were in memory (176 MiB for 1M households, 111 MiB
on disk: bench/import_csv.py measures it). The connection's own setting (memory, db/connection.py)
must come back after, and an import inside a caller's transaction keeps working.
"""

from __future__ import annotations

from db.connection import open_database
from db.grids.writes import upsert_grids, upsert_households
from db.records import GridInput, HouseholdInput

MEMORY, FILE = 2, 1


def temp_store(database) -> int:
    return database.execute_sql("PRAGMA temp_store").fetchone()[0]


def test_an_import_writes_its_temporary_data_to_disk_and_gives_the_setting_back(tmp_path):
    database = open_database(tmp_path / "post.db")
    upsert_grids([GridInput("1", "一网格")], actor="test")
    assert temp_store(database) == MEMORY
    during = []
    rows = [HouseholdInput("1", f"{n}号", 2, "", None, None, None) for n in range(3)]
    upsert_households(rows, actor="test", progress=lambda done, total: during.append(temp_store(database)))
    assert during and set(during) == {FILE}
    assert temp_store(database) == MEMORY
    database.close()


def test_an_import_inside_a_callers_transaction_keeps_the_connections_setting(tmp_path):
    database = open_database(tmp_path / "post.db")
    upsert_grids([GridInput("1", "一网格")], actor="test")
    with database.atomic():
        upsert_households([HouseholdInput("1", "1号", 2, "", None, None, None)], actor="test")
        assert temp_store(database) == MEMORY
    assert database.execute_sql("SELECT count(*) FROM household").fetchone()[0] == 1
    database.close()
