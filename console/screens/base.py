"""The base classes of cmdpost's screens and dialogs. At run time they are Textual's Screen and
ModalScreen; for the type checker their ``app`` is the CmdpostApp, so a screen's use of
``self.app.config`` or ``self.app.database`` is checked instead of being ``Any``."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from console.app import CmdpostApp

ResultT = TypeVar("ResultT")


class PostScreen(Screen[ResultT]):
    """A full screen of the console."""

    app: CmdpostApp  # an annotation only: Textual sets the attribute


class PostDialog(ModalScreen[ResultT]):
    """A dialog over a screen of the console."""

    app: CmdpostApp  # an annotation only: Textual sets the attribute
