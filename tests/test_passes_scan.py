"""Delivery passes: the signing key, the scan log, and what the payload survives (scanners, typing, noise)."""

from __future__ import annotations

import os
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.errors import CmdpostError, NotFound, RuleError
from db.passes import check as pass_check
from db.passes import codec as pass_codec
from db.passes import issuing as passes
from db.passes import keys as pass_keys
from tests.conftest import refused
from tests.test_passes import NOW, QR_ALPHANUMERIC, add_delivery_staff, issue, scan, signed


@pytest.fixture
def post(post_db):
    add_delivery_staff()
    return post_db


# -- keys --------------------------------------------------------------------------


def test_the_key_is_a_private_file_beside_the_database_and_never_in_it(post, db_path):
    issue(post, "甲", "1")
    key = pass_keys.signing_key(db_path)
    path = pass_keys.key_path(db_path)
    assert path == db_path.with_name("post.db.passkey")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    post.execute_sql("PRAGMA wal_checkpoint(FULL)")
    for file in db_path.parent.glob("post.db*"):
        if file != path:
            assert raw not in file.read_bytes() and b"PRIVATE KEY" not in file.read_bytes()
    assert (
        pass_keys.signing_key(db_path).private_bytes(  # created once, then always the same
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
        == raw
    )


def test_verifying_never_creates_a_key(post, db_path):
    with pytest.raises(NotFound) as err:
        pass_keys.post_verifier(db_path)
    assert err.value.key == "passes.no_key" and not pass_keys.key_path(db_path).exists()


def test_a_verify_only_key_checks_passes_and_cannot_make_them(post, db_path, tmp_path):
    row = issue(post, "甲", "1")
    payload = signed(db_path, row)
    public = pass_keys.export_public(db_path, tmp_path / "verify.pem")
    text = public.read_bytes()
    assert b"PUBLIC KEY" in text and b"PRIVATE" not in text
    with pytest.raises((ValueError, TypeError)):
        serialization.load_pem_private_key(text, password=None)
    verifier = pass_keys.load_verifier(public)
    assert not hasattr(verifier, "sign")
    assert pass_check.verify_offline(payload, verifier, now=NOW, place="1-2").verdict == "VALID"
    assert pass_check.verify_offline(payload, verifier, now=NOW, place="2").verdict == "CROSS_GRID"
    assert pass_check.verify_offline(payload, verifier, now=row.valid_until).verdict == "EXPIRED"
    forged = pass_codec.payload(row.fields, Ed25519PrivateKey.generate())
    assert pass_check.verify_offline(forged, verifier, now=NOW).verdict == "FORGED"
    with refused(CmdpostError, "passes.key_overwrite"):
        pass_keys.export_public(db_path, pass_keys.key_path(db_path))  # never over the private key


# -- the scan log ------------------------------------------------------------------


def test_every_scan_is_recorded_failures_included_and_repeats_flagged(post, db_path):
    payload = signed(db_path, issue(post, "甲", "1"))
    first = scan(db_path, payload, "1-1")
    again = scan(db_path, payload, "1-1", now=NOW + 60)
    later = scan(db_path, payload, "2", now=NOW + 60 + pass_check.REPEAT_SECONDS)
    scan(db_path, "garbage", "1")
    scan(db_path, payload[:-1] + ("A" if payload[-1] != "A" else "B"), "1")
    assert (first.repeat, again.repeat, later.repeat) == (False, True, False)
    log = pass_check.recent_scans()
    assert [(s.verdict, s.place, s.operator, s.serial, s.repeat) for s in log] == [
        ("FORGED", "1", "门卫", "1-0001", True),
        ("MALFORMED", "1", "门卫", "", False),
        ("CROSS_GRID", "2", "门卫", "1-0001", False),
        ("VALID", "1-1", "门卫", "1-0001", True),
        ("VALID", "1-1", "门卫", "1-0001", False),
    ]
    assert log[0].name == "" and log[2].name == "甲"  # a forged payload is linked to no one
    assert post.execute_sql("SELECT count(*) FROM pass_scan").fetchone()[0] == 5
    assert [(s.verdict, s.scanned_at) for s in pass_check.recent_scans(place="2")] == [
        ("CROSS_GRID", NOW + 60 + pass_check.REPEAT_SECONDS)
    ]
    assert [s.verdict for s in pass_check.recent_scans(limit=2)] == ["FORGED", "MALFORMED"]
    # what the scan returns is what the checkpoint shows: the pass, its register row, where and when
    assert (later.fields.serial, later.row.serial, later.place, later.scanned_at) == (
        "1-0001",
        "1-0001",
        "2",
        NOW + 60 + pass_check.REPEAT_SECONDS,
    )


def test_the_scan_log_shows_the_last_twenty_unless_asked_for_more(post, db_path):
    signed(db_path, issue(post, "甲", "1"))  # the post's key is made when its first pass is signed
    for n in range(21):
        scan(db_path, f"garbage {n}", "1", now=NOW + n)
    assert [s.scanned_at for s in pass_check.recent_scans()] == [NOW + n for n in range(20, 0, -1)]


def test_an_offline_verdict_says_where_and_when_it_was_given(post, db_path):
    payload = signed(db_path, issue(post, "甲", "1"))
    verdict = pass_check.verify_offline(payload, pass_keys.post_verifier(db_path), now=NOW + 5, place=" 1-2 ")
    assert (verdict.verdict, verdict.place, verdict.scanned_at, verdict.row) == (
        "VALID",
        "1-2",
        NOW + 5,
        None,
    )
    assert verdict.fields.serial == "1-0001" and not verdict.repeat
    nowhere = pass_check.verify_offline(payload, pass_keys.post_verifier(db_path), now=NOW, place=None)
    assert (nowhere.verdict, nowhere.place) == ("VALID", "")  # no place given: the grid is not checked


def test_a_place_must_be_a_grid_of_the_post(post, db_path):
    payload = signed(db_path, issue(post, "甲", "1"))
    with refused(NotFound, "passes.no_place", code="9"):
        scan(db_path, payload, "9")
    with refused(RuleError, "field.bad_grid_code", value="not a code"):
        scan(db_path, payload, "not a code")


# -- the payload ------------------------------------------------------------------


def test_the_payload_is_short_and_qr_alphanumeric(post, db_path):
    payload = signed(db_path, issue(post, "甲", "1"))
    assert set(payload) <= QR_ALPHANUMERIC
    assert len(payload) <= 140


def test_a_lower_case_grid_code_survives_a_scanner_with_caps_lock(tmp_path):
    key = Ed25519PrivateKey.generate()
    fields = pass_codec.PassFields("a7", 3, 1, 12, NOW - 10, NOW + 10)
    payload = pass_codec.payload(fields, key)
    assert set(payload) <= QR_ALPHANUMERIC and "/A7-0003" in payload
    for typed in (payload, payload.lower()):
        result = pass_check.verify_offline(typed, key.public_key(), now=NOW, place="a7-1")
        assert (result.verdict, result.fields) == ("VALID", fields)
    assert pass_check.verify_offline(payload, key.public_key(), now=NOW, place="A7").verdict == "CROSS_GRID"


def test_bad_input_gets_a_verdict_never_a_traceback(post, db_path):
    payload = signed(db_path, issue(post, "甲", "1"))
    assert scan(db_path, f"  {payload}\r\n").verdict == "VALID"  # padded by a scanner
    assert scan(db_path, payload.lower()).verdict == "VALID"  # Caps Lock
    full_width = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in payload)
    assert scan(db_path, full_width).verdict == "VALID"  # typed through a Chinese input method
    for bad in (
        payload[:-1],
        payload[:40],
        payload + "A",
        payload + "." + payload,
        "\x00\x01\xff" * 20,
        "",
        payload.replace(".", "-"),
    ):
        assert scan(db_path, bad).verdict in ("MALFORMED", "FORGED")
    assert scan(db_path, payload * 80).verdict == "MALFORMED"  # 10 kB; its speed is in bench/chain.py


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text())
def test_verify_never_raises_on_any_text(post, db_path, text):
    key = pass_keys.signing_key(db_path).public_key()
    verdict, _, _ = pass_check.judge(text, key, now=NOW, place="1", register=True)
    assert verdict in ("MALFORMED", "FORGED")


def test_demo_passes(tmp_path):
    from datetime import date

    from db.connection import open_database
    from db.demo import passes as demo_passes
    from db.demo import posts as demo

    today = date(2022, 4, 10)
    demo.build(tmp_path / "demo.db", "village", 1, today=today)  # the demo build issues the passes
    database = open_database(tmp_path / "demo.db")
    try:
        now = demo_passes.local_noon(today, demo_passes.DEMO_DUTY)
        statuses = [r.status for r in passes.register(now)]
        assert statuses.count("active") > 5
        assert statuses.count("revoked") == 1 and statuses.count("expired") == 1
    finally:
        database.close()


# -- the codec's edges -------------------------------------------------------------

KEY = Ed25519PrivateKey.generate()
FIELDS = pass_codec.PassFields("1", 7, 1, 3, NOW - 3600, NOW + 86_400)


def offline(text: str) -> str:
    return pass_check.verify_offline(text, KEY.public_key(), now=NOW, place="1").verdict


def test_spare_bits_set_in_the_signature_s_last_character_make_it_forged():
    """The last of the 103 base32 characters carries 2 bits of the signature and 3 spare ones (zero)."""
    good = pass_codec.payload(FIELDS, KEY)
    last = good[-1]
    assert last in "AIQY" and offline(good) == "VALID"
    altered = (
        good[:-1] + "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"["ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".index(last) + 1]
    )
    assert pass_codec.parse(altered).signature == b"" and offline(altered) == "FORGED"


def test_a_payload_up_to_the_length_limit_is_read_and_a_longer_text_is_not_even_looked_at():
    good = pass_codec.payload(FIELDS, KEY)
    padded = good.center(pass_codec.MAX_LENGTH)  # a scanner's spaces around it
    assert len(padded) == pass_codec.MAX_LENGTH and offline(padded) == "VALID"
    assert offline(padded + " ") == "MALFORMED"
    assert pass_codec.parse(None) is None and pass_codec.parse(b"CP1") is None  # not text at all
