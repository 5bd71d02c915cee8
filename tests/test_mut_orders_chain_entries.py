"""The orders-chain reader, entry by entry: whole chains, statuses, repeats, corrections and remarks.

The second half of the tests aimed at the survivors of the mutation run over
db/intake/orders_chain.py (issue 21); tests/test_mut_orders_chain.py holds the line-level half.
"""

from __future__ import annotations

import pytest

from db.intake.orders_chain import blocking, read_order_chain, recheck
from tests.test_mut_orders_chain import DOOR, MENU, entry

# -- a whole chain: numbering, headers, chatter, lines carried over, two orders on a line, repeats ----------

CHAIN = """#接龙 今日团购
例 花厅口村12号 大米10斤
1. 花厅口村1号 大米10斤（老人独居）
(2) 花厅口村2号 口罩2盒 急
3) 花厅口村3号
4: 花厅口村4号 送药 口罩1盒
5。花厅口村5号 鸡蛋一箱 [放门口]
收到
6. 花厅口村6号
大米5斤 青菜2斤
7. 花厅口村7号 蔬菜包1份；花厅口村8号 蔬菜包1份
@群主 几点送
8. 花厅口村1号 大米2斤
9. 花厅口村1号 更正：大米20斤
10. 花厅口村2号 取消
11 . 花厅口村11号 加急 大米
"""


def test_a_chain_is_read_entry_by_entry():
    entries = read_order_chain(CHAIN, MENU)
    seen = [(e.lines, e.status, e.door, sorted(e.goods), e.remark, e.urgent) for e in entries]
    assert seen == [
        ([1], "header", None, [], None, False),
        ([2], "header", None, [], None, False),
        ([3], "ok", "花厅口村1号", [("大米", 10)], "老人独居", False),
        ([4], "ok", "花厅口村2号", [("口罩", 2)], "急", True),
        ([5], "blank", "花厅口村3号", [], None, False),  # a template line left as posted
        ([6], "ok", "花厅口村4号", [("口罩", 1)], "送药", True),
        ([7], "ok", "花厅口村5号", [("鸡蛋", 1)], "放门口", False),
        ([8], "chatter", None, [], None, False),
        ([9, 10], "ok", "花厅口村6号", [("大米", 5), ("青菜", 2)], None, False),
        ([11], "ask", "花厅口村7号", [("蔬菜包", 2)], None, False),  # two households: split them
        ([12], "chatter", None, [], None, False),
        ([13], "duplicate", "花厅口村1号", [("大米", 2)], None, False),
        ([14], "ok", "花厅口村1号", [("大米", 20)], None, False),
        ([15], "ok", "花厅口村2号", [], None, False),
        ([16], "ok", "花厅口村11号", [("大米", 1)], "加急", True),
    ]
    assert [e.line for e in entries] == [lines[0] for lines, *_ in seen]
    assert entries[11].duplicate_of == 3 and [e.duplicate_of for e in entries].count(None) == 14
    assert (entries[12].correction, entries[12].cancel) == (True, False)
    assert (entries[13].correction, entries[13].cancel) == (False, True)
    assert entries[8].text == "6. 花厅口村6号\n大米5斤 青菜2斤"
    lines = CHAIN.splitlines()
    assert [e.text for e in entries if e.status in ("header", "chatter")] == [lines[i] for i in (0, 1, 7, 11)]
    assert [blocking(e) for e in entries] == [s in ("ask", "duplicate") for _, s, *_ in seen]


def test_lines_without_a_number_go_with_the_order_above_or_stand_apart():
    text = (
        "收到\n3号的菜到了\n1. 花厅口村1号 大米1斤\n大米2斤\n花厅口村2号 青菜1斤\n青菜3斤 急\n谢谢\n"
        "2. 大米3斤\n3. 花厅口村3号 谢谢"
    )
    seen = [(e.lines, e.status, e.door, e.goods, e.remark, e.urgent) for e in read_order_chain(text, MENU)]
    assert seen == [
        ([1], "header", None, [], None, False),  # chatter before the first order is the chain's head
        ([2], "header", "3号的菜到了", [], None, False),
        ([3, 4], "ok", "花厅口村1号", [("大米", 3)], None, False),  # goods alone: the door above's
        ([5, 6], "ok", "花厅口村2号", [("青菜", 4)], "急", True),  # an order without a number, carried on
        ([7], "chatter", None, [], None, False),
        ([8], "unparsed", None, [("大米", 3)], None, False),  # numbered goods without a door
        ([9], "unmatched", "花厅口村3号", [], "谢谢", False),  # a door and words, no goods
    ]


@pytest.mark.parametrize("number", ["3.", "(3)", "3)", "3:", "3。", "3、", "3 .", "12:"])
def test_each_numbering_makes_a_door_alone_a_template_line(number):
    entries = read_order_chain(f"1. 花厅口村1号 大米1斤\n{number} 花厅口村3号", MENU)
    assert (entries[1].status, entries[1].door) == ("blank", "花厅口村3号")
    unnumbered = read_order_chain("1. 花厅口村1号 大米1斤\n花厅口村3号", MENU)[1]
    assert (unnumbered.status, unnumbered.door) == ("chatter", "花厅口村3号")


def test_recheck_after_the_operator_fixed_or_skipped_entries():
    text = "#接龙\n1. 花厅口村1号 大米1斤\n2. 花厅口村1号 大米2斤\n3. 花厅口村3号 黄金1斤\n4. 花厅口村4号"
    entries = read_order_chain(text, MENU)
    assert [e.status for e in entries] == ["header", "ok", "duplicate", "unmatched", "blank"]
    entries[3].goods, entries[3].problems = [("大米", 1)], []  # the operator put rice for the gold
    recheck(entries, skipped={1})  # and skipped the first of the two orders for 1号
    assert [(e.status, e.duplicate_of) for e in entries] == [
        ("header", None),
        ("ok", None),  # skipped: placed by no one, and no longer the first of two
        ("ok", None),
        ("ok", None),
        ("blank", None),
    ]
    recheck(entries)  # both kept again: the second is the repeat once more
    assert [(e.status, e.duplicate_of) for e in entries][1:3] == [("ok", None), ("duplicate", 2)]


def test_an_entry_as_json_holds_lists_only():
    [read] = read_order_chain("1. 花厅口村1号 大米10斤（放门口）", MENU)
    as_json = read.to_json()
    assert as_json == {
        "line": 1,
        "lines": [1],
        "status": "ok",
        "door": "花厅口村1号",
        "goods": [["大米", 10]],
        "problems": [],
        "remark": "放门口",
        "urgent": False,
        "text": "1. 花厅口村1号 大米10斤(放门口)",  # as written, full-width forms made half-width
        "duplicate_of": None,
        "correction": False,
        "cancel": False,
        "settled": None,
        "settled_by": None,
    }
    as_json["lines"].append(2)
    assert read.lines == [1]  # a copy: what the caller does with it changes no entry


# -- corrections, cancellations, remarks, urgency ------------------------------------------------------


@pytest.mark.parametrize(
    "goods_text, goods, correction, cancel",
    [
        ("大米10斤改为20斤", [("大米", 20)], True, False),  # the quantity before 改为 is the old one
        ("青菜改成3斤", [("青菜", 3)], True, False),
        ("更正：大米20斤", [("大米", 20)], True, False),
        ("修改为 青菜2斤", [("青菜", 2)], True, False),
        ("取消", [], False, True),
        ("不要了", [], False, True),
        ("大米 不订了", [("大米", 1)], False, True),
        ("退订 青菜", [("青菜", 1)], False, True),
    ],
)
def test_corrections_and_cancellations_keep_only_the_new_goods(goods_text, goods, correction, cancel):
    read = entry(goods_text)
    assert (read.status, read.door, read.goods) == ("ok", DOOR, goods)
    assert (read.correction, read.cancel, read.remark) == (correction, cancel, None)


def test_a_cancellation_written_against_the_door_leaves_the_goods_it_names():
    # 取消 is blanked, not cut out: 2斤 stays apart from the door, the quantity of the rice withdrawn
    [read] = read_order_chain("1. 花厅口村5号取消2斤大米", MENU)
    assert (read.status, read.door, read.goods, read.cancel) == ("ok", "花厅口村5号", [("大米", 2)], True)


@pytest.mark.parametrize(
    "goods_text, remark, urgent",
    [
        ("大米 急", "急", True),
        ("大米 加急", "加急", True),
        ("送药 口罩1盒", "送药", True),
        ("大米 急需", "急需", True),
        ("大米【放门口】", "放门口", False),
        ("大米〔放门口〕", "放门口", False),
        ("大米[放门口]", "放门口", False),
        ("大米（放门口）", "放门口", False),
        ("大米(放门口", "放门口", False),  # a bracket never closed: to the end of the line
        ("大米()", None, False),
    ],
)
def test_remarks_in_brackets_and_urgent_words(goods_text, remark, urgent):
    read = entry(goods_text)
    assert (read.status, read.door, read.remark, read.urgent) == ("ok", DOOR, remark, urgent)


SECOND_CHAIN = """1. 花厅口村3号
收到
1. 花厅口村1号 大米1斤 放门口 (老人)(独居)

2. 花厅口村2号 大米1斤 接龙
@群主 几点送
青菜2斤
#接龙
青菜3斤
今日供应:大米 青菜
3. 花厅口村3号 更正
4. 取消
5. 花厅口村5号 取消 黄金1斤
6. 花厅口村1号 更正 大米2斤
7. 花厅口村1号 取消
8. 花厅口村1号 大米3斤
9. 花厅口村3号 大米1斤
10. 花厅口村10号
黄金1斤
11. 花厅口村7号 蔬菜包1份;青菜1斤
"""


def test_a_second_chain_statuses_repeats_and_what_ends_an_order():
    entries = read_order_chain(SECOND_CHAIN, MENU)
    seen = [(e.lines, e.status, e.door, e.goods, e.problems, e.remark, e.duplicate_of) for e in entries]
    assert seen == [
        ([1], "blank", "花厅口村3号", [], [], None, None),
        ([2], "chatter", None, [], [], None, None),  # after a template line: the chain has begun
        ([3], "ok", "花厅口村1号", [("大米", 1)], [], "放门口；老人；独居", None),
        ([5], "ok", "花厅口村2号", [("大米", 1)], [], "接龙", None),  # a numbered line is no header
        ([6], "chatter", None, [], [], None, None),
        ([7], "unparsed", None, [("青菜", 2)], [], None, None),  # a question ended the order above
        ([8], "header", None, [], [], None, None),
        ([9], "unparsed", None, [("青菜", 3)], [], None, None),  # and so does a header
        ([10], "header", None, [], [], None, None),
        ([11], "unmatched", "花厅口村3号", [], [], None, None),  # a correction of nothing: asked
        ([12], "chatter", None, [], [], None, None),
        ([13], "unmatched", "花厅口村5号", [], ["黄金1斤"], None, None),
        ([14], "ok", "花厅口村1号", [("大米", 2)], [], None, None),  # corrections and 取消 are no repeats
        ([15], "ok", "花厅口村1号", [], [], None, None),
        ([16], "duplicate", "花厅口村1号", [("大米", 3)], [], None, 3),
        ([17], "ok", "花厅口村3号", [("大米", 1)], [], None, None),  # the template line was no order
        ([18, 19], "unmatched", "花厅口村10号", [], ["黄金1斤"], None, None),
        ([20], "ok", "花厅口村7号", [("蔬菜包", 1), ("青菜", 1)], [], None, None),  # one door: one order
    ]
    assert [(e.correction, e.cancel) for e in entries if e.correction or e.cancel] == [
        (True, False),
        (False, True),
        (False, True),
        (True, False),
        (False, True),
    ]


def test_a_chain_that_starts_with_goods_and_a_chain_line_after_the_orders():
    text = "大米2斤\n1. 花厅口村1号 大米1斤\n接龙继续 今晚8点截止\n今日供应 土豆 青菜\n2. 花厅口村2号 大米1斤"
    seen = [(e.status, e.door, e.goods) for e in read_order_chain(text, MENU)]
    assert seen == [
        ("unparsed", None, [("大米", 2)]),  # no door above it to belong to
        ("ok", "花厅口村1号", [("大米", 1)]),
        ("header", None, []),  # the chain's own words, even among the orders
        ("header", None, []),
        ("ok", "花厅口村2号", [("大米", 1)]),
    ]


def test_goods_under_an_entry_without_a_door_are_not_carried_into_it():
    entries = read_order_chain("1. 花厅口村1号 大米1斤\n2. 大米3斤\n青菜2斤", MENU)
    assert [(e.lines, e.status, e.goods) for e in entries] == [
        ([1], "ok", [("大米", 1)]),
        ([2], "unparsed", [("大米", 3)]),
        ([3], "unparsed", [("青菜", 2)]),  # each line the operator must place, at its own line
    ]
