"""A paged table shows its first rows before its count: counting a 3M-row ledger took longer than
reading the page on screen, and the count is only needed for the scroll bar and far pages."""

from __future__ import annotations

import threading

from textual.app import App, ComposeResult

from widgets.paged_table import Column, PagedTable

ROWS = [f"第{n}条" for n in range(250)]


class SlowCount:
    def __init__(self, rows: list[str]) -> None:
        self.rows = rows
        self.counting = threading.Event()
        self.may_count = threading.Event()

    def count(self) -> int:
        self.counting.set()
        self.may_count.wait(10)
        return len(self.rows)

    def page(self, offset: int, limit: int) -> list[str]:
        return self.rows[offset : offset + limit]


class TableApp(App):
    def compose(self) -> ComposeResult:
        yield PagedTable([Column("记录", 20, str)], loading_text="…读取中")


async def test_the_first_rows_are_shown_while_the_rows_are_counted():
    app, source = TableApp(), SlowCount(ROWS)
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(PagedTable)
        table.set_source(source)
        for _ in range(200):  # until the count has begun (the page is read before it, or never)
            await pilot.pause()
            if source.counting.is_set() and table.cursor_value is not None:
                break
        try:
            assert table.cursor_value == "第0条" and table.total is None  # shown, still counting
            assert "第0条" in table.render_line(1).text and table.render_line(11).text.strip()
        finally:
            source.may_count.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.total == 250
        table.action_move_cursor(249)  # the count known, the far rows are read
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.cursor_value == "第249条"


async def test_an_empty_list_shows_loading_until_counted_then_its_empty_text():
    app, source = TableApp(), SlowCount([])
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(PagedTable)
        table.empty_text = "无记录"
        table.set_source(source)
        for _ in range(200):
            await pilot.pause()
            if source.counting.is_set():
                break
        try:
            assert "…读取中" in table.render_line(1).text  # no rows yet: not "empty" before the count says so
        finally:
            source.may_count.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.total == 0 and "无记录" in table.render_line(1).text
