"""The screens' print keys write PDFs under the data folder, and L hands the sheet to CUPS lp (issue 16):
a fake lp on PATH records the call; without lp the operator is told so in one line."""

from __future__ import annotations

import os

from textual.widgets import Input

from console.config import data_dir
from db.registers import writes as registers
from tests.conftest import make_app, settle
from tests.pdf_text import joined
from tests.test_passes_print import font_or_skip
from tests.test_print_cli import fake_tools
from tests.test_supply_ui import supply_post  # noqa: F401  (a fixture)


def notices(app) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


async def test_the_coverage_board_prints_the_day_as_a_pdf_and_sends_it_with_l(
    roster_post, db_path, tmp_path, monkeypatch
):
    font_or_skip()
    log = fake_tools(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        await pilot.press("p")
        await settle(app, pilot)
        sheets = list((data_dir() / "print").glob("roster-*"))
        assert [p.suffix for p in sheets] == [".pdf"] and "村口卡口" in joined(sheets[0])
        assert not log.exists()  # p only writes
        await pilot.press("L")
        await settle(app, pilot)
        assert log.read_text(encoding="utf-8").split() == ["-d", "Office", str(sheets[0].resolve())]
        assert "已送打印机 Office" in notices(app)


async def test_without_lp_the_l_key_says_so_and_the_pdf_is_kept(post_db, db_path, tmp_path, monkeypatch):
    font_or_skip()
    registers.create_round(1, "2022-04-10", actor="t")
    post_db.close()
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("g")
        await settle(app, pilot)
        await pilot.press("L")
        await settle(app, pilot)
        said = notices(app)
        assert "没有打印命令 lp" in said and "Traceback" not in said
        written = list((data_dir() / "export").glob("*.pdf"))
        assert len(written) == 1 and str(written[0]) in said  # where the sheet is, to print from elsewhere


async def test_the_registers_paper_key_writes_a_pdf(post_db, db_path):
    font_or_skip()
    post_db.close()
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("g")
        await settle(app, pilot)
        await pilot.press("P")
        await settle(app, pilot)
        written = list((data_dir() / "export").glob("care-1-*"))
        assert [p.suffix for p in written] == [".pdf"] and "特殊群众每日联系表" in joined(written[0])


async def test_the_supply_screen_sends_a_voucher_to_the_printer(supply_post, db_path, tmp_path, monkeypatch):
    font_or_skip()
    log = fake_tools(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("h")
        await settle(app, pilot)
        await pilot.press("L")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "PromptDialog"
        app.screen.query_one("#prompt-run", Input).value = "1"
        await pilot.press("enter")
        await settle(app, pilot)
        voucher = data_dir() / "print" / "配送凭证-1.pdf"
        assert log.read_text(encoding="utf-8").split() == ["-d", "Office", str(voucher.resolve())]
        assert "花厅口村1号" in joined(voucher) and "已送打印机" in notices(app)
