"""More of the chain reader's rules the mutation run (.ci/mutation chain) showed untested, one line
each with every field it comes to (lines, status, door, count, phone, remark, head, tested, names)."""

from __future__ import annotations

import pytest

from db.intake.chain import read_chain

FIELDS = ("lines", "status", "door", "people", "phone", "remark", "head", "tested", "names", "names_plain")
P = "13800001234"


def fields(text: str) -> list[tuple]:
    return [tuple(getattr(e, f) for f in FIELDS) for e in read_chain(text)]


def entry(lines, status, door=None, people=None, phone=None, remark=None, head=None, tested=None, names=None):
    return (
        lines,
        status,
        door,
        people,
        phone,
        remark,
        head,
        tested,
        names,
        bool(names) and names[-1] != "王小栋",
    )


FIRST = entry([1], "ok", "1号", 1)


@pytest.mark.parametrize(
    "text, want",
    [
        # headers: a line starting with # is one even when it reads like a household; a menu of the day
        (f"#12号 3人 {P}", [entry([1], "header")]),
        ("1. 1号 1人\n今日供应：大米、青菜", [FIRST, entry([2], "header")]),
        # a circled number numbers the line: 12号 alone under it is an entry, not chatter
        ("1. 1号 1人\n② 12号", [FIRST, entry([2], "ok", "12号")]),
        ("1. 1号 1人\n5 12号", [FIRST, entry([2], "ok", "12号")]),  # so does a number and a space
        # and it is never the door: "② 3人 138…" names no door (asked), not door 2
        (f"1. 1号 1人\n② 3人 {P}", [FIRST, entry([2], "unparsed", None, 3, P)]),
        # 3 栋 2 单元: numbers followed by a door word are the door's, no count
        (f"1. 3 栋 2 单元 501 {P}", [entry([1], "ok", "3 栋 2 单元 501", None, P)]),
        (f"1. 3人 12号 {P}", [entry([1], "ok", "12号", 3, P)]),  # the count first
        ("1. 12号 99人", [entry([1], "ok", "12号", 99)]),
        (f"1. 12号 0人 {P}", [entry([1], "ok", "12号 0人", None, P)]),  # no one: no count, asked
        ("1. 12号 3人 138xxxx1234", [entry([1], "ok", "12号", 3, "138****1234")]),  # a masked phone
        ("1. 12号 3人 138XXXX1234", [entry([1], "ok", "12号", 3, "138****1234")]),
        ("1. 12号 3人 0595-12345678", [entry([1], "ok", "12号", 3, "059512345678")]),  # a landline
        ("1. 12号王 3人", [entry([1], "ok", "12号王", 3)]),  # one character stuck to the door is the door's
        ("1. 12号张三 3人", [entry([1], "ok", "12号", 3, head="张三")]),
        # a question is chatter unless it comes with a phone (a household that also asks)
        ("1. 1号 1人\n12号 3人 几点做核酸？", [FIRST, entry([2], "unparsed")]),
        (f"1. 12号 3人 {P} 几点做核酸？", [entry([1], "ok", "12号", 3, P, "几点做核酸")]),
        ("1. 12号 3人；放门口", [entry([1], "ok", "12号", 3, remark="放门口")]),  # one household, a remark
        (
            f"1. 11号 张三 4人 {P} 3. 12号 2人 13800000012",
            [entry([1], "ask", "11号", 4, P, "3. 12号 2人 13800000012", "张三")],
        ),
        (f"1. 12号 4人中3人已做 {P}", [entry([1], "ok", "12号", 4, P, tested=3)]),
        ("1. 12号 张三 4人中3人已做", [entry([1], "ok", "12号", 4, head="张三", tested=3)]),
        (f"1. 门牌12电话{P} 3人", [entry([1], "ok", "12", 3, P)]),  # labels blanked, not cut out
        # 王小栋 ends in a door word: the names are listed, not plainly names
        (
            "1. 12号 张三 王小栋 已做",
            [entry([1], "ok", "12号", remark="王小栋 已做", head="张三", names=["张三", "王小栋"])],
        ),
    ],
)
def test_a_line_read_in_full(text, want):
    assert fields(text) == want


@pytest.mark.parametrize(
    "text, want",
    [
        ("1. 东区1-1-201 3人\n2. 西区1-1-201 3人", [("ok", None), ("ok", None)]),  # two places
        ("1. 2-1-201 3人\n2. 1栋1单元201 3人", [("ok", None), ("ok", None)]),  # two buildings
        ("1. 2栋1单元201 3人\n2. 2-1-201 2人", [("ok", None), ("duplicate", 1)]),  # one flat
    ],
)
def test_the_same_flat_is_a_duplicate_and_another_flat_is_not(text, want):
    assert [(e.status, e.duplicate_of) for e in read_chain(text)] == want
