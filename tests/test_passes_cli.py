"""cmdpost pass …: the contract scripts and the checkpoint laptop rely on (exit codes, verdict words)."""

from __future__ import annotations

import json
import os
import sqlite3
import stat

import pytest

from console.cli import main
from db.grids import writes
from db.records import StaffInput
from tests.conftest import TEST_CONFIG

# Passes are issued for "today" and two scans within two minutes are a repeat: the CLI's clock is fixed,
# so neither a run across midnight nor a slow machine changes an outcome.
pytestmark = pytest.mark.usefixtures("fixed_cli_clock")


@pytest.fixture
def cli_post(post_db, db_path):
    writes.upsert_staff(
        [
            StaffInput("甲", "志愿者", "1-1", phone="17000300001"),
            StaffInput("乙", "志愿者", "2", phone="17000300002"),
        ],
        actor="test",
    )
    post_db.close()
    con = sqlite3.connect(db_path)
    ids = dict(con.execute("SELECT name, id FROM staff").fetchall())
    con.close()
    return ids


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """One command, with the repository's settings (Chinese, Asia/Shanghai) whatever config.yaml is about."""
    code = main([*argv, "--config", str(TEST_CONFIG)])
    out = capsys.readouterr()
    return code, out.out, out.err


def payload_of(capsys, db: str, serial: str) -> str:
    code, out, _ = run(capsys, "pass", "show", serial, "--db", db)
    assert code == 0
    return out.splitlines()[1]


def test_issue_verify_revoke_reissue(cli_post, db_path, capsys):
    db = str(db_path)
    code, out, err = run(capsys, "pass", "issue", str(cli_post["甲"]), "--grid", "1", "--db", db)
    assert (code, out.strip()) == (0, "1-0001") and "甲" in err
    assert (
        run(capsys, "pass", "issue", str(cli_post["甲"]), "--grid", "1", "--db", db)[0] == 1
    )  # one pass each
    assert run(capsys, "pass", "issue", str(cli_post["乙"]), "--grid", "1", "--db", db)[0] == 1  # 窜格
    payload = payload_of(capsys, db, "1-0001")
    assert run(capsys, "pass", "verify", payload, "--at-grid", "1-2", "--db", db)[:2] == (0, "VALID\n")
    assert run(capsys, "pass", "verify", payload, "--at", "2", "--db", db)[:2] == (1, "CROSS_GRID\n")
    assert run(capsys, "pass", "verify", "hello", "--at", "1", "--db", db)[:2] == (1, "MALFORMED\n")
    code, out, _ = run(capsys, "pass", "verify", payload, "--at", "1", "--db", db, "--json")
    assert code == 0 and json.loads(out)["verdict"] == "VALID" and json.loads(out)["repeat"] is True
    assert run(capsys, "pass", "revoke", "1-0001", "--reason", "遗失", "--db", db)[0] == 0
    assert run(capsys, "pass", "verify", payload, "--at", "1", "--db", db)[:2] == (1, "REVOKED\n")
    assert run(capsys, "pass", "reissue", "1-0001", "--db", db)[0] == 0
    fresh = payload_of(capsys, db, "1-0001")
    assert fresh != payload and ".2." in fresh.split("1-0001", 1)[1][:3]
    assert run(capsys, "pass", "verify", fresh, "--at", "1", "--db", db)[:2] == (0, "VALID\n")
    code, out, _ = run(capsys, "pass", "list", "--db", db, "--json")
    assert [(p["serial"], p["version"], p["status"]) for p in json.loads(out)] == [("1-0001", 2, "active")]
    scans = sqlite3.connect(db_path).execute("SELECT verdict FROM pass_scan ORDER BY id").fetchall()
    assert [v for (v,) in scans] == ["VALID", "CROSS_GRID", "MALFORMED", "VALID", "REVOKED", "VALID"]


def test_a_laptop_with_only_the_public_key(cli_post, db_path, tmp_path, capsys):
    db = str(db_path)
    run(capsys, "pass", "issue", str(cli_post["甲"]), "--grid", "1", "--db", db)
    payload = payload_of(capsys, db, "1-0001")
    public = tmp_path / "elsewhere" / "verify.pem"
    public.parent.mkdir()
    code, out, _ = run(capsys, "pass", "key", "--export-public", str(public), "--db", db)
    assert code == 0 and str(public) in out
    key_file = db_path.with_name("post.db.passkey")
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert run(capsys, "pass", "verify", payload, "--at", "1-1", "--key", str(public))[:2] == (0, "VALID\n")
    assert run(capsys, "pass", "verify", payload, "--at", "3", "--key", str(public))[:2] == (
        1,
        "CROSS_GRID\n",
    )
    run(capsys, "pass", "revoke", "1-0001", "--reason", "遗失", "--db", db)
    # Without the register a revoked pass still looks valid: that is what the register is for.
    assert run(capsys, "pass", "verify", payload, "--at", "1", "--key", str(public))[:2] == (0, "VALID\n")
    assert run(capsys, "pass", "verify", payload, "--at", "1", "--key", str(public), "--db", db)[:2] == (
        1,
        "REVOKED\n",
    )


def test_verify_needs_the_key_and_never_makes_one(cli_post, db_path, capsys):
    code, out, err = run(capsys, "pass", "verify", "CP1.1-0001.1.1.1.2.AAAA", "--db", str(db_path))
    assert code == 1 and out == "" and "passkey" in err
    assert not db_path.with_name("post.db.passkey").exists()
    missing = db_path.with_name("absent.db")
    assert run(capsys, "pass", "list", "--db", str(missing))[0] == 1 and not missing.exists()


def test_unknown_serial_and_bad_reason(cli_post, db_path, capsys):
    assert run(capsys, "pass", "revoke", "9-0001", "--reason", "遗失", "--db", str(db_path))[0] == 1
    run(capsys, "pass", "issue", str(cli_post["甲"]), "--grid", "1", "--db", str(db_path))
    code, _, err = run(capsys, "pass", "revoke", "1-0001", "--reason", "", "--db", str(db_path))
    assert code == 1 and err.count("\n") == 1


def add_lookalike_grids(db_path) -> None:
    """Grids 10 and 1A: their codes begin with "1" but they are not grid 1 (窜格 if a grid 1 pass holds there)."""
    from db.connection import open_database
    from db.records import GridInput, HouseholdInput

    database = open_database(db_path)
    writes.upsert_grids(
        [GridInput("10", "第十网格", "封控区"), GridInput("1A", "一A网格", "封控区")], actor="test"
    )
    writes.upsert_households(
        [
            HouseholdInput("10", "花厅口村100号", 2, "户主100", "17000000100", "", ""),
            HouseholdInput("1A", "花厅口村101号", 2, "户主101", "17000000101", "", ""),
        ],
        actor="test",
    )
    database.close()


@pytest.mark.parametrize("place", ["10", "1A"])
def test_a_grid_1_pass_is_cross_grid_in_a_grid_whose_code_only_begins_with_1(
    cli_post, db_path, capsys, place
):
    db = str(db_path)
    add_lookalike_grids(db_path)
    assert run(capsys, "pass", "issue", str(cli_post["甲"]), "--grid", "1", "--db", db)[0] == 0
    payload = payload_of(capsys, db, "1-0001")
    assert run(capsys, "pass", "verify", payload, "--at", place, "--db", db)[:2] == (1, "CROSS_GRID\n")
    assert run(capsys, "pass", "verify", payload, "--at", "1-2", "--db", db)[:2] == (0, "VALID\n")
    public = db_path.with_name("verify.pem")
    assert run(capsys, "pass", "key", "--export-public", str(public), "--db", db)[0] == 0
    assert run(capsys, "pass", "verify", payload, "--at", place, "--key", str(public))[:2] == (
        1,
        "CROSS_GRID\n",
    )
    assert run(capsys, "pass", "verify", payload, "--at", "1-2", "--key", str(public))[:2] == (0, "VALID\n")
