"""Printed passes: pages, Chinese that prints as Chinese, and QR codes that decode back to valid passes.

The decoding tests rasterise the PDF with pypdfium2 and read it with zxing-cpp (an ordinary
decoder); a machine without a CJK font skips the printing tests, saying what to install, except under
CI, where the missing font fails them (tests/conftest.py: require_part).
"""

from __future__ import annotations

import re
from dataclasses import replace

import pypdfium2 as pdfium
import pytest
import zxingcpp

from console.cli import main
from console.sheets import passes as pass_sheet
from console.text.passes import qr_half_blocks
from db.errors import CmdpostError
from db.grids import writes
from db.passes import check as pass_check
from db.passes import issuing as passes
from db.passes import keys as pass_keys
from db.records import StaffInput
from db.roster.settings import Duty, Rules
from tests.conftest import FIXED_NOW, require_part

NOW = int(FIXED_NOW.timestamp())
# `cmdpost pass print` prints what is in force now: its clock is fixed at the passes' NOW
pytestmark = pytest.mark.usefixtures("fixed_cli_clock")
DUTY = Duty(Rules(), FIXED_NOW.tzinfo)


def font_or_skip():
    pass_sheet.find_font.cache_clear()
    try:
        return pass_sheet.find_font()
    except pass_sheet.PassSheetError:
        require_part("no CJK font on this machine: apt install fonts-noto-cjk (or fonts-wqy-microhei)")


@pytest.fixture
def nine_passes(post_db, db_path):
    writes.upsert_staff(
        [StaffInput(f"志愿者{n}号", "志愿者", "1", phone=f"170003000{n:02d}") for n in range(9)]
        + [StaffInput("欧阳建国", "网格员", "2", phone="17000300099")],
        actor="test",
    )
    rows = [
        passes.issue(DUTY, staff_id, "1", actor="test", now=NOW)
        for (staff_id,) in post_db.execute_sql("SELECT id FROM staff WHERE name LIKE '志愿者%'").fetchall()
    ]
    return rows


def page_count(path) -> int:
    return len(re.findall(rb"/Type /Page\b", path.read_bytes()))


def decode_pages(path) -> list[str]:
    texts = []
    for page in pdfium.PdfDocument(str(path)):
        image = page.render(scale=100 / 72).to_pil()  # 100 dpi: coarser than any printer
        texts += [
            found.text for found in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        ]
    return texts


def test_every_printed_qr_decodes_to_a_valid_pass(nine_passes, db_path, tmp_path):
    font_or_skip()
    key = pass_keys.signing_key(db_path)
    out = pass_sheet.write_sheet(
        nine_passes,
        [passes.payload_for(r, key) for r in nine_passes],
        tmp_path / "p.pdf",
        post_name="花厅口村疫情防控临时指挥部",
        tz=DUTY.tz,
    )
    assert page_count(out) == 2  # eight to a page
    decoded = decode_pages(out)
    assert len(decoded) == 9
    verifier = pass_keys.post_verifier(db_path)
    for text in decoded:
        assert pass_check.scan(text, verifier, now=NOW, place="1-1", operator="test").verdict == "VALID"
    assert sorted(
        pass_check.scan(t, verifier, now=NOW, place="1", operator="test").fields.serial for t in decoded
    ) == [r.serial for r in nine_passes]


def test_cli_prints_the_grids_passes_in_force(nine_passes, post_db, db_path, tmp_path, capsys):
    font_or_skip()
    passes.revoke(nine_passes[0].serial, "遗失", actor="test", now=NOW)
    post_db.close()
    out = tmp_path / "grid1.pdf"
    assert main(["pass", "print", "--grid", "1", "--out", str(out), "--db", str(db_path)]) == 0
    assert "8" in capsys.readouterr().out
    assert page_count(out) == 1
    assert (
        main(["pass", "print", "--grid", "3", "--out", str(tmp_path / "none.pdf"), "--db", str(db_path)]) == 1
    )
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    assert main(["pass", "print", "--grid", "1", "--out", str(blocked / "p.pdf"), "--db", str(db_path)]) == 1
    assert capsys.readouterr().err.count("\n") == 2  # one line each, no traceback


def test_no_font_says_what_to_install_and_prints_nothing(nine_passes, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(pass_sheet, "FONT_FILES", ("/nowhere/font.ttc",))
    monkeypatch.delenv(pass_sheet.FONT_ENV, raising=False)
    pass_sheet.find_font.cache_clear()
    try:
        with pytest.raises(CmdpostError) as err:
            pass_sheet.write_sheet(nine_passes, ["X"] * 9, tmp_path / "p.pdf", post_name="指挥部", tz=DUTY.tz)
    finally:
        pass_sheet.find_font.cache_clear()
    assert err.value.key == "pass_sheet.no_font" and not (tmp_path / "p.pdf").exists()
    from console.i18n import error_text

    assert "fonts-noto-cjk" in error_text(err.value) and "\n" not in error_text(err.value)


def test_a_character_the_font_lacks_stops_the_print(nine_passes, db_path, tmp_path):
    font_or_skip()
    odd = replace(nine_passes[0], name="张\ue000")  # a private-use character: no font draws it
    key = pass_keys.signing_key(db_path)
    with pytest.raises(CmdpostError) as err:
        pass_sheet.write_sheet(
            [odd], [passes.payload_for(odd, key)], tmp_path / "p.pdf", post_name="指挥部", tz=DUTY.tz
        )
    assert err.value.key == "pass_sheet.missing_glyphs" and not (tmp_path / "p.pdf").exists()


def test_the_terminal_qr_decodes(nine_passes, db_path):
    from PIL import Image

    payload = passes.payload_for(nine_passes[0], pass_keys.signing_key(db_path))
    lines = qr_half_blocks(payload).plain.splitlines()
    rows = [[c in "▀█" for c in line] for line in lines] + [[c in "▄█" for c in line] for line in lines]
    rows[0::2], rows[1::2] = rows[: len(lines)], rows[len(lines) :]
    size = len(rows[0])
    image = Image.frombytes("L", (size, len(rows)), bytes(0 if dark else 255 for row in rows for dark in row))
    found = zxingcpp.read_barcodes(image.resize((size * 6, len(rows) * 6), Image.NEAREST))
    assert [f.text for f in found] == [payload]
