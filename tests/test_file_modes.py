"""Everything cmdpost makes that holds the post's data is owner-only (0600 files, 0700 folders), even
under a umask that would let others read; a file the user pointed at that already existed keeps its mode."""

from __future__ import annotations

import os
import stat
from datetime import date, datetime, timedelta

import pytest

from console.cli import main
from console.sheets import registers as register_export
from db.backup import copies as backup
from db.connection import open_database
from db.demo import posts as demo
from db.grids import writes
from db.private_file import open_for_writing, private_dirs
from db.records import GridInput
from tests.test_migrations import make_v1_file
from tests.test_passes_cli import cli_post, run  # noqa: F401  (cli_post is a fixture)
from tests.test_passes_print import font_or_skip, nine_passes  # noqa: F401  (nine_passes is a fixture)
from tests.test_supply_cli import stocked  # noqa: F401
from tests.test_supply_export import deliver_one


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(autouse=True)
def lenient_umask():
    """The usual desktop umask: without care, every new file would be 0644 and every folder 0755."""
    saved = os.umask(0o022)
    yield
    os.umask(saved)


def test_a_new_database_its_sidecars_and_its_folders_are_owner_only(tmp_path):
    path = tmp_path / "post" / "data" / "cmdpost.db"
    database = open_database(path)
    writes.upsert_grids([GridInput("1", "第一网格")], actor="test")
    try:
        assert mode(path) == 0o600
        for suffix in ("-wal", "-shm"):  # SQLite gives its sidecars the main file's mode
            assert os.path.exists(f"{path}{suffix}") and mode(f"{path}{suffix}") == 0o600, suffix
        assert mode(tmp_path / "post") == mode(tmp_path / "post" / "data") == 0o700
    finally:
        database.close()


def test_a_database_the_user_already_had_keeps_its_mode(tmp_path):
    path = tmp_path / "shared.db"
    open_database(path).close()
    os.chmod(path, 0o640)  # the user's own choice, e.g. a group that may read
    before = mode(tmp_path)
    database = open_database(path)
    writes.upsert_grids([GridInput("1", "第一网格")], actor="test")
    database.close()
    assert mode(path) == 0o640 and mode(tmp_path) == before


def test_the_copy_kept_before_an_upgrade_is_owner_only(tmp_path):
    path = tmp_path / "old.db"
    make_v1_file(path)
    os.chmod(path, 0o644)
    open_database(path).close()
    assert mode(tmp_path / "old.db.v1.bak") == 0o600
    assert mode(path) == 0o644  # the upgraded file is the user's: its mode is not changed


def test_backups_rolling_backups_and_their_folders_are_owner_only(tmp_path):
    path = tmp_path / "post.db"
    database = open_database(path)
    writes.upsert_grids([GridInput("1", "第一网格")], actor="test")
    database.close()
    info = backup.backup_database(path, tmp_path / "usb" / "copies" / "post-copy.db")
    assert mode(info.path) == 0o600 and mode(tmp_path / "usb") == mode(tmp_path / "usb" / "copies") == 0o700
    folder = tmp_path / "rolling"
    start = datetime(2022, 4, 10, 8, 0)
    for n in range(2):
        backup.take_rolling_backup(path, folder, keep=3, now=start + timedelta(minutes=30 * n))
    assert mode(folder) == 0o700
    assert [mode(p) for _, p in backup.rolling_backups(path, folder)] == [0o600, 0o600]


def test_a_demo_post_is_owner_only(tmp_path):
    path = tmp_path / "demo.db"
    demo.build(path, "village", seed=1, today=date(2022, 4, 10))
    assert mode(path) == 0o600


def test_exports_and_sheets_are_owner_only_and_a_named_existing_file_keeps_its_mode(
    stocked, capsys, tmp_path
):
    deliver_one(capsys, stocked)
    db = stocked["db"]
    for kind in ("handoffs", "orders", "stock"):
        out = tmp_path / "exports" / f"{kind}.csv"
        assert run(capsys, "export", kind, "--out", str(out), "--db", db)[0] == 0
        assert mode(out) == 0o600, kind
    assert mode(tmp_path / "exports") == 0o700
    sheet = tmp_path / "print" / "run1.html"
    assert run(capsys, "supply", "run", "print", "1", "--out", str(sheet), "--db", db)[0] == 0
    assert mode(sheet) == 0o600 and mode(tmp_path / "print") == 0o700
    roster = tmp_path / "roster.html"
    assert main(["roster", "print", "--db", db, "--date", "2022-04-10", "--out", str(roster)]) == 0
    assert mode(roster) == 0o600
    for name, argv in (
        ("run1.pdf", ["supply", "run", "print", "1"]),
        ("roster.pdf", ["roster", "print", "--date", "2022-04-10"]),
    ):
        pdf = tmp_path / "pdf" / name  # the PDF sheets: names and phones, owner-only like the HTML ones
        assert main(argv + ["--db", db, "--out", str(pdf)]) == 0
        assert mode(pdf) == 0o600 and mode(tmp_path / "pdf") == 0o700
    existing = tmp_path / "for-the-office.csv"
    existing.write_text("old", encoding="utf-8")
    os.chmod(existing, 0o644)
    assert run(capsys, "export", "orders", "--out", str(existing), "--db", db)[0] == 0
    assert mode(existing) == 0o644 and "old" not in existing.read_text(encoding="utf-8-sig")


def test_register_exports_are_owner_only(tmp_path):
    paper = register_export.write_paper(
        tmp_path / "p" / "care.html", "指挥部", "重点人群", ["门牌"], [["1号"]]
    )
    table = register_export.write_csv(tmp_path / "c" / "care.csv", ["门牌"], [["=1+1"]])
    assert mode(paper) == mode(table) == 0o600 and mode(tmp_path / "p") == mode(tmp_path / "c") == 0o700
    assert "'=1+1" in table.read_text(encoding="utf-8-sig")


def test_the_helpers_never_change_what_exists(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    private_dirs(folder / "new")
    assert mode(folder) == 0o755 and mode(folder / "new") == 0o700
    target = folder / "f.txt"
    target.write_text("x")
    os.chmod(target, 0o664)
    with open_for_writing(target, "w") as fh:
        fh.write("y")
    assert mode(target) == 0o664 and target.read_text() == "y"


def test_a_printed_pass_sheet_is_owner_only(nine_passes, post_db, db_path, tmp_path, fixed_cli_clock):
    font_or_skip()
    post_db.close()
    out = tmp_path / "print" / "grid1.pdf"
    assert main(["pass", "print", "--grid", "1", "--out", str(out), "--db", str(db_path)]) == 0
    assert mode(out) == 0o600 and mode(tmp_path / "print") == 0o700
