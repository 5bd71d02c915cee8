"""The copy keys of issue 14 in the console: w and W on the registers screen put the testing round's
chain template, and who has not answered, on the clipboard (OSC 52), and say so."""

from __future__ import annotations

from console.screens.registers import RegistersScreen
from db import registers
from tests.conftest import make_app, settle


async def test_registers_copy_the_template_and_the_missing_list(post_db, db_path):
    registers.create_round(1, "2022-04-10", actor="t")
    app = make_app(db_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("g")
        await settle(app, pilot)
        assert isinstance(app.screen, RegistersScreen)
        await pilot.press("w")
        await settle(app, pilot)
        template = app.clipboard
        assert template.startswith("#接龙 1 ") and "第1轮核酸" in template.splitlines()[0]
        assert template.count("\n") == 2 + 30  # every untested door of the grid, one line each
        await pilot.press("W")
        await settle(app, pilot)
        assert "以下 30 户还没接龙" in app.clipboard and app.clipboard != template
        notices = "\n".join(str(n.message) for n in app._notifications)
        assert "已复制到剪贴板" in notices
