"""cmdpost coverage and cmdpost roster: the contract scripts and cron rely on."""

from __future__ import annotations

import json
import sqlite3

from console.cli import main

AT = ["--at", "2022-04-10 09:30"]


def test_coverage_json_lists_shifts_with_their_gap(roster_post, db_path, capsys):
    roster_post.close()
    assert main(["coverage", "--db", str(db_path), *AT, "--hours", "8", "--format", "json"]) == 0
    shifts = json.loads(capsys.readouterr().out)
    assert {"shift_id", "post", "grid", "start", "end", "needed", "assigned", "present", "gap"} <= set(
        shifts[0]
    )
    current = shifts[0]
    assert (current["start"], current["needed"], len(current["assigned"]), current["gap"]) == (
        "2022-04-10T08:00:00+08:00",
        2,
        1,
        1,
    )


def test_assign_exit_codes_and_override(roster_post, db_path, capsys):
    roster_post.close()
    con = sqlite3.connect(db_path)
    shift = con.execute("SELECT id FROM shift ORDER BY starts_at LIMIT 1 OFFSET 1").fetchone()[0]  # 08-16
    later = con.execute("SELECT id FROM shift ORDER BY starts_at LIMIT 1 OFFSET 2").fetchone()[0]  # 16-24
    yi = con.execute("SELECT id FROM staff WHERE name = '乙'").fetchone()[0]
    assert main(["roster", "assign", str(yi), str(shift), "--db", str(db_path)]) == 0
    capsys.readouterr()
    assert (
        main(["roster", "assign", str(yi), str(later), "--db", str(db_path)]) == 1
    )  # 16 h in 24 h: a warning
    err = capsys.readouterr().err
    assert "24 小时内值守 16.0 小时" in err and "--override" in err
    assert (
        main(["roster", "assign", str(yi), str(later), "--db", str(db_path), "--override", "人手紧张"]) == 0
    )
    assert con.execute(
        "SELECT override_reason FROM assignment WHERE shift_id = ? AND staff_id = ?", (later, yi)
    ).fetchone() == ("人手紧张",)
    assert main(["roster", "unassign", str(yi), str(later), "--db", str(db_path)]) == 0
    assert main(["roster", "unassign", str(yi), str(later), "--db", str(db_path)]) == 1


def test_bad_times_and_unknown_ids_are_one_line(roster_post, db_path, capsys):
    roster_post.close()
    assert main(["coverage", "--db", str(db_path), "--at", "明天早上"]) == 1
    assert main(["roster", "assign", "9999", "1", "--db", str(db_path)]) == 1
    assert (
        main(
            [
                "roster",
                "add-shift",
                "--db",
                str(db_path),
                "--post",
                "1",
                "--start",
                "2022-04-12 10:00",
                "--end",
                "2022-04-12 09:00",
            ]
        )
        == 1
    )
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 3 and "看不懂" in lines[0] and "9999" in lines[1] and "晚于" in lines[2]


def test_print_writes_a_sheet_with_open_places(roster_post, db_path, tmp_path, capsys):
    roster_post.close()
    out = tmp_path / "roster.html"
    assert main(["roster", "print", "--db", str(db_path), "--date", "2022-04-10", "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert (
        "村口卡口" in html and "甲" in html and html.count("class='gap'>缺人") == 5
    )  # 2 open at 00-08, 1 at 08-16, 2 at 16-24


def test_unknown_grid_and_bad_hours_are_refused_not_answered_empty(roster_post, db_path, tmp_path, capsys):
    roster_post.close()
    out = tmp_path / "sheet.html"
    assert main(["coverage", "--db", str(db_path), *AT, "--grid", "99"]) == 1
    assert main(["coverage", "--db", str(db_path), *AT, "--hours", "-5"]) == 1
    assert (
        main(
            [
                "roster",
                "print",
                "--db",
                str(db_path),
                "--date",
                "2022-04-10",
                "--grid",
                "99",
                "--out",
                str(out),
            ]
        )
        == 1
    )
    assert main(["round", "coverage", "1", "--db", str(db_path), "--grid", "99"]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 4 and "找不到网格 99" in lines[0] and "-5" in lines[1]
    assert not out.exists()
