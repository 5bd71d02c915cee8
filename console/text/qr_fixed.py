"""QR codes of one size and one mask, encoded fast and module for module as the qrcode package would.

Printing a thousand passes spent most of its time in qrcode's pure-Python encoder: its
Reed–Solomon step divides polynomial objects and its placement asks a mask function about every
module. Here qrcode itself lays out the function patterns once per size and mask; this module
keeps that template and the order of the data modules, writes the bits with integers and does
the error correction with precomputed products, a code's remainder held in one integer: 0.14 ms
a code instead of about 0.8 ms. A payload it does not handle (another mode, too long) returns None
and the caller asks qrcode. tests/test_qr_fixed.py checks it against qrcode on random payloads.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import qrcode
from qrcode import util
from qrcode.base import rs_blocks

PAD_BYTES = (0xEC, 0x11)  # the standard's filler after the data
_ALPHANUMERIC = {c: n for n, c in enumerate(util.ALPHA_NUM.decode())}

# GF(256) under the QR polynomial x^8 + x^4 + x^3 + x^2 + 1; EXP is doubled so a sum of two logs needs no modulo.
EXP = [0] * 512
LOG = [0] * 256
_value = 1
for _power in range(255):
    EXP[_power], LOG[_value] = _value, _power
    _value <<= 1
    if _value & 0x100:
        _value ^= 0x11D
for _power in range(255, 512):
    EXP[_power] = EXP[_power - 255]


class Layout(NamedTuple):
    template: list[list[bool]]  # function patterns and format bits; data modules False
    places: list[
        tuple[int, int, bool]
    ]  # each data module in the order bits fill it: row, column, flipped by the mask
    blocks: list[tuple[int, int, list[int]]]  # per block: data codewords, error codewords, _remainder_table
    capacity: int  # data bits
    count_bits: dict[int, int]  # length field per mode at this version


def _remainder_table(degree: int) -> list[int]:
    """For each leading byte, the generator polynomial times it, as one integer of ``degree`` bytes.

    The division then shifts and XORs whole integers instead of lists of coefficients.
    """
    poly = [1]
    for power in range(degree):  # multiply by (x - α^power)
        poly = [a ^ (EXP[LOG[b] + power] if b else 0) for a, b in zip(poly + [0], [0] + poly, strict=True)]
    logs = [LOG[c] for c in poly[1:]]
    return [0] + [
        int.from_bytes(bytes(EXP[LOG[factor] + g] for g in logs), "big") for factor in range(1, 256)
    ]


@lru_cache(maxsize=4)
def layout(version: int, error_correction: int, mask: int) -> Layout:
    code = qrcode.QRCode(version=version, error_correction=error_correction, mask_pattern=mask)
    size = code.modules_count = version * 4 + 17
    code.modules = [[None] * size for _ in range(size)]
    for row, col in ((0, 0), (size - 7, 0), (0, size - 7)):
        code.setup_position_probe_pattern(row, col)
    code.setup_position_adjust_pattern()
    code.setup_timing_pattern()
    code.setup_type_info(False, mask)
    if version >= 7:
        code.setup_type_number(False)
    flipped = util.mask_func(mask)
    places = []
    row, step = size - 1, -1  # the same zigzag as qrcode's map_data: two columns at a time, up then down
    for col in range(size - 1, 0, -2):
        if col <= 6:
            col -= 1  # the vertical timing pattern takes column 6
        while 0 <= row < size:
            places += [
                (row, c, bool(flipped(row, c))) for c in (col, col - 1) if code.modules[row][c] is None
            ]
            row += step
        row -= step
        step = -step
    template = [[bool(m) for m in line] for line in code.modules]
    blocks = [
        (b.data_count, b.total_count - b.data_count, _remainder_table(b.total_count - b.data_count))
        for b in rs_blocks(version, error_correction)
    ]
    # the literals, not util's constants: qrcode's stubs type the constants as int but ask for 2 or 4
    count_bits = {
        util.MODE_ALPHA_NUM: util.length_in_bits(2, version),
        util.MODE_8BIT_BYTE: util.length_in_bits(4, version),
    }
    return Layout(template, places, blocks, sum(n for n, _, _ in blocks) * 8, count_bits)


def _data_bits(payload: str, count_bits: dict[int, int]) -> tuple[int, int] | None:
    """The mode, length and data as one integer and its bit count, in the mode qrcode would choose."""
    if payload.isdigit():
        return None  # numeric mode: rare enough to leave to qrcode
    if all(c in _ALPHANUMERIC for c in payload):
        bits, count = util.MODE_ALPHA_NUM, 4
        bits = bits << count_bits[util.MODE_ALPHA_NUM] | len(payload)
        count += count_bits[util.MODE_ALPHA_NUM]
        for i in range(0, len(payload) - 1, 2):
            bits = bits << 11 | _ALPHANUMERIC[payload[i]] * 45 + _ALPHANUMERIC[payload[i + 1]]
            count += 11
        if len(payload) % 2:
            bits, count = bits << 6 | _ALPHANUMERIC[payload[-1]], count + 6
        return bits, count
    data = payload.encode("utf-8")
    if len(data) >= 1 << count_bits[util.MODE_8BIT_BYTE]:
        return None
    bits = (util.MODE_8BIT_BYTE << count_bits[util.MODE_8BIT_BYTE] | len(data)) << 8 * len(data)
    return bits | int.from_bytes(data, "big"), 4 + count_bits[util.MODE_8BIT_BYTE] + 8 * len(data)


def _remainder(data: bytes, degree: int, table: list[int]) -> bytes:
    shift, keep = 8 * (degree - 1), (1 << 8 * degree) - 1
    remainder = 0
    for byte in data:
        remainder = ((remainder << 8) & keep) ^ table[byte ^ (remainder >> shift)]
    return remainder.to_bytes(degree, "big")


def encode(
    payload: str, version: int, error_correction: int, mask: int, border: int
) -> list[list[bool]] | None:
    """The modules of ``payload`` with ``border`` light modules round them, or None if it is not for here."""
    shape = layout(version, error_correction, mask)
    found = _data_bits(payload, shape.count_bits)
    if found is None or found[1] > shape.capacity:
        return None
    bits, count = found
    tail = (
        min(shape.capacity - count, 4) + (-(count + min(shape.capacity - count, 4))) % 8
    )  # terminator, then a byte
    bits, count = bits << tail, count + tail
    codewords = bits.to_bytes(count // 8, "big") + bytes(
        PAD_BYTES[i % 2] for i in range(shape.capacity // 8 - count // 8)
    )
    data_blocks, ec_blocks, start = [], [], 0
    for size, degree, table in shape.blocks:
        data_blocks.append(codewords[start : start + size])
        ec_blocks.append(_remainder(codewords[start : start + size], degree, table))
        start += size
    stream = [
        block[i] for i in range(max(len(b) for b in data_blocks)) for block in data_blocks if i < len(block)
    ]
    stream += [block[i] for i in range(len(ec_blocks[0])) for block in ec_blocks]
    matrix = [line[:] for line in shape.template]
    bits_text = format(int.from_bytes(bytes(stream), "big"), f"0{len(stream) * 8}b")
    for (row, col, flipped), bit in zip(shape.places, bits_text.ljust(len(shape.places), "0"), strict=True):
        matrix[row][col] = (bit == "1") != flipped
    side = [False] * border
    width = len(matrix) + 2 * border
    return (
        [[False] * width for _ in range(border)]
        + [side + line + side for line in matrix]
        + [[False] * width for _ in range(border)]
    )
