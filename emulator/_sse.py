"""SSE frames in the two event families of contract §5, byte-for-byte like wire/ captures.

ADK events are compact JSON (no spaces) with the key order ADK's pydantic models
produce; the ``{"error": …}`` frame uses ``json.dumps`` defaults, as the capture shows.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any, Literal

from skillrt.emulator._settings import StreamErrorFormat

__all__ = ["Encoder", "frame", "keepalive"]

_EMPTY_ACTIONS: dict[str, Any] = {
    "stateDelta": {},
    "artifactDelta": {},
    "requestedAuthConfigs": {},
    "requestedToolConfirmations": {},
}
_KEEPALIVES = (b": keep-alive\n\n", b'data: {"type":"heartbeat"}\n\n', b"data:\n\n")


def frame(payload: dict[str, Any], *, compact: bool = True) -> bytes:
    """One ``data: {...}\\n\\n`` frame."""
    separators = (",", ":") if compact else (", ", ": ")
    text = json.dumps(payload, separators=separators, ensure_ascii=False)
    return b"data: " + text.encode() + b"\n\n"


def keepalive(index: int) -> bytes:
    """The ``index``-th keep-alive: a comment, a heartbeat event, an empty data line, …"""
    return _KEEPALIVES[index % len(_KEEPALIVES)]


class Encoder:
    """Turns what the agent does into frames of one family for one invocation."""

    def __init__(self, family: Literal["adk", "simple"], author: str = "nemo_agent") -> None:
        self.family = family
        self.author = author
        self.invocation_id = f"e-{uuid.uuid4()}"

    def _adk(self, head: dict[str, Any], *, author: str | None = None,
             state_delta: dict[str, Any] | None = None) -> bytes:  # fmt: skip
        event = dict(head)
        event["invocationId"] = self.invocation_id
        event["author"] = author or self.author
        event["actions"] = {**_EMPTY_ACTIONS, "stateDelta": state_delta or {}}
        event["nodeInfo"] = {"path": ""}
        event["id"] = str(uuid.uuid4())
        event["timestamp"] = time.time()
        return frame(event)

    def partial(self, text: str) -> bytes:
        """A partial text event carrying only new text (ADK only)."""
        content = {"parts": [{"text": text}], "role": "model"}
        return self._adk({"content": content, "partial": True})

    def text(self, text: str, *, thought: str | None = None, last: bool = False) -> bytes:
        """The whole text of one reply (replaces its partials)."""
        if self.family == "simple":
            return frame({"type": "text", "content": text})
        parts: list[dict[str, Any]] = []
        if thought:
            parts.append({"text": thought, "thought": True})
        parts.append({"text": text})
        head: dict[str, Any] = {"content": {"parts": parts, "role": "model"}}
        if last:
            head["turnComplete"] = True
        return self._adk(head)

    def call(self, call_id: str, name: str, args: dict[str, Any]) -> bytes:
        """A tool call."""
        if self.family == "simple":
            return frame({"type": "tool_call", "name": name, "args": args})
        part = {"functionCall": {"id": call_id, "args": args, "name": name}}
        return self._adk({"content": {"parts": [part], "role": "model"}})

    def result(
        self, call_id: str, name: str, response: dict[str, Any], state_delta: dict[str, Any]
    ) -> bytes:
        """A tool result, with the state change it made."""
        if self.family == "simple":
            return frame({"type": "tool_result", "name": name, "result": response})
        part = {"functionResponse": {"id": call_id, "name": name, "response": response}}
        head = {"content": {"parts": [part], "role": "user"}}
        return self._adk(head, state_delta=state_delta)

    def error(self, style: StreamErrorFormat, message: str) -> bytes:
        """An error inside a 200 stream, in one of the three formats of contract §5."""
        if style == "error_object":
            details = {"error_type": "RuntimeError", "error_message": message,
                       "timestamp": time.time()}  # fmt: skip
            return frame({"error": f"RuntimeError: {message}", "error_details": details},
                         compact=False)  # fmt: skip
        if style == "system_text":
            content = {"parts": [{"text": f"Error: {message}"}], "role": "model"}
            return self._adk({"content": content}, author="system")
        return self._adk({"errorCode": "INTERNAL", "errorMessage": message})
