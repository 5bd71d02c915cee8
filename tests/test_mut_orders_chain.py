"""The orders-chain reader, line by line: each quantity, unit, item and door as residents write them.

Written against the survivors of the mutation run over db/intake/orders_chain.py (issue 21): each
row is a chain line whose reading a changed rule would get wrong, the failure the product fears most
being a line read as ok with a wrong number. Pure text in, plain data out: no database.
"""

from __future__ import annotations

import pytest

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
        ("大米 10斤青菜", [("大米", 10), ("青菜", 1)]),
        ("大米10斤青菜", [("大米", 10), ("青菜", 1)]),
        # a line written quantity-first gives it to the item after it
        ("2斤土豆 大米 10斤 青菜", [("土豆", 2), ("大米", 1), ("青菜", 10)]),
    ],
)
def test_a_quantity_between_two_items_is_counted_once(goods_text, goods):
    assert ok(goods_text) == sorted(goods)
