"""Helpers for conversation tests: a runtime on an emulator, a request log, MP4 checks."""

from __future__ import annotations

import asyncio
import json
import subprocess
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import httpx

from skillrt.emulator._probe import ffmpeg_exe
from skillrt.emulator.testing import RunningEmulator
from skillrt.runtime import AsyncConversation, AsyncSkillRuntime, BackendConfig, Intervals
from skillrt.runtime._conversation import Conversation, ConversationOptions
from skillrt.runtime._events import Event
from skillrt.runtime._runtime import SkillRuntime
from skillrt.runtime._stores import JobStore

#: The two public APIs the shared conversation tests run over.
Api = Literal["sync", "async"]
APIS: tuple[Api, ...] = ("sync", "async")

#: Every wait of the runtime shrunk so a recovery or a render poll takes milliseconds.
FAST = Intervals(
    rate_limit_wait=0.05,
    recovery_waits=(0.05, 0.1),
    unchanged_queries=5,
    silent_rechecks=(0.05, 0.1),
    render_poll=0.05,
    render_deadline=120.0,
    retry_backoff=(0.01, 0.02, 0.05),
    keepalive_notice=0.15,
    keepalive_only_limit=60.0,
    sse_hard_limit=120.0,
    sse_read_timeout=20.0,
)


@dataclass(frozen=True)
class SentRequest:
    """One request the runtime sent: method, URL, headers and body."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes


class RequestLog:
    """Records every request an ``httpx.Client`` sends (an event hook: nothing is mocked)."""

    def __init__(self) -> None:
        self.requests: list[SentRequest] = []

    def __call__(self, request: httpx.Request) -> None:
        body = request.content if isinstance(request.stream, httpx.ByteStream) else b""
        self.requests.append(
            SentRequest(request.method, str(request.url), dict(request.headers), body)
        )

    def client(self) -> httpx.Client:
        """A client that logs into this log."""
        return httpx.Client(event_hooks={"request": [self]})

    def async_client(self) -> httpx.AsyncClient:
        """An async client that logs into this log."""

        async def hook(request: httpx.Request) -> None:
            self(request)

        return httpx.AsyncClient(event_hooks={"request": [hook]})

    def chat_messages(self) -> list[bytes]:
        """Bodies of every ``/run_sse`` request."""
        return [r.body for r in self.requests if r.url.endswith("/run_sse")]


def config_for(emu: RunningEmulator, home: Path, intervals: Intervals = FAST) -> BackendConfig:
    """The backend configuration of a test runtime on ``emu``."""
    return BackendConfig(
        api_url=emu.base_url, data_dir=home, client_id_path=home / "client_id", intervals=intervals
    )


def runtime_for(
    emu: RunningEmulator,
    home: Path,
    http: httpx.Client,
    *,
    intervals: Intervals = FAST,
    options: ConversationOptions | None = None,
) -> SkillRuntime:
    """A runtime on ``emu`` with its state under ``home`` and fast intervals."""
    config = config_for(emu, home, intervals)
    return SkillRuntime(
        http,
        config=config,
        env={},
        options=options or ConversationOptions(output_dir=home / "out"),
    )


def send(conversation: Conversation, text: str, files: Sequence[Path] = ()) -> list[Event]:
    """Every event of one message, as a list."""
    return list(conversation.send(text, [str(f) for f in files]))


def types(events: Iterable[Event]) -> list[str]:
    """The ``type`` of each event (partial text left out)."""
    return [e.type for e in events if not (e.type == "text" and getattr(e, "partial", False))]


def texts(events: Iterable[Event], kind: str | None = None) -> list[str]:
    """The non-partial texts, optionally of one ``kind``."""
    return [
        e.text
        for e in events
        if e.type == "text" and not e.partial and (kind is None or e.kind == kind)  # type: ignore[union-attr]
    ]


def turns(emu: RunningEmulator) -> int:
    """How many chat messages the emulator's agent received, over all sessions."""
    with emu.emulator.store.lock:
        return sum(session.turns for session in emu.emulator.store.sessions.values())


def probe(path: Path) -> str:
    """ffmpeg's description of a media file (stderr of ``ffmpeg -i``)."""
    done = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-i", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    return done.stderr


def assert_valid_mp4(path: Path) -> None:
    """``path`` is an MP4 with H.264 video, AAC audio and a duration."""
    assert path.is_file(), path
    assert path.stat().st_size > 1000, path
    info = probe(path)
    assert "Video: h264" in info, info
    assert "Audio: aac" in info, info
    assert "Duration: 00:00:0" in info or "Duration: 00:00:1" in info, info


def make_clip(path: Path, seconds: float = 2.0) -> Path:
    """A small real MP4 (test pattern and a tone) made with the bundled ffmpeg."""
    subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", f"testsrc=size=320x180:rate=15:duration={seconds}",
         "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
         "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(path)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return path


async def collect(events: AsyncIterator[Event]) -> list[Event]:
    """Every event of an async iterator, as a list."""
    return [event async for event in events]


class FastSession:
    """A runtime on the emulator with fast intervals, its request log and one conversation
    (no GUI exports), over the sync or the async API (``api``); ``close()`` it when done.

    The same test body runs over both: ``say`` and ``resume_exports`` return the list of
    events either way (the async ones collected on this session's own event loop).
    """

    def __init__(
        self,
        emu: RunningEmulator,
        home: Path,
        skill: str = "free-generation-maker",
        *,
        api: Api = "sync",
        gui_export: bool = False,
        **intervals: object,
    ) -> None:
        self.emu = emu
        self.api = api
        self.log = RequestLog()
        self.home = home
        options = ConversationOptions(output_dir=home / "out", gui_export=gui_export)
        fast = replace(FAST, **intervals)
        self.conversation: Conversation | AsyncConversation
        if api == "sync":
            self.http = self.log.client()
            self.runtime: SkillRuntime | AsyncSkillRuntime = runtime_for(
                emu, home, self.http, intervals=fast, options=options
            )
            self.conversation = self.runtime.conversation(skill)
            return
        self.loop = asyncio.new_event_loop()
        self.async_http = self.log.async_client()
        self.runtime = AsyncSkillRuntime(
            self.async_http, config=config_for(emu, home, fast), env={}, options=options
        )
        self.conversation = self.runtime.conversation(skill)

    def say(self, text: str, files: Sequence[Path] = ()) -> list[Event]:
        """Every event of one message."""
        names = [str(f) for f in files]
        if isinstance(self.conversation, Conversation):
            return list(self.conversation.send(text, names))
        return self.loop.run_until_complete(collect(self.conversation.send(text, names)))

    def resume_exports(self) -> list[Event]:
        """Every event of delivering the renders left unfinished."""
        if isinstance(self.conversation, Conversation):
            return list(self.conversation.resume_exports())
        return self.loop.run_until_complete(collect(self.conversation.resume_exports()))

    @property
    def jobs(self) -> JobStore:
        """The job store the conversation records renders in."""
        return self.runtime.job_store(self.conversation.skill)

    def sent(self) -> list[str]:
        """The chat messages the emulator received, in order."""
        return [json.loads(b)["new_message"]["parts"][0]["text"] for b in self.log.chat_messages()]

    def close(self) -> None:
        if isinstance(self.runtime, SkillRuntime):
            self.runtime.close()
            self.http.close()
            return
        self.loop.run_until_complete(self.runtime.aclose())
        self.loop.run_until_complete(self.async_http.aclose())
        self.loop.close()
