"""The chain reader's rules pinned where the mutation run (.ci/mutation chain) found them untested:
each test fails when one rule of db/intake/chain.py, chain_fields.py or chain_text.py is changed (a
wrong number, a wrong door, a line read as ok that should be asked about, a line lost)."""

from __future__ import annotations

import pytest

from db.intake.chain import read_chain


def read(text: str) -> list[tuple]:
    return [(e.lines, e.status, e.door, e.people, e.phone, e.remark) for e in read_chain(text)]


def one(line: str):
    [entry] = read_chain(line)
    return entry


# -- lines that continue an entry (chain._joiner) ----------------------------------------------------


def test_a_number_alone_takes_the_count_on_the_next_line():
    assert [e.lines for e in read_chain("1. 1号 2人\n5.\n3人")] == [[1], [2, 3]]


def test_a_number_alone_takes_the_door_on_the_next_line():
    assert read("1. 1号 2人\n5.\n12号") == [
        ([1], "ok", "1号", 2, None, None),
        ([2, 3], "ok", "12号", None, None, None),
    ]


def test_a_number_alone_does_not_take_chatter():
    assert [(e.lines, e.status) for e in read_chain("1. 1号 2人\n5.\n收到")] == [
        ([1], "ok"),
        ([2], "unparsed"),
        ([3], "unparsed"),
    ]


def test_a_count_on_the_next_line_completes_a_door_and_phone():
    """12号 and its phone on one line, 3人 under it: the household is three, not a count asked about."""
    assert read("1. 12号 13800001234\n3人") == [([1, 2], "ok", "12号", 3, "13800001234", None)]


def test_a_second_count_on_the_next_line_is_not_taken():
    assert read("1. 12号 2人\n3人") == [
        ([1], "ok", "12号", 2, None, None),
        ([2], "unparsed", None, None, None, None),
    ]


# -- times are no door (chain_fields._blank) -------------------------------------------------------------


@pytest.mark.parametrize("line, remark", [("2. 12号3点后送到 3人", "送到"), ("2. 12号3点到 3人", "到")])
def test_a_time_stuck_to_the_door_leaves_the_door(line, remark):
    entry = one(line)
    assert (entry.door, entry.people, entry.remark) == ("12号", 3, remark)


def test_the_count_a_correction_replaces_is_not_a_remark():
    entry = one("2. 12号 3人改为4人 13800001234")
    assert (entry.door, entry.people, entry.phone, entry.remark, entry.correction) == (
        "12号",
        4,
        "13800001234",
        None,
        True,
    )


# -- numbering and header lines (chain._numbering, chain._is_header) -----------------------------------


@pytest.mark.parametrize(
    "text, want",
    [
        ("⑫ 12号 3人", [([1], "ok", "12号", 3, None, None)]),  # a circled 12: NFKC would make it "12"
        ("5 3人 13800001234", [([1], "ok", "5", 3, "13800001234", None)]),  # a number then a space: the door
        ("501,3人", [([1], "ok", "501", 3, None, None)]),
        ("(3) 12号 2人", [([1], "ok", "12号", 2, None, None)]),
        ("3) 12号 2人", [([1], "ok", "12号", 2, None, None)]),
        ("门牌号+人数+电话", [([1], "header", None, None, None, None)]),
        ("例：12号 3人", [([1], "header", None, None, None, None)]),
        ("12号 3人 138xxxx", [([1], "header", None, None, None, None)]),  # the example's phone
        ("1. 12号 3人\n2. 1-1-201 3人\n3. 1栋1单元201 2人", None),
        ("花厅口村\n12号 3人", [([1], "header", None, None, None, None), ([2], "ok", "12号", 3, None, None)]),
        ("1. 花厅口村\n12号 3人", [([1, 2], "ok", "花厅口村12号", 3, None, None)]),
    ],
)
def test_numbering_and_headers(text, want):
    if want is None:  # the same flat in two notations: the second is the first's duplicate
        assert [(e.status, e.duplicate_of) for e in read_chain(text)] == [
            ("ok", None),
            ("ok", None),
            ("duplicate", 2),
        ]
        return
    assert read(text) == want


def test_a_title_pasted_again_further_down_is_a_header_there_too():
    title = "花厅口村第一网格住户摸排"
    assert [e.status for e in read_chain(f"{title}\n1. 12号 3人\n{title}")] == ["header", "ok", "header"]
    assert [e.status for e in read_chain("收到\n1. 12号 3人\n收到")] == [
        "header",
        "ok",
        "unparsed",
    ]  # too short


# -- counts made of parts (chain_text.composed_count, _part_value, number) ---------------------------------


@pytest.mark.parametrize(
    "count, people",
    [
        ("夫妻3人", None),  # a couple is two: 夫妻3人 is three with someone, or a slip; asked, never 2
        ("老两口3人", None),
        ("夫妻2人+1个小孩", 3),
        ("老人0个 小孩2个", None),  # a part of none is not understood: asked, never 2
        ("老人99个", 99),  # the most a household may hold (rules.MAX_PEOPLE) is still a count
        ("大人98小孩1", 99),
        ("成人3个，儿童2个", 5),  # adults and children: parts like any other
        ("大人两个 小朋友一个", 3),
        ("成人3+孩子1", 4),
    ],
)
def test_a_count_of_parts_is_read_or_asked_never_guessed(count, people):
    entry = one(f"2. 12号 {count} 13800001234")
    assert (entry.status, entry.people, entry.phone) == ("ok", people, "13800001234")


def test_an_entry_as_json_has_exactly_the_reader_fields():
    """The keys --json and the review screen read; a key added or renamed breaks them."""
    [entry] = read_chain("1. 12号 张三 李四 王五 已做")
    data = entry.to_json()
    assert sorted(data) == sorted(
        [
            "line",
            "lines",
            "status",
            "door",
            "people",
            "phone",
            "remark",
            "head",
            "text",
            "duplicate_of",
            "tested",
        ]
        + ["not_tested", "antigen", "vacant", "correction", "cancel", "names", "names_plain"]
    )
    assert (data["lines"], data["names"]) == ([1], ["张三", "李四", "王五"])


def test_a_line_longer_than_any_household_s_is_left_unread():
    """500 characters after the number are read; one more and the line is unread (asked about)."""
    body = "12号 3人 "
    assert read(f"1. {body}{'好' * (500 - len(body))}")[0][1:4] == ("ok", "12号", 3)
    assert read(f"1. {body}{'好' * (501 - len(body))}")[0][1:4] == ("unparsed", None, None)


def test_a_line_addressed_to_someone_is_not_an_entry():
    """ "@网格员 12号的菜到了吗" talks about a door: it is no household's line, numbered or not."""
    assert read("1. 1号 2人\n@网格员 12号 3人")[1][1:4] == ("unparsed", None, None)
    assert read("1. @网格员 12号 3人")[0][1:4] == ("unparsed", None, None)


# -- every field of one line (chain_fields.read_fields, _core_fields) -------------------------------------

FIELDS = ("status", "door", "people", "phone", "remark", "head", "tested", "not_tested", "antigen", "vacant")
FIELDS += ("correction", "cancel", "names", "names_plain")
NO_FLAGS = (False, False, False, False, False)  # not tested, antigen, vacant, correction, cancel


@pytest.mark.parametrize(
    "line, want",
    [
        (
            "11号 4人 13800000011 3. 12号 2人 13800000012",  # two households: the first read, the rest kept
            ("ask", "11号", 4, "13800000011", "3. 12号 2人 13800000012", None, None, *NO_FLAGS, None, False),
        ),
        (
            "9-1-301 2人；9-1-302 3人",
            ("ask", "9-1-301", 2, None, "9-1-302 3人", None, None, *NO_FLAGS, None, False),
        ),
        ("12号 四人中三人已做", ("ok", "12号", 4, None, None, None, 3, *NO_FLAGS, None, False)),
        ("12号 3人已做", ("ok", "12号", 3, None, "已做", None, 3, *NO_FLAGS, None, False)),
        (
            "12号 两人已测 1人外地",
            ("ok", "12号", 2, None, "已测 1人外地", None, 2, True, False, False, False, False, None, False),
        ),
        (
            "12号 2人 抗原阴性",
            ("ok", "12号", 2, None, "抗原阴性", None, None, False, True, False, False, False, None, False),
        ),
        (
            "12号 空房",
            ("ok", "12号", None, None, "空房", None, None, False, False, True, False, False, None, False),
        ),
        (
            "12号 取消",
            ("ok", "12号", None, None, None, None, None, False, False, False, False, True, None, False),
        ),
        (
            "12号 改成5人",
            ("ok", "12号", 5, None, None, None, None, False, False, False, True, False, None, False),
        ),
        (
            "12号 张三 王xx 已做",  # names alone: the count is theirs to make (the plan's), none is read
            ("ok", "12号", None, None, "王xx 已做", "张三", None, *NO_FLAGS, ["张三", "王xx"], True),
        ),
        (
            "12号 户主:张三 3人 电话:13800001234",
            ("ok", "12号", 3, "13800001234", None, "张三", None, *NO_FLAGS, None, False),
        ),
        ("12号 3人（含1名婴儿）", ("ok", "12号", 3, None, "含1名婴儿", None, None, *NO_FLAGS, None, False)),
        ("12号（3人）", ("ok", "12号", 3, None, None, None, None, *NO_FLAGS, None, False)),
        ("12号 3 13800001234", ("ok", "12号", 3, "13800001234", None, None, None, *NO_FLAGS, None, False)),
        ("12号 [抱拳] 3人", ("ok", "12号", 3, None, None, None, None, *NO_FLAGS, None, False)),  # a sticker
    ],
)
def test_each_field_of_a_line(line, want):
    entry = read_chain(f"1. 1号 1人\n2. {line}")[-1]
    assert tuple(getattr(entry, field) for field in FIELDS) == want
