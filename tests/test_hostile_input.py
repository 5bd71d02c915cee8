"""Hostile names on screen and hostile files given to import."""

from __future__ import annotations

import hashlib
import os
import re

import pytest

from console.cli import main
from console.screens.grid import GridScreen
from db.intake import csv_import
from db.safe_text import shown
from tests.conftest import make_app, settle
from tests.test_ui import click_on_text, screen_text

ANSI = "\x1b[31m红\x1b[0m\x07网格"
OSC = "\x1b]0;pwned\x07x\x9b31m"
RTL = "\u202e三网格\u202c"
MARKUP = "[@click=app.quit]点我[/]"
LONG = "长" * 10_000
STEERING = {chr(c) for c in (*range(0x20), *range(0x7F, 0xA0), 0x202E, 0x202C, 0x200F)} - {"\n"}


def hostile_post(post_db) -> None:
    # Straight into the file, as an older version or another tool might have left them.
    post_db.execute_sql("UPDATE grid SET name = ? WHERE code = '1'", (ANSI,))
    post_db.execute_sql("UPDATE grid SET name = ? WHERE code = '2'", (MARKUP,))
    post_db.execute_sql("UPDATE grid SET name = ? WHERE code = '3'", (RTL,))
    post_db.execute_sql("UPDATE household SET head_name = ? WHERE door = '花厅口村4号'", (LONG,))
    post_db.execute_sql("UPDATE household SET head_name = ? WHERE door = '花厅口村8号'", (OSC,))
    post_db.execute_sql("UPDATE household SET head_name = ? WHERE door = '花厅口村12号'", (MARKUP,))


def test_shown_makes_every_steering_character_visible():
    assert shown(ANSI) == "␛[31m红␛[0m␇网格"
    assert shown(RTL) == "<U+202E>三网格<U+202C>"
    assert shown(MARKUP) == MARKUP and shown("花厅口村") == "花厅口村"
    assert not STEERING & set(shown("".join(sorted(STEERING))))


async def test_hostile_names_are_drawn_literally_on_dashboard_and_grid_pane(post_db, db_path):
    hostile_post(post_db)
    app = make_app(db_path)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        dashboard = screen_text(app)
        assert not STEERING & set(dashboard)  # nothing reaches the terminal that could steer it
        assert (
            "␛[31m红␛[0m␇网格" in dashboard
            and "<U+202E>三网格" in dashboard
            and "[@click=app.quit]点我" in dashboard
        )
        await pilot.press("enter")
        await settle(app, pilot)
        pane = screen_text(app)
        assert not STEERING & set(pane)
        assert "␛]0;pwn" in pane and "[@click" in pane  # cut to the column width, but as typed
        assert (
            re.search(r"长{3} ?…", pane) and LONG[:40] not in pane
        )  # the 10,000-character name is cut to its column, not wrapped or dropped
        x, y = await click_on_text(app, pilot, "[@click")  # on the would-be link itself, not beside it
        register = app.screen.query_one("#register")
        assert app.screen.get_widget_at(x, y)[0] is register
        await settle(app, pilot)
        assert app.is_running and isinstance(app.screen, GridScreen)  # no name acted as a link or a key
        assert register.cursor_value.door == "花厅口村12号"  # the click went to the row holding the link


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


BAD_FILES = {
    "binary": (os.urandom(4096), "不是文本"),
    "zip (xlsx)": (b"PK\x03\x04" + os.urandom(200), "Excel"),
    "utf-16 without BOM": ("网格,门牌号,人数\n1-1,1号,3\n".encode("utf-16-le"), "不是文本"),
    "utf-32": ("网格,门牌号,人数\n1-1,1号,3\n".encode("utf-32"), "不是文本"),
    "latin-1 junk": (b"grid,door,people\n1-1,\x80\xff\x80,3\n", "不是文本"),
    "nul bytes": (b"grid,door,people\n1-1,1\x00,3\n", "不是文本"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_import_refuses_binary_and_wrongly_encoded_files_before_writing(
    post_db, db_path, tmp_path, capsys, name
):
    data, message = BAD_FILES[name]
    bad = tmp_path / "bad.csv"
    bad.write_bytes(data)
    post_db.close()
    before = digest(db_path)
    assert main(["--db", str(db_path), "import", "households", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.startswith("cmdpost:")
    assert message in err, err
    assert digest(db_path) == before


def test_import_refuses_a_huge_file_without_reading_it(tmp_path, capsys):
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as fh:  # sparse: past the limit on paper, nothing on disk
        fh.write("网格,门牌号,人数\n".encode())
        fh.truncate(csv_import.MAX_BYTES + 1024 * 1024)
    target = tmp_path / "never.db"
    assert main(["--db", str(target), "import", "households", str(huge)]) == 1
    err = capsys.readouterr().err
    assert "太大" in err and f"{csv_import.MAX_BYTES // (1024 * 1024)} MB" in err
    assert not target.exists()  # refused before the database was even opened
    small = tmp_path / "small.csv"
    small.write_bytes(b"x" * 100)
    with pytest.raises(csv_import.CsvFileError) as caught:
        csv_import.read_bytes(small, max_bytes=50)
    assert caught.value.key == "reliability.import_too_large"


def test_the_command_line_shows_escape_sequences_in_data_instead_of_obeying_them(post_db, db_path, capsys):
    from db.supply import writes as supply

    supply.add_item("\x1b]0;PWNED\x07\x1b[31m大米", "斤", "grain_oil", actor="t", now=1_650_000_000)
    post_db.close()
    assert main(["--db", str(db_path), "supply", "stock"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "␛]0;PWNED␇␛[31m大米" in out and "\t" in out and out.endswith("\n")  # columns and lines kept
