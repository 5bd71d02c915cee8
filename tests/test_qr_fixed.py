"""The fast QR encoder for passes gives the very modules qrcode gives, and the sheet draws exactly them."""

from __future__ import annotations

import re

import qrcode
from hypothesis import given, settings
from hypothesis import strategies as st
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M

from console.sheets.passes import qr_runs
from console.text import qr_fixed
from console.text.passes import PASS_MASK, QR_VERSION, QUIET_ZONE, qr_matrix

ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
SHAPES = st.sampled_from(
    [(QR_VERSION, ERROR_CORRECT_M, PASS_MASK), (2, ERROR_CORRECT_L, 0), (9, ERROR_CORRECT_H, 5)]
)


def by_qrcode(payload: str, version: int, level: int, mask: int) -> list[list[bool]]:
    code = qrcode.QRCode(version=version, error_correction=level, border=QUIET_ZONE, mask_pattern=mask)
    code.add_data(payload, optimize=0)
    code.make(fit=False)
    return code.get_matrix()


@settings(max_examples=300, deadline=None)
@given(shape=SHAPES, payload=st.one_of(st.text(ALPHANUMERIC, max_size=200), st.text(max_size=120)))
def test_the_fast_encoder_matches_qrcode_or_declines(shape, payload):
    fast = qr_fixed.encode(payload, *shape, QUIET_ZONE)
    if fast is None:  # numeric, or too long for this size: the caller asks qrcode
        return
    assert fast == by_qrcode(payload, *shape)


def test_a_pass_payload_takes_the_fast_path_and_fills_the_code():
    payload = "CP1:" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" * 4  # the length of a signed pass
    assert qr_fixed.encode(payload, QR_VERSION, ERROR_CORRECT_M, PASS_MASK, QUIET_ZONE) is not None
    assert qr_matrix(payload) == by_qrcode(payload, QR_VERSION, ERROR_CORRECT_M, PASS_MASK)


def test_a_payload_too_long_for_a_pass_code_still_gets_a_code():
    payload = "A" * 300
    assert qr_fixed.encode(payload, QR_VERSION, ERROR_CORRECT_M, PASS_MASK, QUIET_ZONE) is None
    assert len(qr_matrix(payload)) > 41 + 2 * QUIET_ZONE  # qrcode chose a larger version


@given(st.lists(st.lists(st.booleans(), min_size=5, max_size=5), min_size=5, max_size=5))
def test_the_drawn_runs_cover_the_dark_modules_and_nothing_else(matrix):
    drawn = [[False] * 5 for _ in range(5)]
    for col, row, width in re.findall(r"(\d+) (\d+) (\d+) 1 re", qr_runs(matrix)):
        for c in range(int(col), int(col) + int(width)):
            assert not drawn[int(row)][c]  # runs never overlap
            drawn[int(row)][c] = True
    assert drawn == matrix
