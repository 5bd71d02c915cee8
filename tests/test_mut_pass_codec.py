"""Tests aimed at the mutants of db/passes/codec.py that survived the suite (issue 21)."""

from __future__ import annotations

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
