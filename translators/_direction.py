"""A GUI direction found in one clause, and the shape every rule has."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from skillrt.translators._models import ActionType
from skillrt.translators._text import Clause

__all__ = ["Direction", "Rule"]


@dataclass(frozen=True)
class Direction:
    """A clause that tells the user to work the GUI.

    ``action`` None marks a navigation step ("tap the three dots"): it is removed from the
    text but asks the runtime for nothing by itself.
    """

    action: ActionType | None
    message: str | None = None


#: A rule looks at one clause (in the reply's language) and says whether it is a direction.
Rule = Callable[[Clause, str], Direction | None]
