"""What only the async API has: many conversations on one event loop thread, an early
close that keeps the stores consistent, and the client it makes for itself.

The conversation behaviour itself is tested once for both APIs (the ``api`` parameter of
test_conversation_faults.py and test_conversation_e2e.py)."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from runtime_helpers import FAST, assert_valid_mp4, collect, config_for

from skillrt.emulator import EmulatorSettings
from skillrt.emulator.testing import RunningEmulator, run_emulator
from skillrt.runtime import (
    AsyncSkillRuntime,
    ConversationOptions,
    DoneEvent,
    MediaEvent,
    ProgressEvent,
)

GENERATE = "generate a 3-second video about a harbour"


@pytest.fixture(scope="module")
def emu() -> Iterator[RunningEmulator]:
    """One emulator for the module."""
    with run_emulator(
        EmulatorSettings.for_tests(silent_edit_ratio=0.0, tokens_per_ip=10_000)
    ) as running:
        yield running


class _GatedTransport(httpx.AsyncBaseTransport):
    """Real HTTP, recording the thread of every request; each chat stream is handed back
    only once ``expected`` of them are open at the same time."""

    def __init__(self, expected: int) -> None:
        self._inner = httpx.AsyncHTTPTransport(limits=httpx.Limits(max_connections=None))
        self.expected = expected
        self.threads: set[int] = set()
        self.open_streams = 0
        self._all_open = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.threads.add(threading.get_ident())
        response = await self._inner.handle_async_request(request)
        if request.url.path == "/run_sse":
            self.open_streams += 1
            if self.open_streams >= self.expected:
                self._all_open.set()
            # Serial conversations (or a blocked loop) would never get here together.
            await asyncio.wait_for(self._all_open.wait(), timeout=60)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


def test_fifty_conversations_run_at_once_on_the_loop_thread(
    emu: RunningEmulator, tmp_path: Path
) -> None:
    """50 conversations in one event loop: all 50 chat streams are open at the same time,
    every request leaves from the loop's thread, no progress thread is started, and each
    message ends with a successful DoneEvent."""
    count = 50

    async def main() -> tuple[list[list[object]], _GatedTransport, int]:
        transport = _GatedTransport(count)
        async with (
            httpx.AsyncClient(transport=transport) as http,
            AsyncSkillRuntime(
                http, config=config_for(emu, tmp_path), env={},
                options=ConversationOptions(output_dir=tmp_path / "out"),
            ) as runtime,
        ):  # fmt: skip
            conversations = [runtime.conversation("free-generation-maker") for _ in range(count)]
            results = await asyncio.gather(*(collect(c.send("hello")) for c in conversations))
        return [list(r) for r in results], transport, threading.get_ident()

    results, transport, loop_thread = asyncio.run(main())
    assert transport.open_streams == count
    assert transport.threads == {loop_thread}
    assert not [t for t in threading.enumerate() if t.name == "skillrt-progress"]
    for events in results:
        done = events[-1]
        assert isinstance(done, DoneEvent), events
        assert done.ok, events


def test_closing_a_send_mid_render_keeps_the_job_for_resume(
    emu: RunningEmulator, tmp_path: Path
) -> None:
    """An export whose event iterator is closed once the render was submitted leaves the
    job recorded (not "submitting"); resume_exports then delivers the MP4."""
    emu.settings.render_min_seconds = 1.0

    async def main() -> tuple[str, list[object], list[str]]:
        async with AsyncSkillRuntime(
            config=config_for(emu, tmp_path, FAST), env={},
            options=ConversationOptions(output_dir=tmp_path / "out", gui_export=False),
        ) as runtime:  # fmt: skip
            conversation = runtime.conversation("free-generation-maker")
            await collect(conversation.send(GENERATE))
            events = conversation.send("export")
            async for event in events:
                if isinstance(event, ProgressEvent) and event.stage == "render":
                    break
            await events.aclose()  # type: ignore[attr-defined]
            jobs = runtime.job_store("free-generation-maker")
            statuses = [job.status for job in jobs.unfinished()]
            resumed = await collect(conversation.resume_exports())
            [job] = jobs.recent(limit=1)
        return job.status, resumed, statuses

    try:
        status, resumed, statuses = asyncio.run(main())
    finally:
        emu.settings.render_min_seconds = 0.0
    [recorded] = statuses
    assert recorded not in ("submitting", "failed"), statuses
    assert status == "delivered"
    [media] = [e for e in resumed if isinstance(e, MediaEvent)]
    assert_valid_mp4(Path(media.path))


def test_a_cancelled_send_leaves_the_conversation_usable(
    emu: RunningEmulator, tmp_path: Path
) -> None:
    """A task cancelled while its chat stream is open raises CancelledError there; the
    same conversation then answers the next message normally."""

    async def main() -> list[object]:
        async with AsyncSkillRuntime(
            config=config_for(emu, tmp_path), env={},
            options=ConversationOptions(output_dir=tmp_path / "out"),
        ) as runtime:  # fmt: skip
            conversation = runtime.conversation("free-generation-maker")
            started = asyncio.Event()

            async def first() -> None:
                async for event in conversation.send(GENERATE):
                    if isinstance(event, ProgressEvent):
                        started.set()

            task = asyncio.create_task(first())
            await asyncio.wait_for(started.wait(), timeout=30)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            return await collect(conversation.send("hello"))

    events = asyncio.run(main())
    done = events[-1]
    assert isinstance(done, DoneEvent), events
    assert done.ok, events


def test_runtime_makes_and_closes_its_own_client(tmp_path: Path) -> None:
    """Without an injected client the runtime makes an AsyncClient and closes it."""

    async def main() -> httpx.AsyncClient:
        async with AsyncSkillRuntime(env={"SKILLRT_HOME": str(tmp_path)}) as runtime:
            assert not runtime.http.is_closed
            assert "free-generation-maker" in runtime.skills
            return runtime.http

    assert asyncio.run(main()).is_closed


_REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def test_the_logic_sees_the_callers_context_variables(emu: RunningEmulator, tmp_path: Path) -> None:
    """A host's context variable set in its task is what skillrt's log lines see (the
    logic runs in a greenlet, which would otherwise start with an empty context)."""
    seen: list[str] = []

    class Handler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(_REQUEST_ID.get())

    handler = Handler(level=logging.INFO)
    logger = logging.getLogger("skillrt")
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)

    async def main() -> None:
        _REQUEST_ID.set("req-42")
        async with AsyncSkillRuntime(
            config=config_for(emu, tmp_path), env={},
            options=ConversationOptions(output_dir=tmp_path / "out"),
        ) as runtime:  # fmt: skip
            await collect(runtime.conversation("free-generation-maker").send("hello"))

    try:
        asyncio.run(main())
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
    assert seen, "no skillrt log line was written"
    assert set(seen) == {"req-42"}
