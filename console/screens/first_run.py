"""Shown on an empty database: load the demo post, or import the post's own data."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.message import Message
from textual.widgets import Button, ProgressBar, Static

from console.i18n import t
from console.screens.base import PostScreen
from console.screens.common import footer, post_header
from console.workers import db_work


class FirstRunScreen(PostScreen):
    DEFAULT_CSS = """
    FirstRunScreen > Center > Vertical {
        width: 72; max-width: 100%; height: auto;
        border: round $accent; padding: 1 2; margin-top: 1;
    }
    FirstRunScreen Button { width: 100%; margin-top: 1; }
    FirstRunScreen ProgressBar { margin-top: 1; display: none; }
    FirstRunScreen ProgressBar.-running { display: block; }
    """
    BINDINGS = [
        Binding("d", "load_demo", "keys.load_demo"),
        Binding("i", "app.open_import", "keys.import"),
        Binding("question_mark,f1", "app.show_help", "keys.help"),
        Binding("ctrl+q", "app.quit", "keys.quit"),
    ]

    @dataclass
    class Progress(Message):
        done: int
        total: int

    class DemoLoaded(Message):
        pass

    def compose(self) -> ComposeResult:
        yield post_header(self.app)
        with Center(), Vertical():
            yield Static(Text(t("first_run.title"), style="bold"))
            yield Static(Text(t("first_run.body", path=str(self.app.db_path))))
            yield Button(t("first_run.demo"), variant="primary", id="demo")
            yield Button(t("first_run.import"), id="import")
            yield Static(Text(t("first_run.cli_hint"), style="italic"))
            yield ProgressBar(id="demo-progress", show_eta=False)
        yield footer()

    def on_mount(self) -> None:
        self.query_one("#demo", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "demo":
            self.action_load_demo()
        else:
            self.app.action_open_import()

    def action_load_demo(self) -> None:
        self.query_one("#demo", Button).disabled = True
        self.query_one(ProgressBar).add_class("-running")
        self.fill_demo()

    @db_work
    def fill_demo(self) -> None:
        from db.demo.posts import populate

        def progress(done: int, total: int) -> None:
            self.post_message(self.Progress(done, total))

        populate(scale="village", seed=1, actor=self.app.actor, progress=progress)
        self.post_message(self.DemoLoaded())

    def on_first_run_screen_progress(self, message: Progress) -> None:
        self.query_one(ProgressBar).update(total=message.total, progress=message.done)

    def on_first_run_screen_demo_loaded(self) -> None:
        self.app.demo = True  # the header's demo badge, as when the console is started again on this file
        self.app.notify(t("first_run.demo_done"))
        self.app.show_dashboard()
