"""cmdpost export handoffs|orders|stock: UTF-8 with a BOM, Chinese headers, the post's local times,
--from/--to as local days; read back and compared with the database."""

from __future__ import annotations

import csv
import sqlite3
from datetime import datetime

import pytest

from console.config import load_config
from tests.conftest import TEST_CONFIG
from tests.test_passes_cli import cli_post, run  # noqa: F401  (cli_post is a fixture)
from tests.test_supply_cli import stocked  # noqa: F401

pytestmark = pytest.mark.usefixtures(
    "fixed_cli_clock"
)  # the ledger's times and days, whenever the suite runs


def read_back(path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads UTF-8
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def deliver_one(capsys, stocked) -> None:
    db = stocked["db"]
    assert (
        run(
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
            "--note",
            "放门口,别敲门",
            "--db",
            db,
        )[0]
        == 0
    )
    assert (
        run(capsys, "supply", "run", "create", "--grid", "1", "--pass", stocked["甲"], "1", "--db", db)[0]
        == 0
    )
    assert (
        run(
            capsys,
            "handoff",
            "deliver",
            "--pass",
            stocked["甲"],
            "--order",
            "1",
            "--received-by",
            "张阿姨",
            "--db",
            db,
        )[0]
        == 0
    )


def test_handoffs_read_back_equal_the_ledger_in_local_time(stocked, db_path, capsys, tmp_path):
    deliver_one(capsys, stocked)
    out = tmp_path / "交接台账.csv"
    code, text, _ = run(capsys, "export", "handoffs", "--out", str(out), "--db", stocked["db"])
    assert code == 0 and "已导出 5 行" in text
    rows = read_back(out)
    assert rows[0][:4] == ["记录号", "时间", "类型", "网格"] and "签收人/来源" in rows[0]
    con = sqlite3.connect(db_path)
    ledger = con.execute("SELECT id, at, kind, party FROM handoff ORDER BY id").fetchall()
    con.close()
    tz = load_config(TEST_CONFIG).tz
    assert [r[0] for r in rows[1:]] == [str(i) for i, _, _, _ in ledger]
    assert [r[1] for r in rows[1:]] == [
        datetime.fromtimestamp(at, tz).strftime("%Y-%m-%d %H:%M:%S") for _, at, _, _ in ledger
    ]
    delivered = next(r for r in rows if r[2] == "送达住户")
    assert delivered[rows[0].index("签收人/来源")] == "张阿姨" and delivered[rows[0].index("订单号")] == "1"
    assert [r[2] for r in rows[1:]].count("出库给志愿者") == 2


def test_orders_and_stock(stocked, capsys, tmp_path):
    deliver_one(capsys, stocked)
    orders, stock = tmp_path / "orders.csv", tmp_path / "stock.csv"
    assert run(capsys, "export", "orders", "--out", str(orders), "--db", stocked["db"])[0] == 0
    header, row = read_back(orders)
    record = dict(zip(header, row))
    assert (record["门牌"], record["物资"], record["状态"], record["加急"], record["备注"]) == (
        "花厅口村1号",
        "大米 10斤、降压药 1盒",
        "已送达",
        "急",
        "放门口,别敲门",
    )
    assert run(capsys, "export", "stock", "--out", str(stock), "--db", stocked["db"])[0] == 0
    table = {r[0]: r for r in read_back(stock)}
    assert table["物资"][3:] == ["期初库存", "入库", "出库", "期末库存"]
    assert table["大米"][3:] == ["0", "50", "10", "40"] and table["降压药"][3:] == ["0", "2", "1", "1"]


def test_a_range_of_days_and_bad_dates(stocked, capsys, tmp_path):
    deliver_one(capsys, stocked)
    out = tmp_path / "h.csv"
    code, text, _ = run(
        capsys,
        "export",
        "handoffs",
        "--from",
        "2000-01-01",
        "--to",
        "2000-01-31",
        "--out",
        str(out),
        "--db",
        stocked["db"],
    )
    assert code == 0 and len(read_back(out)) == 1  # the header alone
    stock = tmp_path / "s.csv"
    assert (
        run(capsys, "export", "stock", "--to", "2000-01-31", "--out", str(stock), "--db", stocked["db"])[0]
        == 0
    )
    assert {r[0]: r[6] for r in read_back(stock)}["大米"] == "0"  # before anything came in
    assert (
        run(capsys, "export", "stock", "--to", "9999-12-31", "--out", str(stock), "--db", stocked["db"])[0]
        == 0
    )
    assert {r[0]: r[6] for r in read_back(stock)}["大米"] == "40"  # the last day there is: everything so far
    for args, message in (
        (("--from", "2022-13-01"), "--from 的日期“2022-13-01”不对"),
        (("--to", "昨天"), "--to 的日期“昨天”不对"),
        (("--from", "2022-04-13", "--to", "2022-04-12"), "开始日期 2022-04-13 晚于结束日期 2022-04-12"),
    ):
        bad = tmp_path / "bad.csv"
        code, _, err = run(capsys, "export", "orders", *args, "--out", str(bad), "--db", stocked["db"])
        assert code == 1 and message in err and not bad.exists()
