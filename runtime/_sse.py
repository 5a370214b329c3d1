"""Read the chat stream (``/run_sse``): raw bytes in, typed stream items out (pure, no I/O).

The bytes go through sseclient-py exactly as they arrive (``response.iter_bytes()``), never
through a line splitter that knows Unicode: ADK writes U+2028 raw inside its JSON, and
``str.splitlines`` would cut a frame there. Two payload families are understood (contract
§5): ADK events (``content.parts`` with text, thought, functionCall, functionResponse;
``partial``; ``actions.stateDelta``; ``errorCode``) and the simplified typed events
(``{"type": "text"|"tool_call"|"tool_result"|"heartbeat"}``). Keep-alives (``:`` comments,
empty ``data:`` lines, heartbeats) become :class:`KeepAlive` items so a consumer regains
control while the backend works silently. Nothing here raises on bad input: a frame that
is not JSON becomes a :class:`BadFrame` and the stream goes on.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import sseclient

__all__ = [
    "BadFrame",
    "KeepAlive",
    "StateDelta",
    "StreamFailure",
    "StreamItem",
    "TextAssembler",
    "TextDelta",
    "TextFinal",
    "ToolCall",
    "ToolResult",
    "parse_payload",
    "parse_stream",
]


@dataclass(frozen=True, slots=True)
class TextDelta:
    """New text of a reply still being written (ADK ``partial: true``)."""

    text: str
    author: str = ""


@dataclass(frozen=True, slots=True)
class TextFinal:
    """A whole message from ``author``; it replaces the partial text shown so far.

    ``complete``: the event said the agent's turn ends here (ADK ``turnComplete``).
    """

    text: str
    author: str = ""
    complete: bool = False


@dataclass(frozen=True, slots=True)
class ToolCall:
    """The backend's agent called a tool (kept internal; used for progress)."""

    name: str
    args: Mapping[str, Any] = field(default_factory=dict)
    id: str = ""


@dataclass(frozen=True, slots=True)
class ToolResult:
    """A tool's answer to the backend's agent (kept internal; used for progress)."""

    name: str
    response: Any = None
    id: str = ""


@dataclass(frozen=True, slots=True)
class StateDelta:
    """A non-empty ``actions.stateDelta``: the session state changed."""

    delta: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class KeepAlive:
    """Bytes arrived that carry nothing to show: a comment, an empty event, a heartbeat."""

    kind: str = "comment"


@dataclass(frozen=True, slots=True)
class StreamFailure:
    """An error reported inside a 200 stream, in any of the three formats or ``errorCode``."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class BadFrame:
    """A frame that is not a JSON object (truncated, or garbage); ``preview`` is its start."""

    preview: str
    reason: str


StreamItem = (
    TextDelta
    | TextFinal
    | ToolCall
    | ToolResult
    | StateDelta
    | KeepAlive
    | StreamFailure
    | BadFrame
)

# An event name no backend sends (the contract's streams carry no ``event:`` field), so a
# marker can never be confused with a frame of the stream.
_MARKER_NAME = "skillrt-keepalive-marker"
_MARKER = b"event: " + _MARKER_NAME.encode() + b"\ndata: -\n\n"
_TERMINATORS = (b"\r\r", b"\n\n", b"\r\n\r\n")
_PREVIEW = 80
_decode = json.JSONDecoder().decode


class _Feed:
    """The bytes sseclient reads: BOM stripped, bad UTF-8 replaced, markers at quiet points.

    sseclient drops comments and empty events without returning control, so after a chunk
    that completed no event and ended on an event boundary a marker event is inserted;
    ``parse_stream`` turns it into a :class:`KeepAlive`. A marker goes only where
    sseclient's buffer holds nothing but blank lines, so it can never merge with a frame.
    """

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = chunks
        self.dispatched = 0

    def __iter__(self) -> Iterator[bytes]:
        # utf-8-sig strips a BOM even when it is split across chunks; errors="replace"
        # keeps one bad byte from ending the whole stream.
        decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
        tail = b""
        for raw in self._chunks:
            chunk = decoder.decode(raw).encode("utf-8") if raw else b""
            if not chunk:
                continue
            seen = self.dispatched
            yield chunk
            tail = (tail + chunk[-4:])[-4:]
            if self.dispatched == seen and tail.endswith(_TERMINATORS):
                yield _MARKER
        rest = decoder.decode(b"", final=True).encode("utf-8")
        if rest:
            yield rest


def parse_stream(chunks: Iterable[bytes]) -> Iterator[StreamItem]:
    """Every item of the SSE byte stream ``chunks``, in order (never raises on bad input)."""
    feed = _Feed(chunks)
    for event in sseclient.SSEClient(iter(feed)).events():
        if event.event == _MARKER_NAME:
            yield KeepAlive("comment")
            continue
        feed.dispatched += 1
        items = parse_payload(event.data)
        if not items:
            yield KeepAlive("empty")
        yield from items


def parse_payload(data: str) -> list[StreamItem]:
    """The items of one ``data:`` payload (an ADK event or a simplified typed event)."""
    if not data.strip():
        return [KeepAlive("empty")]
    try:
        payload = _decode(data)
    except (ValueError, RecursionError) as exc:
        return [BadFrame(data[:_PREVIEW], f"not JSON: {type(exc).__name__}")]
    if not isinstance(payload, dict):
        return [BadFrame(data[:_PREVIEW], f"a JSON {type(payload).__name__}, not an object")]
    if isinstance(payload.get("type"), str) and not isinstance(payload.get("content"), dict):
        return _simple_event(payload, data)
    return _adk_event(payload)


def _simple_event(payload: dict[str, Any], data: str) -> list[StreamItem]:
    kind = payload.get("type")
    if kind == "heartbeat":
        return [KeepAlive("heartbeat")]
    if kind == "text":
        text = _text(payload.get("content", payload.get("text")))
        if payload.get("partial"):
            return [TextDelta(text)]
        return [TextFinal(text)] if text else []
    if kind == "tool_call":
        return [ToolCall(_text(payload.get("name")), _mapping(payload.get("args")))]
    if kind == "tool_result":
        return [ToolResult(_text(payload.get("name")), payload.get("result"))]
    if kind == "error":
        return [_failure(payload.get("code"), payload.get("message") or payload.get("error"))]
    if "error" in payload:
        return _error_object(payload)
    return [BadFrame(data[:_PREVIEW], f"unknown event type {kind!r}")]


def _adk_event(payload: dict[str, Any]) -> list[StreamItem]:
    if "error" in payload and "content" not in payload:
        return _error_object(payload)
    items: list[StreamItem] = []
    content = payload.get("content")
    parts = content.get("parts") if type(content) is dict else None
    text = ""
    if type(parts) is list:
        for part in parts:
            if type(part) is not dict or part.get("thought"):
                continue
            piece = part.get("text")
            if type(piece) is str:
                text += piece
            elif piece is None:  # only a part without text can carry a call or a response
                _tool_part(part, items)
    if text:
        author = _text(payload.get("author"))
        if author == "system" and text.lstrip().startswith("Error"):
            items.append(_failure("system", text.lstrip().removeprefix("Error").lstrip(": ")))
        elif payload.get("partial"):
            items.append(TextDelta(text, author))
        else:
            items.append(TextFinal(text, author, payload.get("turnComplete") is True))
    elif payload.get("turnComplete") is True:
        items.append(TextFinal("", _text(payload.get("author")), True))
    actions = payload.get("actions")
    delta = actions.get("stateDelta") if type(actions) is dict else None
    if delta and type(delta) is dict:
        items.append(StateDelta(delta))
    if payload.get("errorCode") is not None:
        items.append(_failure(payload["errorCode"], payload.get("errorMessage")))
    return items


def _tool_part(part: dict[str, Any], items: list[StreamItem]) -> None:
    call = part.get("functionCall")
    if isinstance(call, dict):
        name, args, ident = _text(call.get("name")), _mapping(call.get("args")), call.get("id")
        items.append(ToolCall(name, args, _text(ident)))
    result = part.get("functionResponse")
    if isinstance(result, dict):
        name, ident = _text(result.get("name")), _text(result.get("id"))
        items.append(ToolResult(name, result.get("response"), ident))


def _error_object(payload: Mapping[str, Any]) -> list[StreamItem]:
    details = payload.get("error_details")
    code = details.get("error_type") if isinstance(details, dict) else None
    if isinstance(details, dict) and details.get("code") is not None:
        code = details["code"]
    return [
        _failure(code if code is not None else payload.get("code", "error"), payload.get("error"))
    ]


def _failure(code: Any, message: Any) -> StreamFailure:
    return StreamFailure(str(code) if code is not None else "error", _text(message))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


@dataclass
class TextAssembler:
    """The reply text so far: partial text grows, and a final message replaces it.

    With partial streaming, ``partial`` events carry only new text and the next
    non-partial event from the same author carries the whole message, which replaces
    what was shown (contract §5). Messages without partials are kept in order.
    """

    messages: list[str] = field(default_factory=list)
    _partial: dict[str, str] = field(default_factory=dict)

    def feed(self, item: StreamItem) -> bool:
        """Take ``item`` into account; ``True`` when the visible text changed."""
        if isinstance(item, TextDelta):
            if not item.text:
                return False
            self._partial[item.author] = self._partial.get(item.author, "") + item.text
            return True
        if isinstance(item, TextFinal):
            replaced = self._partial.pop(item.author, None)
            if item.text.strip():
                self.messages.append(item.text)
                return True
            return bool(replaced)
        return False

    @property
    def pending(self) -> str:
        """Partial text not yet replaced by a final message."""
        return "".join(self._partial.values())

    @property
    def text(self) -> str:
        """Every message so far, then any partial text, separated by blank lines."""
        parts = [*self.messages, *(p for p in self._partial.values() if p.strip())]
        return "\n\n".join(part.strip() for part in parts)
