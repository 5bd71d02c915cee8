"""An export, a printed sheet or a copied public key never lands on the post itself, a sidecar of it,
another database or the signing key: ``export care --out post.db`` (a read, open to anyone) once
replaced the whole post, accounts, ledger and trail, with an HTML sheet."""

from __future__ import annotations

import shutil

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from console.cli import main
from db.private_file import OverwriteRefused, refuse_overwriting_post_files

KEY = Ed25519PrivateKey.generate().private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
)
WRITERS = [
    ["export", "care", "--grid", "1", "--out"],
    ["export", "orders", "--out"],
    ["roster", "print", "--date", "2026-12-05", "--out"],
    ["supply", "run", "print", "1", "--out"],
    ["chain", "missing", "--grid", "1", "--out"],
    ["--user", "admin", "pass", "key", "--export-public"],
]


@pytest.fixture(scope="module")
def demo_post(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "post.db"
    assert main(["--db", str(path), "demo"]) == 0
    return path


@pytest.mark.parametrize("target", ["post.db", "post.db.passkey", "post.db-wal", "other.db"])
@pytest.mark.parametrize(
    "argv", WRITERS, ids=lambda argv: " ".join(w for w in argv if not w.startswith("-"))[:30]
)
def test_no_output_overwrites_a_database_or_a_key(demo_post, tmp_path, monkeypatch, capsys, argv, target):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CMDPOST_PIN", "123456")
    post = tmp_path / "post.db"
    shutil.copy(demo_post, post)
    shutil.copy(demo_post, tmp_path / "other.db")  # another post, a backup, a pre-upgrade copy
    (tmp_path / "post.db.passkey").write_bytes(KEY)
    kept = {name: (tmp_path / name).read_bytes() for name in ("other.db", "post.db.passkey")}
    assert main(["--db", str(post)] + argv + [str(tmp_path / target)]) == 1
    err = capsys.readouterr().err
    assert (
        err.startswith("cmdpost: ")
        and err.count("\n") == 1
        and ("不会被覆盖" in err or "私钥文件" in err or "换一个文件名" in err or "只能写成" in err)
    ), err  # refused either way
    assert {name: (tmp_path / name).read_bytes() for name in kept} == kept
    assert post.read_bytes().startswith(b"SQLite format 3\x00")  # (signing in as admin writes to it)
    wal = tmp_path / "post.db-wal"
    assert not wal.exists() or wal.read_bytes()[:4] in (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")
    assert main(["--db", str(post), "audit", "verify"]) == 0


def test_an_earlier_export_may_still_be_overwritten(tmp_path):
    sheet = tmp_path / "care.html"
    sheet.write_text("<!doctype html>昨天的名单", encoding="utf-8")
    refuse_overwriting_post_files(sheet)  # the user named it again: theirs to replace
    refuse_overwriting_post_files(tmp_path / "new.csv")
    (tmp_path / "a.db").write_bytes(b"SQLite format 3\x00" + bytes(100))
    with pytest.raises(OverwriteRefused):
        refuse_overwriting_post_files(tmp_path / "a.db-journal")


@pytest.mark.parametrize("name", ["post.db-wal", "post.db-journal", "post.db.passkey"])
def test_a_backup_is_never_named_as_a_sidecar_of_the_post(demo_post, tmp_path, monkeypatch, capsys, name):
    """``backup post.db-wal`` said it had made the copy; the post's next open took the copy for its
    WAL and deleted it."""
    monkeypatch.chdir(tmp_path)
    post = tmp_path / "post.db"
    shutil.copy(demo_post, post)
    assert main(["--db", str(post), "backup", str(tmp_path / name)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("cmdpost: ") and err.count("\n") == 1 and "换一个文件名" in err, err
    assert not (tmp_path / name).exists()
