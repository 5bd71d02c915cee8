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

from db.intake.orders_chain import read_order_chain

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
