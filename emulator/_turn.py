"""What the agent decided to do for one message: a list of steps the chat stream plays."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Call", "Say", "Step", "Turn", "Work"]


@dataclass(frozen=True)
class Say:
    """A text reply."""

    text: str


@dataclass(frozen=True)
class Work:
    """Long work: only keep-alives go out for ``seconds``."""

    seconds: float


@dataclass(frozen=True)
class Call:
    """A tool call; ``apply`` changes the session and returns the tool's response."""

    name: str
    args: dict[str, Any]
    apply: Callable[[], dict[str, Any]]


Step = Say | Work | Call


@dataclass
class Turn:
    """The steps of one reply and the credits it needs."""

    language: str
    steps: list[Step] = field(default_factory=list)
    cost: int = 0
    #: the cost is the once-per-session editing charge
    edit_charge: bool = False
    #: an edit whose text may be left out (about 30% of edits end with no text)
    may_be_silent: bool = False
