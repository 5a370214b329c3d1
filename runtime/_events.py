"""What a conversation tells its host: typed events, one per thing to show.

``Conversation.send`` yields these, in order, and always ends with a :class:`DoneEvent`.
Each is a frozen pydantic model with a ``type`` tag, so ``event.model_dump_json()`` is one
line of ``skillrt send --json`` and :data:`EVENT_ADAPTER` reads such a line back. Text in
events is already in the user's language and never holds a token or a raw backend answer.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

__all__ = [
    "EVENT_ADAPTER",
    "DoneEvent",
    "ErrorEvent",
    "Event",
    "LinkEvent",
    "MediaEvent",
    "ProgressEvent",
    "TextEvent",
]


class _Event(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ProgressEvent(_Event):
    """Work under way: the backend still working, upload bytes, render percent, recovery."""

    type: Literal["progress"] = "progress"
    stage: Literal["working", "upload", "render", "download", "recovery"]
    message: str = Field(description="A sentence to show, e.g. '⏳ Still working...'.")
    done: int | None = Field(default=None, description="Bytes sent so far (upload, download).")
    total: int | None = Field(default=None, description="Bytes in all (upload, download).")
    percent: float | None = Field(default=None, description="0-100 when known (render, upload).")
    elapsed_s: float | None = Field(default=None, description="Seconds since the work started.")


class TextEvent(_Event):
    """Words for the user.

    ``partial`` events carry the reply written so far, each replacing the previous one (a
    host that does not stream text can ignore them); a non-partial event is a whole
    message. ``kind`` says where it comes from: the backend's ``reply`` (GUI directions
    already turned into actions), a ``changes`` report, a ``timeline`` summary,
    ``credits``, or a runtime ``notice``.
    """

    type: Literal["text"] = "text"
    text: str
    kind: Literal["reply", "changes", "timeline", "credits", "notice"] = "reply"
    partial: bool = False


class MediaEvent(_Event):
    """A finished video on disk (and where it was downloaded from)."""

    type: Literal["media"] = "media"
    path: str
    url: str | None = None
    size: int = Field(description="Bytes on disk.")
    duration_s: float | None = None
    message: str = ""


class LinkEvent(_Event):
    """A web page for the user: the project (task) page, a claim or a registration link."""

    type: Literal["link"] = "link"
    url: str
    kind: Literal["task", "claim", "bind"] = "task"
    message: str = ""


class ErrorEvent(_Event):
    """Something failed: a sentence in the user's language and what to do next."""

    type: Literal["error"] = "error"
    code: str = Field(description="The backend's code (e.g. '2001') or skillrt's own name.")
    message: str
    hint: str = Field(default="", description="What to do next.")
    exit_code: int = Field(default=5, description="What `skillrt send` exits with for this error.")
    retryable: bool = False


class DoneEvent(_Event):
    """The message is handled; ``ok`` is false when an :class:`ErrorEvent` came before."""

    type: Literal["done"] = "done"
    ok: bool = True
    actions: tuple[str, ...] = Field(default=(), description="The actions run, in order.")
    session_id: str | None = None


Event = Annotated[
    ProgressEvent | TextEvent | MediaEvent | LinkEvent | ErrorEvent | DoneEvent,
    Field(discriminator="type"),
]

#: Reads an event back from its JSON (``EVENT_ADAPTER.validate_json(line)``).
EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)
