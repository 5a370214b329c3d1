"""The chat stream parser on the real ADK captures and on every shape the contract lists."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillrt.runtime._sse import (
    BadFrame,
    KeepAlive,
    StateDelta,
    StreamFailure,
    StreamItem,
    TextAssembler,
    TextDelta,
    TextFinal,
    ToolCall,
    ToolResult,
    parse_payload,
    parse_stream,
)

WIRE = Path("/work/shared/contract/wire")
if not WIRE.is_dir():  # a checkout elsewhere keeps a copy next to the tests
    WIRE = Path(__file__).parent / "data" / "wire"


def _body(name: str) -> bytes:
    raw = (WIRE / name).read_bytes()
    if name.endswith(".http"):
        return raw.split(b"\r\n\r\n", 1)[1]
    return raw


def _content(items: list[StreamItem]) -> list[StreamItem]:
    """Items without the keep-alive markers, whose number depends on chunking."""
    return [item for item in items if not isinstance(item, KeepAlive)]


def _splits(data: bytes) -> Iterator[list[bytes]]:
    for cut in range(len(data) + 1):
        yield [data[:cut], data[cut:]]


def test_stream_capture_items() -> None:
    """The captured ADK stream gives two deltas, a tool call, its result, a state delta, a final."""
    items = _content(list(parse_stream([_body("adk_run_sse_stream.http")])))
    assert items == [
        TextDelta("Hello ", "nemo_agent"),
        TextDelta("world", "nemo_agent"),
        ToolCall("render", {"q": "high"}, "fc-1"),
        ToolResult("render", {"status": "queued"}, "fc-1"),
        StateDelta({"draft_version": 2}),
        TextFinal("Hello world", "nemo_agent"),
    ]


def test_final_text_replaces_partials() -> None:
    """Partial text is shown as it grows and the final message replaces it, not appends."""
    assembler = TextAssembler()
    shown = []
    for item in parse_stream([_body("adk_run_sse_stream.http")]):
        if assembler.feed(item):
            shown.append(assembler.text)
    assert shown == ["Hello", "Hello world", "Hello world"]
    assert assembler.text == "Hello world"
    assert assembler.pending == ""


@pytest.mark.parametrize(
    "name", ["adk_run_sse_stream.http", "adk_event_shapes.sse", "adk_run_sse_error.http"]
)
def test_every_chunk_boundary_gives_the_same_items(name: str) -> None:
    """Splitting a real capture at any byte gives the same items as reading it whole."""
    body = _body(name)
    whole = _content(list(parse_stream([body])))
    assert whole
    for chunks in _splits(body):
        assert _content(list(parse_stream(chunks))) == whole
    assert _content(list(parse_stream([bytes([b]) for b in body]))) == whole


def test_event_shapes_capture() -> None:
    """Thought parts are dropped, errorCode is a failure, the final keeps only visible text."""
    items = _content(list(parse_stream([_body("adk_event_shapes.sse")])))
    assert items == [
        TextDelta("Cutting the ", "nemo_agent"),
        ToolCall("trim_clip", {"start": 1.5}, "adk-1"),
        ToolResult("trim_clip", {"ok": True}, "adk-1"),
        StateDelta({"draft_version": 3}),
        StreamFailure("MAX_TOKENS", "truncated"),
        TextFinal("Done.", "nemo_agent", complete=True),
    ]
    assert all("thinking" not in str(item) for item in items)


def test_error_object_capture() -> None:
    """The ``{"error", "error_details"}`` format becomes a failure with its type as code."""
    items = _content(list(parse_stream([_body("adk_run_sse_error.http")])))
    assert items == [StreamFailure("ValueError", "ValueError: simulated failure")]


def test_system_error_text() -> None:
    """An event from author "system" whose text starts with "Error:" is a failure, not text."""
    frame = {"content": {"parts": [{"text": "Error: quota exceeded"}]}, "author": "system"}
    assert parse_payload(json.dumps(frame)) == [StreamFailure("system", "quota exceeded")]


def test_bom_split_anywhere_is_stripped() -> None:
    """A leading BOM is removed even when it arrives split across chunks."""
    body = b"\xef\xbb\xbf" + _body("adk_run_sse_stream.http")
    whole = _content(list(parse_stream([_body("adk_run_sse_stream.http")])))
    for cut in range(1, 4):
        assert _content(list(parse_stream([body[:cut], body[cut:]]))) == whole


def test_line_separator_inside_json_is_kept() -> None:
    """A raw U+2028 inside a JSON string does not cut the frame (why iter_lines is not used)."""
    text = "line one\u2028line two\u2029end\x85"
    frame = json.dumps({"content": {"parts": [{"text": text}]}, "author": "a"}, ensure_ascii=False)
    data = f"data: {frame}\n\n".encode()
    assert b"\xe2\x80\xa8" in data
    for chunks in _splits(data):
        assert _content(list(parse_stream(chunks))) == [TextFinal(text, "a")]


def test_truncated_frame_is_reported_and_stream_goes_on() -> None:
    """A truncated JSON frame becomes a BadFrame; the frames after it are still read."""
    data = b'data: {"content":{"parts":[{"text":"hal\n\ndata: {"type":"text","content":"ok"}\n\n'
    assert _content(list(parse_stream([data]))) == [
        BadFrame('{"content":{"parts":[{"text":"hal', "not JSON: JSONDecodeError"),
        TextFinal("ok"),
    ]


def test_unterminated_last_frame_is_reported() -> None:
    """A stream cut mid-frame reports the piece it got instead of crashing."""
    items = list(parse_stream([b'data: {"type":"text","content":"a"}\n\ndata: {"ty']))
    assert items[0] == TextFinal("a")
    assert isinstance(items[-1], BadFrame)


def test_non_object_json_is_a_bad_frame() -> None:
    """JSON that is not an object (a list, a number) is reported, not trusted."""
    assert isinstance(parse_payload("[1, 2]")[0], BadFrame)
    assert isinstance(parse_payload("42")[0], BadFrame)


def test_invalid_utf8_is_replaced() -> None:
    """A byte that is not UTF-8 is replaced and does not end the stream."""
    data = b'data: {"type":"text","content":"caf\xff"}\n\ndata: {"type":"text","content":"b"}\n\n'
    assert _content(list(parse_stream([data]))) == [TextFinal("caf\ufffd"), TextFinal("b")]


def test_keepalives_return_control() -> None:
    """Comments, empty data lines and heartbeats each surface as a KeepAlive item."""
    chunks = [b": ping\n\n", b"data:\n\n", b'data: {"type":"heartbeat"}\n\n', b":\r\n\r\n"]
    items = list(parse_stream(chunks))
    assert items == [
        KeepAlive("comment"),
        KeepAlive("empty"),
        KeepAlive("heartbeat"),
        KeepAlive("comment"),
    ]


def test_keepalive_comment_split_mid_line() -> None:
    """A comment split across chunks gives control back once it is complete, never mid-frame."""
    chunks = [b": pi", b"ng\n", b"\n", b'data: {"type":"te', b'xt","content":"x"}\n\n']
    assert list(parse_stream(chunks)) == [KeepAlive("comment"), TextFinal("x")]


def test_crlf_line_endings() -> None:
    """Frames separated by CRLF blank lines parse like LF ones."""
    data = b'data: {"type":"text","content":"a"}\r\n\r\ndata: {"type":"heartbeat"}\r\n\r\n'
    for chunks in _splits(data):
        assert _content(list(parse_stream(chunks))) == [TextFinal("a")]


def test_simplified_events() -> None:
    """The simplified typed events map to the same items as their ADK counterparts."""
    frames = [
        {"type": "text", "content": "Working", "partial": True},
        {"type": "tool_call", "name": "generate", "args": {"n": 1}},
        {"type": "tool_result", "name": "generate", "result": {"ok": True}},
        {"type": "text", "content": "Done"},
        {"type": "error", "code": 2001, "message": "no credits"},
    ]
    data = b"".join(b"data: " + json.dumps(f).encode() + b"\n\n" for f in frames)
    assert _content(list(parse_stream([data]))) == [
        TextDelta("Working"),
        ToolCall("generate", {"n": 1}),
        ToolResult("generate", {"ok": True}),
        TextFinal("Done"),
        StreamFailure("2001", "no credits"),
    ]


def test_unknown_simple_type_is_reported() -> None:
    """A typed event of an unknown type is reported as a bad frame, not shown."""
    assert isinstance(parse_payload('{"type":"mystery"}')[0], BadFrame)


def test_thought_only_event_is_a_keepalive() -> None:
    """An event carrying only thoughts shows nothing but proves the backend is alive."""
    frame = {"content": {"parts": [{"text": "hmm", "thought": True}]}, "author": "a"}
    data = b"data: " + json.dumps(frame).encode() + b"\n\n"
    assert list(parse_stream([data])) == [KeepAlive("empty")]


_FRAMES = st.lists(
    st.one_of(
        st.builds(lambda t: {"type": "text", "content": t}, st.text(min_size=1)),
        st.builds(
            lambda t, p: {"content": {"parts": [{"text": t}]}, "partial": p, "author": "m"},
            st.text(min_size=1),
            st.booleans(),
        ),
        st.just({"type": "heartbeat"}),
    ),
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(
    frames=_FRAMES,
    cuts=st.lists(st.integers(min_value=0, max_value=4000), max_size=8),
    comments=st.booleans(),
)
def test_any_chunking_gives_the_same_items(
    frames: list[dict[str, object]], cuts: list[int], comments: bool
) -> None:
    """Whatever the chunk boundaries, with or without comments between frames, items agree."""
    sep = b": keep-alive\n\n" if comments else b""
    data = b"".join(
        sep + b"data: " + json.dumps(f, ensure_ascii=False).encode() + b"\n\n" for f in frames
    )
    points = sorted({min(c, len(data)) for c in cuts})
    chunks = [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]
    assert _content(list(parse_stream(chunks))) == _content(list(parse_stream([data])))
