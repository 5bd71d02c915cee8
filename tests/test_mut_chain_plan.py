"""The plan's decisions pinned where the mutation run (.ci/mutation chain) found them untested: each
row is a chain and every field of every decision it comes to (status, reason, register door, value,
goods, the other line), so a changed rule in db/intake/chain_plan.py shows as a wrong number, a
wrong door, or a line recorded that should be asked about."""

from __future__ import annotations

import pytest

from db.intake import chain_plan
from db.intake.chain import read_chain
from db.registers import writes as registers
from db.supply import writes as supply
from tests.data.chain_corpus import MENU
from tests.test_chain_corpus import register  # noqa: F401  (a fixture)

V = "花厅口村"


def decided(kind: str, text: str, **options) -> list[tuple]:
    plan = chain_plan.plan_chain(kind, "1", text, menu=MENU, **options)
    return [(d.status, d.reason, d.door, d.value, d.goods, d.choices, d.other_line) for d in plan.decisions]


def ok(door: str, value: int | None = None, goods=None, other: int | None = None) -> tuple:
    return ("ok", None, door, value, goods, [], other)


def asked(reason: str, door: str | None = None, value: int | None = None, goods=None, other=None) -> tuple:
    return ("ask", reason, door, value, goods, [], other)


def settled(status: str) -> tuple:
    return (status, None, None, None, None, [], None)


TESTS = [
    ("1. 12号 3人中2人已做", [ok(V + "12号", 2)]),  # 3 live there, 2 are tested: the 2 is recorded
    ("1. 12号 2人 抗原", [settled("antigen")]),
    ("1. 12号 未做", [settled("not_tested")]),
    ("1. 12号 张三 李某 已做", [ok(V + "12号", 2)]),
    ("1. 12号 张三 已做", [ok(V + "12号", 1)]),
    ("1. 12号 3人", [ok(V + "12号", 3)]),
    ("1. 12号 6人", [ok(V + "12号", 6)]),  # as many as live there (6): recorded
    ("1. 12号 7人", [asked("more_than_registered", V + "12号", 7)]),
    ("1. 12号 已做", [asked("no_count")]),
    ("1. 5号 空置", [settled("vacant")]),
    ("1. 5号 2人 空置", [ok(V + "5号", 2)]),  # a count beside 空置: the count stands
    (
        "1. 12号 9人\n2. 12号 更正 2人",
        [("superseded", None, V + "12号", 9, None, [], 2), ok(V + "12号", 2, other=1)],
    ),
    (
        "1. 12号 9人\n2. 12号 9人",
        [
            asked("more_than_registered", V + "12号", 9),
            ("duplicate", "more_than_registered", V + "12号", 9, None, [], 1),
        ],
    ),
]

HOUSEHOLDS = [
    ("1. 5号 空置", [settled("vacant")]),
    ("1. 5号 2人 空置", [ok(V + "5号", 2)]),
    ("1. 12号 13800001234", [asked("no_count")]),  # no count: never recorded as some number
    ("1. 12号 3人 8. 13号 2人", [asked("two_entries")]),
    ("1. 花厅口村90号 2人\n2. 花厅口村91号 3人", [ok(V + "90号", 2), ok(V + "91号", 3)]),  # two new doors
    (
        "1. 花厅口村90号 2人\n2. 花厅口村90号 3人",  # one new door, two counts
        [asked("conflict", V + "90号", 2, other=2), asked("conflict", V + "90号", 3, other=1)],
    ),
    (
        "1. 12号 3人 13800001234\n2. 12号 3人 13800001234",
        [ok(V + "12号", 3), ("duplicate", None, V + "12号", 3, None, [], 1)],
    ),
    (
        "1. 12号 3人 13800001234\n2. 12号 4人 13800001234",  # the same phone: the later line corrects
        [("superseded", None, V + "12号", 3, None, [], 2), ok(V + "12号", 4, other=1)],
    ),
    ("1. 12号 3人\n2. 12号 3人", [ok(V + "12号", 3), ("duplicate", None, V + "12号", 3, None, [], 1)]),
    (
        "1. 12号 3人\n2. 12号 4人\n3. 12号 5人",
        [
            asked("conflict", V + "12号", 3, other=2),
            asked("conflict", V + "12号", 4, other=3),
            asked("conflict", V + "12号", 5, other=2),
        ],
    ),
    (
        "1. 12号 3人\n2. 12号 4人\n3. 12号 更正 5人",  # the correction settles the dispute before it
        [
            ("superseded", None, V + "12号", 3, None, [], 3),
            ("superseded", None, V + "12号", 4, None, [], 3),
            ok(V + "12号", 5, other=2),
        ],
    ),
    (
        "1. 12号 3人\n2. 12号 更正 3人",
        [("superseded", None, V + "12号", 3, None, [], 2), ok(V + "12号", 3, other=1)],
    ),
]

ORDERS = [
    ("1. 花厅口村2号 取消", [asked("cancel_nothing", V + "2号", goods=[])]),
    (
        "1. 花厅口村2号 大米10斤 食用油1瓶\n2. 花厅口村2号 取消 大米",  # one item withdrawn, the rest stays
        [ok(V + "2号", goods=[("食用油", 1)]), ("cancel", None, V + "2号", None, [("大米", 1)], [], 1)],
    ),
    (
        "1. 花厅口村2号 大米10斤\n2. 花厅口村2号 大米10斤",
        [ok(V + "2号", goods=[("大米", 10)]), ("duplicate", None, V + "2号", None, [("大米", 10)], [], 1)],
    ),
    (
        "1. 花厅口村2号 大米10斤\n2. 花厅口村2号 大米20斤",
        [
            asked("conflict", V + "2号", goods=[("大米", 10)], other=2),
            asked("conflict", V + "2号", goods=[("大米", 20)], other=1),
        ],
    ),
    ("1. 花厅口村2号 鸡蛋1斤", [asked("not_on_menu")]),
    ("1. 花厅口村2号 你好", [asked("no_goods")]),
    ("1. 大米10斤", [asked("no_door")]),
]


@pytest.mark.parametrize(
    "kind, text, want",
    [("tests", *t) for t in TESTS]
    + [("households", *h) for h in HOUSEHOLDS]
    + [("orders", *o) for o in ORDERS],
)
def test_each_decision_in_full(register, kind, text, want):
    assert decided(kind, text) == want


def test_antigen_is_recorded_when_the_round_counts_it(register):
    assert decided("tests", "1. 12号 2人 抗原", antigen_counts=True) == [ok(V + "12号", 2)]


# -- what record_plan writes ------------------------------------------------------------------------------

NOW = 1_649_500_000  # 2022-04-09 at the post


def test_an_order_chain_is_written_with_its_notes_urgency_source_and_time(register):
    for name, unit in MENU:
        supply.add_item(name, unit, "grain_oil", actor="test", now=NOW)
    text = "1. 花厅口村2号 大米10斤 放门口\n2. 花厅口村3号 食用油1瓶 急\n3. 花厅口村4号 大米1斤"
    plan = chain_plan.plan_chain("orders", "1", text, menu=MENU)
    chain_plan.record_plan(plan, actor="录入员", now=NOW + 1)
    assert register.execute_sql(
        "SELECT h.door, o.urgent, o.source, o.note, o.created_at, o.created_by"
        " FROM supply_order o JOIN household h ON h.id = o.household_id ORDER BY o.id"
    ).fetchall() == [
        (V + "2号", 0, "chain", "放门口", NOW + 1, "录入员"),
        (V + "3号", 1, "chain", "急", NOW + 1, "录入员"),
        (V + "4号", 0, "chain", "", NOW + 1, "录入员"),
    ]


def test_a_test_chain_is_written_with_its_source_time_and_who(register):
    number = registers.create_round(1, "2022-04-10", actor="test")
    plan = chain_plan.plan_chain("tests", "1", "1. 12号 2人\n2. 13号 张三 李某 已做")
    chain_plan.record_plan(plan, actor="录入员", round_id=number, now=NOW + 2)
    assert register.execute_sql(
        "SELECT h.door, t.people, t.source, t.recorded_at, t.recorded_by"
        " FROM test_record t JOIN household h ON h.id = t.household_id ORDER BY h.door"
    ).fetchall() == [(V + "12号", 2, "chain", NOW + 2, "录入员"), (V + "13号", 2, "chain", NOW + 2, "录入员")]


def test_a_household_chain_is_written_unless_it_is_a_dry_run(register):
    plan = chain_plan.plan_chain(
        "households", "1", "1. 12号 5人 陈志明 13800001234 独居老人\n2. 花厅口村90号 2人"
    )
    read = "SELECT door, people, head_name, phone, note FROM household WHERE door IN (?, ?) ORDER BY door"
    before = register.execute_sql(read, (V + "12号", V + "90号")).fetchall()
    chain_plan.record_plan(plan, actor="录入员", dry_run=True)
    assert register.execute_sql(read, (V + "12号", V + "90号")).fetchall() == before
    outcome = chain_plan.record_plan(plan, actor="录入员")  # not a dry run unless asked
    assert (outcome.created, outcome.updated) == (1, 1)
    assert register.execute_sql(read, (V + "12号", V + "90号")).fetchall() == [
        (V + "12号", 5, "陈志明", "13800001234", "独居老人"),
        (V + "90号", 2, "", "", ""),
    ]


def test_the_plan_as_json_names_each_decision_field(register):
    """What --json and the review screen read: the reader's fields, then the decision's."""
    plan = chain_plan.plan_chain("tests", "1", "1. 211号 2人\n2. 12号 3人\n3. 12号 更正 2人")
    data = plan.to_json()
    assert data["kind"] == "tests"
    decision = ("read_as", "status", "reason", "register_door", "value", "choices", "other_line")
    assert [tuple(e[k] for k in decision) for e in data["entries"]] == [
        ("ok", "ask", "several_doors", None, 2, ["东区211号", "花厅口村211号"], None),
        ("ok", "superseded", None, V + "12号", 3, [], 3),
        ("duplicate", "ok", None, V + "12号", 2, [], 2),
    ]
    assert "goods" not in data["entries"][0]
    orders = chain_plan.plan_chain("orders", "1", "1. 花厅口村2号 大米10斤", menu=MENU).to_json()
    assert (orders["kind"], orders["entries"][0]["goods"]) == ("orders", [["大米", 10]])


# -- what the review screen settles: lines skipped, a door chosen -------------------------------------------


def planned(kind: str, text: str, **options) -> list[tuple]:
    plan = chain_plan.plan_entries(kind, "1", read_chain(text), **options)
    return [(d.status, d.reason, d.door, d.value, d.choices, d.other_line) for d in plan.decisions]


def test_a_skipped_line_records_nothing_and_disputes_nothing(register):
    assert planned("households", "1. 12号 3人\n2. 12号 4人", skipped={0}) == [
        ("skipped", None, None, None, [], None),
        ("ok", None, V + "12号", 4, [], None),
    ]


def test_a_chosen_door_is_then_the_line_s_door_with_every_rule_still_applied(register):
    assert planned("tests", "1. 211号 2人\n2. 东区211号 3人", chosen_doors={0: "东区211号"}) == [
        ("ask", "conflict", "东区211号", 2, [], 2),
        ("ask", "conflict", "东区211号", 3, [], 1),
    ]
    assert planned("tests", "1. 211号 4人", chosen_doors={0: "东区211号"}) == [
        ("ask", "more_than_registered", "东区211号", 4, [], None)  # 东区211号 holds 3
    ]


def test_a_chosen_door_that_is_not_one_of_the_choices_leaves_the_choice(register):
    assert planned("tests", "1. 211号 2人", chosen_doors={0: "南区211号"}) == [
        ("ask", "several_doors", None, 2, ["东区211号", V + "211号"], None)
    ]
