"""`cmdpost import`: the CSV files operators really have, and what they see when one is wrong."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from console import i18n
from console.cli import main
from db.connection import open_database
from db.grids.writes import upsert_grids
from db.intake import csv_import
from db.records import GridInput

HOUSEHOLD_HEADER = "网格,门牌号,人数,联系电话,户主,特殊人群,备注"


@pytest.fixture(autouse=True)
def chinese_afterwards():
    yield
    i18n.set_language("zh")


@pytest.fixture
def post(tmp_path, monkeypatch):
    """A post with grids 1, 1-1, 1-2 and 2, and the operator's shell in tmp_path."""
    monkeypatch.chdir(tmp_path)
    database = open_database(tmp_path / "post.db")
    upsert_grids(
        [
            GridInput("1", "一网格"),
            GridInput("1-1", "一网格一小格"),
            GridInput("1-2", "一网格二小格"),
            GridInput("2", "二网格"),
        ],
        actor="test",
    )
    database.close()
    (tmp_path / "zh.yaml").write_text("language: zh\n", encoding="utf-8")
    (tmp_path / "en.yaml").write_text("language: en\n", encoding="utf-8")
    return tmp_path


def run(*args: str, language: str = "zh") -> int:
    return main(["import", *args, "--db", "post.db", "--config", f"{language}.yaml"])


def write(path, text: str, encoding: str = "utf-8") -> None:
    path.write_bytes(text.encode(encoding))


def households(post) -> list[tuple]:
    with sqlite3.connect(post / "post.db") as con:
        return con.execute(
            "SELECT door, people, phone, head_name, care_tags, note FROM household ORDER BY id"
        ).fetchall()


def count(post, table: str) -> int:
    with sqlite3.connect(post / "post.db") as con:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_gbk_file_with_chinese_headers_and_synonyms(post, capsys):
    write(
        post / "住户.csv",
        "所属网格,门牌号码(必填),人口,手机,户主姓名,关爱对象,备注\r\n"
        "1-1,5号,3口,13800001111,张三,独居老人,腿脚不便\r\n"
        "1-2,6号,两人,,李四,,\r\n",
        "gbk",
    )
    assert run("households", "住户.csv") == 0
    assert "导入住户 2 条:新增 2,更新 0,未变 0" in capsys.readouterr().out
    assert households(post) == [
        ("5号", 3, "13800001111", "张三", "独居老人", "腿脚不便"),
        ("6号", 2, "", "李四", "", ""),
    ]


def test_utf8_bom_file_reads_its_first_header(post, capsys):
    # Excel's "CSV UTF-8" puts a BOM before 网格: if it stuck to the header, the column would be missing.
    write(post / "h.csv", HOUSEHOLD_HEADER + "\r\n1-1,5号,3,,,,\r\n", "utf-8-sig")
    assert run("households", "h.csv") == 0
    assert households(post)[0][:2] == ("5号", 3)


def test_english_headers_and_english_summary(post, capsys):
    write(post / "h.csv", "Grid,Door,People,Phone,Head_Name,Care Tags,NOTE\n1-1,5,4 人,13800001111,Zhang,,\n")
    assert run("households", "h.csv", language="en") == 0
    assert "Imported 1 households: created 1, updated 0, unchanged 0" in capsys.readouterr().out
    assert households(post) == [("5", 4, "13800001111", "Zhang", "", "")]


def test_utf16_unicode_text_with_tabs(post, capsys):
    write(post / "h.txt", "网格\t门牌号\t人数\t电话\r\n1-1\t5号\t3\t13800001111\r\n2\t7号\t1\t\r\n", "utf-16")
    assert run("households", "h.txt") == 0
    assert [row[:3] for row in households(post)] == [("5号", 3, "13800001111"), ("7号", 1, "")]


def test_fullwidth_digits_in_people_and_phone(post, capsys):
    write(post / "h.csv", HOUSEHOLD_HEADER + "\n１－１,５号,３人,１３８ ００００ １１１１,,,\n")
    assert run("households", "h.csv") == 0
    assert households(post)[0][:3] == ("5号", 3, "13800001111")


def test_every_bad_value_reported_and_nothing_written(post, capsys):
    write(
        post / "h.csv", HOUSEHOLD_HEADER + "\n1-1,1号,3,,,,\n1-1,2号,x,abc,,,\n\n,3号,0,,,,\n1-1,1号,2,,,,\n"
    )
    assert run("households", "h.csv") == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "h.csv:3: 人数: 人数“x”看不懂,应写 3 或 3人",
        "h.csv:3: 联系电话: 电话“abc”不对",
        "h.csv:5: 网格: 不能为空",
        "h.csv:5: 人数: 人数 0 不合理(1 到 99)",
        "h.csv:6: 门牌号: 门牌号“1号”与第 2 行重复",
        "5 处错误,未写入任何数据",
    ]
    assert count(post, "household") == 0


def test_errors_name_the_column_as_the_file_writes_it(post, capsys):
    write(post / "h.csv", "Grid , 门牌号（必填）,人口\n1-1,,3\n")
    assert run("households", "h.csv") == 1
    assert capsys.readouterr().err.startswith("h.csv:2: 门牌号（必填）: 不能为空")


def test_long_error_lists_are_capped(post, capsys):
    write(post / "h.csv", HOUSEHOLD_HEADER + "\n" + "".join(f"1-1,{n}号,many,,,,\n" for n in range(250)))
    assert run("households", "h.csv") == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 202
    assert err[-2:] == ["…… 另有 50 处错误未列出", "250 处错误,未写入任何数据"]


def test_unknown_grid_is_an_error_not_a_new_grid(post, capsys):
    write(post / "h.csv", HOUSEHOLD_HEADER + "\n1-1,1号,3,,,,\n9-9,2号,3,,,,\n")
    assert run("households", "h.csv") == 1
    assert "h.csv:3: 网格: 网格 9-9 不存在" in capsys.readouterr().err
    assert count(post, "grid") == 4
    assert count(post, "household") == 0


def test_dry_run_checks_and_writes_nothing(post, capsys):
    write(post / "h.csv", HOUSEHOLD_HEADER + "\n1-1,1号,3,,,,\n1-2,2号,3,,,,\n")
    assert run("households", "h.csv", "--dry-run") == 0
    assert capsys.readouterr().out.startswith("试运行(未写入任何数据):导入住户 2 条:新增 2")
    assert count(post, "household") == 0


def test_reimport_updates_instead_of_duplicating(post, capsys):
    write(post / "h.csv", HOUSEHOLD_HEADER + "\n1-1,1号,3,,,,\n1-1,2号,3,,,,\n")
    assert run("households", "h.csv") == 0
    write(post / "h.csv", HOUSEHOLD_HEADER + "\n1-1,1号,5,,,,\n1-1,2号,3,,,,\n")
    assert run("households", "h.csv") == 0
    assert "新增 0" in capsys.readouterr().out
    assert [row[:2] for row in households(post)] == [("1号", 5), ("2号", 3)]


def test_reimport_counts_one_update_for_one_changed_row(post, capsys):
    write(post / "h.csv", HOUSEHOLD_HEADER + "\n1-1,1号,3,,,,\n1-1,2号,3,,,,\n1-1,3号,3,,,,\n")
    run("households", "h.csv")
    write(post / "h.csv", HOUSEHOLD_HEADER + "\n1-1,1号,5,,,,\n1-1,2号,3,,,,\n1-1,3号,3,,,,\n")
    run("households", "h.csv")
    assert capsys.readouterr().out.splitlines()[-1] == "导入住户 3 条:新增 0,更新 1,未变 2"


def test_quoted_multiline_value_keeps_later_line_numbers(post, capsys):
    write(post / "h.csv", HOUSEHOLD_HEADER + '\n1-1,1号,3,,,,"独居\n行动不便\n需送药"\n1-1,2号,?,,,,\n')
    assert run("households", "h.csv") == 1
    assert capsys.readouterr().err.startswith("h.csv:5: 人数:")


def test_unquoted_comma_in_a_value_is_caught(post, capsys):
    write(post / "h.csv", HOUSEHOLD_HEADER + "\n1-1,1号,3,,,独居老人,行动不便,需送药\n")
    assert run("households", "h.csv") == 1
    assert capsys.readouterr().err.startswith("h.csv:2: 备注: 这一行有 8 个值,表头只有 7 列")
    assert count(post, "household") == 0


def test_missing_required_column_is_one_error(post, capsys):
    write(post / "h.csv", "网格,门牌号,电话\n1-1,1号,13800001111\n")
    assert run("households", "h.csv") == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("cmdpost: h.csv:1: 缺少必填列“人数”")
    assert count(post, "household") == 0


def test_unknown_columns_are_noted_once(post, capsys):
    write(post / "h.csv", "网格,门牌号,人数,身份证号,年龄\n1-1,1号,3,x,40\n1-1,2号,2,y,41\n")
    assert run("households", "h.csv") == 0
    assert capsys.readouterr().err == "注意:以下列不认识,已忽略:身份证号、年龄\n"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("absent.csv", None, "文件不存在"),
        ("folder.csv", "dir", "这是文件夹"),
        ("picture.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "不是文本文件"),
        ("book.csv", b"PK\x03\x04\x14\x00\x06\x00", "这是 Excel 工作簿"),
    ],
)
def test_unusable_file_is_one_line_and_no_database(tmp_path, monkeypatch, capsys, name, content, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "zh.yaml").write_text("language: zh\n", encoding="utf-8")
    if content == "dir":
        (tmp_path / name).mkdir()
    elif content is not None:
        (tmp_path / name).write_bytes(content)
    assert main(["import", "households", name, "--db", "new.db", "--config", "zh.yaml"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"cmdpost: {name}: {message}") and err.count("\n") == 1
    assert not (tmp_path / "new.db").exists()


def test_grids_then_staff_with_new_teams(post, capsys):
    write(post / "g.csv", "编码,名称,区域状态\n3,三网格,封控区\n3-1,三网格一小格,\n", "gbk")
    assert run("grids", "g.csv") == 0
    write(
        post / "s.csv",
        "姓名,角色,出生年份,党员,所属网格,联系电话,最近核酸日期,支援队伍,备注\n"
        "王五,网格长,1980,是,3,13900000001,2022-04-12,,\n"
        "赵六,志愿者,1999年,否,3-1,13900000002,2022/4/12,江苏医疗队,\n",
    )
    assert run("staff", "s.csv") == 0
    out = capsys.readouterr().out
    assert "导入网格 2 条:新增 2" in out
    assert "导入工作人员 2 条:新增 2,更新 0,未变 0,新建支援队伍 1 个 江苏医疗队" in out
    with sqlite3.connect(post / "post.db") as con:
        assert con.execute("SELECT zone FROM grid WHERE code = '3-1'").fetchone() == ("sealed",)
        assert con.execute(
            "SELECT name, role, party_member, last_negative_test FROM staff ORDER BY id"
        ).fetchall() == [("王五", "grid_leader", 1, "2022-04-12"), ("赵六", "volunteer", 0, "2022-04-12")]


def test_staff_duplicate_phone_names_the_first_line(post, capsys):
    write(
        post / "s.csv", "姓名,角色,所属网格,手机\n王五,网格员,1,13900000001\n\n赵六,志愿者,1,139 0000 0001\n"
    )
    assert run("staff", "s.csv") == 1
    assert capsys.readouterr().err.startswith("s.csv:4: 手机: 电话 13900000001 与第 2 行重复")
    assert count(post, "staff") == 0


# -- the data layer on its own, as the TUI import screen will call it ----------------


def test_read_csv_keeps_physical_lines_and_header_text(tmp_path):
    path = tmp_path / "h.csv"
    write(path, '网格,门牌号,人数（必填）,备注,\n1-1,1号,3,"a\nb"\n,,,,\n\n1-1,2号,2,\n')
    table = csv_import.read_csv(path, "households")
    assert table.lines == [2, 6]
    assert table.headers["people"] == "人数（必填）"
    assert [row.door for row in table.rows] == ["1号", "2号"]
    assert table.rows[0].note == "a\nb"


def test_import_csv_maps_problems_to_lines_and_headers(post):
    path = post / "h.csv"
    write(path, "Door,Grid,People\n1号,1-1,3\n2号,1-1,lots\n")
    database = open_database(post / "post.db")
    try:
        refused = csv_import.import_csv(path, "households", actor="test")
        write(path, "Door,Grid,People\n1号,1-1,3\n2号,1-1,2\n")
        done = csv_import.import_csv(path, "households", actor="test")
    finally:
        database.close()
    assert refused.outcome is None
    assert [(p.line, p.column, p.key, p.params) for p in refused.problems] == [
        (3, "People", "field.bad_people", {"value": "lots"})
    ]
    assert (done.outcome.created, done.problems) == (2, ())
    assert count(post, "household") == 2


def test_data_layer_does_not_load_the_interface():
    code = (
        "import sys, db.intake.csv_import;"
        " print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'console')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_reimport_without_some_columns_keeps_what_those_columns_held(tmp_path):
    """A file with only 网格,门牌号,人数 must not blank the phone, care tags or note it does not carry,
    nor move a household filed in a sub-grid up to its grid."""
    from console.cli import main as cli_main
    from db.connection import open_database
    from db.grids import queries

    db = tmp_path / "post.db"
    grids = tmp_path / "grids.csv"
    grids.write_text("网格编码,网格名称\n1,第一网格\n1-1,一组\n", encoding="utf-8")
    full = tmp_path / "full.csv"
    full.write_text(
        "网格,门牌号,人数,联系电话,户主,特殊人群,备注\n1-1,8号,3,13800000008,王五,独居老人,需送药\n",
        encoding="utf-8",
    )
    thin = tmp_path / "thin.csv"
    thin.write_text("网格,门牌号,人数\n1,8号,4\n", encoding="utf-8")
    staff_full = tmp_path / "staff.csv"
    staff_full.write_text(
        "姓名,角色,所属网格,联系电话,出生年份,党员,支援队伍\n李四,志愿者,1,13900000001,1990,是,龙湖队\n",
        encoding="utf-8",
    )
    staff_thin = tmp_path / "staff_thin.csv"
    staff_thin.write_text("姓名,角色,所属网格,联系电话\n李四,志愿者,1,13900000001\n", encoding="utf-8")
    for kind, path in (
        ("grids", grids),
        ("households", full),
        ("households", thin),
        ("staff", staff_full),
        ("staff", staff_thin),
    ):
        assert cli_main(["import", kind, str(path), "--db", str(db)]) == 0
    database = open_database(db)
    row = queries.household_page()[0]
    person = queries.staff_page()[0]
    database.close()
    assert (row.grid_code, row.people, row.phone, row.head_name, row.care_tags, row.note) == (
        "1-1",
        4,
        "13800000008",
        "王五",
        "独居老人",
        "需送药",
    )
    assert (person.birth_year, person.party_member, person.team) == (1990, True, "龙湖队")
