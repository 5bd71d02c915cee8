"""Tests aimed at the mutants of db/passes/codec.py that survived the suite (issue 21)."""

from __future__ import annotations

import base64

import pytest

from db.passes import codec as pass_codec


@pytest.mark.parametrize(
    "text",
    ["CP2.04CD.3-0042.2.1V.RB3K00.RBQ800.AAAA", "CP1.3-0042", "cp2.x", "ｃｐ１.3-0042", "CP1."],
)
def test_a_scanned_pass_of_either_format_looks_like_one(text):
    # The delivery log takes a scan for a pass, not for a typed recipient's name (either format,
    # in any case a scanner or Caps Lock gives, or full-width; the log strips spaces first).
    assert pass_codec.looks_like(text) is True


@pytest.mark.parametrize("text", ["", "CP", "CP1", "CP3.3-0042", "CP2-", "XCP2.", "王小明", "C P2."])
def test_a_name_or_another_code_does_not_look_like_a_pass(text):
    assert pass_codec.looks_like(text) is False


def test_a_format_1_pass_printed_before_format_2_still_reads_and_a_format_2_names_its_key():
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    fields = pass_codec.PassFields("3", 42, 2, 67, 1_650_000_000, 1_650_086_400)
    text = pass_codec.body(fields)
    assert text.startswith("CP1.3-0042.")
    signature = key.sign(pass_codec.DOMAIN_CP1 + text.encode("ascii"))
    old = pass_codec.parse(f"{text}.{base64.b32encode(signature).decode('ascii').rstrip('=')}")
    assert old is not None and old.key_id is None and old.fields == fields
    assert pass_codec.signature_ok(old, key.public_key())
    new = pass_codec.parse(pass_codec.payload(fields, key))
    assert new is not None and new.key_id == pass_codec.key_id(key.public_key())
    assert pass_codec.signature_ok(new, key.public_key())
