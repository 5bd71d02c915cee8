"""The keys every confirm-with-a-reason dialog shares."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Static

from console.i18n import t
from console.screens.base import PostDialog, ResultT
from widgets.safe_text import data_text


class ConfirmKeys(PostDialog[ResultT]):
    """The base of the dialogs that confirm with a reason. Enter in the reason box, or the confirm
    button, confirms; the other button or Esc cancels. Each dialog confirms in its own way and may say
    what a cancel dismisses with."""

    cancelled_result: ResultT | None = None

    def action_confirm(self) -> None:
        raise NotImplementedError  # every dialog built on this one has its own

    def on_input_submitted(self) -> None:
        self.action_confirm()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "confirm":
            self.action_confirm()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(self.cancelled_result)


class YesNoDialog(PostDialog[bool]):
    """Ask before an action that changes who is where: y or Enter does it, n or Esc does not."""

    DEFAULT_CSS = """
    YesNoDialog { align: center middle; }
    YesNoDialog > Vertical { width: 60; max-width: 100%; height: auto; border: thick $warning;
                             background: $surface; padding: 1 2; }
    YesNoDialog #yes-no-keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("y,enter", "answer(True)", "keys.confirm"),
        Binding("n,escape", "answer(False)", "keys.cancel"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(data_text(self.question, style="bold"))
            yield Static(t("confirm.keys"), id="yes-no-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
