"""Signed audit heads catch a trail edited and re-hashed, which the hash chain alone cannot."""

from __future__ import annotations

import json
import os
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.cli import main
from db.accounts import operators as accounts
from db.audit import head as audit_head
from db.audit import trail as audit
from db.audit.guard import chain_hash
from db.audit.head import AuditHeadError
from db.errors import NotPermitted
from db.passes import keys as pass_keys
from tests.test_guard_triggers import _raw

NOW = 1_650_000_000
PIN = "246810"


@pytest.fixture(autouse=True)
def no_cli_sign_in_left_behind(monkeypatch):
    """A CLI run here signs its user in on every later open in this process: not past this test."""
    from db import connection

    monkeypatch.setattr(connection, "AFTER_OPEN", connection.AFTER_OPEN[:])


@pytest.fixture
def roles_post(post_db):
    """An admin, an operator and a supervisor; nobody signed in."""
    accounts._unknown.clear()
    accounts.add_account("boss", "admin", PIN, now=NOW)
    accounts.sign_in("boss", PIN, now=NOW)
    accounts.add_account("op", "operator", PIN, now=NOW)
    accounts.add_account("watch", "supervisor", PIN, now=NOW)
    pass_keys.signing_key(post_db.database)  # the post's key exists, as once a pass is printed
    accounts.sign_out()
    return post_db


def cli(capsys, monkeypatch, who, *argv):
    monkeypatch.setenv("CMDPOST_PIN", PIN)
    code = main([*argv, "--user", who] if who else list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _rehash(db_path, entry_id: int, actor: str) -> None:
    """Edit one entry and re-hash the chain from there on: every link matches again."""
    raw = sqlite3.connect(db_path)
    raw.execute("DROP TRIGGER audit_entry_no_update")
    prev = ""
    for row in raw.execute(
        "SELECT id, at, actor, op, table_name, row_id, grid_id, before, after FROM audit_entry ORDER BY id"
    ).fetchall():
        fields = list(row[1:])
        if row[0] == entry_id:
            fields[1] = actor
        digest = chain_hash(prev, *fields)
        raw.execute(
            "UPDATE audit_entry SET actor = ?, prev_hash = ?, hash = ? WHERE id = ?",
            (fields[1], prev, digest, row[0]),
        )
        prev = digest
    raw.commit()
    raw.close()


def test_a_rewritten_trail_passes_the_chain_but_not_the_head(
    roles_post, db_path, tmp_path, capsys, monkeypatch
):
    roles_post.close()
    head, verify_key = tmp_path / "head.json", tmp_path / "verify.pem"
    assert (
        cli(capsys, monkeypatch, "boss", "audit", "verify", "--db", str(db_path), "--write-head", str(head))[
            0
        ]
        == 0
    )
    assert (
        cli(
            capsys,
            monkeypatch,
            "boss",
            "pass",
            "key",
            "--export-public",
            str(verify_key),
            "--db",
            str(db_path),
        )[0]
        == 0
    )
    code, out, _ = cli(
        capsys,
        monkeypatch,
        "watch",
        "audit",
        "verify",
        "--db",
        str(db_path),
        "--head",
        str(head),
        "--key",
        str(verify_key),
    )
    assert code == 0 and "签名链头一致" in out
    _rehash(db_path, 3, "someone")
    code, out, err = cli(capsys, monkeypatch, "watch", "audit", "verify", "--db", str(db_path))
    assert "审计链完好" in out  # the chain alone cannot tell
    code, out, err = cli(
        capsys,
        monkeypatch,
        "watch",
        "audit",
        "verify",
        "--db",
        str(db_path),
        "--head",
        str(head),
        "--key",
        str(verify_key),
    )
    # The warning that audit_entry_no_update was found dropped, then the head's verdict.
    assert code == 1 and "审计记录被重写" in err and err.count("\n") == 2


def test_entries_cut_from_the_end_are_caught(roles_post, db_path, tmp_path):
    accounts.sign_in("boss", PIN, now=NOW)
    head = audit_head.write_head(db_path, tmp_path / "h.json", audit.verify_chain())
    roles_post.close()
    _raw(
        db_path,
        "DROP TRIGGER audit_entry_no_delete",
        f"DELETE FROM audit_entry WHERE id > {head.entries - 3}",
    )
    from db.connection import open_database

    database = open_database(db_path)
    key = pass_keys.post_verifier(db_path)
    check = audit_head.check_head(audit_head.read_head(tmp_path / "h.json"), key)
    assert check.problem == "shorter" and check.chain.broken_at is None
    database.close()


def test_a_forged_or_foreign_head_is_refused(roles_post, db_path, tmp_path):
    accounts.sign_in("boss", PIN, now=NOW)
    path = audit_head.write_head(db_path, tmp_path / "h.json", audit.verify_chain()) and tmp_path / "h.json"
    key = pass_keys.post_verifier(db_path)
    assert audit_head.check_head(audit_head.read_head(path), key).problem == ""
    raw = json.loads(path.read_text())
    raw["entries"] -= 1
    raw["hash"] = roles_post.execute_sql(
        "SELECT hash FROM audit_entry WHERE id = ?", (raw["entries"],)
    ).fetchone()[0]
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(raw))
    assert audit_head.check_head(audit_head.read_head(forged), key).problem == "signature"
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    other = Ed25519PrivateKey.generate().public_key()
    assert audit_head.check_head(audit_head.read_head(path), other).problem == "signature"


@pytest.mark.parametrize("who, allowed", [("boss", True), ("op", False), ("watch", False), (None, False)])
def test_only_an_admin_writes_a_head(roles_post, db_path, tmp_path, who, allowed):
    if who:
        accounts.sign_in(who, PIN, now=NOW)
    out = tmp_path / "h.json"
    if allowed:
        assert audit_head.write_head(db_path, out, audit.verify_chain()).entries > 0
    else:
        with pytest.raises(NotPermitted):
            audit_head.write_head(db_path, out, audit.verify_chain())
        assert not out.exists()


def test_a_post_without_accounts_writes_heads_freely(post_db, db_path, tmp_path):
    head = audit_head.write_head(db_path, tmp_path / "h.json", audit.verify_chain())
    check = audit_head.check_head(audit_head.read_head(tmp_path / "h.json"), pass_keys.post_verifier(db_path))
    assert check.problem == ""
    assert head.entries == audit.count_entries()


@pytest.mark.parametrize("who, code", [("boss", 0), ("op", 0), ("watch", 0), (None, 0)])
def test_every_role_verifies_against_a_head(roles_post, db_path, tmp_path, capsys, monkeypatch, who, code):
    accounts.sign_in("boss", PIN, now=NOW)
    audit_head.write_head(db_path, tmp_path / "h.json", audit.verify_chain())
    roles_post.close()
    result = cli(
        capsys, monkeypatch, who, "audit", "verify", "--db", str(db_path), "--head", str(tmp_path / "h.json")
    )
    assert result[0] == code and "签名链头一致" in result[1]


@pytest.mark.parametrize("who, allowed", [("boss", True), ("op", False), ("watch", False)])
def test_backup_writes_the_copys_head_for_an_admin_only(
    roles_post, db_path, tmp_path, capsys, monkeypatch, who, allowed
):
    roles_post.close()
    dest, head = tmp_path / "copy.db", tmp_path / "copy.head"
    code, out, err = cli(
        capsys, monkeypatch, who, "backup", str(dest), "--db", str(db_path), "--write-head", str(head)
    )
    if not allowed:
        assert code == 1 and err.startswith("cmdpost: ") and err.count("\n") == 1
        assert not dest.exists() and not head.exists()  # refused before anything was copied
        return
    assert code == 0 and head.is_file() and str(head) in out
    written = audit_head.read_head(head)
    copy = sqlite3.connect(dest)
    assert (written.entries, written.hash) == copy.execute(
        "SELECT count(*), (SELECT hash FROM audit_entry ORDER BY id DESC LIMIT 1) FROM audit_entry"
    ).fetchone()
    copy.close()


def test_a_head_is_never_written_over_a_file(post_db, db_path, tmp_path):
    out = tmp_path / "h.json"
    out.write_text("keep me")
    with pytest.raises(AuditHeadError, match="exists"):
        audit_head.write_head(db_path, out, audit.verify_chain())
    assert out.read_text() == "keep me"


@pytest.mark.parametrize("special", ["/dev/null", "fifo", "folder"])
def test_a_non_regular_head_file_is_refused_in_one_line(post_db, db_path, tmp_path, capsys, special):
    path = {"/dev/null": "/dev/null", "folder": str(tmp_path), "fifo": str(tmp_path / "pipe")}[special]
    if special == "fifo":
        os.mkfifo(path)
    post_db.close()
    code = main(["audit", "verify", "--db", str(db_path), "--head", path])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("cmdpost: ") and err.count("\n") == 1


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    content=st.one_of(
        st.binary(max_size=300),
        st.dictionaries(
            st.sampled_from(["format", "entries", "hash", "at", "key", "signature"]),
            st.one_of(
                st.none(),
                st.booleans(),
                st.integers(),
                st.text(max_size=20),
                st.lists(st.integers(), max_size=2),
            ),
        ).map(lambda d: json.dumps(d).encode()),
    )
)
def test_fuzz_any_head_file_gives_a_refusal_or_a_verdict(post_db, tmp_path, content):
    path = tmp_path / "fuzz.json"
    path.write_bytes(content)
    try:
        head = audit_head.read_head(path)
    except AuditHeadError:
        return
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    assert audit_head.check_head(head, Ed25519PrivateKey.generate().public_key()).problem == "signature"


@pytest.mark.parametrize("who", ["op", "watch", None])
def test_audit_verify_refuses_to_write_a_head_for_anyone_but_an_admin(
    roles_post, db_path, tmp_path, capsys, monkeypatch, who
):
    roles_post.close()
    head = tmp_path / "h.json"
    code, out, err = cli(
        capsys, monkeypatch, who, "audit", "verify", "--db", str(db_path), "--write-head", str(head)
    )
    assert code == 1 and err.startswith("cmdpost: ") and err.count("\n") == 1 and not head.exists()
    assert out == ""  # refused before the chain was walked
