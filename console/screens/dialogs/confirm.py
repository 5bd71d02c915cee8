"""The keys every confirm-with-a-reason dialog shares."""

from __future__ import annotations

from textual.widgets import Button


class ConfirmKeys:
    """Enter in the reason box, or the confirm button, confirms; the other button or Esc cancels.

    The dialog supplies ``action_confirm`` and says what a cancel dismisses with.
    """

    cancelled_result: object = None

    def on_input_submitted(self) -> None:
        self.action_confirm()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "confirm":
            self.action_confirm()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(self.cancelled_result)
