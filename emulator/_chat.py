"""Playing a :class:`Turn` as an SSE stream, with keep-alives and injected stream faults.

The work runs in its own task and finishes even when the stream is dropped or the client
goes away, as on the real service: a client that lost the stream finds the change in
the state (contract §5).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from skillrt.emulator._settings import EmulatorSettings, FaultSwitches
from skillrt.emulator._sse import Encoder, keepalive
from skillrt.emulator._turn import Call, Say, Turn, Work
from skillrt.errors import TransportError
from skillrt.log import get_logger

__all__ = ["StreamDropped", "TurnRunner", "quiet_dropped_streams", "stream_turn"]

_log = get_logger(__name__)
_DONE = object()


class StreamDropped(TransportError):
    """Raised inside a stream on purpose so the server cuts the connection mid-response."""


class _HideDropped(logging.Filter):
    """Keeps uvicorn from logging a traceback for a stream we dropped on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        while error is not None:
            if isinstance(error, StreamDropped):
                return False
            error = error.__cause__ or error.__context__
        return True


def quiet_dropped_streams() -> None:
    """Install the filter on uvicorn's error logger (once)."""
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _HideDropped) for f in logger.filters):
        logger.addFilter(_HideDropped())


@dataclass
class _Item:
    kind: str  # "keepalive" | "text" | "call" | "result"
    text: str = ""
    last: bool = False
    call_id: str = ""
    name: str = ""
    data: dict[str, Any] | None = None
    delta: dict[str, Any] | None = None


class TurnRunner:
    """Runs turns; keeps their tasks alive until they finish."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def start(
        self, turn: Turn, settings: EmulatorSettings, on_done: Callable[[bool], None]
    ) -> asyncio.Queue[object]:
        """Start ``turn``; its items arrive on the returned queue, then a sentinel."""
        queue: asyncio.Queue[object] = asyncio.Queue()
        task = asyncio.get_running_loop().create_task(self._play(turn, settings, queue, on_done))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return queue

    async def _play(
        self,
        turn: Turn,
        settings: EmulatorSettings,
        queue: asyncio.Queue[object],
        on_done: Callable[[bool], None],
    ) -> None:
        succeeded = False
        says = [i for i, step in enumerate(turn.steps) if isinstance(step, Say)]
        try:
            for index, step in enumerate(turn.steps):
                if isinstance(step, Work):
                    await _work(step.seconds, settings.keepalive_seconds, queue)
                elif isinstance(step, Say):
                    queue.put_nowait(_Item("text", text=step.text, last=index == says[-1]))
                elif isinstance(step, Call):
                    call_id = f"adk-{index + 1}"
                    queue.put_nowait(_Item("call", call_id=call_id, name=step.name,
                                           data=step.args))  # fmt: skip
                    response = step.apply()
                    delta = {"draft_version": response.get("draft_version")}
                    if delta["draft_version"] is None:
                        delta = {}
                    queue.put_nowait(_Item("result", call_id=call_id, name=step.name,
                                           data=response, delta=delta))  # fmt: skip
                    await asyncio.sleep(0)
            succeeded = True
        except Exception:  # a bug in a rule must not leave credits frozen forever
            _log.exception("turn failed")
        finally:
            on_done(succeeded)
            queue.put_nowait(_DONE)


async def _work(seconds: float, interval: float, queue: asyncio.Queue[object]) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    while (left := end - loop.time()) > 0:
        await asyncio.sleep(min(interval, left))
        if end - loop.time() > 0:
            queue.put_nowait(_Item("keepalive"))


async def stream_turn(
    queue: asyncio.Queue[object],
    encoder: Encoder,
    faults: Callable[[], FaultSwitches],
    *,
    streaming: bool,
    chunk: int,
) -> AsyncIterator[bytes]:
    """The SSE bytes of one turn; the stream closes when the turn is done."""
    sent = 0
    keepalives = 0
    stalled = False
    while True:
        item = await queue.get()
        if item is _DONE:
            return
        assert isinstance(item, _Item)
        if item.kind == "keepalive":
            yield keepalive(keepalives)
            keepalives += 1
            continue
        for data in _frames(item, encoder, streaming=streaming, chunk=chunk):
            switches = faults()
            if switches.stall_seconds and not stalled and sent >= switches.stall_after_events:
                stalled = True
                await asyncio.sleep(switches.stall_seconds)
            cut = _fault_frame(switches, sent, encoder)
            if cut is not None:
                if cut:
                    yield cut
                if switches.drop_after_events == sent and switches.drop_mode == "abort":
                    raise StreamDropped("stream dropped on purpose (fault drop_after_events)")
                return
            yield data
            sent += 1


# What a proxy in front of the service might send with a 200 and text/event-stream.
_GARBAGE = b"data: <html><body>502 Bad Gateway</body></html>\n\ndata: upstream error\n\n"


def _fault_frame(switches: FaultSwitches, sent: int, encoder: Encoder) -> bytes | None:
    """``None`` to go on; else the last bytes to send before the stream ends."""
    if switches.stream_error and sent == switches.stream_error_after_events:
        return encoder.error(switches.stream_error, "simulated failure")
    if switches.garbage_stream:
        return _GARBAGE
    if switches.truncate_after_events == sent:
        return b'data: {"content":{"parts":[{"text":"Trunc\n\n'
    if switches.drop_after_events == sent:
        return b""
    return None


def _frames(item: _Item, encoder: Encoder, *, streaming: bool, chunk: int) -> list[bytes]:
    if item.kind == "call":
        return [encoder.call(item.call_id, item.name, item.data or {})]
    if item.kind == "result":
        return [encoder.result(item.call_id, item.name, item.data or {}, item.delta or {})]
    frames = []
    if streaming and encoder.family == "adk":
        text = item.text
        frames = [encoder.partial(text[i : i + chunk]) for i in range(0, len(text), chunk)]
    thought = "Planning the reply and the tool calls." if item.last else None
    frames.append(encoder.text(item.text, thought=thought, last=item.last))
    return frames
