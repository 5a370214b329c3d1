"""The chat stream: ADK events exactly like the captures in contract/wire, and the agent."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from emulator_helpers import (
    chat_raw,
    client_for,
    data_events,
    final_texts,
    new_session,
    state,
)

from skillrt.emulator.testing import RunningEmulator, run_emulator

WIRE = Path("/work/shared/contract/wire")
_FRAME = re.compile(rb"(?:data: \{.*?\}\n\n|data:\n\n|: [^\n]*\n\n)", re.S)


def _wire_events(name: str) -> list[dict[str, Any]]:
    text = (WIRE / name).read_text()
    return [json.loads(line[6:]) for line in text.splitlines() if line.startswith("data: {")]


def _kind(event: dict[str, Any]) -> str:
    if "errorCode" in event:
        return "error"
    parts = event.get("content", {}).get("parts", [{}])
    if "functionCall" in parts[0]:
        return "call"
    if "functionResponse" in parts[0]:
        return "response"
    if event.get("partial"):
        return "partial"
    return "complete" if event.get("turnComplete") else "text"


def _shape(value: Any) -> Any:
    """Keys (in order) all the way down; leaves reduced to their type."""
    if isinstance(value, dict):
        return [(k, _shape(v)) for k, v in value.items()
                if k not in ("args", "response", "stateDelta")]  # fmt: skip
    if isinstance(value, list):
        return [_shape(v) for v in value[:1]]
    return type(value).__name__


@pytest.fixture(scope="module")
def emu() -> Iterator[RunningEmulator]:
    """One emulator with fast timings; every edit answers with text unless a test says."""
    with run_emulator(silent_edit_ratio=0.0) as running:
        yield running


@pytest.fixture
def client(emu: RunningEmulator) -> Iterator[httpx.Client]:
    """A client on the API origin."""
    with client_for(emu) as c:
        yield c


def _wire_shapes() -> dict[str, Any]:
    shapes: dict[str, Any] = {}
    for name in ("adk_run_sse_stream.http", "adk_event_shapes.sse"):
        for event in _wire_events(name):
            shapes.setdefault(_kind(event), _shape(event))
    return shapes


def test_adk_stream_matches_capture_headers_and_framing(
    emu: RunningEmulator, client: httpx.Client
) -> None:
    """Content type, frames `data: {json}\\n\\n` (or keep-alives) and nothing else."""
    token = emu.issue_token()
    session_id = new_session(client, token)
    head, raw = chat_raw(client, token, session_id, "generate a 2-second video about tea",
                         streaming=True)  # fmt: skip
    capture = (WIRE / "adk_run_sse_stream.http").read_text()
    assert f"content-type: {head['content-type']}" in capture
    assert head["content-type"] == "text/event-stream; charset=utf-8"
    assert "event:" not in raw.decode()
    assert "\nid:" not in raw.decode()
    assert _FRAME.sub(b"", raw) == b""
    assert raw.endswith(b"\n\n")


def test_adk_events_have_the_captured_keys_in_order(
    emu: RunningEmulator, client: httpx.Client
) -> None:
    """Partial, functionCall, functionResponse, text and turnComplete events: same keys, order."""
    token = emu.issue_token()
    session_id = new_session(client, token)
    _, raw = chat_raw(client, token, session_id, "generate a 2-second video about tea",
                      streaming=True)  # fmt: skip
    wire = _wire_shapes()
    seen: dict[str, Any] = {}
    for event in data_events(raw):
        if event.get("type") == "heartbeat":
            continue
        seen.setdefault(_kind(event), _shape(event))
    assert set(seen) == {"partial", "call", "response", "text", "complete"}
    for kind, shape in seen.items():
        assert shape == wire[kind], kind


def test_partials_then_whole_text(emu: RunningEmulator, client: httpx.Client) -> None:
    """With streaming, partial events carry pieces and the final event the whole text."""
    token = emu.issue_token()
    session_id = new_session(client, token)
    _, raw = chat_raw(client, token, session_id, "hello there", streaming=True)
    events = data_events(raw)
    partial = "".join(e["content"]["parts"][0]["text"] for e in events if e.get("partial"))
    whole = final_texts(events)
    assert whole == [partial]
    assert "generate" in partial


def test_no_partials_without_streaming(emu: RunningEmulator, client: httpx.Client) -> None:
    """Without "streaming": true only whole texts are sent."""
    token = emu.issue_token()
    session_id = new_session(client, token)
    _, raw = chat_raw(client, token, session_id, "hello there")
    assert not [e for e in data_events(raw) if e.get("partial")]


def test_function_response_carries_state_delta(emu: RunningEmulator, client: httpx.Client) -> None:
    """Each functionResponse reports the new draft version in actions.stateDelta."""
    token = emu.issue_token()
    session_id = new_session(client, token)
    _, raw = chat_raw(client, token, session_id, "generate a 2-second video about tea")
    versions = [e["actions"]["stateDelta"]["draft_version"] for e in data_events(raw)
                if _kind(e) == "response"]  # fmt: skip
    assert versions == [1, 2, 3]
    assert state(client, token, session_id)["draft_version"] == 3


def test_keepalives_during_long_work() -> None:
    """Long work sends `:` comments, heartbeat events and empty data lines."""
    with (
        run_emulator(generation_seconds=0.5, keepalive_seconds=0.05) as emu,
        client_for(emu) as client,
    ):
        token = emu.issue_token()
        session_id = new_session(client, token)
        _, raw = chat_raw(client, token, session_id, "generate a 1-second video about tea")
    assert b": keep-alive\n\n" in raw
    assert b'data: {"type":"heartbeat"}\n\n' in raw
    assert b"data:\n\n" in raw


def test_simple_event_family() -> None:
    """event_family="simple" sends text/tool_call/tool_result/heartbeat typed events."""
    with (
        run_emulator(event_family="simple", generation_seconds=0.3) as emu,
        client_for(emu) as client,
    ):
        token = emu.issue_token()
        session_id = new_session(client, token)
        _, raw = chat_raw(client, token, session_id, "generate a 1-second video about tea",
                          streaming=True)  # fmt: skip
    events = data_events(raw)
    types = {e["type"] for e in events}
    assert types == {"text", "tool_call", "tool_result", "heartbeat"}
    call = next(e for e in events if e["type"] == "tool_call")
    assert set(call) == {"type", "name", "args"}
    result = next(e for e in events if e["type"] == "tool_result")
    assert set(result) == {"type", "name", "result"}
    assert all(set(e) == {"type", "content"} for e in events if e["type"] == "text")


def test_silent_edits_are_seeded_and_about_thirty_percent() -> None:
    """With the default ratio some edits end with no text; the same seed repeats the pattern."""

    def pattern(seed: int) -> list[bool]:
        with run_emulator(seed=seed) as emu, client_for(emu) as client:
            token = emu.issue_token(credits=10_000)
            session_id = new_session(client, token)
            chat_raw(client, token, session_id, "generate a 1-second video about tea")
            silent = []
            for i in range(20):
                _, raw = chat_raw(client, token, session_id, f"add music at {i + 10}%")
                events = data_events(raw)
                assert any(_kind(e) == "call" for e in events)
                silent.append(not final_texts(events))
            return silent

    first = pattern(7)
    assert first == pattern(7)
    assert 2 <= sum(first) <= 12


def test_chinese_message_gets_chinese_reply(emu: RunningEmulator, client: httpx.Client) -> None:
    """A Chinese request is answered in Chinese with GUI wording (点击导出)."""
    token = emu.issue_token()
    session_id = new_session(client, token, language="zh")
    _, raw = chat_raw(client, token, session_id, "生成一段10秒的关于咖啡品牌的视频")
    texts = final_texts(data_events(raw))
    assert "点击导出" in texts[-1]
    draft = state(client, token, session_id)["state"]["draft"]
    assert draft["d"] == 10000
    assert draft["m"]["title"] == "咖啡品牌"
