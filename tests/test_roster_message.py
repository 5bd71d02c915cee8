"""Messages for the volunteers' group: the call for help, tomorrow's roster, the changes since the last one."""

from __future__ import annotations

import sqlite3
import time

from console.cli import main
from db import connection
from tests.conftest import make_app, settle

AT = ["--at", "2022-04-10 09:30"]


def test_gaps_lists_open_places_in_the_next_12_hours_in_time_order(roster_post, db_path, capsys, tmp_path):
    roster_post.close()
    out = tmp_path / "gaps.txt"
    assert main(["roster", "message", "--db", str(db_path), "--kind", "gaps", *AT, "--out", str(out)]) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert "请求支援" in lines[0]
    assert lines[1:3] == ["04-10 08:00-16:00 1 村口卡口:缺 1 人", "04-10 16:00-00:00 1 村口卡口:缺 2 人"]
    assert "04-11 08:00" not in text  # beyond 12 hours
    assert out.read_text(encoding="utf-8") == text


def test_tomorrow_names_people_per_post_and_never_their_phones(roster_post, db_path, capsys):
    roster_post.close()
    assert (
        main(["roster", "message", "--db", str(db_path), "--kind", "tomorrow", "--at", "2022-04-09 20:00"])
        == 0
    )
    text = capsys.readouterr().out
    assert "2022-04-10 值班表" in text and "08:00-16:00 1 村口卡口:甲 (缺 1 人)" in text
    assert "17000200001" not in text


def test_changes_name_who_was_moved_since_the_last_message(roster_post, db_path, capsys):
    roster_post.close()
    args = ["roster", "message", "--db", str(db_path), "--kind", "changes", *AT]
    time.sleep(1.1)  # changes are kept to the second: one in the message's own second is told twice
    assert main(args) == 0
    assert "甲:新排 04-10 08:00-16:00 1 村口卡口" in capsys.readouterr().out
    time.sleep(1.1)
    assert main(args) == 0
    assert "没有变动" in capsys.readouterr().out  # the first message was remembered
    with sqlite3.connect(db_path) as con:
        jia = con.execute("SELECT id FROM staff WHERE name = '甲'").fetchone()[0]
        shifts = [r[0] for r in con.execute("SELECT id FROM shift ORDER BY starts_at")]
    assert main(["roster", "unassign", str(jia), str(shifts[1]), "--db", str(db_path)]) == 0
    assert main(["roster", "assign", str(jia), str(shifts[4]), "--db", str(db_path)]) == 0
    capsys.readouterr()
    time.sleep(1.1)
    assert main(args) == 0
    lines = capsys.readouterr().out.splitlines()[1:]
    assert lines == ["甲:撤下 04-10 08:00-16:00 1 村口卡口", "甲:新排 04-11 08:00-16:00 1 村口卡口"]


def test_remembering_a_message_needs_a_signed_in_operator(roster_post, db_path, capsys, monkeypatch):
    roster_post.close()
    monkeypatch.setenv("CMDPOST_NEW_PIN", "246810")
    assert main(["--db", str(db_path), "user", "add", "laoli", "--role", "admin"]) == 0
    capsys.readouterr()
    assert main(["roster", "message", "--db", str(db_path), "--kind", "changes", *AT]) == 1
    assert main(["roster", "message", "--db", str(db_path), "--kind", "gaps", *AT]) == 0  # a read: anyone
    assert main(["roster", "message", "--db", str(db_path), "--kind", "gaps", "--grid", "9"]) == 1
    connection.AFTER_OPEN.clear()


async def test_board_key_copies_the_call_for_help_and_writes_it(roster_post, db_path, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    app = make_app(db_path)
    copied = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
    files = list((tmp_path / "cmdpost" / "messages").glob("gaps-*.txt"))
    assert len(files) == 1 and copied == [files[0].read_text(encoding="utf-8")]
    assert "村口卡口:缺 1 人" in copied[0]
