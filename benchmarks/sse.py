"""Chat stream consumption: skillrt's SSE parser against raw ``iter_bytes`` + ``json.loads``.

One local HTTP server (a thread, 127.0.0.1) serves the same ``text/event-stream`` body to
both readers over httpx streaming: ADK events shaped like the real captures (partial text,
function calls and responses, state deltas, finals with thoughts, U+2028 inside JSON),
with keep-alive comments between them. The baseline splits the bytes on blank lines and
``json.loads`` every ``data:`` payload, nothing else; skillrt's path runs sseclient-py, the
BOM/UTF-8 guard, keep-alive markers, event typing and the partial/final text assembly.
Reported: events per second of each and the ratio (skillrt / raw, target >= 0.5x).
Run: ``.venv/bin/python benchmarks/sse.py [events]``.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from skillrt.runtime._sse import TextAssembler, parse_stream

_ACTIONS = {"stateDelta": {}, "artifactDelta": {}, "requestedAuthConfigs": {},
            "requestedToolConfirmations": {}}  # fmt: skip


def _event(index: int, head: dict[str, object], delta: dict[str, object] | None = None) -> bytes:
    event = {**head, "invocationId": "e-bench", "author": "nemo_agent",
             "actions": {**_ACTIONS, "stateDelta": delta or {}}, "nodeInfo": {"path": ""},
             "id": f"ev-{index:08d}", "timestamp": 1795246840.0 + index}  # fmt: skip
    return b"data: " + json.dumps(event, ensure_ascii=False).encode() + b"\n\n"


def build_stream(events: int) -> bytes:
    """An ADK stream of about ``events`` frames with keep-alives between turns."""
    frames: list[bytes] = []
    text = "Adding the title\u2028“Morning Brew” at the top — 标题已添加 "
    index = 0
    while index < events:
        for piece in range(4):
            frames.append(_event(index, {"content": {"parts": [{"text": text[piece::4]}],
                                         "role": "model"}, "partial": True}))  # fmt: skip
            index += 1
        call = {"functionCall": {"id": f"c{index}", "name": "add_title", "args": {"start": 0}}}
        frames.append(_event(index, {"content": {"parts": [call], "role": "model"}}))
        result = {"functionResponse": {"id": f"c{index}", "name": "add_title",
                                       "response": {"ok": True}}}  # fmt: skip
        frames.append(_event(index + 1, {"content": {"parts": [result], "role": "user"}},
                             {"draft_version": index}))  # fmt: skip
        frames.append(b": keep-alive\n\n")
        final = [{"text": "planning", "thought": True}, {"text": text}]
        frames.append(_event(index + 2, {"content": {"parts": final, "role": "model"}}))
        index += 3
    return b"".join(frames)


@contextmanager
def serve(body: bytes) -> Iterator[str]:
    """Serve ``body`` as an event stream on 127.0.0.1; yield the URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            view = memoryview(body)
            for start in range(0, len(body), 16384):
                self.wfile.write(view[start : start + 16384])

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def raw_reader(response: httpx.Response) -> int:
    """The baseline: frames split on blank lines, each data payload json.loads-ed."""
    count = 0
    buffer = b""
    for chunk in response.iter_bytes():
        buffer += chunk
        *frames, buffer = buffer.split(b"\n\n")
        for frame in frames:
            if frame.startswith(b"data: "):
                json.loads(frame[6:])
                count += 1
    return count


def skillrt_reader(response: httpx.Response) -> int:
    """skillrt's path: typed items and the reply text, as a conversation reads them."""
    assembler = TextAssembler()
    count = 0
    for item in parse_stream(response.iter_bytes()):
        assembler.feed(item)
        count += 1
    return count


def _timed(http: httpx.Client, url: str, reader: Callable[[httpx.Response], int]) -> float:
    start = time.perf_counter()
    with http.stream("GET", url) as response:
        reader(response)
    return time.perf_counter() - start


def main(events: int = 20000) -> float:
    """Print and return the ratio (skillrt throughput / raw throughput)."""
    body = build_stream(events)
    with serve(body) as url, httpx.Client(timeout=60) as http:
        _timed(http, url, raw_reader)
        _timed(http, url, skillrt_reader)
        raw_s = ours_s = float("inf")
        for _ in range(5):  # interleaved, best of each: drift affects both alike
            raw_s = min(raw_s, _timed(http, url, raw_reader))
            ours_s = min(ours_s, _timed(http, url, skillrt_reader))
    ratio = raw_s / ours_s
    mb = len(body) / 2**20
    print(f"sse: {events} events, {mb:.1f} MB  "
          f"raw iter_bytes+json.loads {events / raw_s:,.0f} ev/s  "
          f"skillrt parse_stream {events / ours_s:,.0f} ev/s  "
          f"ratio {ratio:.2f}x (target >= 0.5x)")  # fmt: skip
    return ratio


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
