"""The values the GUI translator returns: what to show and what the runtime should do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

__all__ = ["ACTION_TYPES", "ActionType", "GuiAction", "Translation"]

ActionType = Literal["export", "state", "credits", "upload", "edit"]

#: Every action type, in the order the contract lists them.
ACTION_TYPES: tuple[ActionType, ...] = get_args(ActionType)


@dataclass(frozen=True)
class GuiAction:
    """One thing the backend told the user to do in its GUI, for the runtime to do instead.

    ``message`` is the chat message to send for an ``edit``; ``source`` is the backend's
    own words that asked for it.
    """

    type: ActionType
    message: str | None = None
    source: str = ""

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form: ``type``, plus ``message`` and ``source`` when present."""
        data: dict[str, str] = {"type": self.type}
        if self.message is not None:
            data["message"] = self.message
        if self.source:
            data["source"] = self.source
        return data


@dataclass(frozen=True)
class Translation:
    """A backend reply rewritten for a chat user, and the actions its GUI directions ask for."""

    text: str
    actions: tuple[GuiAction, ...] = ()

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form: ``{"text": …, "actions": [{"type": …}, …]}``."""
        return {"text": self.text, "actions": [action.to_dict() for action in self.actions]}
