"""Orders from a pasted chain (接龙下单): goods matched against the day's menu, all or nothing,
and every line that cannot be placed reported with its line number."""

from __future__ import annotations

import json

from db.intake import orders_chain as supply_chain
from tests.test_passes_cli import cli_post, run  # noqa: F401
from tests.test_supply_cli import count, stocked  # noqa: F401  (stocked is a fixture)

MENU = [
    ("大米", "斤"),
    ("食用油", "瓶"),
    ("青菜", "斤"),
    ("蔬菜包", "份"),
    ("鸡蛋", "箱"),
    ("口罩", "盒"),
    ("降压药", "盒"),
]

CHAIN = """#接龙 4月13日团购 今日菜单:大米 青菜 蔬菜包
例 花厅口村12号 大米10斤 青菜2斤
1. 花厅口村1号 大米10斤 青菜x2
2、花厅口村2号 蔬菜包1份、口罩2盒
３．花厅口村３号　菜包２份（老人独居）
收到
4. 花厅口村5号
2斤青菜 食用油×1
5. 花厅口村6号 鸡蛋一箱 大米5公斤 急需降压药
"""


def read(text: str = CHAIN) -> list[supply_chain.OrderEntry]:
    return supply_chain.read_order_chain(text, MENU)


def test_goods_quantities_and_doors_are_read_against_the_menu():
    entries = {e.line: e for e in read()}
    assert [entries[n].status for n in (1, 2)] == ["header", "header"]
    assert (entries[3].door, entries[3].goods) == ("花厅口村1号", [("大米", 10), ("青菜", 2)])
    assert sorted(entries[4].goods) == [("口罩", 2), ("蔬菜包", 1)]
    # full-width digits, a near name (菜包 for 蔬菜包), a remark in brackets
    assert (entries[5].door, entries[5].goods, entries[5].remark) == (
        "花厅口村3号",
        [("蔬菜包", 2)],
        "老人独居",
    )
    assert entries[6].status == "chatter"
    # an order broken over two lines; a quantity before the name
    assert (entries[7].lines, sorted(entries[7].goods)) == ([7, 8], [("青菜", 2), ("食用油", 1)])
    # 一箱, 5公斤 in a 斤 catalogue, and a medicine run is urgent
    assert sorted(entries[9].goods) == [("大米", 10), ("降压药", 1), ("鸡蛋", 1)] and entries[9].urgent


def test_goods_off_the_menu_a_wrong_unit_and_a_repeated_door_are_problems():
    entries = read(
        "1. 花厅口村1号 黄金1斤\n2. 花厅口村2号 口罩3斤\n3. 花厅口村1号 大米1斤\n4. 大米2斤\n5. 花厅口村4号 谢谢"
    )
    assert [(e.status, e.problems) for e in entries] == [
        ("unmatched", ["黄金1斤"]),
        ("unmatched", ["口罩3斤"]),
        ("duplicate", []),
        ("unparsed", []),
        ("unmatched", []),
    ]
    assert entries[2].duplicate_of == 1 and all(supply_chain.blocking(e) for e in entries)


def test_import_chain_as_orders_places_every_order_in_one_go(stocked, db_path, capsys, tmp_path):
    chain = tmp_path / "orders.txt"
    chain.write_text(
        "接龙下单\n1. 花厅口村1号 大米10斤\n2. 花厅口村5号 大米2斤 降压药1盒\n收到\n", encoding="utf-8"
    )
    db = stocked["db"]
    code, out, _ = run(
        capsys, "import", "chain", str(chain), "--grid", "1", "--as", "orders", "--dry-run", "--db", db
    )
    assert code == 0 and "可下单 2 户" in out and count(db_path, "supply_order") == 0
    code, out, err = run(capsys, "import", "chain", str(chain), "--grid", "1", "--as", "orders", "--db", db)
    assert code == 0 and "已下单 2 户" in out and f"{chain}:4: 不是订单" in err
    code, out, _ = run(capsys, "supply", "orders", "--grid", "1", "--db", db)
    lines = out.splitlines()
    assert "花厅口村5号\t大米 2斤、降压药 1盒" in lines[0] and "急" in lines[0]  # medicine: urgent, first
    assert "花厅口村1号\t大米 10斤" in lines[1]


def test_one_bad_line_writes_nothing_and_every_bad_line_is_reported(stocked, db_path, capsys, tmp_path):
    chain = tmp_path / "orders.txt"
    chain.write_text(
        "1. 花厅口村1号 大米10斤\n2. 花厅口村2号 黄金1斤\n3. 花厅口村1号 大米1斤\n", encoding="utf-8"
    )
    db = stocked["db"]
    code, _, err = run(capsys, "import", "chain", str(chain), "--grid", "1", "--as", "orders", "--db", db)
    assert code == 1 and count(db_path, "supply_order") == 0
    assert f"{chain}:2: " in err and "黄金1斤" in err and f"{chain}:3: " in err and "与第 1 行写法不同" in err
    # a door the grid does not hold is asked about before anything is written
    chain.write_text(
        "1. 花厅口村1号 大米10斤\n2. 花厅口村3号 大米1斤\n", encoding="utf-8"
    )  # 3号 is in grid 2
    code, _, err = run(capsys, "import", "chain", str(chain), "--grid", "1", "--as", "orders", "--db", db)
    assert (
        code == 1
        and f"{chain}:2: 门牌“花厅口村3号”不在本网格台账里" in err
        and count(db_path, "supply_order") == 0
    )


def test_json_lists_every_entry(stocked, capsys, tmp_path):
    chain = tmp_path / "orders.txt"
    chain.write_text("1. 花厅口村1号 大米10斤\n", encoding="utf-8")
    code, out, _ = run(
        capsys,
        "import",
        "chain",
        str(chain),
        "--grid",
        "1",
        "--as",
        "orders",
        "--json",
        "--dry-run",
        "--db",
        stocked["db"],
    )
    entry = json.loads(out)["entries"][0]
    assert code == 0 and (entry["door"], entry["goods"], entry["status"]) == (
        "花厅口村1号",
        [["大米", 10]],
        "ok",
    )


def test_the_same_door_written_with_another_dash_is_a_repeat_as_in_the_households_chain():
    from db.intake import chain

    text = "1. 5-2号 大米1斤\n2. 5—2号 口罩1盒"
    orders = read(text)
    assert [e.status for e in orders] == ["ok", "duplicate"] and orders[1].duplicate_of == 1
    households = chain.read_chain("1. 5-2号 3人\n2. 5—2号 3人")
    assert households[1].status == "duplicate"  # one rule for what a door is, in both readers
