"""The conversation's own words: messages in the user's language and errors as events.

Every failure reaches the user as an :class:`ErrorEvent`: a sentence, what to do next,
and the exit code ``skillrt send`` uses. Errors skillrt raised on purpose are already
worded (the backend client words them in the session's language); anything else is
logged with its traceback and shown as one generic sentence, never as a stack trace.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from skillrt.errors import (
    BackendError,
    ConfigError,
    CreditsError,
    InputError,
    ManifestError,
    RenderError,
    RoutingError,
    SkillrtError,
    StoreError,
    StreamError,
    TransportError,
)
from skillrt.log import get_logger, redact_text
from skillrt.runtime._client import BackendClient
from skillrt.runtime._envelope import messages
from skillrt.runtime._events import ErrorEvent, Event, LinkEvent, ProgressEvent, TextEvent
from skillrt.runtime._sse import StreamFailure

__all__ = [
    "backend_detail",
    "error_event",
    "failure_events",
    "notice",
    "say",
    "stream_failure_event",
    "unexpected_error_event",
]

_log = get_logger(__name__)
_DETAIL_LIMIT = 300

_KINDS: tuple[tuple[type[SkillrtError], str], ...] = (
    (StreamError, "stream"),
    (RenderError, "render"),
    (BackendError, "backend"),
    (InputError, "input"),
    (ConfigError, "config"),
    (TransportError, "network"),
    (StoreError, "store"),
    (ManifestError, "manifest"),
    (RoutingError, "routing"),
)


def say(name: str, language: str, /, **context: Any) -> str:
    """Message ``name`` of the runtime catalog in ``language``."""
    return messages().render(name, language, **context)


def notice(name: str, language: str, /, **context: Any) -> TextEvent:
    """A runtime notice (not the backend's words) as a text event."""
    return TextEvent(text=say(name, language, **context), kind="notice")


def working(name: str, language: str, /, **context: Any) -> ProgressEvent:
    """A "the backend is working" progress event."""
    return ProgressEvent(stage="working", message=say(name, language, **context))


def _code(exc: SkillrtError) -> str:
    code = getattr(exc, "code", None)
    if code is not None and str(code).strip():
        return str(code)
    for kind, name in _KINDS:
        if isinstance(exc, kind):
            return name
    return "error"


def error_event(exc: SkillrtError, *, retryable: bool = False) -> ErrorEvent:
    """``exc`` as an event: its (already worded) message, its hint and its exit code."""
    return ErrorEvent(
        code=_code(exc),
        message=redact_text(exc.message)[:_DETAIL_LIMIT],
        hint=redact_text(exc.hint or "")[:_DETAIL_LIMIT],
        exit_code=exc.exit_code,
        retryable=retryable,
    )


def unexpected_error_event(exc: BaseException, language: str) -> ErrorEvent:
    """A bug or an unmapped third-party error: logged in full, shown as one sentence."""
    _log.error("conversation.unexpected_error", error=type(exc).__name__, exc_info=exc)
    return ErrorEvent(
        code="internal",
        message=say("conv_unexpected", language),
        hint=say("conv_hint_unexpected", language),
        exit_code=1,
    )


def backend_detail(text: str) -> str:
    """A backend's error words fit to show: one line, short, no token, no traceback."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines or any(line.startswith(("Traceback", 'File "')) for line in lines):
        return ""
    return redact_text(lines[-1])[:200]


def failure_events(exc: SkillrtError, client: BackendClient, language: str) -> Iterator[Event]:
    """``exc`` for the user: out of credits gives anonymous users the registration link."""
    if isinstance(exc, CreditsError) and client.auth.anonymous:
        link = client.bind_link(exc.bind_id)
        hint = say("hint_credits_anonymous", language, link=link)
        yield error_event(CreditsError(exc.message, hint=hint, bind_id=exc.bind_id))
        yield LinkEvent(url=link, kind="bind")
        return
    if isinstance(exc, CreditsError) and not exc.hint:
        exc = CreditsError(exc.message, hint=say("hint_credits_registered", language))
    yield error_event(exc)


def stream_failure_event(failure: StreamFailure, language: str) -> ErrorEvent:
    """An error the backend reported inside a chat stream; the user may say "retry"."""
    return ErrorEvent(
        code=failure.code or "stream",
        message=say("conv_stream_error", language, detail=backend_detail(failure.message)),
        hint=say("conv_hint_retry", language),
        exit_code=5,
        retryable=True,
    )
