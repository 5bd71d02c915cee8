"""Backups while the post is in use, restores that check first, and rolling backups in the console."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from console.cli import main
from console.config import ConfigError, load_config
from db.backup import copies as backup
from db.connection import open_database
from db.grids import writes
from db.passes import keys as pass_keys
from db.records import HouseholdInput
from db.schema import SCHEMA_VERSION
from tests.conftest import make_app, settle, wait_until
from widgets.post_header import PostHeader

ROOT = Path(__file__).resolve().parent.parent


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def households(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {row[0] for row in con.execute("SELECT door FROM household")}
    finally:
        con.close()


def test_backup_while_a_writer_runs_is_consistent_and_does_not_block_it(post_db, db_path, tmp_path):
    writes.upsert_households([HouseholdInput("1-1", f"底数{n}号", 2) for n in range(3000)], actor="test")
    before = households(db_path)
    stop, written = threading.Event(), []

    def writer() -> None:  # a second connection (peewee opens one per thread), like a second console
        n = 0
        while not stop.is_set():
            writes.upsert_households([HouseholdInput("1-2", f"并发{n}号", 1)], actor="writer")
            written.append(n)
            n += 1
        post_db.close()

    steps: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        steps.append((done, total))
        time.sleep(0.002)  # a slow disk: writers must still get through between (and during) steps

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while not written:
            time.sleep(0.01)
        start_count = len(written)
        info = backup.backup_database(db_path, tmp_path / "out" / "copy.db", progress=progress, pages=4)
        writes_during = len(written) - start_count
    finally:
        stop.set()
        thread.join()
    assert len(steps) > 20 and steps[-1][0] == steps[-1][1]  # copied in many steps, with progress, to the end
    assert writes_during > 0  # the writer committed while the copy ran
    copied = households(info.path)
    assert before <= copied  # everything committed before the backup began is in it
    assert copied <= households(db_path)
    con = sqlite3.connect(info.path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    con.close()
    assert stat.S_IMODE(info.path.stat().st_mode) == 0o600
    assert not list((tmp_path / "out").glob(".*"))  # no partial file left behind


def test_cli_backup_names_the_key_and_copies_it_only_when_asked(post_db, db_path, tmp_path, capsys):
    pass_keys.signing_key(db_path)
    assert main(["--db", str(db_path), "backup", str(tmp_path / "a.db")]) == 0
    out, err = capsys.readouterr()
    assert "已备份到" in out and str(pass_keys.key_path(db_path)) in err
    assert not pass_keys.key_path(tmp_path / "a.db").exists()
    folder = tmp_path / "usb"
    folder.mkdir()
    assert main(["--db", str(db_path), "backup", str(folder), "--with-key"]) == 0
    copy = next(folder.glob("post-*.db"))
    key = pass_keys.key_path(copy)
    assert key.read_bytes() == pass_keys.key_path(db_path).read_bytes()
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert main(["--db", str(db_path), "backup", str(tmp_path / "a.db")]) == 1  # never overwrites
    assert "已存在" in capsys.readouterr().err


def test_restore_puts_the_backup_back_and_keeps_the_replaced_database(post_db, db_path, tmp_path, capsys):
    copy = tmp_path / "copy.db"
    backup.backup_database(db_path, copy)
    writes.upsert_households([HouseholdInput("1-1", "备份之后1号", 1)], actor="test")
    post_db.close()
    assert main(["--db", str(db_path), "restore", str(copy), "--check"]) == 0
    assert "检查通过" in capsys.readouterr().out
    assert "备份之后1号" in households(db_path)
    assert main(["--db", str(db_path), "restore", str(copy)]) == 0
    out = capsys.readouterr().out
    assert "已恢复" in out and "保留在" in out
    assert "备份之后1号" not in households(db_path)
    kept = next(tmp_path.glob("post.db.replaced-*"))
    assert "备份之后1号" in households(kept)
    assert not Path(f"{db_path}-wal").exists() or Path(f"{db_path}-wal").stat().st_size == 0
    database = open_database(db_path)  # the restored file opens as the post's database
    assert database.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    database.close()


def _damaged(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 2, len(data), 4096):  # every page after the first two: headers scribbled over
        data[offset : offset + 64] = os.urandom(64)
    path.write_bytes(bytes(data))


def _table_dropped(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("DROP TABLE callback")
    con.commit()
    con.close()


def _too_new(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.commit()
    con.close()


def _foreign_sqlite(path: Path) -> None:
    path.unlink()
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, blob BLOB)")
    con.execute("PRAGMA user_version = 3")
    con.commit()
    con.close()


@pytest.mark.parametrize(
    "spoil, message",
    [
        (lambda p: p.write_text("门牌号,人数\n1号,3\n", encoding="utf-8"), "不是 SQLite 文件"),
        (lambda p: p.write_bytes(b""), "不是 SQLite 文件"),
        (lambda p: p.write_bytes(p.read_bytes()[:5000]), "损坏"),
        (_damaged, "损坏"),
        (_too_new, "更新版本"),
        (_table_dropped, "callback"),
        (_foreign_sqlite, "缺少数据表"),
    ],
)
def test_restore_refuses_a_bad_file_and_changes_nothing(post_db, db_path, tmp_path, capsys, spoil, message):
    copy = tmp_path / "copy.db"
    backup.backup_database(db_path, copy)
    post_db.close()
    spoil(copy)
    before = digest(db_path)
    assert main(["--db", str(db_path), "restore", str(copy)]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert digest(db_path) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("post.db")) == ["post.db"]


def test_restore_is_refused_while_the_database_is_open(post_db, db_path, tmp_path, capsys):
    copy = tmp_path / "copy.db"
    backup.backup_database(db_path, copy)
    writes.upsert_households([HouseholdInput("1-1", "开着时写的1号", 1)], actor="test")
    assert main(["--db", str(db_path), "restore", str(copy)]) == 1
    assert "正在被使用" in capsys.readouterr().err
    assert "开着时写的1号" in households(db_path)
    assert not list(tmp_path.glob("post.db.replaced-*"))


def test_restore_keeps_writes_left_in_the_wal_by_a_killed_process(post_db, db_path, tmp_path):
    copy = tmp_path / "copy.db"
    backup.backup_database(db_path, copy)
    post_db.close()
    code = (
        "import os, sys; from db.connection import open_database; from db.grids import writes;"
        "from db.records import HouseholdInput; open_database(sys.argv[1]);"
        "writes.upsert_households([HouseholdInput('1-1', '只在WAL里1号', 1)], actor='t'); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", code, str(db_path)], cwd=ROOT, check=True)
    assert Path(f"{db_path}-wal").stat().st_size > 0  # the write sits in the WAL, not yet in the main file
    backup.restore(copy, db_path)
    kept = next(tmp_path.glob("post.db.replaced-*"))
    assert "只在WAL里1号" in households(kept)  # the WAL was folded into the kept file, not lost
    assert not Path(f"{kept}-wal").exists()
    assert "只在WAL里1号" not in households(db_path)


def test_rolling_backups_keep_the_newest_k(post_db, db_path, tmp_path):
    folder = backup.backup_folder(db_path)
    start = datetime(2022, 4, 10, 8, 0)
    for n in range(5):
        backup.take_rolling_backup(db_path, folder, keep=3, now=start + timedelta(minutes=30 * n))
    kept = backup.rolling_backups(db_path, folder)
    assert [moment for moment, _ in kept] == [start + timedelta(minutes=30 * n) for n in (4, 3, 2)]
    assert backup.latest_backup(db_path, folder) == start + timedelta(minutes=120)
    assert all(backup.check_backup(path) == SCHEMA_VERSION for _, path in kept)


@pytest.mark.parametrize(
    "text, setting",
    [
        ("backup:\n  every_minutes: -1\n", "backup.every_minutes"),
        ("backup:\n  every_minutes: 2000\n", "backup.every_minutes"),
        ("backup:\n  keep: 0\n", "backup.keep"),
        ("backup:\n  keep: yes\n", "backup.keep"),
        ("backup:\n  folder: ''\n", "backup.folder"),
        ("backup:\n  evry_minutes: 5\n", "backup.evry_minutes"),
        ("backup: 5\n", "backup"),
    ],
)
def test_backup_settings_are_checked(tmp_path, text, setting):
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.params["setting"] == setting


def test_backup_settings_default_and_relative_folder(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("backup:\n  every_minutes: 10\n  keep: 5\n  folder: bak\n", encoding="utf-8")
    config = load_config(path)
    assert (config.backup_every_minutes, config.backup_keep, config.backup_folder) == (
        10,
        5,
        tmp_path / "bak",
    )
    shipped = load_config(ROOT / "config.yaml")
    assert (shipped.backup_every_minutes, shipped.backup_keep, shipped.backup_folder) == (30, 48, None)


async def test_console_takes_rolling_backups_and_shows_the_last_one(post_db, db_path):
    app = make_app(db_path)
    app.config = replace(app.config, backup_every_minutes=1, backup_keep=2)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        header = app.screen.query_one(PostHeader)
        assert "备份" not in str(header.render())  # no backup yet: nothing claimed
        app.backups.take()
        await settle(app, pilot)
        await wait_until(pilot, lambda: "备份 " in str(header.render()), "the header shows the backup")
        assert len(backup.rolling_backups(db_path, db_path.parent / "backups")) == 1
    readonly = make_app(db_path, readonly=True)
    assert not readonly.backups.enabled  # a supervisor's console copies nothing
    readonly.database.close()


def test_a_backup_named_with_a_question_mark_is_read_back_as_itself(tmp_path, monkeypatch, capsys):
    # The fuzz found it: "file:ÄÑ??mode=ro" opened (and made) a file named ÄÑ, which had no trail.
    from console.cli import main
    from db.connection import open_database as opened
    from tests.conftest import build_small_post

    database = opened(tmp_path / "post.db")
    build_small_post()
    database.close()
    monkeypatch.chdir(tmp_path)
    assert main(["--db", str(tmp_path / "post.db"), "backup", "copy?#1.db"]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "copy?#1.db").is_file() and not (tmp_path / "copy").exists()
    assert "审计链" in out or "audit" in out.lower(), out


async def test_the_first_rolling_backup_comes_soon_and_is_named_by_the_posts_clock(
    post_db, db_path, monkeypatch
):
    import console.app
    import console.rolling_backup as rolling

    monkeypatch.setattr(console.app, "BACKUPS_AFTER_SECONDS", 0.01)
    monkeypatch.setattr(
        rolling, "FIRST_BACKUP_SECONDS", 0.01
    )  # "soon": the first copy is not an interval away
    app = make_app(db_path)  # the post's clock: 2022-04-10 09:30 in Shanghai (tests/conftest.py)
    app.config = replace(app.config, backup_every_minutes=30)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.pause(0.2)
        await settle(app, pilot)
        found = backup.rolling_backups(db_path, db_path.parent / "backups")
        assert [path.name for _, path in found] == ["post-20220410-093000.db"]
        await pilot.pause(1.2)  # the header redraws once a second
        assert "备份 09:30" in str(app.screen.query_one(PostHeader).render())
