"""The orders-chain reader, line by line: each quantity, unit, item and door as residents write them.

Written against the survivors of the mutation run over db/intake/orders_chain.py (issue 21): each
row is a chain line whose reading a changed rule would get wrong, the failure the product fears most
being a line read as ok with a wrong number. Pure text in, plain data out: no database.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from db.intake.orders_chain import blocking, read_order_chain, recheck

# One item in each unit the reader knows, and two in 斤 (the unit 公斤 and kg convert into).
MENU = [
    ("大米", "斤"),
    ("青菜", "斤"),
    ("土豆", "斤"),
    ("蔬菜包", "份"),
    ("鸡蛋", "箱"),
    ("食用油", "瓶"),
    ("口罩", "盒"),
    ("挂面", "袋"),
    ("方便面", "包"),
    ("西瓜", "个"),
    ("桶装水", "桶"),
    ("防护服", "件"),
    ("牛奶", "提"),
    ("罐头", "罐"),
    ("体温计", "支"),
    ("小葱", "把"),
    ("面粉", "kg"),
]
DOOR = "花厅口村1号"


def entry(goods_text: str, door: str = DOOR):
    """The one entry of a numbered chain line ``1. <door> <goods_text>``."""
    [read] = read_order_chain(f"1. {door} {goods_text}", MENU)
    return read


def ok(goods_text: str) -> list[tuple[str, int]]:
    """The goods of a line that must read as ok, at DOOR, with nothing asked about."""
    read = entry(goods_text)
    assert (read.status, read.door, read.problems) == ("ok", DOOR, []), goods_text
    return sorted(read.goods)


# -- a quantity between two items ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "goods_text, goods",
    [
        # the quantity is spaced on both sides and the line says nothing of its direction: it is the
        # first item's (as 大米10斤 is written), never counted for both
        ("大米 10斤 青菜", [("大米", 10), ("青菜", 1)]),
        ("大米 10斤 青菜 土豆", [("土豆", 1), ("大米", 10), ("青菜", 1)]),
        ("大米10斤 青菜", [("大米", 10), ("青菜", 1)]),
        ("大米10斤青菜", [("大米", 10), ("青菜", 1)]),
        # a line written quantity-first gives it to the item after it
        ("2斤土豆 大米 10斤 青菜", [("土豆", 2), ("大米", 1), ("青菜", 10)]),
    ],
)
def test_a_quantity_between_two_items_is_counted_once(goods_text, goods):
    assert ok(goods_text) == sorted(goods)


@pytest.mark.parametrize(
    "goods_text, read_goods, asked",
    [
        # 10斤 is spaced from 大米 and written against 青菜: the line's direction gives it to 大米, the
        # writing to 青菜
        ("大米 10斤青菜", [("青菜", 1)], ["大米"]),
        # 2斤 is written against 青菜, and the line is written quantity-after (青菜 3斤): it was read as
        # 大米 2 and 青菜 5 (2 + 3), status ok
        ("大米 2斤青菜 3斤", [("青菜", 2)], ["大米"]),
        ("大米 2斤青菜 2斤", [("青菜", 2)], ["大米"]),
        ("大米 2斤青菜 3", [("青菜", 2)], ["大米"]),  # the 3 was dropped
        ("土豆2斤青菜 3斤大米", [("土豆", 2), ("大米", 1)], ["青菜"]),
        # 2斤 written against both: 大米 by its colon, 青菜 with no space
        ("大米:2斤青菜 3斤", [("大米", 2)], ["青菜"]),
        ("大米青菜 2斤土豆 3斤", [("大米", 1), ("土豆", 2)], ["青菜"]),
        # 土豆 takes 2斤 before it (written against it) and 青菜 the same 2斤 after it (the line's way)
        ("大米 2斤 青菜 2斤土豆 2斤", [("大米", 2), ("青菜", 2)], ["土豆"]),
    ],
)
def test_a_quantity_two_items_claim_is_asked_about(goods_text, read_goods, asked):
    read = entry(goods_text)
    assert (read.status, sorted(read.goods), read.problems) == ("unmatched", sorted(read_goods), asked)


_QUANTITY = st.sampled_from(["", "2斤", " 2斤", "2斤 ", " 2斤 ", "x2", " x3 ", "3", " 3 ", "、"])


@settings(max_examples=300, deadline=None)
@given(
    st.permutations(["大米", "青菜", "土豆"]), st.lists(_QUANTITY, min_size=4, max_size=4), st.integers(1, 3)
)
def test_no_written_number_is_read_twice(names, quantities, count):
    # however a resident spaces three items and their quantities, an order read as ok gives each item
    # one number written on the line, each number to one item only, or 1 where it has none
    goods_text = "".join(q + name for q, name in zip(quantities, names[:count])) + quantities[count]
    read = entry(goods_text)
    if read.status == "ok":
        written = Counter(int(n) for n in re.findall(r"[0-9]+", goods_text))
        read_numbers = Counter(q for _, q in read.goods if q != 1)
        assert len(read.goods) == count and read_numbers <= written, goods_text


# -- units: every unit word is read, on either side of the name, and only in its own item's unit ----------

UNIT_OF = {name: unit for name, unit in MENU}


@pytest.mark.parametrize("name", [name for name, unit in MENU if unit != "kg"])
def test_each_unit_is_read_after_and_before_its_item(name):
    unit = UNIT_OF[name]
    assert ok(f"{name}3{unit}") == [(name, 3)]
    assert ok(f"3{unit}{name}") == [(name, 3)]
    assert ok(f"{name} 12{unit}") == [(name, 12)]


@pytest.mark.parametrize("unit", sorted({unit for name, unit in MENU} - {"斤", "kg"}))
def test_a_unit_that_is_not_the_items_own_is_asked_about_never_dropped(unit):
    # 大米 is sold in 斤: "大米3盒" is not 3斤 of rice, whichever unit it names
    for goods_text in (f"大米3{unit}", f"3{unit}大米"):
        read = entry(goods_text)
        assert (read.status, read.goods, read.problems) == ("unmatched", [], [goods_text]), goods_text


@pytest.mark.parametrize(
    "goods_text, goods",
    [
        # 公斤, 千克, kg, KG are one unit: twice its number in 斤, the number itself in kg
        ("大米2公斤", [("大米", 4)]),
        ("大米2千克", [("大米", 4)]),
        ("大米2kg", [("大米", 4)]),
        ("大米2KG", [("大米", 4)]),
        ("3公斤青菜", [("青菜", 6)]),
        ("面粉2公斤", [("面粉", 2)]),
        ("面粉2千克", [("面粉", 2)]),
        ("面粉2KG", [("面粉", 2)]),
        ("面粉2kg", [("面粉", 2)]),
        # a number with no unit is in the item's own unit
        ("大米 2", [("大米", 2)]),
        ("面粉 2", [("面粉", 2)]),
    ],
)
def test_kilograms_convert_and_a_bare_number_is_in_the_items_unit(goods_text, goods):
    assert ok(goods_text) == goods


@pytest.mark.parametrize("goods_text", ["面粉2斤", "口罩2公斤", "口罩2kg", "食用油2斤", "蔬菜包1斤"])
def test_a_weight_in_another_unit_is_asked_about(goods_text):
    # 斤 never converts into kg (half a kilogram is no whole number to order), nor any weight into 盒
    read = entry(goods_text)
    assert (read.status, read.goods, read.problems) == ("unmatched", [], [goods_text])


# -- names near the menu's ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "goods_text, goods",
    [
        ("油2瓶", [("食用油", 2)]),  # a part of one item's name
        ("油 x2", [("食用油", 2)]),
        ("油 三瓶", [("食用油", 3)]),
        ("菜包 两份", [("蔬菜包", 2)]),
        ("蔬采包1份", [("蔬菜包", 1)]),  # 采 for 菜, the same sound: a close name
    ],
)
def test_a_near_name_is_read_as_the_one_item_it_can_mean(goods_text, goods):
    assert ok(goods_text) == goods


@pytest.mark.parametrize("goods_text", ["菜2斤", "菜 x3", "菜两斤"])
def test_a_word_two_items_hold_is_asked_about(goods_text):
    # 菜 is in 青菜 and in 蔬菜包: it was read as 青菜 (the closer spelling), a guess
    read = entry(goods_text)
    assert (read.status, read.goods, read.problems) == ("unmatched", [], [goods_text])


# -- two items written every way: the quantity each one gets -----------------------------------------------


@pytest.mark.parametrize(
    "goods_text, goods",
    [
        ("大米 2斤 青菜 3斤", [("大米", 2), ("青菜", 3)]),  # quantity-after, spaced
        ("2斤 大米 3斤 青菜", [("大米", 2), ("青菜", 3)]),  # quantity-before, spaced
        ("大米2斤 青菜3斤", [("大米", 2), ("青菜", 3)]),
        ("2斤大米 3斤青菜", [("大米", 2), ("青菜", 3)]),
        ("大米2斤 3斤青菜", [("大米", 2), ("青菜", 3)]),
        ("大米:2斤 青菜:3斤", [("大米", 2), ("青菜", 3)]),
        ("大米x2 青菜x3", [("大米", 2), ("青菜", 3)]),
        ("大米 x2 青菜 x3", [("大米", 2), ("青菜", 3)]),
        ("大米 x2 3斤青菜", [("大米", 2), ("青菜", 3)]),
        ("大米10斤、青菜2斤", [("大米", 10), ("青菜", 2)]),
        ("大米 3 斤 青菜", [("大米", 3), ("青菜", 1)]),
        ("大米 2 3斤青菜", [("大米", 2), ("青菜", 3)]),  # two quantities side by side
        ("大米:2斤 青菜", [("大米", 2), ("青菜", 1)]),  # 2斤 written against 大米 (by its colon)
        ("2斤土豆 3斤 大米", [("土豆", 2), ("大米", 3)]),
        ("2斤 土豆 3斤 大米", [("土豆", 2), ("大米", 3)]),
        ("土豆 2斤 大米 3斤 青菜 4斤", [("土豆", 2), ("大米", 3), ("青菜", 4)]),
        ("2斤 土豆 3斤 大米 4斤 青菜", [("土豆", 2), ("大米", 3), ("青菜", 4)]),
        ("大米2斤 青菜 3斤 土豆", [("大米", 2), ("青菜", 3), ("土豆", 1)]),
        # written quantity-before: 3斤 between 大米 and 青菜 is 青菜's, and 大米 has none
        ("2斤土豆 大米 3斤 青菜", [("土豆", 2), ("大米", 1), ("青菜", 3)]),
        ("2斤土豆 大米3斤 青菜", [("土豆", 2), ("大米", 3), ("青菜", 1)]),
    ],
)
def test_two_and_three_items_written_every_way(goods_text, goods):
    assert ok(goods_text) == sorted(goods)


@pytest.mark.parametrize(
    "goods_text, read_goods, asked",
    [
        # 3斤 is spaced from both and the line has no direction (nothing before 土豆, nothing after 青菜)
        ("土豆 2斤 大米 3斤 青菜", [("土豆", 2), ("青菜", 1)], ["大米"]),
        # quantity-before at the start, quantity-after at the end: 3斤 could be either's
        ("2斤土豆 大米 3斤 青菜 4斤", [("土豆", 2), ("大米", 3)], ["青菜"]),
        # quantity-before, but 3斤 is written against 大米 by its colon
        ("2斤土豆 大米:3斤 青菜", [("土豆", 2), ("大米", 1)], ["青菜"]),
    ],
)
def test_a_line_that_does_not_say_whose_quantity_it_is_is_asked_about(goods_text, read_goods, asked):
    read = entry(goods_text)
    assert (read.status, sorted(read.goods), read.problems) == ("unmatched", sorted(read_goods), asked)


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


# -- the menu ------------------------------------------------------------------------------------------


def test_the_longest_menu_name_is_matched_first():
    # 蔬菜 and 蔬菜包 both start at 蔬: "蔬菜包2份" is two packs, not 蔬菜 and a stray 包
    menu = [("蔬菜", "斤"), ("蔬菜包", "份")]
    for goods_text in ("蔬菜包2份 蔬菜1斤", "蔬菜1斤 蔬菜包2份", "2份蔬菜包 1斤蔬菜"):
        [read] = read_order_chain(f"1. 花厅口村1号 {goods_text}", menu)
        assert (read.status, sorted(read.goods)) == ("ok", [("蔬菜", 1), ("蔬菜包", 2)]), goods_text
    [read] = read_order_chain("1. 花厅口村1号 蔬菜包2份", list(reversed(menu)))
    assert read.goods == [("蔬菜包", 2)]


def test_an_empty_menu_reads_every_order_as_goods_off_the_menu():
    entries = read_order_chain("1. 花厅口村1号 大米10斤\n2. 花厅口村2号 大米", [])
    assert [(e.status, e.door, e.goods, e.problems) for e in entries] == [
        ("unmatched", "花厅口村1号", [], ["大米10斤"]),
        ("unmatched", "花厅口村2号", [], []),  # 大米 is a word here, not goods
    ]


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


@pytest.mark.parametrize(
    "goods_text, problem",
    [
        ("大米0斤", "大米0斤"),
        ("青菜x0", "青菜x0"),
        ("土豆10000斤", "土豆10000斤"),
        ("大米5000公斤", "大米5000公斤"),  # 10000斤
        ("大米十十斤", "大米十十斤"),
        ("大米十十公斤", "大米十十公斤"),  # no number, in a unit that converts
        ("黄金1斤", "黄金1斤"),
        ("、黄金 x2", "黄金 x2"),
    ],
)
def test_a_quantity_out_of_range_or_goods_off_the_menu_are_asked_about(goods_text, problem):
    read = entry(f"青菜1斤 {goods_text}")
    assert (read.status, read.door, read.goods, read.problems) == (
        "unmatched",
        DOOR,
        [("青菜", 1)],
        [problem],
    )


@pytest.mark.parametrize(
    "goods_text, goods", [("鸡蛋9999箱", [("鸡蛋", 9999)]), ("面粉5000公斤", [("面粉", 5000)])]
)
def test_the_largest_quantities_are_read(goods_text, goods):
    assert ok(goods_text) == goods


def test_the_same_item_twice_adds_up_and_traditional_characters_fold():
    text = "1. 花厅口村1号 大米1斤 大米2斤\n2. 花廳口村2號 雞蛋一箱 急\n3. 黄金1斤\n4. 花厅口村5号 油x2 油x1"
    seen = [(e.status, e.door, e.goods, e.problems, e.urgent) for e in read_order_chain(text, MENU)]
    assert seen == [
        ("ok", "花厅口村1号", [("大米", 3)], [], False),
        ("ok", "花厅口村2号", [("鸡蛋", 1)], [], True),
        ("unparsed", None, [], ["黄金1斤"], False),  # numbered goods off the menu, no door
        ("ok", "花厅口村5号", [("食用油", 3)], [], False),
    ]


def test_a_menu_name_that_starts_with_a_numeral_is_no_quantity_of_the_item_before():
    # 五花肉 starts with 五: the quantity after 大米 stops where the next name begins
    menu = [("大米", "斤"), ("五花肉", "斤"), ("二锅头", "瓶")]
    for goods_text, goods in [
        ("大米 五花肉2斤", [("五花肉", 2), ("大米", 1)]),
        ("大米五花肉2斤", [("五花肉", 2), ("大米", 1)]),
        ("大米 2斤 五花肉 二锅头1瓶", [("五花肉", 1), ("二锅头", 1), ("大米", 2)]),
    ]:
        [read] = read_order_chain(f"1. 花厅口村1号 {goods_text}", menu)
        assert (read.status, sorted(read.goods)) == ("ok", sorted(goods)), goods_text


@pytest.mark.parametrize(
    "goods_text, goods, problems",
    [
        ("大米1斤/油x2", [("大米", 1), ("食用油", 2)], []),  # a slash between two orders
        ("大米1斤/黄金1斤", [("大米", 1)], ["黄金1斤"]),
        ("油2斤 大米1斤", [("大米", 1)], ["油2斤"]),  # a near name in another unit: 食用油 is in 瓶
        ("大米1斤 油二斤", [("大米", 1)], ["油二斤"]),
    ],
)
def test_near_names_and_goods_off_the_menu_between_slashes_and_units(goods_text, goods, problems):
    read = entry(goods_text)
    assert (read.door, sorted(read.goods), read.problems) == (DOOR, sorted(goods), problems)


def test_a_quantity_with_no_name_is_asked_about_even_on_a_menu_of_one_item():
    [read] = read_order_chain("1. 花厅口村1号 大米1斤 / x2", [("大米", "斤")])
    assert (read.status, read.goods, read.problems) == ("unmatched", [("大米", 1)], ["x2"])


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
