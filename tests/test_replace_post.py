"""Replacing a whole post (``demo --force``, ``restore``) and copying its key (``backup --with-key``):
an admin's acts on a post with accounts, and the replaced file always kept under a fresh name."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import pytest

from console.cli import main
from db.accounts import operators as accounts
from db.backup import copies as backup
from db.backup import replace_post
from db.passes import keys as pass_keys

NOW = 1_650_000_000
PIN = "246810"
SAME_SECOND = datetime(2022, 4, 10, 9, 30, 0)


@pytest.fixture
def closed_post(post_db, monkeypatch):
    """The small post with an admin, an operator and a supervisor, closed; the CLI's PIN is PIN."""
    accounts._unknown.clear()
    accounts.add_account("boss", "admin", PIN, now=NOW)
    accounts.sign_in("boss", PIN, now=NOW)
    accounts.add_account("op", "operator", PIN, now=NOW)
    accounts.add_account("watch", "supervisor", PIN, now=NOW)
    pass_keys.signing_key(post_db.database)  # the post has a key, as once a pass was made
    accounts.sign_out()
    post_db.close()
    monkeypatch.setenv("CMDPOST_PIN", PIN)
    monkeypatch.delenv("CMDPOST_USER", raising=False)
    return post_db


def _accounts(path) -> list[str]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [row[0] for row in con.execute("SELECT name FROM account ORDER BY name")]
    finally:
        con.close()


def _households(path) -> list[str]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [row[0] for row in con.execute("SELECT door FROM household ORDER BY id")]
    finally:
        con.close()


def _signed(user: str | None) -> list[str]:
    return ["--user", user] if user else []


@pytest.mark.parametrize("user", [None, "op", "watch"])
def test_demo_force_over_a_post_with_accounts_needs_an_admin(closed_post, db_path, tmp_path, capsys, user):
    before = _households(db_path)
    assert main(_signed(user) + ["--db", str(db_path), "demo", "--force"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("cmdpost: ") and err.count("\n") == 1 and "Traceback" not in err
    assert _households(db_path) == before and _accounts(db_path) == ["boss", "op", "watch"]
    assert not list(tmp_path.glob("post.db.replaced-*")) and not list(tmp_path.glob("*.partial"))


def test_demo_force_by_an_admin_keeps_the_replaced_post_and_prints_its_name(
    closed_post, db_path, tmp_path, capsys
):
    assert main(["--user", "boss", "--db", str(db_path), "demo", "--force"]) == 0
    out = capsys.readouterr().out
    kept = next(tmp_path.glob("post.db.replaced-*"))
    assert str(kept) in out
    assert _accounts(kept) == ["boss", "op", "watch"]  # the real post, whole
    assert "admin" in _accounts(db_path)  # the demo's own accounts


def test_demo_force_over_a_post_without_accounts_is_open_and_keeps_it(post_db, db_path, tmp_path, capsys):
    post_db.close()
    before = db_path.read_bytes()
    assert main(["--db", str(db_path), "demo", "--force"]) == 0
    kept = next(tmp_path.glob("post.db.replaced-*"))
    assert str(kept) in capsys.readouterr().out
    assert kept.read_bytes()[:16] == before[:16]
    assert _accounts(kept) == []


@pytest.mark.parametrize("user", [None, "op", "watch"])
def test_restore_over_a_post_with_accounts_needs_an_admin(closed_post, db_path, tmp_path, capsys, user):
    copy = tmp_path / "copy.db"
    backup.backup_database(db_path, copy)
    before = _households(db_path)
    assert main(_signed(user) + ["--db", str(db_path), "restore", str(copy)]) == 1
    assert "管理员" in capsys.readouterr().err
    assert _households(db_path) == before and not list(tmp_path.glob("post.db.replaced-*"))


def test_two_restores_in_one_second_keep_both_replaced_files(post_db, db_path, tmp_path):
    from db.grids import writes
    from db.records import HouseholdInput

    first, second = tmp_path / "first.db", tmp_path / "second.db"
    backup.backup_database(db_path, first)
    writes.upsert_households([HouseholdInput("1-1", "只在原件里1号", 1)], actor="test")
    post_db.close()
    original = _households(db_path)
    backup.backup_database(first, second)
    one = backup.restore(first, db_path, now=SAME_SECOND).kept
    two = backup.restore(second, db_path, now=SAME_SECOND).kept
    assert one != two and one.exists() and two.exists()
    assert "只在原件里1号" in _households(one) == original  # never overwritten by the second restore


def test_a_taken_kept_name_is_never_reused_even_by_another_process(post_db, db_path, tmp_path):
    post_db.close()
    stamp = SAME_SECOND.strftime(replace_post.STAMP)
    squatter = tmp_path / f"post.db.replaced-{stamp}"
    squatter.write_bytes(b"someone else's")
    (tmp_path / f"post.db.replaced-{stamp}-2-wal").write_bytes(b"a leftover")
    new = tmp_path / "new.db"
    backup.backup_database(db_path, new)
    kept = replace_post.replace_file(db_path, new, now=SAME_SECOND)
    assert kept.name == f"post.db.replaced-{stamp}-3"
    assert squatter.read_bytes() == b"someone else's"


@pytest.mark.parametrize("user", [None, "op", "watch"])
def test_backup_with_key_is_for_an_admin_only(closed_post, db_path, tmp_path, capsys, user):
    dest = tmp_path / "usb" / "copy.db"
    assert main(_signed(user) + ["--db", str(db_path), "backup", str(dest), "--with-key"]) == 1
    assert "管理员" in capsys.readouterr().err
    assert not dest.exists() and not pass_keys.key_path(dest).exists()
    with pytest.raises(backup.BackupError, match="key_admin_only"):  # the rule is the data layer's
        backup.copy_key(db_path, tmp_path / "key.pem")
    assert not (tmp_path / "key.pem").exists()


def test_backup_with_key_by_an_admin_copies_the_key(closed_post, db_path, tmp_path):
    dest = tmp_path / "copy.db"
    assert main(["--user", "boss", "--db", str(db_path), "backup", str(dest), "--with-key"]) == 0
    assert pass_keys.key_path(dest).read_bytes() == pass_keys.key_path(db_path).read_bytes()
    assert (
        main(["--user", "op", "--db", str(db_path), "backup", str(tmp_path / "plain.db")]) == 0
    )  # no key: any role


def test_demo_force_over_a_post_in_use_is_refused_and_leaves_nothing(post_db, db_path, tmp_path, capsys):
    from db.grids import writes
    from db.records import HouseholdInput

    writes.upsert_households([HouseholdInput("1-1", "开着时写的1号", 1)], actor="test")  # the post is open
    assert main(["--db", str(db_path), "demo", "--force"]) == 1
    assert "正在被使用" in capsys.readouterr().err
    assert "开着时写的1号" in _households(db_path)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))) == ["post.db"]
