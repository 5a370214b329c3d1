"""GUI directions in the backend's replies, done instead of by a user at a GUI (§7).

The translators turn "click Export" or "open the Tracks panel" into actions; here they
run in the order the reply announced them: the state and credits are shown, an upload
asks for the file (once per user message), export runs the export flow (at most once per
user message, see :mod:`skillrt.runtime._actions`), an edit is sent as the next message
(at most ``max_followups`` per user message).

Timing: a reply's directions run right after it — a "Here is the timeline:" is followed
by the timeline — except export and edit, which wait for the end of the chat turn (a render
or a new message cannot start before the backend has finished this one). A direction the
same reply announced after an edit waits too, in order: the edit changes what it would
show ("I'll move the title. Here is the timeline:" shows the moved title). Nothing waits
for an export, which changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field

from skillrt.errors import SkillrtError
from skillrt.runtime._actions import Actions
from skillrt.runtime._events import Event
from skillrt.runtime._replies import failure_events, notice
from skillrt.translators import GuiAction

__all__ = ["Directions", "FollowUp", "MessageBudget"]

#: Sends an edit as the next chat message (with the same budget); ``False`` on failure.
FollowUp = Callable[[str, "MessageBudget"], Generator[Event, None, bool]]
#: Directions that cannot run while a chat stream is open.
_AFTER_STREAM = frozenset({"export", "edit"})


@dataclass
class MessageBudget:
    """What the directions of one user message may still do."""

    followups: int
    edits_sent: set[str] = field(default_factory=set)
    asked_for_file: bool = False


class Directions:
    """The directions of one chat turn: run now, or kept (in order) for the stream's end."""

    def __init__(
        self,
        actions: Actions,
        follow_up: FollowUp,
        budget: MessageBudget,
        *,
        gui_export: bool,
    ) -> None:
        self.actions = actions
        self.follow_up = follow_up
        self.budget = budget
        self.gui_export = gui_export
        self.failed = False
        self._waiting: list[GuiAction] = []

    def on_reply(self, actions: list[GuiAction]) -> Generator[Event, None, None]:
        """A reply's directions: run what can run now, keep the rest for :meth:`after_stream`."""
        seen: set[tuple[str, str | None]] = set()
        unique: list[GuiAction] = []
        for action in actions:
            if (action.type, action.message) not in seen:
                seen.add((action.type, action.message))
                unique.append(action)
        after_edit = False
        for action in unique:
            if after_edit or action.type in _AFTER_STREAM:
                self._waiting.append(action)
                after_edit = after_edit or action.type == "edit"
                continue
            try:
                yield from self._run(action)
            except SkillrtError as exc:
                # The stream goes on; the user hears what failed, the message ends not ok.
                self.failed = True
                yield from failure_events(exc, self.actions.client, self.actions.language)

    def after_stream(self) -> Generator[Event, None, bool]:
        """Run the directions kept for the end of the stream; ``False`` when one failed."""
        waiting, self._waiting = self._waiting, []
        for action in waiting:
            if not (yield from self._run(action)):
                return False
        return not self.failed

    def _run(self, action: GuiAction) -> Generator[Event, None, bool]:
        language = self.actions.language
        if action.type == "state":
            yield from self.actions.state()
        elif action.type == "credits":
            yield self.actions.credits()
        elif action.type == "upload" and not self.budget.asked_for_file:
            self.budget.asked_for_file = True
            # The reply already asks for the file (the translators word it): add only how.
            yield notice("conv_how_to_attach", language)
        elif action.type == "export" and self.gui_export:
            return (yield from self.actions.export())
        elif action.type == "edit" and action.message:
            return (yield from self._edit(action.message))
        return True

    def _edit(self, message: str) -> Generator[Event, None, bool]:
        budget = self.budget
        if budget.followups <= 0 or message in budget.edits_sent:
            return True
        budget.followups -= 1
        budget.edits_sent.add(message)
        yield notice("conv_applying_edit", self.actions.language, message=message)
        return (yield from self.follow_up(message, budget))
