"""The chain reader's rules the full mutation run (.ci/mutation chain, 2026-12-05) left untested: 66
survivors that owed a test. Each row is a real chain line and what the reader makes of it, every field
it comes to (or the plan's decision: recorded, asked and why, the number), so a changed rule in
db/intake/chain*.py shows as a wrong number, a wrong door, a lost remark or a line no longer asked."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db.connection import open_database
from db.grids.writes import upsert_grids, upsert_households
from db.intake import chain_doors, chain_plan
from db.intake.chain import read_chain
from db.intake.chain_text import AMBIGUOUS, composed_count
from db.records import GridInput, HouseholdInput
from tests.data.chain_corpus import MENU
from tests.test_chain_corpus import register  # noqa: F401  (a fixture)
from tests.test_mut_chain import PLACES

FIELDS = ("lines", "status", "door", "people", "phone", "remark", "head", "tested", "not_tested", "names")
P = "13800001234"
V = "花厅口村"


def fields(text: str) -> list[tuple]:
    return [tuple(getattr(e, f) for f in FIELDS) for e in read_chain(text)]


def entry(lines, status, door=None, people=None, phone=None, remark=None, head=None, tested=None, **more):
    return (
        lines,
        status,
        door,
        people,
        phone,
        remark,
        head,
        tested,
        more.get("not_tested", False),
        more.get("names"),
    )


FIRST = entry([1], "ok", "1号", 1)
HEADER = entry([1], "header")


@pytest.mark.parametrize(
    "text, want",
    [
        # the format posted again as a reminder, after the first household: a header, not an unread line
        ("1. 1号 1人\n门牌+人数+电话", [FIRST, entry([2], "header")]),
        # a plus between two names on a household line is no format: the household is read
        (
            "1. 1号 1人\n5. 13号 张三+李四",
            [FIRST, entry([2], "ok", "13号", remark="李四", head="张三", names=["张三", "李四"])],
        ),
        ("1. 1号 1人\n继续接龙", [FIRST, entry([2], "header")]),  # 接龙 after the first entry: a header
        # a title that opens with a number and a space is a header, not a household at door 2022
        ("2022 全员核酸\n1. 12号 3人", [HEADER, entry([2], "ok", "12号", 3)]),
        # 5 号: the lone number is the door's (号 follows), not the head count
        (f"1. {V} 5 号 {P}", [entry([1], "ok", f"{V} 5 号", None, P)]),
        (f"1. {V} 5 号", [entry([1], "ok", f"{V} 5 号")]),
        (f"1. 12 3 {P}", [entry([1], "ok", "12", 3, P)]),  # the first number is the door, then the count
        ("1. 5-1-201[强]3人", [entry([1], "ok", "5-1-201", 3)]),  # a sticker between door and count
        (f"{P} 1-2-201 3人", [entry([1], "ok", "1-2-201", 3, P)]),  # the phone first: no remark
        # the remark's pieces in the order written, whatever the blanks (stickers) before the count
        (
            f"1. 12号(老人){P}[强][强][强][强][强]3人 放门口",
            [entry([1], "ok", "12号", 3, P, "老人；放门口")],
        ),
        (f"1. (楼下)张家 3人 {P}", [entry([1], "unparsed", None, 3, P, "张家；楼下")]),
        # a question about a door, then two households: not read as two entries at door 12号
        ("1. 12号?；13号 3人；14号 2人", [entry([1], "unparsed", remark="13号 3人;14号 2人")]),
        ("1. 1号 1人\n5.(已搬走)", [FIRST, entry([2], "unparsed", remark="已搬走")]),  # a bracket alone
        # masked names end in X: still plainly names
        ("1. 12号 张X 李XX", [entry([1], "ok", "12号", remark="张X 李XX", names=["张X", "李XX"])]),
        # a mobile masked past reading, then the real one
        (f"1. 12号 3人 138xxxxxxxx {P}", [entry([1], "ok", "12号", 3, P, "138xxxxxxxx")]),
        (
            "1. 12号 4人中3人已做 1人在外地",
            [entry([1], "ok", "12号", 4, remark="在外地", tested=3, not_tested=True)],
        ),
        # a bracket alone under a household joins it: not tested, never recorded as 3 tested
        ("1. 12号 3人\n(未做)", [entry([1, 2], "ok", "12号", 3, remark="未做", not_tested=True)]),
        (
            "1. 12号 4人\n4人中3人已做（一人住院）",
            [entry([1, 2], "ok", "12号", 4, remark="一人住院", tested=3)],
        ),
        ("1. 12号 张三", [entry([1], "ok", "12号", head="张三", names=["张三"])]),  # one name: one person
        ("1. 1号 1人\n3. 未做", [FIRST, entry([2], "unparsed", not_tested=True)]),
        # two households on one line: the rest is kept for the operator, whole
        ("1. 20号 2人 8. 20号 2人", [entry([1], "ask", "20号", 2, remark="8. 20号 2人")]),
        (
            f"1. 12号 2人 {P} 8. 13号 3人 1381234567X",
            [entry([1], "ask", "12号", 2, P, "8. 13号 3人 1381234567X")],
        ),
        # 小区 holds 小, a part word: two plain counts in a row still read the first
        ("1. 小区12号 3人 2人", [entry([1], "ok", "小区12号", 3, remark="2人")]),
        # a count, then who they are: the count where it was written, the door before it
        ("1. 12号 3人，其中2大1小", [entry([1], "ok", "12号", 3, remark="其中2大1小")]),
        ("1. 12号 2大1小，共3人", [entry([1], "ok", "12号", 3, remark="共3人")]),
        ("1. 12号 1个小孩，共3人", [entry([1], "ok", "12号", 3)]),  # not door "12号 1个小孩"
        ("1. 12号 1个小孩，共3人 放门口", [entry([1], "ok", "12号", 3, remark="放门口")]),
    ],
)
def test_a_line_read_in_full(text, want):
    assert fields(text) == want


@pytest.mark.parametrize(
    "text, remark",
    [
        ("1. 12号 3人，其中2大2小", "3人,其中2大2小"),  # three, or four?
        ("1. 12号 2大2小，共3人", "2大2小,共3人"),
        ("1. 12号 夫妻两人 共3人", "夫妻两人 共3人"),
        ("1. 12号 3人 1个小孩", "3人 1个小孩"),  # three with the child, or four?
    ],
)
def test_a_count_not_certain_is_no_count_and_stays_in_the_remark(text, remark):
    """Never part of the door (12号 3人 would be a household new to the register), never a number."""
    assert fields(text) == [entry([1], "ok", "12号", None, remark=remark)]


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 9), st.integers(1, 9), st.integers(0, 9), st.booleans())
def test_a_count_beside_its_parts_is_read_only_when_they_agree(written, adults, children, count_first):
    parts = f"{adults}大{children}小" if children else f"{adults}大"
    words = f"{written}人，其中{parts}" if count_first else f"{parts}，共{written}人"
    [household] = read_chain(f"1. 12号 {words} {P}")
    assert (household.door, household.phone) == ("12号", P)  # never a door that holds the count
    # one part is who some of them are ("共3人" with "1大"); two must add up to the count
    assert household.people == (written if not children or written == adults + children else None)


def test_a_count_of_no_one_beside_a_part_is_not_certain():
    """共0人 reads as no number: the count beside the part is not certain, never the part's 1."""
    assert composed_count("1个小孩，共0人") == (AMBIGUOUS, 0, 8)
    assert fields("1. 12号 1个小孩，共0人") == [entry([1], "ok", "12号", remark="1个小孩,共0人")]


def test_masked_names_are_plainly_names():
    [household] = read_chain("1. 12号 张X 李XX")
    assert (household.names, household.names_plain) == (["张X", "李XX"], True)


def test_a_household_over_two_lines_keeps_both_lines_text():
    [household] = read_chain("1. 花厅口村\n12号 3人")
    assert (household.lines, household.door, household.people) == ([1, 2], "花厅口村12号", 3)
    assert household.text == "1. 花厅口村\n12号 3人"


# -- the plan: what is recorded, what is asked, and on which line --------------------------------------


def decided(kind: str, text: str, **options) -> list[tuple]:
    plan = chain_plan.plan_chain(kind, "1", text, menu=MENU, **options)
    return [(d.line, d.status, d.reason, d.door, d.value, d.goods, d.other_line) for d in plan.decisions]


TESTS_CHAIN = "\n".join(
    [
        "标题",
        "1. 12号 小明 小红",  # names, not plainly names, no count: asked
        "2. 13号 小明",  # one name, not plainly one: no count
        "3. 14号 更正",  # a correction and nothing else: no count, not blank
        "",
        "5. 5号 空置",
        "6. 20号 2人 8. 21号 3人",
        "7. 12号 2人 抗原",
        "8. 13号 未做",
        "9. 张三 李四 已做",
        "10. 12号 已做",
        "11. 更正 3人",
        "12. 15号",
    ]
)


def test_every_decision_of_a_tests_chain_names_its_own_line(register):
    """cmdpost chain prints each line asked about or set aside as file:line: why, from the decision."""
    assert decided("tests", TESTS_CHAIN) == [
        (1, "header", None, None, None, None, None),
        (2, "ask", "names_unclear", None, None, None, None),
        (3, "ask", "no_count", None, None, None, None),
        (4, "ask", "no_count", None, None, None, None),
        (6, "vacant", None, None, None, None, None),
        (7, "ask", "two_entries", None, None, None, None),
        (8, "antigen", None, None, None, None, None),
        (9, "not_tested", None, None, None, None, None),
        (10, "ask", "names_no_door", None, None, None, None),
        (11, "ask", "no_count", None, None, None, None),
        (12, "unparsed", None, None, None, None, None),
        (13, "blank", None, None, None, None, None),
    ]


def test_a_correction_alone_is_asked_for_its_count_in_a_household_chain(register):
    assert decided("households", "1. 14号 更正") == [(1, "ask", "no_count", None, None, None, None)]


def test_masked_names_are_recorded_as_that_many_tested(register):
    assert decided("tests", "1. 12号 张X 李XX") == [(1, "ok", None, V + "12号", 2, None, None)]


@pytest.mark.parametrize("kind", ["households", "tests"])
def test_a_count_with_who_they_are_is_the_registered_household(register, kind):
    """Not a household new to the register at door "12号 3人": the door ends before the count."""
    assert decided(kind, "1. 12号 3人，其中2大1小") == [(1, "ok", None, V + "12号", 3, None, None)]


@pytest.mark.parametrize("kind", ["households", "tests"])
def test_a_count_and_parts_that_disagree_are_asked(register, kind):
    """Asked for the count, never set aside as a template line left blank: nothing else is written."""
    for text in (
        "1. 12号 3人，其中2大2小",
        "1. 12号 2大2小，共3人",
        "1. 12号 夫妻两人 共3人",
        "1. 12号 3人 1个小孩",
    ):
        assert [d[1:3] for d in decided(kind, text)] == [("ask", "no_count")], text


ORDERS_CHAIN = "\n".join(
    [
        "今日团购",
        f"1. {V}2号 大米10斤",
        f"2. {V}2号 你好",  # the door again, no goods: asked, never taken for a duplicate
        f"3. {V}3号 大米10斤；{V}4号 大米5斤",
        "4. 大米5斤",
        f"5. {V}5号 鸡蛋2个",
        f"6. {V}6号",
        "大家好",
    ]
)


def test_every_decision_of_an_orders_chain_names_its_own_line(register):
    assert decided("orders", ORDERS_CHAIN) == [
        (1, "header", None, None, None, None, None),
        (2, "ok", None, V + "2号", None, [("大米", 10)], None),
        (3, "ask", "no_goods", None, None, None, None),
        (4, "ask", "two_entries", None, None, None, None),
        (5, "ask", "no_door", None, None, None, None),
        (6, "ask", "not_on_menu", None, None, None, None),
        (7, "blank", None, None, None, None, None),
        (8, "chatter", None, None, None, None, None),
    ]


def test_a_third_line_after_a_correction_is_its_duplicate(register):
    assert decided("households", "1. 12号 3人\n2. 12号 更正 4人\n3. 12号 4人") == [
        (1, "superseded", None, V + "12号", 3, None, 2),
        (2, "ok", None, V + "12号", 4, None, 1),
        (3, "duplicate", None, V + "12号", 4, None, 2),
    ]


@pytest.mark.parametrize("kind", ["households", "tests"])
def test_two_registered_doors_one_key_apart_are_two_households(register, kind):
    """A12号 and a12号 are one door to a chain's reading, but the register holds both: each line is its own."""
    upsert_households(
        [HouseholdInput("1", door, 3, "", None, None, None) for door in ("A12号", "a12号")], actor="test"
    )
    assert decided(kind, "1. A12号 3人\n2. a12号 2人") == [
        (1, "ok", None, "A12号", 3, None, None),
        (2, "ok", None, "a12号", 2, None, None),
    ]


def test_the_lines_after_a_cancellation_are_settled_too(register):
    text = f"1. {V}2号 大米10斤\n2. {V}2号 取消\n3. {V}3号 大米1斤\n4. {V}3号 大米2斤\n5. {V}4号 取消"
    assert decided("orders", text) == [
        (1, "cancelled", None, V + "2号", None, [("大米", 10)], 2),
        (2, "cancel", None, V + "2号", None, [], 1),
        (3, "ask", "conflict", V + "3号", None, [("大米", 1)], 4),
        (4, "ask", "conflict", V + "3号", None, [("大米", 2)], 3),
        (5, "ask", "cancel_nothing", V + "4号", None, [], None),
    ]


def test_a_round_that_says_nothing_does_not_count_self_tests(register):
    plan = chain_plan.plan_entries("tests", "1", read_chain("1. 12号 2人 抗原"))
    assert [(d.status, d.value) for d in plan.decisions] == [("antigen", None)]


def test_a_skipped_line_keeps_its_line(register):
    plan = chain_plan.plan_entries("tests", "1", read_chain("1. 12号 2人\n2. 13号 3人"), skipped={0})
    assert [(d.line, d.status) for d in plan.decisions] == [(1, "skipped"), (2, "ok")]


def test_a_grid_of_exactly_200_places_finds_a_door_by_its_short_form(tmp_path):
    """At 200 places the indexed lookups still run: 东区12号 is found as the register's 12号."""
    database = open_database(tmp_path / "post.db")
    upsert_grids([GridInput("1", "一网格")], actor="test")
    rows = [HouseholdInput("1", f"{p}{n}号", 2, "", None, None, None) for n, p in enumerate(PLACES[:200])]
    rows.append(HouseholdInput("1", "9999号", 4, "", None, None, None))
    upsert_households(rows, actor="test")
    assert len(chain_doors._places([1])) == chain_doors._MAX_PLACES
    found = chain_doors.match_doors("1", ["东区9999号"])["东区9999号"]
    assert [(h.door, h.people) for h in found] == [("9999号", 4)]
    database.close()
