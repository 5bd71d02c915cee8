"""cmdpost supply … and cmdpost handoff deliver: exit codes, refusals that write nothing, the voucher."""

from __future__ import annotations

import sqlite3

import pytest

from tests.test_passes_cli import cli_post, payload_of, run  # noqa: F401  (cli_post is a fixture)

# "supply totals" counts "today" at the post: the CLI's clock is fixed, so a run across midnight passes.
pytestmark = pytest.mark.usefixtures("fixed_cli_clock")


@pytest.fixture
def stocked(cli_post, db_path, capsys):
    db = str(db_path)
    for name, unit, category in (("大米", "斤", "grain_oil"), ("降压药", "盒", "medicine")):
        assert (
            run(capsys, "supply", "item", "add", name, "--unit", unit, "--category", category, "--db", db)[0]
            == 0
        )
    assert run(capsys, "supply", "receive", "大米", "50", "--from", "粮油公司", "--db", db)[0] == 0
    assert run(capsys, "supply", "receive", "降压药", "2", "--from", "卫生院", "--db", db)[0] == 0
    for name, grid in (("甲", "1"), ("乙", "2")):
        assert run(capsys, "pass", "issue", str(cli_post[name]), "--grid", grid, "--db", db)[0] == 0
    return {"db": db, "甲": payload_of(capsys, db, "1-0001"), "乙": payload_of(capsys, db, "2-0001")}


def count(db_path, table: str) -> int:
    con = sqlite3.connect(db_path)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def test_order_run_print_deliver_and_correct(stocked, db_path, capsys, tmp_path):
    db = stocked["db"]
    code, out, _ = run(
        capsys,
        "supply",
        "order",
        "add",
        "--grid",
        "1",
        "--door",
        "花厅口村1号",
        "大米=10",
        "降压药=1",
        "--urgent",
        "--db",
        db,
    )
    assert code == 0 and "#1" in out
    code, out, _ = run(capsys, "supply", "orders", "--grid", "1", "--db", db)
    assert code == 0 and "花厅口村1号" in out and "大米 10斤" in out and "急" in out
    code, _, err = run(
        capsys, "supply", "run", "create", "--grid", "1", "--pass", stocked["乙"], "1", "--db", db
    )
    assert (
        code == 1
        and "不是本网格的证" in err
        and "CROSS_GRID" not in err
        and count(db_path, "supply_run") == 0
    )
    code, out, _ = run(
        capsys, "supply", "run", "create", "--grid", "1", "--pass", stocked["甲"], "1", "--db", db
    )
    assert code == 0 and "#1" in out
    sheet = tmp_path / "run.html"
    assert run(capsys, "supply", "run", "print", "1", "--out", str(sheet), "--db", db)[0] == 0
    html = sheet.read_text(encoding="utf-8")
    assert "配送订单凭证" in html and "花厅口村1号" in html and "☐" in html and "大米 10斤" in html

    code, out, _ = run(capsys, "handoff", "deliver", "--pass", stocked["甲"], "--order", "1", "--db", db)
    assert code == 0
    before = count(db_path, "handoff")
    code, _, err = run(capsys, "handoff", "deliver", "--pass", stocked["甲"], "--order", "1", "--db", db)
    assert code == 1 and "不能重复登记" in err and count(db_path, "handoff") == before
    code, out, _ = run(capsys, "supply", "ledger", "--db", db)
    assert code == 0 and "送达住户" in out
    delivered = next(line.split("\t")[0] for line in out.splitlines() if "送达住户" in line)
    code, out, _ = run(capsys, "supply", "correct", delivered, "--reason", "误扫", "--db", db)
    assert code == 0 and f"冲销记录 #{delivered}" in out


def test_refusals_exit_1_and_write_nothing(stocked, db_path, capsys):
    db = stocked["db"]
    before = count(db_path, "supply_order")
    for line in ("大米=0", "大米=-3", "黄金=1", "大米"):
        code, _, err = run(
            capsys, "supply", "order", "add", "--grid", "1", "--door", "花厅口村1号", line, "--db", db
        )
        assert code == 1 and err.startswith("cmdpost:")
    assert count(db_path, "supply_order") == before
    assert (
        run(capsys, "supply", "order", "add", "--grid", "1", "--door", "花厅口村2号", "降压药=3", "--db", db)[
            0
        ]
        == 0
    )
    code, _, err = run(
        capsys, "supply", "run", "create", "--grid", "1", "--pass", stocked["甲"], "1", "--db", db
    )
    assert code == 1 and "现有 2盒" in err and count(db_path, "supply_run") == 0
    code, _, err = run(capsys, "supply", "correct", "999", "--reason", "录错了", "--db", db)
    assert code == 1 and "999" in err and "台账中没有记录" in err
    code, out, _ = run(capsys, "supply", "stock", "--db", db)
    assert code == 0 and "大米" in out and "50" in out


def test_totals_per_grid_and_item_for_the_day(stocked, capsys):
    db = stocked["db"]
    assert (
        run(capsys, "supply", "order", "add", "--grid", "1", "--door", "花厅口村1号", "大米=10", "--db", db)[
            0
        ]
        == 0
    )
    assert (
        run(capsys, "supply", "run", "create", "--grid", "1", "--pass", stocked["甲"], "1", "--db", db)[0]
        == 0
    )
    assert run(capsys, "handoff", "deliver", "--pass", stocked["甲"], "--order", "1", "--db", db)[0] == 0
    code, out, _ = run(capsys, "supply", "totals", "--db", db)
    assert code == 0 and "\t大米\t10斤\t10斤" in out and "全指挥部送达:大米 10斤" in out
    assert run(capsys, "supply", "totals", "--day", "2022-04-10", "--db", db)[1] == out  # "today" at the post
    code, out, _ = run(capsys, "supply", "totals", "--day", "2020-01-01", "--db", db)
    assert code == 0 and "没有送达或出库记录" in out
    code, _, err = run(capsys, "supply", "totals", "--day", "明天", "--db", db)
    assert code == 1 and "日期" in err


def test_big_weights_are_given_in_tonnes_as_reports_do():
    from console.text.supply import amount_text as _amount

    assert _amount(4000, "斤") == "2.0 吨" and _amount(1999, "斤") == "1999斤" and _amount(30, "瓶") == "30瓶"


def test_the_ledger_of_an_unknown_grid_is_refused_and_a_subgrid_shows_its_grids(stocked, capsys):
    db = stocked["db"]
    code, out, err = run(capsys, "supply", "ledger", "--grid", "nope", "--db", db)
    assert code == 1 and "nope" in err and out == ""
    assert (
        run(capsys, "supply", "order", "add", "--grid", "1", "--door", "花厅口村2号", "大米=3", "--db", db)[0]
        == 0
    )
    assert (
        run(capsys, "supply", "run", "create", "--grid", "1", "--pass", stocked["甲"], "1", "--db", db)[0]
        == 0
    )
    whole = run(capsys, "supply", "ledger", "--grid", "1", "--db", db)[1]
    assert "大米" in whole and run(capsys, "supply", "ledger", "--grid", "1-1", "--db", db)[1] == whole


@pytest.mark.parametrize("grid", ["10", "1A"])
def test_a_grid_1_pass_forms_no_run_in_a_grid_whose_code_only_begins_with_1(stocked, db_path, capsys, grid):
    from tests.test_passes_cli import add_lookalike_grids

    db = stocked["db"]
    add_lookalike_grids(db_path)
    door = {"10": "花厅口村100号", "1A": "花厅口村101号"}[grid]
    assert run(capsys, "supply", "order", "add", "--grid", grid, "--door", door, "大米=3", "--db", db)[0] == 0
    code, _, err = run(
        capsys, "supply", "run", "create", "--grid", grid, "--pass", stocked["甲"], "1", "--db", db
    )
    assert code == 1 and "窜格" in err and count(db_path, "supply_run") == 0
