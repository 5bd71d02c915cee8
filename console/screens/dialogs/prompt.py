"""A small form in a dialog: a title, a choice and a few text fields, Enter to confirm."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, RadioButton, RadioSet, Static

from console.i18n import t
from console.screens.base import PostDialog
from widgets.data_input import DataInput
from widgets.safe_text import data_text


class PromptDialog(PostDialog[dict | None]):
    """Dismisses with {"choice": value, field name: text, …}, or None on Esc."""

    DEFAULT_CSS = """
    PromptDialog { align: center middle; }
    PromptDialog > Vertical { width: 64; max-width: 100%; height: auto; border: thick $accent;
                              background: $surface; padding: 1 2; }
    PromptDialog RadioSet { width: 100%; margin-bottom: 1; }
    PromptDialog Input.compact { margin-bottom: 1; background: $boost; }
    PromptDialog .prompt-keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "dismiss", "keys.cancel")]

    def __init__(
        self, title: str, fields: list[tuple[str, str, str]], choices: list[tuple[str, str]] | None = None
    ) -> None:
        """``fields``: (name, label, default); ``choices``: (value, label), the first preselected."""
        super().__init__()
        self.heading, self.fields, self.choices = title, fields, choices or []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(data_text(self.heading, style="bold"))
            if self.choices:
                with RadioSet(id="prompt-choice"):
                    for index, (value, label) in enumerate(self.choices):
                        yield RadioButton(data_text(label), value=index == 0, name=value)
            # more than three fields: one line each, so a form of five (a return) fits 24 rows
            compact = len(self.fields) > 3
            for name, label, default in self.fields:
                yield Static(data_text(label))
                yield DataInput(
                    default,
                    id=f"prompt-{name}",
                    max_length=200,  # typing replaces a default
                    compact=compact,
                    classes="compact" if compact else "",
                )
            # the form has no button: say how it is saved, as the override and reissue dialogs do
            yield Static(t("prompt.keys_choice" if self.choices else "prompt.keys"), classes="prompt-keys")

    def on_mount(self) -> None:
        if self.choices:
            self.query_one(RadioSet).focus()
            return
        inputs = list(self.query(Input))
        if inputs:
            inputs[0].focus()

    def on_radio_set_changed(self) -> None:
        """Arrow to a choice and press Enter: it is chosen, and the note comes next (Enter again to save)."""
        inputs = list(self.query(Input))
        if inputs:
            inputs[0].focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(self.answer())

    def answer(self) -> dict:
        result: dict[str, str | None] = {
            name: self.query_one(f"#prompt-{name}", Input).value.strip() for name, _, _ in self.fields
        }
        if self.choices:
            pressed = self.query_one(RadioSet).pressed_button
            result["choice"] = pressed.name if pressed else self.choices[0][0]
        return result
