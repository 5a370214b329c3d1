"""Where the backend is, how long to wait for it, and where skillrt keeps its local state.

Every timeout and every wait is named here. :class:`Intervals` groups the waits that the
runtime sleeps through (rate limit, stream recovery, render polling, retry backoff) so a
test can shrink all of them to fractions of a second with :meth:`Intervals.scaled`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import platformdirs

from skillrt.errors import InputError

if TYPE_CHECKING:
    from skillrt.runtime._loader import Skill

__all__ = [
    "BIND_PATH",
    "CLAIM_PATH",
    "CONNECT_TIMEOUT",
    "DEFAULT_API_URL",
    "DEFAULT_WEB_URL",
    "DOWNLOAD_READ_TIMEOUT",
    "KEEPALIVE_NOTICE_EVERY",
    "KEEPALIVE_ONLY_LIMIT",
    "READ_TIMEOUT",
    "SSE_HARD_LIMIT",
    "SSE_READ_TIMEOUT",
    "TASK_PATH",
    "UPLOAD_WRITE_TIMEOUT",
    "WRITE_TIMEOUT",
    "BackendConfig",
    "Intervals",
    "origin_of",
    "skillrt_home",
]

DEFAULT_API_URL = "https://mega-api-prod.nemovideo.ai"
DEFAULT_WEB_URL = "https://nemovideo.com"

#: Seconds to open a TCP/TLS connection.
CONNECT_TIMEOUT = 10.0
#: Seconds between two reads of an ordinary JSON answer.
READ_TIMEOUT = 30.0
#: Seconds to write one chunk of a request body.
WRITE_TIMEOUT = 30.0
#: Seconds to write one chunk of an upload (a slow uplink with a large file).
UPLOAD_WRITE_TIMEOUT = 120.0
#: Seconds between two reads of a download from the CDN.
DOWNLOAD_READ_TIMEOUT = 60.0
#: Idle read limit on the chat stream: proxies send keep-alives well within it.
SSE_READ_TIMEOUT = 180.0
#: A chat stream is stopped after this many seconds whatever it carries.
SSE_HARD_LIMIT = 15 * 60.0
#: "⏳ Still working..." is shown this often while only keep-alives arrive.
KEEPALIVE_NOTICE_EVERY = 2 * 60.0
#: Only keep-alives for this long: the stream is treated as timed out (then recovery).
KEEPALIVE_ONLY_LIMIT = 10 * 60.0

#: Web paths of links shown to users (on ``NEMO_WEB_URL``).
CLAIM_PATH = "/workspace/claim"
BIND_PATH = "/register"
TASK_PATH = "/workspace"


@dataclass(frozen=True)
class Intervals:
    """Every wait the runtime sleeps through, in seconds; tests shrink them with ``scaled``."""

    rate_limit_wait: float = 30.0
    recovery_waits: tuple[float, ...] = (30.0, 60.0)
    unchanged_queries: int = 5
    #: after a reply that ended cleanly without a word or a change: waits before each
    #: re-read of the state (the backend may still be saving); then the user is told
    silent_rechecks: tuple[float, ...] = (1.0, 2.0)
    render_poll: float = 3.0
    render_deadline: float = 15 * 60.0
    retry_backoff: tuple[float, ...] = (0.5, 1.0, 2.0)
    keepalive_notice: float = KEEPALIVE_NOTICE_EVERY
    keepalive_only_limit: float = KEEPALIVE_ONLY_LIMIT
    sse_hard_limit: float = SSE_HARD_LIMIT
    sse_read_timeout: float = SSE_READ_TIMEOUT

    def scaled(self, factor: float) -> Intervals:
        """The same intervals multiplied by ``factor`` (counts stay as they are)."""
        return Intervals(
            rate_limit_wait=self.rate_limit_wait * factor,
            recovery_waits=tuple(w * factor for w in self.recovery_waits),
            unchanged_queries=self.unchanged_queries,
            silent_rechecks=tuple(w * factor for w in self.silent_rechecks),
            render_poll=self.render_poll * factor,
            render_deadline=self.render_deadline * factor,
            retry_backoff=tuple(w * factor for w in self.retry_backoff),
            keepalive_notice=self.keepalive_notice * factor,
            keepalive_only_limit=self.keepalive_only_limit * factor,
            sse_hard_limit=self.sse_hard_limit * factor,
            sse_read_timeout=self.sse_read_timeout * factor,
        )


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of ``url``, lower case, default ports dropped."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in {"http", "https"} or not host:
        raise InputError(f"not an http(s) URL: {url!r}", hint="give an address like https://host")
    port = parts.port
    if port is None or (scheme, port) in {("http", 80), ("https", 443)}:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def skillrt_home(env: Mapping[str, str] | None = None) -> Path:
    """The folder of skillrt's own state: ``SKILLRT_HOME`` or the user data dir."""
    env = os.environ if env is None else env
    home = env.get("SKILLRT_HOME", "").strip()
    if home:
        return Path(home).expanduser()
    return platformdirs.user_data_path("skillrt", appauthor=False)


def _client_id_path(env: Mapping[str, str]) -> Path:
    # The published skills share this file; under SKILLRT_HOME (tests, sandboxes) skillrt
    # keeps its own copy so it never touches the real home folder.
    if env.get("SKILLRT_HOME", "").strip():
        return skillrt_home(env) / "nemovideo" / "client_id"
    return Path.home() / ".config" / "nemovideo" / "client_id"


@dataclass(frozen=True)
class BackendConfig:
    """Where the backend is and where local state lives, for one skill.

    ``env_token`` is ``NEMO_TOKEN``; it belongs to ``env_token_origin`` (the origin of
    ``NEMO_API_URL`` or the default) and is never sent to any other origin, so a skill
    whose manifest names another ``apiUrl`` does not get it.
    """

    api_url: str = DEFAULT_API_URL
    web_url: str = DEFAULT_WEB_URL
    client_id_path: Path = field(default_factory=lambda: _client_id_path(os.environ))
    data_dir: Path = field(default_factory=skillrt_home)
    intervals: Intervals = field(default_factory=Intervals)
    env_token: str | None = field(default=None, repr=False)
    env_token_origin: str | None = None
    env_client_id: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "api_url", origin_of(self.api_url))
        object.__setattr__(self, "web_url", self.web_url.strip().rstrip("/"))

    @property
    def origin(self) -> str:
        """The API origin (tokens are stored and sent per origin)."""
        return self.api_url

    def token_from_env(self) -> str | None:
        """``NEMO_TOKEN`` when it belongs to this API origin, else ``None``."""
        if self.env_token and self.env_token_origin == self.api_url:
            return self.env_token
        return None

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str] | None = None,
        skill: Skill | None = None,
        *,
        intervals: Intervals | None = None,
    ) -> BackendConfig:
        """Read §1 of the contract from ``env``; a skill's ``apiUrl`` overrides ``NEMO_API_URL``."""
        env = os.environ if env is None else env
        env_api = env.get("NEMO_API_URL", "").strip() or DEFAULT_API_URL
        api_url = env_api
        if skill is not None and skill.manifest.runtime.api_url:
            api_url = skill.manifest.runtime.api_url
        token = env.get("NEMO_TOKEN", "").strip() or None
        return cls(
            api_url=api_url,
            web_url=env.get("NEMO_WEB_URL", "").strip() or DEFAULT_WEB_URL,
            client_id_path=_client_id_path(env),
            data_dir=skillrt_home(env),
            intervals=intervals or Intervals(),
            env_token=token,
            env_token_origin=origin_of(env_api) if token else None,
            env_client_id=env.get("NEMO_CLIENT_ID", "").strip() or None,
        )
