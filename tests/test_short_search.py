"""Issue #18: a search of one or two characters is answered by the index of schema 13
(``household_grams_fts``) and finds exactly what the LIKE scan it replaced found."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.connection import open_database
from db.grids import bulk, household_search
from db.schema import SCHEMA_VERSION, grams

# A few characters that recur, so that random text matches: CJK, both ASCII cases, digits, LIKE's
# wildcards and escape, FTS5's quote, spaces; and any other character now and then.
COMMON = "欧阳陈晶号村" + "ZzQqAa" + "019" + "%_\\\"' -."
ANY = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")  # SQLite text stops at NUL
CHAR = st.one_of(st.sampled_from(COMMON), ANY)
FIELD = st.text(CHAR, max_size=8)
HOUSEHOLD = st.tuples(FIELD.filter(bool), FIELD, FIELD)  # door, phone, head's name
# The trigram index (3 or more characters, schema 8) folds the case of every alphabet, LIKE only
# ASCII's: that path is compared on text whose case only ASCII has.
UNCASED = st.one_of(st.sampled_from(COMMON), ANY.filter(lambda c: c.isascii() or c.lower() == c.upper()))


def scan(database, text: str, cap: int) -> tuple[int, list[int]]:
    """The search as it was before schema 13: a LIKE scan, ids in id order up to the cap, then sorted."""
    text = text.strip()
    if not text:
        return 0, []
    like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    where = "door LIKE ?1 ESCAPE '\\' OR phone LIKE ?1 ESCAPE '\\' OR head_name LIKE ?1 ESCAPE '\\'"
    count = database.execute_sql(
        f"SELECT count(*) FROM (SELECT id FROM household WHERE {where} LIMIT ?2)", (like, cap + 1)
    ).fetchone()[0]
    ids = database.execute_sql(
        f"SELECT id FROM household WHERE id IN (SELECT id FROM household WHERE {where} ORDER BY id LIMIT ?2)"
        " ORDER BY root_id, door_sort",
        (like, cap),
    ).fetchall()
    return count, [row[0] for row in ids]


def write(database, households, *, bulk_path: bool) -> None:
    """Replace the post's households with ``households``: row by row (the triggers) or in bulk."""
    database.execute_sql("DELETE FROM household")  # every old row leaves the index by its trigger
    rows = [(f"d{n}", door, phone, name) for n, (door, phone, name) in enumerate(households)]
    sql = (
        "INSERT INTO household (grid_id, root_id, door, door_sort, phone, head_name, people)"
        " SELECT id, root_id, ?, ?, ?, ?, 1 FROM grid WHERE code = '1-1'"
    )
    with database.atomic():
        if bulk_path:
            with bulk.deferred_upkeep() as roots:
                for sort, door, phone, name in rows:
                    database.execute_sql(sql, (door, sort, phone, name))
                roots.update(r[0] for r in database.execute_sql("SELECT DISTINCT root_id FROM household"))
        else:
            for sort, door, phone, name in rows:
                database.execute_sql(sql, (door, sort, phone, name))


def assert_same(database, text: str, cap: int) -> None:
    count, ids = scan(database, text, cap)
    assert household_search.search_count(text) == count, text
    assert [r.id for r in household_search.search_page(text, 0, cap + 5)] == ids, text


SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(
    households=st.lists(HOUSEHOLD, max_size=12, unique_by=lambda h: h[0]),  # one door, one household
    queries=st.lists(st.text(CHAR, min_size=1, max_size=2), min_size=1, max_size=6),
    bulk_path=st.booleans(),
    cap=st.sampled_from([2, 1_000]),
)
def test_one_or_two_characters_find_what_the_scan_found(
    post_db, monkeypatch, households, queries, bulk_path, cap
):
    monkeypatch.setattr(household_search, "CAP", cap)
    write(post_db, households, bulk_path=bulk_path)
    # Text taken from the households too, so that most queries match something.
    taken = [
        f[i : i + n]
        for door, phone, name in households
        for f in (door, phone, name)
        for n in (1, 2)
        for i in range(len(f))
    ]
    for text in queries + taken[:20] + [q.swapcase() for q in taken[:10]]:
        if 0 < len(text.strip()) <= 2:
            assert_same(post_db, text, cap)


@SETTINGS
@given(
    households=st.lists(
        st.tuples(
            st.text(UNCASED, min_size=1, max_size=8),
            st.text(UNCASED, max_size=8),
            st.text(UNCASED, max_size=8),
        ),
        max_size=10,
        unique_by=lambda h: h[0],
    ),
    queries=st.lists(st.text(UNCASED, min_size=1, max_size=5), min_size=1, max_size=6),
)
def test_every_length_finds_what_the_scan_found(post_db, households, queries):
    write(post_db, households, bulk_path=False)
    taken = [f[:n] for door, phone, name in households for f in (door, phone, name) for n in (1, 2, 3, 4)]
    for text in queries + taken[:24]:
        assert_same(post_db, text, 1_000)


def test_edits_and_deletes_keep_the_index_exact(post_db):
    post_db.execute_sql("UPDATE household SET head_name = '欧阳' || id WHERE id % 3 = 0")
    post_db.execute_sql("DELETE FROM household WHERE id % 5 = 0")
    for text in ("欧", "欧阳", "阳1", "户", "户主", "主1", "9", "号"):
        assert_same(post_db, text, 1_000)
    assert household_search.search_count("欧阳") > 0
    assert index_terms(post_db, "household_grams_fts") == rebuilt_terms(post_db)


def index_terms(database, table: str) -> list[tuple]:
    database.execute_sql(f"CREATE VIRTUAL TABLE temp.{table}_terms USING fts5vocab(main, {table}, row)")
    return database.execute_sql(f"SELECT term, doc FROM temp.{table}_terms ORDER BY term").fetchall()


def rebuilt_terms(database) -> list[tuple]:
    """The index as a fresh build from the households now would hold it (term, households)."""
    database.execute_sql(
        "CREATE VIRTUAL TABLE temp.fresh USING fts5(grams, content='', detail=none, tokenize='ascii')"
    )
    database.execute_sql(
        "INSERT INTO temp.fresh (rowid, grams) SELECT id, cmdpost_grams(door, phone, head_name) FROM household"
    )
    database.execute_sql("CREATE VIRTUAL TABLE temp.fresh_terms USING fts5vocab(temp, fresh, row)")
    return database.execute_sql("SELECT term, doc FROM temp.fresh_terms ORDER BY term").fetchall()


@pytest.mark.parametrize(
    ("fields", "tokens"),
    [
        (("Ab", "", "欧阳"), {"61", "62", "61x62", "6b27", "9633", "6b27x9633"}),
        (("a a", None, "%_"), {"61", "20", "61x20", "20x61", "25", "5f", "25x5f"}),
        (("1", "2", "3"), {"31", "32", "33"}),  # no pair across two fields
        (("", "", ""), set()),
    ],
)
def test_grams_are_every_character_and_pair_with_ascii_lowered(fields, tokens):
    assert set(grams(*fields).split()) == tokens


def test_the_index_is_used_and_reads_no_household(post_db):
    sql, params = household_search._matches("欧", 10)
    plan = [row[-1] for row in post_db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()]
    assert plan and all(step.startswith("SCAN household_grams_fts VIRTUAL TABLE") for step in plan), plan


def test_ascii_case_only_is_folded(post_db):
    write(post_db, [("Zq", "", "Ää"), ("zQ", "", "")], bulk_path=False)
    assert household_search.search_count("zq") == 2 and household_search.search_count("Z") == 2
    assert household_search.search_count("ä") == 1 and household_search.search_count("Ä") == 1
    assert household_search.search_count("ää") == 0  # LIKE never folded them, nor does the index


def test_an_upgrade_says_so_on_stderr_once(db_path, capsys):
    from console.cli import main
    from tests.test_migrations import make_v1_file

    make_v1_file(db_path)
    assert main(["user", "list", "--db", str(db_path)]) == 0
    assert f"从第 1 版升级到第 {SCHEMA_VERSION} 版" in capsys.readouterr().err
    assert main(["user", "list", "--db", str(db_path)]) == 0
    assert "升级" not in capsys.readouterr().err
    database = open_database(db_path)
    assert household_search.search_count("施") == household_search.search_count("施建") == 1
    database.close()
