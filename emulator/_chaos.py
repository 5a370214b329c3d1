"""Chaos mode and counters: a random fault per request, and what the emulator received.

With ``chaos`` = RATE, each API request (admin and CDN paths aside) is hit, with
probability RATE, by one fault drawn from the switches of :class:`FaultSwitches` that can
act on it: any request can answer an HTTP status (500, 502, 503 or 429); a chat message can
also have its stream dropped (cut or closed), stalled, truncated or broken by an in-stream
error in one of the three formats; a render submission can also fail or hang. Draws come
from one generator seeded with ``seed``, so a run with the same order of requests is the
same run. Every injected fault is logged (``chaos fault injected``) and counted.

:class:`Stats` counts what the backend received, for a soak to compare with what its
clients sent: ``GET /__emulator__/stats``.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from skillrt.emulator._settings import FaultSwitches
from skillrt.log import get_logger

__all__ = ["Chaos", "Drawn", "Stats"]

_log = get_logger(__name__)

CHAT_PATH = "/run_sse"
RENDER_PATH = "/api/render/proxy/lambda"
_STATUSES = (500, 502, 503, 429)
_STREAM_STYLES = ("error_object", "system_text", "error_code")
#: the first events of a chat stream a stream fault may come after (a generation has ~9)
_MAX_AFTER = 8


@dataclass(frozen=True)
class Drawn:
    """One injected fault: its name (for the log) and the switches that make it."""

    name: str
    switches: FaultSwitches

    @property
    def http_status(self) -> int | None:
        """The status to answer right away, if the fault is one."""
        return self.switches.http_status


class Chaos:
    """Draws at most one fault per request with probability ``rate`` (thread-safe)."""

    def __init__(self, rate: float, seed: int, *, stall_seconds: float) -> None:
        self.rate = rate
        self.stall_seconds = stall_seconds
        self._random = random.Random(seed)  # noqa: S311 - seeded fault draws, not a secret
        self._lock = threading.Lock()

    def draw(self, method: str, path: str) -> Drawn | None:
        """The fault for this request, or ``None`` (most requests)."""
        with self._lock:
            if self.rate <= 0 or self._random.random() >= self.rate:
                return None
            kinds = ["http_status"]
            if method == "POST" and path == CHAT_PATH:
                kinds += [
                    "drop_abort",
                    "drop_close",
                    "stall",
                    "truncate",
                    "stream_error",
                    "garbage_stream",
                ]
            elif method == "POST" and path == RENDER_PATH:
                kinds += ["render_fail", "render_hang"]
            kind = self._random.choice(kinds)
            after = self._random.randint(0, _MAX_AFTER)
            status = self._random.choice(_STATUSES)
            style = self._random.choice(_STREAM_STYLES)
        drawn = self._make(kind, after, status, style)
        _log.warning("chaos fault injected", method=method, path=path, fault=drawn.name)
        return drawn

    def _make(self, kind: str, after: int, status: int, style: str) -> Drawn:
        values: dict[str, Any]
        if kind == "http_status":
            name, values = f"http_status={status}", {"http_status": status}
        elif kind in ("drop_abort", "drop_close"):
            mode = kind.removeprefix("drop_")
            name = f"drop_after_events={after} ({mode})"
            values = {"drop_after_events": after, "drop_mode": mode}
        elif kind == "stall":
            name = f"stall_seconds={self.stall_seconds:g} after {after}"
            values = {"stall_seconds": self.stall_seconds, "stall_after_events": after}
        elif kind == "truncate":
            name, values = f"truncate_after_events={after}", {"truncate_after_events": after}
        elif kind == "stream_error":
            name = f"stream_error={style} after {after}"
            values = {"stream_error": style, "stream_error_after_events": after}
        else:
            name, values = kind, {kind: True}
        return Drawn(name, FaultSwitches.model_validate(values))


@dataclass
class Stats:
    """What the emulator received (thread-safe; ``snapshot`` is the stats endpoint)."""

    messages_by_session: Counter[str] = field(default_factory=Counter)
    renders_submitted: int = 0
    #: anonymous tokens handed out (``POST /api/auth/anonymous-token`` answered with one)
    tokens_issued: int = 0
    downloads: int = 0
    faults_injected: int = 0
    faults_by_kind: Counter[str] = field(default_factory=Counter)
    cdn_requests_with_authorization: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def message(self, session_id: str) -> None:
        """A chat message reached the agent."""
        with self._lock:
            self.messages_by_session[session_id] += 1

    def render(self) -> None:
        """A render was accepted."""
        with self._lock:
            self.renders_submitted += 1

    def token(self) -> None:
        """An anonymous token was issued."""
        with self._lock:
            self.tokens_issued += 1

    def download(self) -> None:
        """A finished render was fetched (CDN or download endpoint)."""
        with self._lock:
            self.downloads += 1

    def cdn_request(self, *, authorized: bool) -> None:
        """A request reached the CDN origin; ``authorized``: it carried a bearer token."""
        if authorized:
            with self._lock:
                self.cdn_requests_with_authorization += 1

    def fault(self, drawn: Drawn) -> None:
        """Chaos injected ``drawn``."""
        with self._lock:
            self.faults_injected += 1
            self.faults_by_kind[drawn.name.split("=")[0].split(" ")[0]] += 1

    def snapshot(self) -> dict[str, Any]:
        """The counters as JSON-ready data."""
        with self._lock:
            return {
                "messages_total": sum(self.messages_by_session.values()),
                "messages_by_session": dict(self.messages_by_session),
                "renders_submitted": self.renders_submitted,
                "tokens_issued": self.tokens_issued,
                "downloads": self.downloads,
                "faults_injected": self.faults_injected,
                "faults_by_kind": dict(self.faults_by_kind),
                "cdn_requests_with_authorization": self.cdn_requests_with_authorization,
            }
