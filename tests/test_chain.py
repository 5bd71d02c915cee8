"""Chain messages (接龙): the reader on real-looking chains, and `cmdpost import chain`."""

from __future__ import annotations

import io
import json
import re
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.cli import main
from db import fields as rules
from db.connection import open_database
from db.grids.writes import upsert_grids, upsert_households
from db.intake.chain import read_chain, source_lines
from db.records import GridInput, HouseholdInput

CORPUS = Path(__file__).parent / "fixtures" / "chains"
CHAINS = sorted(CORPUS.glob("*.txt"))
COMPARED = ("lines", "status", "door", "people", "phone", "remark", "head")


def entries_of(text: str) -> list[dict]:
    return [entry.to_json() for entry in read_chain(text)]


def assert_every_line_once(text: str, entries: list[dict]) -> None:
    taken = [n for entry in entries for n in entry["lines"]]
    written = [n for n, line in enumerate(source_lines(text), 1) if rules.clean(line)]
    assert sorted(taken) == written
    assert all(entry["line"] == entry["lines"][0] for entry in entries)


# -- the reader on the corpus -------------------------------------------------------


def test_corpus_is_varied_enough():
    assert len(CHAINS) >= 8
    assert all(path.with_suffix(".json").is_file() for path in CHAINS)


@pytest.mark.parametrize("path", CHAINS, ids=[p.stem for p in CHAINS])
def test_corpus_chain_reads_as_expected(path):
    text = path.read_text(encoding="utf-8")
    got = entries_of(text)
    assert_every_line_once(text, got)
    expected = [
        {field: entry.get(field) for field in COMPARED}
        for entry in json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    ]
    assert [{field: entry[field] for field in COMPARED} for entry in got] == expected


# -- the forms the issue lists, one at a time ---------------------------------------------


@pytest.mark.parametrize(
    "count, people",
    [
        ("3人", 3),
        ("3口", 3),
        ("3口人", 3),
        ("共3人", 3),
        ("人数:3", 3),
        ("人数：3", 3),
        ("3", 3),
        ("两人", 2),
        ("三口", 3),
        ("十二人", 12),
        ("一家四口", 4),
        ("３人", 3),
        ("大人2小孩1", 3),
    ],
)
def test_head_count_forms(count, people):
    entry = read_chain(f"1. 花厅口村12号 {count} 13800001234")[0]
    assert (entry.door, entry.people, entry.phone) == ("花厅口村12号", people, "13800001234")


@pytest.mark.parametrize(
    "phone, digits",
    [
        ("138 0000 1234", "13800001234"),
        ("138-0000-1234", "13800001234"),
        ("138****5678", "138****5678"),
        ("１３８００００１２３４", "13800001234"),
        ("+86 138 0000 1234", "13800001234"),
        ("0595-85671234", "059585671234"),
    ],
)
def test_phone_forms(phone, digits):
    assert read_chain(f"1. 12号 3人 {phone}")[0].phone == digits


@pytest.mark.parametrize("door", ["花厅口村12号", "12号", "3栋2单元501", "3-2-501", "东区8号楼302", "501室"])
def test_door_forms(door):
    entry = read_chain(f"1、{door} 3人 13800001234")[0]
    assert (entry.status, entry.door, entry.people) == ("ok", door, 3)


@pytest.mark.parametrize("numbering", ["1.", "1、", "1 ", "１．", "1)", "1）", "(1)", "（1）", "①"])
def test_numbering_forms(numbering):
    assert read_chain(f"{numbering}花厅口村12号 3人")[0].door == "花厅口村12号"


def test_example_line_is_never_a_household():
    entries = read_chain("核酸接龙\n门牌号+人数+联系方式\n例:1. 花厅口村12号 3人 138xxxx\n1. 花厅口村5号 2人")
    assert [e.status for e in entries] == ["header", "header", "header", "ok"]
    assert [e.door for e in entries if e.door] == ["花厅口村5号"]


def test_digit_in_a_remark_is_not_a_head_count():
    entry = read_chain("1. 12号 13800001234 家中1人发烧（含1名婴儿）")[0]
    assert (entry.people, entry.remark) == (None, "家中1人发烧；含1名婴儿")


def test_name_after_the_door_is_the_head():
    entry = read_chain("1. 12号 张三 3人 13800001234")[0]
    assert (entry.door, entry.head, entry.people) == ("12号", "张三", 3)


@pytest.mark.parametrize(
    "chatter", ["收到", "大家辛苦了", "@网格员 12号什么时候送菜", "👍👍", "[抱拳][抱拳]"]
)
def test_chatter_inside_the_chain_is_unparsed(chatter):
    entries = read_chain(f"1. 1号 2人\n{chatter}\n2. 2号 3人")
    assert [e.status for e in entries] == ["ok", "unparsed", "ok"]


def test_same_door_again_is_a_duplicate_of_the_first():
    entries = read_chain("1. 3-2-501 3人\n2. 12号 2人\n3. 3－2－501 4人")
    assert [(e.status, e.duplicate_of) for e in entries] == [("ok", None), ("ok", None), ("duplicate", 1)]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_reader_never_raises_and_keeps_every_line(text):
    assert_every_line_once(text, entries_of(text))


FRAGMENTS = st.sampled_from(
    [
        "1.",
        "2、",
        "(3)",
        "①",
        "花厅口村",
        "12号",
        "3-2-501",
        "3栋",
        "2单元",
        " ",
        "　",
        "３人",
        "两口",
        "十二人",
        "共",
        "人数:",
        "138****5678",
        "13800001234",
        "138 0000",
        "（",
        "）",
        "【",
        "含1名婴儿",
        "例:",
        "#接龙",
        "张三",
        "收到",
        "@",
        "?",
        "👍",
        "\n",
        "\r\n",
        "+",
        "xxxx",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(FRAGMENTS, max_size=40).map("".join))
def test_reader_never_raises_on_chain_like_text(text):
    assert_every_line_once(text, entries_of(text))


def test_a_hundred_thousand_lines_are_all_read():
    # How long it takes is measured in bench/chain.py, not here.
    text = "\n".join(f"{n}. 花厅口村{n}号 {n % 6 + 1}人 138{n:08d}（含1名婴儿）" for n in range(1, 100_001))
    entries = read_chain(text)
    assert len(entries) == 100_000 and entries[-1].people == 5


# -- cmdpost import chain -------------------------------------------------------------


@pytest.fixture
def post(tmp_path, monkeypatch):
    """Grids 1, 1-1 and 2, one household already registered in 1-1, the shell in tmp_path."""
    monkeypatch.chdir(tmp_path)
    database = open_database(tmp_path / "post.db")
    upsert_grids([GridInput("1", "一网格"), GridInput("1-1", "一组"), GridInput("2", "二网格")], actor="test")
    upsert_households(
        [HouseholdInput("1-1", "花厅口村5号", 2, "王五", "13912345678", "独居老人", "腿脚不便")], actor="test"
    )
    database.close()
    (tmp_path / "zh.yaml").write_text("language: zh\n", encoding="utf-8")
    (tmp_path / "en.yaml").write_text("language: en\n", encoding="utf-8")
    return tmp_path


CHAIN = """#接龙
花厅口村第一网格核酸接龙
例:1. 花厅口村12号 3人 138xxxx

1. 花厅口村5号 4人 139****5678
2. 花厅口村6号 13800001111
收到
3. 花厅口村5号 1人
4. 花厅口村7号 张三 3人 13800002222（含1名婴儿）
"""


def run(*args: str, language: str = "zh") -> int:
    return main(["import", "chain", *args, "--db", "post.db", "--config", f"{language}.yaml"])


def households(post) -> list[tuple]:
    with sqlite3.connect(post / "post.db") as con:
        return con.execute(
            "SELECT g.code, h.door, h.head_name, h.people, h.phone, h.care_tags, h.note"
            " FROM household h JOIN grid g ON g.id = h.grid_id ORDER BY h.id"
        ).fetchall()


def test_json_contract(post, capsysbinary):
    (post / "c.txt").write_text(CHAIN, encoding="utf-8")
    assert run("c.txt", "--grid", "1", "--as", "households", "--dry-run", "--json") == 0
    out = capsysbinary.readouterr().out
    assert "花厅口村".encode() in out  # UTF-8, not \\u escapes
    entries = json.loads(out.decode("utf-8"))["entries"]
    assert_every_line_once(CHAIN, entries)
    for entry in entries:
        assert entry["status"] in {
            "ok",
            "ask",
            "duplicate",
            "unparsed",
            "header",
            "superseded",
            "not_tested",
            "vacant",
            "antigen",
            "skipped",
            "blank",
        }
        assert entry["status"] != "ask" or entry["reason"]
        assert entry["door"] is None or entry["door"] == rules.clean(entry["door"])
        assert entry["phone"] is None or re.fullmatch(r"[0-9*]+", entry["phone"])
        assert entry["people"] is None or isinstance(entry["people"], int)
    assert [
        (e["line"], e["status"], e["door"], e["people"], e["phone"])
        for e in entries
        if e["status"] != "header"
    ] == [
        (5, "ask", "花厅口村5号", 4, "139****5678"),
        (6, "ask", "花厅口村6号", None, "13800001111"),
        (7, "unparsed", None, None, None),
        (8, "ask", "花厅口村5号", 1, None),
        (9, "ok", "花厅口村7号", 3, "13800002222"),
    ]
    # two lines for 5号 that disagree, neither a correction: the operator decides, nothing is guessed
    assert [e["reason"] for e in entries if e["status"] == "ask"] == ["conflict", "no_count", "conflict"]
    assert households(post)[1:] == []


def test_households_written_once_then_left_alone(post, capsys):
    (post / "c.txt").write_text(CHAIN, encoding="utf-8")
    assert run("c.txt", "--grid", "1", "--as", "households", "--dry-run") == 0
    assert len(households(post)) == 1
    assert run("c.txt", "--grid", "1", "--as", "households") == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[-1] == "导入住户 1 条:新增 1,更新 0,未变 0"
    assert "c.txt:6: 门牌号“花厅口村6号”没有写人数,未登记" in captured.err
    assert "c.txt:8: 门牌“花厅口村5号”与第 5 行写法不同,又没写更正,请定哪一行" in captured.err
    # 5号 is left as the register has it until the operator says which line is right.
    assert households(post) == [
        ("1-1", "花厅口村5号", "王五", 2, "13912345678", "独居老人", "腿脚不便"),
        ("1", "花厅口村7号", "张三", 3, "13800002222", "", "含1名婴儿"),
    ]
    (post / "c.txt").write_text(CHAIN + "5. 5号 更正:4人\n", encoding="utf-8")
    assert run("c.txt", "--grid", "1", "--as", "households") == 0
    # The correction names the short form; the register's door is the one updated, in its sub-grid.
    assert capsys.readouterr().out.splitlines()[-1] == "导入住户 2 条:新增 0,更新 1,未变 1"
    assert households(post)[0] == ("1-1", "花厅口村5号", "王五", 4, "13912345678", "独居老人", "腿脚不便")


def test_stdin_and_english(post, capsys, monkeypatch):
    monkeypatch.setattr(
        "sys.stdin", io.TextIOWrapper(io.BytesIO("1. 8号 2人\n".encode("gbk")), encoding="utf-8")
    )
    assert run("-", "--grid", "2", "--as", "households", language="en") == 0
    assert "created 1" in capsys.readouterr().out
    assert households(post)[-1][:4] == ("2", "8号", "", 2)


def test_a_test_chain_marks_the_round_all_or_nothing(post, capsys):
    from db.connection import open_database as open_db
    from db.registers import writes as registers

    database = open_db(post / "post.db")
    registers.create_round(1, "2022-04-10", actor="test")
    database.close()
    (post / "c.txt").write_text(CHAIN, encoding="utf-8")
    assert (
        run("c.txt", "--grid", "1", "--as", "tests", "--round", "1") == 1
    )  # 7号 is not a household of grid 1
    assert "花厅口村7号" in capsys.readouterr().err
    (post / "ok.txt").write_text("核酸接龙\n1. 花厅口村5号 2人\n", encoding="utf-8")
    assert run("ok.txt", "--grid", "1", "--as", "tests") == 0  # the latest round when --round is left out
    assert "新登记 1" in capsys.readouterr().out
    with sqlite3.connect(post / "post.db") as con:
        assert con.execute("SELECT people, source FROM test_record").fetchall() == [(2, "chain")]


def test_a_household_chain_is_not_taken_as_orders(post, capsys):
    """--as orders reads goods against the menu (tests/test_supply_chain.py): a chain of head counts
    names no goods, so every line is reported and no order is placed."""
    (post / "c.txt").write_text(CHAIN, encoding="utf-8")
    assert run("c.txt", "--grid", "1", "--as", "orders") == 1
    err = capsys.readouterr().err
    assert "没有写要什么物资" in err and "一单不下" in err
    assert run("c.txt", "--grid", "1", "--as", "orders", "--dry-run", "--json") == 1
    entries = json.loads(capsys.readouterr().out)["entries"]
    assert entries and not [e for e in entries if e["status"] == "ok"]
    with sqlite3.connect(post / "post.db") as con:
        assert con.execute("SELECT count(*) FROM supply_order").fetchone()[0] == 0
    assert len(households(post)) == 1


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "不是文本文件"),
        (b"", "接龙是空的"),
        (" \n\t\n\u3000\n".encode(), "接龙是空的"),
    ],
)
def test_unusable_chain_is_one_line_and_writes_nothing(post, capsys, content, message):
    (post / "c.txt").write_bytes(content)
    assert run("c.txt", "--grid", "1", "--as", "households") == 1
    err = capsys.readouterr().err
    assert err.startswith(f"cmdpost: c.txt: {message}") and err.count("\n") == 1
    assert len(households(post)) == 1


def test_unknown_grid_is_an_error_and_creates_no_database(post, capsys):
    (post / "c.txt").write_text(CHAIN, encoding="utf-8")
    assert run("c.txt", "--grid", "9", "--as", "households") == 1
    assert capsys.readouterr().err == "cmdpost: 找不到网格 9\n"
    assert (
        main(
            [
                "import",
                "chain",
                "c.txt",
                "--grid",
                "1",
                "--as",
                "households",
                "--db",
                "new.db",
                "--config",
                "zh.yaml",
            ]
        )
        == 1
    )
    assert not (post / "new.db").exists()


def test_chain_without_countable_households_writes_nothing(post, capsys):
    (post / "c.txt").write_text("1. 12号 13800001234\n收到\n", encoding="utf-8")
    assert run("c.txt", "--grid", "1", "--as", "households") == 1
    assert "没有可登记的住户" in capsys.readouterr().err
    assert len(households(post)) == 1


def test_a_refused_row_writes_nothing_and_names_its_line(post, capsys):
    door = "花厅口村" + "很长的地址" * 10 + "1号"
    (post / "c.txt").write_text(f"1. 9号 2人\n2. {door} 3人\n", encoding="utf-8")
    assert run("c.txt", "--grid", "1", "--as", "households") == 1
    assert "c.txt:2: 门牌号: " in capsys.readouterr().err
    assert len(households(post)) == 1


def test_a_hundred_thousand_line_chain_is_written_in_one_go(post, capsys):
    lines = [f"{n}. {n}号 {n % 6 + 1}人 138{n:08d}" for n in range(1, 100_001)]
    (post / "big.txt").write_text("\n".join(lines), encoding="utf-8")
    assert run("big.txt", "--grid", "2", "--as", "households") == 0
    assert capsys.readouterr().out.splitlines()[-1] == "导入住户 100000 条:新增 100000,更新 0,未变 0"
