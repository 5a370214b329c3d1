"""GUI directions in the backend's replies, done instead of by a user at a GUI (§7).

The translators turn "click Export" or "open the Tracks panel" into actions; here they
run: the state and credits are shown, export runs the export flow, an edit is sent as the
next message (at most ``max_followups`` per user message), an upload asks for the file.
"""

from __future__ import annotations

from collections.abc import Callable, Generator

from skillrt.runtime._actions import Actions
from skillrt.runtime._events import Event
from skillrt.runtime._replies import notice
from skillrt.translators import GuiAction

__all__ = ["Directions", "FollowUp"]

#: Sends an edit as the next chat message: ``(text, followups left, done keys)``.
FollowUp = Callable[[str, int, set[str]], Generator[Event, None, bool]]


class Directions:
    """Runs one reply's GUI actions, each kind once per user message."""

    def __init__(self, actions: Actions, follow_up: FollowUp, *, gui_export: bool) -> None:
        self.actions = actions
        self.follow_up = follow_up
        self.gui_export = gui_export

    def run(
        self, actions: list[GuiAction], followups: int, done: set[str]
    ) -> Generator[Event, None, bool]:
        """Do what the reply's directions asked; ``False`` when something failed."""
        language = self.actions.language
        for action in actions:
            key = action.type if action.type != "edit" else f"edit:{action.message}"
            if key in done:
                continue
            done.add(key)
            if action.type == "state":
                yield from self.actions.state()
            elif action.type == "credits":
                yield self.actions.credits()
            elif action.type == "upload":
                yield notice("conv_ask_file", language)
            elif action.type == "export" and self.gui_export:
                if not (yield from self.actions.export()):
                    return False
            elif action.type == "edit" and action.message and followups > 0:
                followups -= 1
                yield notice("conv_applying_edit", language, message=action.message)
                if not (yield from self.follow_up(action.message, followups, done)):
                    return False
        return True
