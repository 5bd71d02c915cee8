"""Closing the loop with the group (issue 14): ``cmdpost chain template`` → residents complete their
lines → ``import chain`` → ``cmdpost chain missing`` lists who has still not answered."""

from __future__ import annotations

import pytest

from console.cli import main
from tests.test_chain_corpus import post_file  # noqa: F401  (a fixture)


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main([*args, "--db", "post.db", "--config", "zh.yaml"])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_template_reply_import_and_missing_for_a_testing_round(post_file, capsys):
    code, template, _ = cli(capsys, "chain", "template", "--grid", "1-1", "--kind", "tests")
    lines = template.splitlines()
    assert code == 0 and lines[0].startswith("#接龙 1-1 一组 第1轮核酸") and "未做" in lines[1]
    assert lines[2:5] == [
        "1. 花厅口村1号 ",
        "2. 花厅口村2号 ",
        "3. 花厅口村3号 ",
    ]  # door order, not text order
    assert len(lines) == 2 + 40
    # three residents complete their own line; one says not tested
    reply = "\n".join(
        lines[:2] + [lines[2] + "3人已做", lines[3] + "未做 明天补", lines[4] + "2人"] + lines[5:]
    )
    (post_file / "reply.txt").write_text(reply, encoding="utf-8")
    code, out, err = cli(capsys, "import", "chain", "reply.txt", "--grid", "1-1", "--as", "tests")
    assert code == 0 and "新登记 2" in out and "未做" in err
    code, missing, _ = cli(capsys, "chain", "missing", "--grid", "1-1", "--round", "1")
    assert code == 0 and "以下 38 户还没接龙" in missing
    assert "花厅口村1号" not in missing and "花厅口村3号 " not in missing and "2. 花厅口村4号" in missing
    assert "1. 花厅口村2号" in missing  # 未做: still to call
    # the template for the round now lists only the doors not yet tested
    code, again, _ = cli(capsys, "chain", "template", "--grid", "1-1", "--kind", "tests", "--round", "1")
    assert len(again.splitlines()) == 2 + 38


def test_missing_shows_only_a_masked_phone_tail(post_file, capsys):
    from db.connection import open_database
    from db.grids.writes import upsert_households
    from db.records import HouseholdInput

    database = open_database(post_file / "post.db")
    upsert_households([HouseholdInput("1-1", "花厅口村1号", 6, "", "13812345678", None, None)], actor="t")
    database.close()
    code, missing, _ = cli(capsys, "chain", "missing", "--grid", "1-1")
    assert code == 0 and "1. 花厅口村1号 (电话尾号 5678)" in missing and "138123" not in missing


def test_out_file_and_orders_template(post_file, capsys):
    code, out, _ = cli(capsys, "chain", "template", "--grid", "1", "--kind", "orders", "--out", "t.txt")
    text = (post_file / "t.txt").read_text(encoding="utf-8")
    assert code == 0 and "已写入 t.txt" in out and "今日可订:" in text and "大米(斤)" in text


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["chain", "template", "--grid", "9", "--kind", "tests"], 1, "cmdpost: 找不到网格 9\n"),
        (
            ["chain", "template", "--grid", "1", "--kind", "orders", "--round", "1"],
            2,
            "cmdpost: --round 只用于 --kind tests\n",
        ),
        (["chain", "missing", "--grid", "1", "--round", "7"], 1, None),
    ],
)
def test_bad_input_is_one_line(post_file, capsys, args, code, message):
    got, out, err = cli(capsys, *args)
    assert got == code and out == "" and err.count("\n") == 1 and err.startswith("cmdpost: ")
    assert message is None or err == message
