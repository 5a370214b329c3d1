"""A GUI direction found in one clause, and the shape every rule has."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from skillrt.translators._models import ActionType
from skillrt.translators._text import Clause

__all__ = ["PROGRESS", "Direction", "Note", "Rule"]

#: What to say, with no action, in place of a direction the runtime must not act on:
#: ``progress`` — "watch the progress bar" (skillrt reports progress itself);
#: ``offer`` — "you can drag it to change its timing" (the user asked for nothing yet).
Note = Literal["progress", "offer"]


@dataclass(frozen=True)
class Direction:
    """A clause that tells the user to work the GUI.

    ``action`` None marks a navigation step ("tap the three dots"): it is removed from the
    text but asks the runtime for nothing by itself — unless it has a ``note``, a sentence
    said in its place. ``topic`` is what an offer is about, in the clause's own words
    ("change its timing", "调整顺序"); ``thing`` what would be moved ("the title", "标题");
    ``words`` the language they are in; ``options`` the choices a sub-step of an export named
    ("1080P", "the MP4 preset"), said in the sentence put in its place.
    """

    action: ActionType | None
    message: str | None = None
    note: Note | None = None
    topic: str | None = None
    thing: str | None = None
    words: str = "en"
    options: str | None = None
    #: Where the reply says what the direction is for, when that names content ("save your
    #: 12-second clip", "查看你上传的4个片段"): those words go with the sentence put in its place.
    purpose: tuple[int, int] | None = None
    #: Where the reply names what to upload ("your logo", "你的标志"): sent in its words.
    upload_of: tuple[int, int] | None = None
    #: The clause is a fact the user needs ("You're out of credits", "积分不足"): it stays as
    #: written and the sentence for the action follows it.
    stays: bool = False


#: A rule looks at one clause (in the reply's language) and says whether it is a direction.
Rule = Callable[[Clause, str], Direction | None]


#: "Watch the progress bar": said as "I'll let you know when it's ready", no action.
PROGRESS = Direction(None, note="progress")
