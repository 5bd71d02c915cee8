"""A filter's choice in one widget: it looks like a closed Select, and its list is built when opened.

Textual's Select is five widgets (the field, its label, two arrows and an OptionList overlay filled
with every option at mount). Three of them were two thirds of the audit trail's first frame: their
styles, their layout and their option lists, before anyone opened one. This draws the closed field
itself and mounts the OptionList the first time the field is opened.

Enter, space, up or down (or a click) opens the list; Enter or a click chooses; Escape, or leaving
the list, closes it unchanged. The first option is the prompt: no filter, value None. Option labels
are ``rich.text.Text``: text from the data is never read as markup.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList

from db.safe_text import CONTROLS, shown


def _safe(label: Text | str) -> Text:
    """A label as drawn: a str is never read as markup, and no control character reaches the terminal."""
    if not isinstance(label, Text):
        return Text(shown(label))
    return Text(shown(label.plain), style=label.style) if CONTROLS.intersection(label.plain) else label


class ChoiceList(OptionList):
    """The open list: Escape or losing focus closes it without a choice. A typed letter goes to the
    next option that starts with it (as in a Select), and is not the screen's key meanwhile."""

    BINDINGS = [Binding("escape", "close", show=False)]

    class Closed(Message):
        pass

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        return character is not None and character.isprintable() and not character.isspace()

    def on_key(self, event: events.Key) -> None:
        if not self.check_consume_key(event.key, event.character):
            return
        event.stop()
        event.prevent_default()
        typed = (event.character or "").casefold()
        start = (self.highlighted if self.highlighted is not None else -1) + 1
        for step in range(self.option_count):
            index = (start + step) % self.option_count
            if str(self.get_option_at_index(index).prompt).casefold().startswith(typed):
                self.highlighted = index
                return

    def action_close(self) -> None:
        self.post_message(self.Closed())

    def _on_blur(self, event: events.Blur) -> None:
        self.post_message(self.Closed())


class ChoiceField(Widget, can_focus=True):
    DEFAULT_CSS = """
    ChoiceField {
        height: 3;
        width: 1fr;
        border: tall $border-blurred;
        background: $surface;
        color: $foreground 50%;
        padding: 0 2;
        pointer: pointer;
    }
    ChoiceField.-has-value { color: $foreground; }
    ChoiceField:focus { border: tall $border; background-tint: $foreground 5%; }
    ChoiceField > ChoiceList {
        display: none;
        overlay: screen;
        constrain: none inside;
        height: auto;
        max-height: 12;
        border: tall $border-blurred;
        background: $surface;
        color: $foreground;
    }
    ChoiceField > ChoiceList:focus { background-tint: $foreground 5%; }
    ChoiceField > ChoiceList > .option-list--option { padding: 0 1; }
    ChoiceField.-open > ChoiceList { display: block; }
    """
    BINDINGS = [Binding("enter,down,space,up", "open", show=False)]

    @dataclass
    class Changed(Message):
        field: ChoiceField
        value: Any  # None: the prompt, no filter

        @property
        def control(self) -> ChoiceField:
            return self.field

    def __init__(self, prompt: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.prompt = prompt
        self._options: list[tuple[Text, Hashable]] = []
        self._value: Hashable | None = None
        self._list: ChoiceList | None = None

    # -- value ---------------------------------------------------------------------

    @property
    def value(self) -> Any:
        return self._value

    @value.setter
    def value(self, value: Hashable | None) -> None:
        """Choose ``value`` (None: the prompt), as the operator would: Changed is posted if it changed."""
        if value is not None and value not in (v for _, v in self._options):
            raise ValueError(f"not one of the options: {value!r}")
        if value != self._value:
            self._value = value
            self.set_class(value is not None, "-has-value")
            self.refresh()
            self.post_message(self.Changed(self, value))

    def set_options(self, options: Iterable[tuple[Text | str, Hashable]]) -> None:
        """The choices, as (label, value); a str label is shown as it is, never read as markup. A choice
        that is no longer offered goes back to the prompt."""
        self._options = [(_safe(label), v) for label, v in options]
        if self._list is not None:
            self._fill(self._list)
        if self._value is not None and self._value not in (v for _, v in self._options):
            self.value = None
        self.refresh()

    # -- drawing -------------------------------------------------------------------

    def _label(self) -> Text:
        for label, value in self._options:
            if value == self._value and self._value is not None:
                return label
        return Text(self.prompt)

    def render(self) -> Text:
        width = max(self.content_size.width, 2)
        label = self._label().copy()
        label.no_wrap, label.end = True, ""
        label.truncate(width - 2, overflow="ellipsis", pad=True)
        return Text.assemble(label, " ", ("▲" if self.has_class("-open") else "▼"), no_wrap=True, end="")

    # -- opening and choosing ------------------------------------------------------

    def _fill(self, choices: ChoiceList) -> None:
        choices.clear_options()
        choices.add_options([Text(self.prompt, style="dim"), *(label for label, _ in self._options)])

    def action_open(self) -> None:
        if self._list is None:
            self._list = ChoiceList()
            self._fill(self._list)
            self.mount(self._list)
        self._list.styles.width = self.outer_size.width
        # Just under the field: the list is placed in the field's content area, inside its border.
        self._list.styles.offset = (
            -self.styles.gutter.left,
            self.content_size.height + self.styles.gutter.bottom,
        )
        values = [None, *(v for _, v in self._options)]
        self._list.highlighted = values.index(self._value) if self._value in values else 0
        self.add_class("-open")
        self._list.focus(scroll_visible=False)
        self.refresh()

    def _close(self, refocus: bool) -> None:
        self.remove_class("-open")
        self.refresh()
        if refocus:
            self.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = event.option_index
        self._close(refocus=True)
        self.value = None if index == 0 else self._options[index - 1][1]

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()

    def on_choice_list_closed(self, event: ChoiceList.Closed) -> None:
        event.stop()
        if self.has_class("-open"):
            self._close(refocus=self.screen.focused is self._list)

    def on_click(self, event: events.Click) -> None:
        if event.widget is not self:
            return  # a click in the open list: the list chooses
        event.stop()
        if self.has_class("-open"):
            self._close(refocus=True)
        else:
            self.action_open()
