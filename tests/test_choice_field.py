"""The filter field that replaced the audit trail's Selects: chosen from the keyboard or the mouse,
closed unchanged by Escape, and its labels (names from the data) never read as markup or obeyed."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import OptionList

from db.safe_text import shown
from widgets.choice_field import ChoiceField, ChoiceList

PEOPLE = [
    (Text("张三"), "zhang"),
    (Text("[b]李四[/b]"), "li"),
    ("王五\x1b[2J", "wang"),
    (Text("赵\u202e六"), "zhao"),
]


class FieldApp(App):
    def __init__(self) -> None:
        super().__init__()
        self.changes: list[object] = []

    def compose(self) -> ComposeResult:
        yield ChoiceField("所有人", id="who")

    def on_mount(self) -> None:
        self.query_one(ChoiceField).set_options(PEOPLE)
        self.query_one(ChoiceField).focus()

    def on_choice_field_changed(self, event: ChoiceField.Changed) -> None:
        self.changes.append(event.value)


def drawn(field: ChoiceField) -> str:
    return field.render().plain


async def test_enter_opens_the_list_and_enter_chooses_from_it():
    app = FieldApp()
    async with app.run_test(size=(60, 20)) as pilot:
        field = app.query_one(ChoiceField)
        assert not field.query(ChoiceList)  # nothing built before it is opened
        await pilot.press("enter")
        assert field.has_class("-open") and isinstance(app.focused, ChoiceList)
        assert app.query_one(ChoiceList).option_count == 5  # the prompt, then every person
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert field.value == "li" and app.changes == ["li"]
        assert app.focused is field and not field.has_class("-open")
        assert "[b]李四[/b]" in drawn(field)  # the name as written, not bold markup


async def test_escape_closes_the_list_unchanged_and_the_prompt_clears_the_choice():
    app = FieldApp()
    async with app.run_test(size=(60, 20)) as pilot:
        field = app.query_one(ChoiceField)
        field.value = "zhang"
        await pilot.press("enter", "down", "escape")
        await pilot.pause()
        assert field.value == "zhang" and not field.has_class("-open") and app.focused is field
        await pilot.press("enter", "home", "enter")  # the first option is the prompt: no filter
        await pilot.pause()
        assert field.value is None and app.changes == ["zhang", None]
        assert "所有人" in drawn(field)


async def test_a_click_opens_the_list_and_a_click_on_an_option_chooses():
    app = FieldApp()
    async with app.run_test(size=(60, 20)) as pilot:
        field = app.query_one(ChoiceField)
        await pilot.click(ChoiceField)
        await pilot.pause()
        assert field.has_class("-open")
        choices = app.query_one(ChoiceList)
        assert choices.region.y >= field.region.bottom  # under the field, not over it
        await pilot.click(OptionList, offset=(3, 2))  # the list's border, the prompt, then 张三
        await pilot.pause()
        assert field.value == "zhang" and not field.has_class("-open")


async def test_a_value_not_offered_is_refused_and_one_withdrawn_goes_back_to_the_prompt():
    app = FieldApp()
    async with app.run_test(size=(60, 20)) as pilot:
        field = app.query_one(ChoiceField)
        try:
            field.value = "nobody"
        except ValueError:
            pass
        else:
            raise AssertionError("a value that is not an option was taken")
        field.value = "wang"
        field.set_options(PEOPLE[:2])  # 王五 no longer in the trail's people
        await pilot.pause()
        assert field.value is None and app.changes == ["wang", None]


async def test_a_control_character_in_a_label_is_drawn_visible():
    app = FieldApp()
    async with app.run_test(size=(60, 20)) as pilot:
        field = app.query_one(ChoiceField)
        field.value = "wang"
        await pilot.pause()
        assert "\x1b" not in drawn(field) and shown("王五\x1b[2J") in drawn(field)
        field.value = "zhao"  # a Text label too: a direction mark would reorder what follows
        assert "\u202e" not in drawn(field) and "赵<U+202E>六" in drawn(field)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=5, unique=True))
def test_any_label_from_outside_is_drawn_as_it_is_shown_never_obeyed(labels):
    """Names typed by anyone become labels: whatever they hold, the closed field draws the shown text
    (cut to its width), with no control character and no markup read."""
    field = ChoiceField("所有人")
    field.set_options((label, n) for n, label in enumerate(labels))
    for n, label in enumerate(labels):
        field._value = n
        text = field._label()
        assert text.plain == shown(label) and not text.spans
        assert not any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in text.plain)


async def test_a_letter_typed_in_the_open_list_goes_to_the_next_option_and_is_no_other_key():
    class KeyedApp(FieldApp):
        BINDINGS = [("v", "verify", "")]
        verified = False

        def action_verify(self) -> None:
            self.verified = True

    app = KeyedApp()
    async with app.run_test(size=(60, 20)) as pilot:
        field = app.query_one(ChoiceField)
        field.set_options([(Text("admin"), "admin"), (Text("vol1"), "vol1"), (Text("vol2"), "vol2")])
        await pilot.press("enter", "v")
        assert app.query_one(ChoiceList).highlighted == 2 and not app.verified  # vol1, not the app's key
        await pilot.press("v", "enter")
        await pilot.pause()
        assert field.value == "vol2" and not app.verified
