"""One test per pattern issue 14 lists: the reader and the plan, each form on its own line."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.intake import chain_plan
from db.intake.chain import read_chain
from db.intake.orders_chain import read_order_chain
from tests.data.chain_corpus import MENU
from tests.test_chain_corpus import register  # noqa: F401  (a fixture)


def one(line: str):
    return read_chain(f"1. 花厅口村1号 1人\n{line}")[-1]


@pytest.mark.parametrize(
    "count, people",
    [
        ("2大1小", 3),
        ("夫妻两人+1个小孩", 3),
        ("大人3小孩2", 5),
        ("家里老人2个", 2),
        ("夫妻俩", 2),
        ("两人", 2),
        ("兩人", 2),
        ("３人", 3),
        ("一家四口", 4),
        ("老人1个 小孩2个", 3),
        ("1老2大1小", 4),
    ],
)
def test_composed_counts_and_numerals(count, people):
    entry = one(f"2. 花厅口村12号 {count} 13800001234")
    assert (entry.door, entry.people, entry.phone) == ("花厅口村12号", people, "13800001234")


def test_phone_first():
    entry = one("13912345678 1-2-201 3人")
    assert (entry.status, entry.door, entry.people, entry.phone) == ("ok", "1-2-201", 3, "13912345678")


def test_traditional_characters_fold_for_matching_and_the_text_stays_as_written():
    entry = one("2. 花廳口村5號 兩人")
    assert (entry.door, entry.people) == ("花厅口村5号", 2)
    assert entry.text == "2. 花廳口村5號 兩人"


@pytest.mark.parametrize("line", ["2. 5号 空置", "2. 6号 无人居住", "2. 7号 房子空着"])
def test_vacant_houses(line):
    entry = one(line)
    assert entry.vacant and entry.people is None and entry.status == "ok"


@pytest.mark.parametrize(
    "line", ["2. 11号 4人 13800000011 3. 12号 2人 13800000012", "2. 9-1-301 2人；9-1-302 3人"]
)
def test_two_households_on_one_line_are_flagged_not_merged(line):
    entry = one(line)
    assert entry.status == "ask" and entry.remark  # the second is kept for the operator to see


@pytest.mark.parametrize(
    "line",
    [
        "@群主 蔬菜包里有什么",
        "请问明天几点做核酸？",
        "已下单的今天下午3点后在楼下领取",
        "今天可订：大米（斤）、食用油（瓶）",
        "收到",
    ],
)
def test_chatter_questions_announcements_and_menus_are_never_entries(line):
    assert one(line).status in ("unparsed", "header")
    orders = read_order_chain(f"1. 花厅口村1号 大米10斤\n{line}", MENU)
    assert orders[-1].status in ("chatter", "header") and orders[0].goods == [("大米", 10)]


def test_testing_wording():
    assert (one("2. 12号 4人中3人已做，1人在外地").people, one("2. 12号 4人中3人已做，1人在外地").tested) == (
        4,
        3,
    )
    assert one("2. 12号 未做 明天补").not_tested and one("2. 12号 在外地").not_tested
    assert one("2. 12号 没做").not_tested
    assert one("2. 12号 2人 抗原阴性").antigen
    names = one("2. 12号 张三 李四 王五 已做")
    assert (names.names, names.names_plain) == (["张三", "李四", "王五"], True)
    assert one("陈xx 已做").names == ["陈xx"] and one("陈xx 已做").status == "unparsed"


def test_corrections_are_read():
    assert (one("2. 12号 3人 改为4人").people, one("2. 12号 3人 改为4人").correction) == (4, True)
    assert one("2. 12号 更正：5人").people == 5 and one("2. 12号 更正：5人").remark is None


@pytest.mark.parametrize(
    "line, goods",
    [
        ("1. 花厅口村5号 2斤土豆 3斤青菜", [("土豆", 2), ("青菜", 3)]),
        ("1. 花厅口村5号 土豆2斤 青菜3斤", [("土豆", 2), ("青菜", 3)]),
        ("1. 花厅口村5号 土豆2斤青菜3斤", [("土豆", 2), ("青菜", 3)]),
        ("1. 花厅口村5号 大米10斤、青菜x2 蔬菜包", [("大米", 10), ("青菜", 2), ("蔬菜包", 1)]),
        ("1. 花厅口村5号 蔬菜包 两份", [("蔬菜包", 2)]),
    ],
)
def test_quantity_before_or_after_the_item(line, goods):
    entry = read_order_chain(line, MENU)[0]
    assert (entry.door, sorted(entry.goods)) == ("花厅口村5号", sorted(goods))


# -- the plan: doors, corrections, cancellations ------------------------------------------------------------


def decisions(kind: str, text: str, **options) -> list[chain_plan.Decision]:
    return chain_plan.plan_chain(kind, "1", text, menu=MENU, **options).decisions


@pytest.mark.parametrize(
    "door, register_door",
    [
        ("花厅口村12号", "花厅口村12号"),
        ("12号", "花厅口村12号"),
        ("花厅口村12號", "花厅口村12号"),
        ("1栋1单元201", "1栋1单元201"),
        ("1-1-201", "1栋1单元201"),
        ("1幢1单元201室", "1栋1单元201"),
        ("2栋1单元301", "2-1-301"),
    ],
)
def test_doors_are_matched_to_the_register_and_its_door_recorded(register, door, register_door):
    [d] = decisions("tests", f"1. {door} 2人")
    assert (d.status, d.door) == ("ok", register_door)


def test_a_door_that_could_be_several_is_a_choice(register):
    [d] = decisions("tests", "1. 211号 2人")
    assert (d.status, d.reason, d.choices) == ("ask", "several_doors", ["东区211号", "花厅口村211号"])
    plan = chain_plan.plan_entries("tests", "1", read_chain("1. 211号 2人"), chosen_doors={0: "东区211号"})
    assert (plan.decisions[0].status, plan.decisions[0].door) == ("ok", "东区211号")


def test_a_short_form_is_not_taken_for_a_longer_number(register):
    [d] = decisions("tests", "1. 1号 2人")  # 花厅口村1号, not 花厅口村11号 or 21号
    assert (d.status, d.door) == ("ok", "花厅口村1号")


def test_an_unknown_door_is_asked_about_for_tests_and_orders(register):
    assert decisions("tests", "1. 9999号 2人")[0].reason == "unknown_door"
    assert decisions("orders", "1. 9999号 大米1斤")[0].reason == "unknown_door"
    assert decisions("tests", "1. 花厅口村99号 2人")[0].reason == "unknown_door"  # grid 2's


@pytest.mark.parametrize(
    "later",
    ["2. 12号 更正：5人", "2. 花厅口村12号 改为5人", "2. 12号 5人 修改", "2. 花厅口村12号 5人 13800000012"],
)
def test_a_correction_replaces_the_earlier_line(register, later):
    first, second = decisions("households", f"1. 花厅口村12号 3人 13800000012\n{later}")
    assert (first.status, first.other_line) == ("superseded", 2)
    assert (second.status, second.value, second.door) == ("ok", 5, "花厅口村12号")


def test_two_lines_that_disagree_without_a_correction_are_both_asked(register):
    first, second = decisions("households", "1. 花厅口村12号 3人\n2. 12号 5人")
    assert (first.status, first.reason, second.status, second.reason) == (
        "ask",
        "conflict",
        "ask",
        "conflict",
    )


def test_an_item_correction_and_a_cancellation(register):
    text = "1. 花厅口村2号 大米10斤 食用油1瓶\n2. 花厅口村2号 更正：大米改为20斤\n3. 6号 大米5斤\n4. 花厅口村6号 取消"
    first, second, third, fourth = decisions("orders", text)
    assert first.status == "superseded" and sorted(second.goods) == [("大米", 20), ("食用油", 1)]
    assert (third.status, fourth.status) == ("cancelled", "cancel")


def test_antigen_counts_only_when_the_config_says_so(register):
    assert decisions("tests", "1. 12号 2人 抗原阴性")[0].status == "antigen"
    assert decisions("tests", "1. 12号 2人 抗原阴性", antigen_counts=True)[0].value == 2


def test_names_alone_count_when_plain_and_are_listed_otherwise(register):
    assert decisions("tests", "1. 12号 张三 李四 王五 已做")[0].value == 3
    assert decisions("tests", "1. 12号 张三一家 已做")[0].reason == "no_count"
    assert decisions("tests", "1. 12号 1人\n陈xx 已做")[1].reason == "names_no_door"


def test_more_tested_than_live_there_is_asked(register):
    assert decisions("tests", "1. 花厅口村12号 9人")[0].reason == "more_than_registered"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.text(
        alphabet=st.sampled_from(
            list("12号栋单元-室 人大小两兩夫妻更正改为取消空置已做未做抗原\n花厅口村大米斤x3；。？@")
        ),
        max_size=80,
    )
)
def test_the_plan_never_raises_and_decides_every_entry(register, text):
    for kind in chain_plan.KINDS:
        plan = chain_plan.plan_chain(kind, "1", text, menu=MENU)
        assert len(plan.decisions) == len(plan.entries)
        json.dumps(plan.to_json(), ensure_ascii=False)
        for d in plan.decisions:
            assert d.status != "ok" or d.door  # nothing recorded without the door it goes to


@pytest.mark.parametrize(
    "line, people",
    [
        ("2. 24号 2人+1宝宝 13800000001", 3),  # a plain count joined by + to a part: they add up
        ("2. 24号 3人 含1名婴儿", 3),  # a part beside a plain count is a remark
        ("2. 24号 3人 1个小孩", None),  # three with the child, or four? the operator is asked
    ],
)
def test_a_count_beside_a_part(line, people):
    assert one(line).people == people


def test_a_door_in_chinese_numerals_is_asked_not_registered_anew(register):
    assert decisions("households", "1. 二十号 3人")[0].reason == "unknown_door"
    assert decisions("households", "1. 花厅口村88号 3人")[0].status == "ok"  # a new household


@pytest.mark.parametrize("kind", ["households", "tests", "orders"])
def test_a_template_line_left_as_posted_is_not_answered_not_a_problem(register, kind):
    """The line ``chain template`` wrote, untouched: the household has not replied; nothing to fix."""
    first, second = decisions(kind, "1. 花厅口村1号 \n2. 花厅口村2号 2人 大米1斤")
    assert first.status == "blank" and second.status == "ok"
