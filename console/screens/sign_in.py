"""Sign-in at start, and the idle lock: an account and a PIN, checked off the event loop.

Both run db.accounts.operators.sign_in, so a wrong PIN counts towards the lockout wherever it is typed.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from console.i18n import error_text, t
from console.screens.base import PostScreen
from console.screens.common import footer
from console.workers import db_work
from db.accounts import operators as accounts
from db.audit.guard import Session
from db.errors import CmdpostError
from widgets.data_input import DataInput
from widgets.safe_text import data_text


class SignInScreen(PostScreen):
    """Dismissed with the new Session. With ``locked_for`` set it is the idle lock of that account."""

    DEFAULT_CSS = """
    SignInScreen { align: center middle; }
    SignInScreen > Vertical { width: 60; max-width: 100%; height: auto; border: thick $accent;
                              background: $surface; padding: 1 2; }
    SignInScreen #signin-message { color: $warning; height: auto; margin-top: 1; }
    SignInScreen Input { margin-bottom: 1; }
    """
    BINDINGS = [
        Binding("f2", "switch_user", "signin.switch_user"),
        Binding("ctrl+q", "app.quit", "keys.quit"),
    ]

    @dataclass
    class Checked(Message):
        session: Session | None
        problem: str

    def __init__(self, locked_for: str | None = None, idle_minutes: int = 0) -> None:
        super().__init__()
        self.locked_for = locked_for
        self.idle_minutes = idle_minutes

    def compose(self) -> ComposeResult:
        with Vertical():
            title = t("signin.locked_title") if self.locked_for else t("signin.title")
            yield Static(data_text(f"{self.app.config.post_name} · {title}", style="bold"))
            if self.locked_for:
                yield Static(Text(t("signin.locked_hint", minutes=self.idle_minutes, name=self.locked_for)))
            else:
                yield Static(Text(t("signin.hint")))
            yield Static(t("signin.name"), classes="label")
            yield DataInput(
                self.locked_for or "", id="signin-name", max_length=40, disabled=bool(self.locked_for)
            )
            yield Static(t("signin.pin"), classes="label")
            yield DataInput(id="signin-pin", password=True, max_length=128)
            yield Static("", id="signin-message")
        yield footer()

    def on_mount(self) -> None:
        self.query_one("#signin-pin" if self.locked_for else "#signin-name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = self.query_one("#signin-name", Input).value.strip()
        pin = self.query_one("#signin-pin", Input).value
        if event.input.id == "signin-name" or not name:
            # At once, not after a refresh (as focus() does): keys typed straight after Enter
            # belong to the PIN, not to the name.
            self.set_focus(self.query_one("#signin-pin", Input))
            return
        if not pin:
            return
        self.query_one("#signin-message", Static).update(t("signin.checking"))
        self.check(name, pin)

    @db_work
    def check(self, name: str, pin: str) -> None:
        try:
            session = accounts.sign_in(
                name,
                pin,
                now=int(self.app.now().timestamp()),
                max_failures=self.app.config.lockout_after,
                lock_seconds=self.app.config.lockout_minutes * 60,
            )
            self.post_message(self.Checked(session, ""))
        except CmdpostError as err:
            self.post_message(self.Checked(None, error_text(err)))

    def on_sign_in_screen_checked(self, message: Checked) -> None:
        pin = self.query_one("#signin-pin", Input)
        pin.value = ""
        if message.session is None:
            self.query_one("#signin-message", Static).update(Text(message.problem))
            pin.focus()
            return
        self.dismiss(message.session)

    def action_switch_user(self) -> None:
        """From the idle lock: end this session and let someone else sign in."""
        if self.locked_for:
            self.dismiss(None)
