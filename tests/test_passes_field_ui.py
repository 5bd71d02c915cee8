"""The console side of issue 15: a QR code that scans off 80×24, REVOKED with its reason, focus kept, scans home."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
from textual.widgets import DataTable, Input

from console.screens.passes.dialogs import PassCard, QrView
from console.screens.passes.scan import ScanScreen
from db.passes import issuing as passes
from tests.conftest import make_app, settle
from tests.test_passes_ui import NOW, pass_post, scan_like_a_scanner, text_of  # noqa: F401 (pass_post: a fixture)


def decode_screen(svg: str) -> list[str]:
    """Read the QR codes off an SVG screenshot: each half block is two modules of a character cell."""
    import zxingcpp
    from PIL import Image, ImageDraw

    image = Image.new("L", (200 * 8, 80 * 16), 255)
    draw = ImageDraw.Draw(image)
    for x, y, length, chars in re.findall(
        r'<text[^>]*x="([\d.]+)" y="([\d.]+)" textLength="([\d.]+)"[^>]*>([^<]*)<', svg
    ):
        chars = chars.replace("&#160;", " ")
        width = float(length) / max(1, len(chars))
        column, row = round(float(x) / width), round((float(y) - 20) / (width * 2))
        for offset, char in enumerate(chars):
            left = (column + offset) * 8
            if char in "▀█":
                draw.rectangle((left, row * 16, left + 7, row * 16 + 7), fill=0)
            if char in "▄█":
                draw.rectangle((left, row * 16 + 8, left + 7, row * 16 + 15), fill=0)
    return [found.text for found in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


async def test_a_pass_scans_off_an_80_by_24_screen(pass_post, db_path):
    pytest.importorskip("zxingcpp")
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        row = passes.pass_by_serial("1-0001", NOW)
        app.push_screen(PassCard(row, pass_post["甲"]))
        await settle(app, pilot)
        assert decode_screen(app.export_screenshot()) == []  # the card, cut off at 24 rows, does not scan
        await pilot.press("f")
        await settle(app, pilot)
        assert isinstance(app.screen, QrView)
        assert decode_screen(app.export_screenshot()) == [pass_post["甲"]]


async def test_revoked_shows_the_reason_and_a_scan_is_never_dropped_for_focus(pass_post, db_path):
    passes.revoke("1-0001", "遗失", actor="test", now=NOW)
    app = make_app(db_path)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(app, pilot)
        app.push_screen(ScanScreen("1"))
        await settle(app, pilot)
        app.screen.query_one("#scan-recent", DataTable).focus()  # the operator looked at the recent checks
        await settle(app, pilot)
        await scan_like_a_scanner(app, pilot, pass_post["甲"])
        assert "REVOKED" in text_of(app, "#scan-verdict")
        assert "遗失" in text_of(app, "#scan-detail")
        assert app.focused is app.screen.query_one("#scan-input", Input)
    con = sqlite3.connect(db_path)
    assert [v for (v,) in con.execute("SELECT verdict FROM pass_scan")] == ["REVOKED"]


async def test_a_guard_pages_scans_read_on_the_check_screen_come_home_once(pass_post, db_path):
    export = json.dumps(
        {
            "format": "cmdpost-guard-scans-1",
            "page": "PHONE1",
            "guard": "卡口2",
            "scans": [{"n": 1, "at": NOW, "grid": "2", "verdict": "VALID", "serial": "2-0001", "version": 1}],
        },
        ensure_ascii=False,
    )
    app = make_app(db_path)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(app, pilot)
        app.push_screen(ScanScreen("1"))
        await settle(app, pilot)
        box = app.screen.query_one("#scan-input", Input)
        for _ in range(2):
            box.post_message(Input.Submitted(box, export))
            await settle(app, pilot)
        assert "已有 1 条" in text_of(app, "#scan-verdict")
    con = sqlite3.connect(db_path)
    assert con.execute("SELECT verdict, operator, place FROM pass_scan").fetchall() == [
        ("VALID", "guard:卡口2", "2")
    ]


async def test_the_passes_screen_shows_the_bulletin_to_scan(pass_post, db_path):
    pytest.importorskip("zxingcpp")
    from console.screens.passes.grid_passes import PassesScreen
    from db.passes import bulletin as pass_bulletin
    from db.passes import keys as pass_keys

    passes.revoke("2-0001", "遗失", actor="test", now=NOW)
    app = make_app(db_path)
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(app, pilot)
        app.push_screen(PassesScreen("1"))
        await settle(app, pilot)
        await pilot.press("b")
        await settle(app, pilot)
        assert isinstance(app.screen, QrView)
        texts = decode_screen(app.export_screenshot())
    read = pass_bulletin.decode(texts[0], pass_keys.post_verifier(db_path))
    assert read.revoked == {"2-0001": 1}


# A pass with a long grid code or a large staff id takes the next QR version (49 modules, 25 rows
# with the 2-module quiet zone): 80×24 cannot hold it. Its QR is the same as this padded text's.
LONG_PAYLOAD_PADDING = "0" * 20


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_a_code_too_tall_for_the_terminal_says_so_instead_of_showing_cut(pass_post, db_path, size):
    pytest.importorskip("zxingcpp")
    payload = pass_post["甲"] + LONG_PAYLOAD_PADDING
    app = make_app(db_path)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        app.push_screen(QrView(payload))
        await settle(app, pilot)
        too_big = app.screen.query_one("#qr-too-big")
        if size == (80, 24):
            assert decode_screen(app.export_screenshot()) == []
            assert too_big.display
            assert "49×25" in text_of(app, "#qr-too-big")
            assert "80×24" in text_of(app, "#qr-too-big")
            assert not app.screen.query_one("#qr-view").display
        else:
            assert not too_big.display
            assert decode_screen(app.export_screenshot()) == [payload]
        await app.run_action("screen.dismiss")  # the keys still close it
