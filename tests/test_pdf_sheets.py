"""Every printable is a real A4 PDF (issue 16): the run voucher, the register paper lists and the
roster day sheet, read back with pypdfium2 as a viewer or a printer would read them."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console import i18n
from console.sheets import passes as pass_sheet
from console.sheets import registers as register_sheet
from console.sheets.pdf import SheetError, on_paper
from console.sheets.roster import write_sheet as write_roster
from console.sheets.supply import write_voucher
from db.grids import writes
from db.passes import issuing as passes
from db.passes import keys as pass_keys
from db.records import HouseholdInput
from db.registers import writes as registers
from db.supply import queries as supply_queries
from db.supply import writes as supply
from tests.conftest import FIXED_NOW
from tests.pdf_text import char_boxes, joined, page_size, page_texts
from tests.test_passes import DUTY, NOW, add_delivery_staff, staff
from tests.test_passes_cli import cli_post  # noqa: F401  (a fixture)
from tests.test_passes_field import field_post  # noqa: F401  (a fixture)
from tests.test_passes_print import font_or_skip

REMARK = "老人家，麻烦放门口"
LONG_REMARK = REMARK + "。" + "请敲门三下再等一会儿" * 8  # 敲 is drawn only in this remark
LONG_NAME = "欧阳" + "慕容端木皇甫" * 4  # 30 characters at most; 慕 only in this name


@pytest.fixture
def forty_doors(post_db, db_path):
    """A run of 40 doors in grid 1 (orders taken in reverse route order), one door with two orders,
    one with a long remark, one head of household with a long name."""
    font_or_skip()
    add_delivery_staff()
    writes.upsert_households(
        [
            HouseholdInput(
                "1-2", f"花厅口村{n}号", 2, LONG_NAME if n == 101 else f"户主{n}", f"170001{n:05d}", "", ""
            )
            for n in range(101, 111)
        ],
        actor="test",
    )
    key = pass_keys.signing_key(db_path)
    payload = passes.payload_for(passes.issue(DUTY, staff(post_db, "甲"), "1", actor="t", now=NOW), key)
    supply.add_item("大米", "斤", "grain_oil", actor="t", now=NOW)
    supply.add_item("鸡蛋", "箱", "grain_oil", actor="t", now=NOW)
    supply.receive("大米", 1000, "粮油公司", actor="t", now=NOW, tz=FIXED_NOW.tzinfo)
    supply.receive("鸡蛋", 100, "粮油公司", actor="t", now=NOW, tz=FIXED_NOW.tzinfo)
    doors = [f"花厅口村{n}号" for n in range(1, 41) if n % 4 != 3] + [
        f"花厅口村{n}号" for n in range(101, 111)
    ]
    orders = []
    for door in reversed(doors):
        note = LONG_REMARK if door == "花厅口村5号" else ""
        orders.append(supply.add_order("1", door, [("大米", 10), ("鸡蛋", 1)], note=note, actor="t", now=NOW))
    orders.append(supply.add_order("1", "花厅口村1号", [("大米", 5)], note=REMARK, actor="t", now=NOW))
    run_id = supply.create_run(
        payload, orders, "1", key=pass_keys.post_verifier(db_path), actor="t", now=NOW, tz=FIXED_NOW.tzinfo
    )
    route = list(dict.fromkeys(stop.door for stop in supply_queries.run_stops(run_id)))
    return run_id, route, list(reversed(doors))


def _columns(page: list[tuple[str, float, float, float]], header: list[str]) -> dict[str, float]:
    """The left edge of each header word on a page, found as the words run together in the text."""
    letters = [c for c in page if not c[0].isspace()]
    text = "".join(c[0] for c in letters)
    start = text.index("".join(header))
    edges, at = {}, start
    for word in header:
        edges[word] = letters[at][1]
        at += len(word)
    return edges


def test_the_voucher_lists_forty_doors_in_route_order_with_remarks_and_boxes(forty_doors, tmp_path):
    run_id, route, taken = forty_doors
    out = write_voucher(run_id, tmp_path / "v.pdf", post_name="指挥部", tz=FIXED_NOW.tzinfo)
    assert out.read_bytes().startswith(b"%PDF") and len(route) == 40
    width, height = page_size(out)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    pages = page_texts(out)
    text = joined(out)
    assert len(pages) >= 2
    # The run's number, volunteer, pass, date, grid, households (not orders) and totals.
    assert f"#{run_id}" in text and "甲" in text and "2022-04-10" in text and "网格1第一网格" in text
    assert "共40户" in text and "合计:大米405斤、鸡蛋40箱" in text
    # Route order: each door after the one before it, though the orders were taken the other way round.
    positions = [text.index(door) for door in route]
    assert positions == sorted(positions) and route != taken
    # A box per door and per item: 40 doors, 40 × 2 items + 1 more on the door with two orders.
    assert text.count("□") == 40 + 81
    # The remarks, with the long one whole (wrapped, not cut), and the long name whole.
    assert REMARK in text and "".join(LONG_REMARK.split()) in text and LONG_NAME in text
    # Every page numbered, and the header row on every page.
    for number, page in enumerate(pages, 1):
        assert f"第 {number} / {len(pages)} 页" in page
        assert "".join(["序号", "门牌", "住户", "物资", "住户备注", "送达", "签收"]) in "".join(page.split())


def test_long_remarks_and_names_wrap_inside_their_own_column(forty_doors, tmp_path):
    run_id, _, _ = forty_doors
    out = write_voucher(run_id, tmp_path / "v.pdf", post_name="指挥部", tz=FIXED_NOW.tzinfo)
    header = ["序号", "门牌", "住户", "物资", "住户备注", "送达", "签收"]
    checked = {"敲": 0, "慕": 0}
    for page in char_boxes(out):
        edges = _columns(page, header)
        bounds = {"敲": (edges["住户备注"], edges["送达"]), "慕": (edges["住户"], edges["物资"])}
        lines = {"敲": set(), "慕": set()}
        for char, left, right, top in page:
            if char in bounds:
                low, high = bounds[char]
                assert low - 1 < left and right < high + 1, (char, left, right, low, high)
                lines[char].add(round(top))
                checked[char] += 1
        for char, tops in lines.items():
            assert not checked[char] or len(tops) >= 2 or not tops, f"{char} was not wrapped"
    assert checked == {"敲": 8, "慕": 4}


def test_a_door_with_two_orders_is_one_household_with_both_remarks(forty_doors, tmp_path):
    run_id, _, _ = forty_doors
    text = joined(write_voucher(run_id, tmp_path / "v.pdf", post_name="指挥部", tz=FIXED_NOW.tzinfo))
    assert text.count("花厅口村1号") == 1 and text.count(REMARK) == 2  # door 1's remark, door 5's long one


@pytest.fixture
def long_register(post_db):
    """Grid 1 with 150 households in a testing round nobody has been tested in: a list of several pages."""
    font_or_skip()
    writes.upsert_households(
        [
            HouseholdInput("1-2", f"花厅口村{n}号", 1, f"户主{n}", f"170002{n:05d}", "", "")
            for n in range(200, 320)
        ],
        actor="test",
    )
    registers.create_round(1, "2022-04-10", actor="t")
    return post_db


def test_a_register_list_runs_over_pages_with_its_header_and_page_numbers(long_register, tmp_path):
    out = register_sheet.export(
        "callbacks",
        "1",
        tmp_path / "list.pdf",
        post_name="指挥部",
        round_number=1,
        day="2022-04-10",
        tz=FIXED_NOW.tzinfo,
    )
    pages = page_texts(out)
    title, header, rows = register_sheet.register_rows(
        "callbacks", "1", round_number=1, day="2022-04-10", tz=FIXED_NOW.tzinfo
    )
    assert len(rows) == 150 and len(pages) >= 3
    assert (
        joined(out).count("□") == 150 and "户主319" in joined(out) and "".join(title.split()) in joined(out)
    )
    for number, page in enumerate(pages, 1):
        assert f"第 {number} / {len(pages)} 页" in page
        assert "".join([*header, "备注(手写)"]) in "".join(page.split())


def test_the_roster_day_sheet_names_posts_people_and_open_places(roster_post, tmp_path):
    font_or_skip()
    from db.roster.queries import day_roster

    out = write_roster(DUTY, date(2022, 4, 10), tmp_path / "roster.pdf", post_name="指挥部")
    text = joined(out)
    shifts = day_roster(DUTY, date(2022, 4, 10))
    assert shifts and all(post in text for post, *_ in shifts)
    assert "甲" in text and "缺人" in text and "签到" in text and "签退" in text
    assert "第 1 / 1 页" in page_texts(out)[0]


def test_text_from_the_data_is_drawn_as_written_never_read(post_db, tmp_path):
    font_or_skip()
    writes.upsert_households(
        [HouseholdInput("2-2", "花厅口村98号", 1, "\x1b[31m红\u202e名", "17000009998", "", "")], actor="test"
    )
    registers.create_round(1, "2022-04-10", actor="t")
    out = register_sheet.export(
        "callbacks",
        "2",
        tmp_path / "list.pdf",
        post_name="指挥部",
        round_number=1,
        day="2022-04-10",
        tz=FIXED_NOW.tzinfo,
    )
    text = joined(out)
    assert "<U+001B>[31m红<U+202E>名" in text and "[bold]x" in text  # the markup name, literally
    assert "\x1b" not in text and "\u202e" not in text


def test_a_character_the_font_lacks_stops_the_sheet_before_anything_is_written(post_db, tmp_path):
    font_or_skip()
    writes.upsert_households(
        [HouseholdInput("2-2", "花厅口村97号", 1, "张\ue000", "17000009997", "", "")], actor="test"
    )
    registers.create_round(1, "2022-04-10", actor="t")
    with pytest.raises(SheetError) as err:
        register_sheet.export(
            "callbacks",
            "2",
            tmp_path / "list.pdf",
            post_name="指挥部",
            round_number=1,
            day="2022-04-10",
            tz=FIXED_NOW.tzinfo,
        )
    assert err.value.key == "pdf_sheet.missing_glyphs" and not (tmp_path / "list.pdf").exists()


def test_no_font_says_what_to_install_and_writes_nothing(roster_post, tmp_path, monkeypatch):
    monkeypatch.setattr(pass_sheet, "FONT_FILES", ("/nowhere/font.ttc",))
    monkeypatch.delenv(pass_sheet.FONT_ENV, raising=False)
    pass_sheet.find_font.cache_clear()
    try:
        with pytest.raises(SheetError) as err:
            write_roster(DUTY, date(2022, 4, 10), tmp_path / "roster.pdf", post_name="指挥部")
    finally:
        pass_sheet.find_font.cache_clear()
    assert err.value.key == "pdf_sheet.no_font" and not (tmp_path / "roster.pdf").exists()
    message = i18n.error_text(err.value)
    assert "fonts-noto-cjk" in message and "通行证" not in message and "\n" not in message


def test_an_english_console_numbers_pages_in_english(roster_post, tmp_path):
    font_or_skip()
    i18n.set_language("en")
    out = write_roster(DUTY, date(2022, 4, 10), tmp_path / "roster.pdf", post_name="Post")
    assert "Page 1 of 1" in page_texts(out)[0] and "Duty roster" in page_texts(out)[0]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_on_paper_leaves_no_control_or_direction_character(value):
    from db.safe_text import CONTROLS

    drawn = on_paper(value)
    assert not (set(drawn) & (CONTROLS - {"\n"}))
    assert on_paper(value.replace("\r\n", "\n")) == drawn
    for char in value:
        if char not in CONTROLS and char != "\r":
            assert char in drawn


def test_remarks_and_vouchers_still_open_in_a_browser(forty_doors, tmp_path):
    run_id, _, _ = forty_doors
    page = write_voucher(run_id, tmp_path / "v.html", post_name="指挥部", tz=FIXED_NOW.tzinfo).read_text(
        "utf-8"
    )
    assert page.startswith("<!doctype html>") and REMARK in page


def test_the_pdf_day_sheet_carries_a_bulletin_qr_that_decodes(field_post, tmp_path):
    """The revocation bulletin printed on the PDF day sheet reads back with an ordinary decoder."""
    import pypdfium2 as pdfium
    import zxingcpp

    from console.cli import main
    from db.passes import bulletin as pass_bulletin
    from db.passes import keys as pass_keys

    font_or_skip()
    out = tmp_path / "roster.pdf"
    assert main(["roster", "print", "--db", field_post["db"], "--date", "2022-04-10", "--out", str(out)]) == 0
    assert "撤销公告" in joined(out)
    document = pdfium.PdfDocument(str(out))
    image = document[0].render(scale=200 / 72).to_pil().convert("L")
    document.close()
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(found) == 1
    read = pass_bulletin.decode(found[0].text, pass_keys.load_verifier(field_post["key"]))
    assert read.revoked == {"2-0001": 1}
