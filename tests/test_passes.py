"""Delivery passes in the data layer: who may hold one, every verdict in order, revoke and reissue."""

from __future__ import annotations

from dataclasses import replace

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from db.errors import CmdpostError, RuleError
from db.grids import writes
from db.passes import check as pass_check
from db.passes import codec as pass_codec
from db.passes import issuing as passes
from db.passes import keys as pass_keys
from db.records import StaffInput
from db.roster.settings import Duty, Rules
from tests.conftest import FIXED_NOW, refused

NOW = int(FIXED_NOW.timestamp())
DUTY = Duty(Rules(), FIXED_NOW.tzinfo)
QR_ALPHANUMERIC = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


@pytest.fixture
def post(post_db):
    add_delivery_staff()
    return post_db


def add_delivery_staff() -> None:
    """To the small post: delivery volunteers in grids 1 and 2, a medic, and a reinforcement volunteer."""
    writes.upsert_staff(
        [
            StaffInput("甲", "志愿者", "1-1", phone="17000300001"),
            StaffInput("乙", "网格员", "1-2", phone="17000300002"),
            StaffInput("丙", "志愿者", "2", phone="17000300003"),
            StaffInput("丁", "医务", "1", phone="17000300004"),
            StaffInput("戊", "志愿者", "3", phone="17000300005", team="龙湖镇疫情防控突击队"),
        ],
        actor="test",
    )


def staff(database, name: str) -> int:
    return database.execute_sql("SELECT id FROM staff WHERE name = ?", (name,)).fetchone()[0]


def issue(database, name: str, grid: str, **kwargs) -> passes.PassRow:
    return passes.issue(DUTY, staff(database, name), grid, actor="test", now=kwargs.pop("now", NOW), **kwargs)


def scan(db_path, payload: str, place: str | None = "1", now: int = NOW) -> pass_check.Verdict:
    return pass_check.scan(payload, pass_keys.post_verifier(db_path), now=now, place=place, operator="门卫")


def signed(db_path, row: passes.PassRow) -> str:
    return passes.payload_for(row, pass_keys.signing_key(db_path))


# -- issuing -----------------------------------------------------------------------


def test_serials_count_per_grid_and_the_window_runs_midnight_to_midnight(post):
    first, second, other = issue(post, "甲", "1"), issue(post, "乙", "1"), issue(post, "丙", "2")
    assert (first.serial, second.serial, other.serial) == ("1-0001", "1-0002", "2-0001")
    assert first.version == 1 and first.status == "active" and first.issued_by == "test"
    assert first.valid_until - first.valid_from == 7 * 86_400
    assert FIXED_NOW.replace(hour=0, minute=0).timestamp() == first.valid_from


def test_one_person_one_pass_in_force(post):
    issue(post, "甲", "1")
    with pytest.raises(RuleError) as err:
        issue(post, "甲", "1")
    assert err.value.key == "passes.already_holds" and err.value.params["serial"] == "1-0001"


@pytest.mark.parametrize(
    "name, grid, key",
    [
        ("丁", "1", "passes.role_not_allowed"),  # a medic does not deliver
        ("许文倡", "1", "passes.role_not_allowed"),  # nor does the grid leader
        ("丙", "1", "passes.other_grid"),  # grid 2's volunteer in grid 1: 窜格
        ("甲", "1-1", "passes.not_top_grid"),  # passes are per grid, never per sub-grid
        ("甲", "9", "passes.no_grid"),
    ],
)
def test_who_may_hold_which_pass(post, name, grid, key):
    with pytest.raises(CmdpostError) as err:
        issue(post, name, grid)
    assert err.value.key == key


def test_a_reinforcement_team_member_gets_the_grid_they_are_sent_to(post):
    assert issue(post, "戊", "1").serial == "1-0001"


def test_days_out_of_range_are_refused(post):
    with refused(RuleError, "passes.days_range"):
        issue(post, "甲", "1", days=0)
    with refused(RuleError, "passes.days_range"):
        issue(post, "甲", "1", days=passes.MAX_DAYS + 1)


# -- verdicts ----------------------------------------------------------------------


def test_every_verdict(post, db_path):
    row = issue(post, "甲", "1")
    payload = signed(db_path, row)
    assert scan(db_path, payload, "1").verdict == "VALID"
    assert scan(db_path, payload, "1-2").verdict == "VALID"  # a sub-grid of the pass's grid is inside
    assert scan(db_path, payload, "1-1-1").verdict == "VALID"
    assert scan(db_path, payload, "2").verdict == "CROSS_GRID"
    assert scan(db_path, payload, "2-1").verdict == "CROSS_GRID"
    assert scan(db_path, payload, now=row.valid_from - 1).verdict == "NOT_YET_VALID"
    assert scan(db_path, payload, now=row.valid_from).verdict == "VALID"  # from the first second of its day
    assert scan(db_path, payload, now=row.valid_until - 1).verdict == "VALID"
    assert scan(db_path, payload, now=row.valid_until).verdict == "EXPIRED"
    assert scan(db_path, payload.replace(".1-0001.1.", ".1-0001.2.")).verdict == "FORGED"
    stranger = pass_codec.payload(row.fields, Ed25519PrivateKey.generate())
    assert scan(db_path, stranger).verdict == "FORGED"  # well made, by another post's key
    unknown = pass_codec.payload(replace(row.fields, number=42), pass_keys.signing_key(db_path))
    assert scan(db_path, unknown).verdict == "UNKNOWN"
    assert scan(db_path, "这不是通行证").verdict == "MALFORMED"
    passes.revoke(row.serial, "遗失", actor="test", now=NOW)
    assert scan(db_path, payload).verdict == "REVOKED"


def test_the_first_verdict_that_applies_wins(post, db_path):
    row = issue(post, "甲", "1")
    payload = signed(db_path, row)
    assert scan(db_path, payload, "2", now=row.valid_until).verdict == "EXPIRED"  # before CROSS_GRID
    assert scan(db_path, payload, "2", now=row.valid_from - 1).verdict == "NOT_YET_VALID"
    passes.revoke(row.serial, "遗失", actor="test", now=NOW)
    assert scan(db_path, payload, "2", now=row.valid_until).verdict == "REVOKED"  # before EXPIRED
    other_key = Ed25519PrivateKey.generate()
    forged_unknown = pass_codec.payload(replace(row.fields, number=77), other_key)
    assert scan(db_path, forged_unknown).verdict == "FORGED"  # before UNKNOWN


@pytest.mark.parametrize(
    "field, value",
    [
        ("grid_code", "2"),
        ("number", 2),
        ("version", 2),
        ("staff_id", 1),
        ("valid_from", NOW - 86_400 * 30),
        ("valid_until", NOW + 86_400 * 300),
    ],
)
def test_altering_any_signed_field_is_forged(post, db_path, field, value):
    row = issue(post, "甲", "1")
    original = signed(db_path, row)
    altered_body = pass_codec.body(replace(row.fields, **{field: value}))
    altered = altered_body + "." + original.rsplit(".", 1)[1]
    assert altered != original
    assert scan(db_path, altered).verdict == "FORGED"


def test_altering_the_signature_is_forged(post, db_path):
    payload = signed(db_path, issue(post, "甲", "1"))
    body, signature = payload.rsplit(".", 1)
    for index in (0, 50, len(signature) - 1):
        changed = signature[:index] + ("A" if signature[index] != "A" else "B") + signature[index + 1 :]
        assert scan(db_path, f"{body}.{changed}").verdict == "FORGED"


def test_reissue_revokes_the_old_version_and_raises_the_version(post, db_path):
    old = issue(post, "甲", "1")
    old_payload = signed(db_path, old)
    new = passes.reissue(DUTY, old.serial, actor="test", now=NOW + 3600)
    assert (new.serial, new.version, new.valid_until) == (old.serial, 2, old.valid_until)
    assert scan(db_path, old_payload).verdict == "REVOKED"
    assert scan(db_path, signed(db_path, new)).verdict == "VALID"
    history = post.execute_sql(
        "SELECT version, revoked_at IS NOT NULL, superseded FROM pass ORDER BY version"
    ).fetchall()
    assert history == [(1, 1, 1), (2, 0, 0)]
    assert [r.version for r in passes.register(NOW)] == [2]


def test_a_lost_pass_is_revoked_at_once_then_replaced(post, db_path):
    old = issue(post, "甲", "1")
    lost = signed(db_path, old)
    with refused(CmdpostError, "field.reason_required"):
        passes.revoke(old.serial, " ", actor="test", now=NOW)  # a revocation needs its reason
    revoked = passes.revoke(old.serial, "遗失", actor="test", now=NOW)
    assert (revoked.status, revoked.revoke_reason) == ("revoked", "遗失")
    with refused(RuleError, "passes.already_revoked"):
        passes.revoke(old.serial, "遗失", actor="test", now=NOW)
    assert scan(db_path, lost).verdict == "REVOKED"
    replacement = passes.reissue(DUTY, old.serial, actor="test", now=NOW)
    assert replacement.version == 2 and scan(db_path, signed(db_path, replacement)).verdict == "VALID"
    assert post.execute_sql("SELECT revoke_reason FROM pass WHERE version = 1").fetchone()[0] == "遗失"


def test_renewing_an_expired_pass_runs_as_long_as_the_old_one(post):
    old = issue(post, "甲", "1", days=3)
    later = old.valid_until + 86_400
    assert passes.pass_by_serial(old.serial, later).status == "expired"
    renewed = passes.reissue(DUTY, old.serial, actor="test", now=later)
    assert renewed.valid_until - renewed.valid_from == 3 * 86_400 and renewed.valid_from > old.valid_until
