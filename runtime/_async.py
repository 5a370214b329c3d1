"""``AsyncSkillRuntime``: the same runtime for asyncio hosts (bots, web services).

::

    async with AsyncSkillRuntime() as runtime:
        conversation = runtime.conversation("free-generation-maker")
        async for event in conversation.send("make a 10-second video about coffee"):
            print(event)

Every conversation method is the synchronous one run by the async driver of
:mod:`skillrt.runtime._bridge`: the same events, errors, stores, recovery and "never sent
twice" rules, from the same code. HTTP goes through one ``httpx.AsyncClient`` (the
host's, or one the runtime makes and closes); waits are ``asyncio.sleep``; SQLite store
calls run in worker threads. Many conversations share one event loop thread.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from skillrt.errors import ManifestError
from skillrt.runtime._bridge import (
    BridgeTransport,
    await_,
    bridged,
    bridged_sleep,
    drive,
    offload,
)
from skillrt.runtime._client import DEFAULT_TIMEOUT, BackendClient
from skillrt.runtime._config import BackendConfig, Intervals
from skillrt.runtime._conversation import Conversation, ConversationOptions
from skillrt.runtime._events import Event
from skillrt.runtime._loader import Skill
from skillrt.runtime._runtime import SkillRuntime
from skillrt.runtime._stores import (
    CredentialStore,
    JobRecord,
    JobStore,
    SessionRecord,
    SessionStore,
    StoredToken,
)

__all__ = ["AsyncConversation", "AsyncSkillRuntime"]

#: Streams stay open for minutes: the runtime's own client does not cap connections
#: (httpx's default of 100 would make the 101st conversation wait for a free one).
_LIMITS = httpx.Limits(max_connections=None, max_keepalive_connections=50)


class _OffloadedSessions:
    """A session store whose calls run in a worker thread under the async driver."""

    def __init__(self, store: SessionStore) -> None:
        self._store = store

    def get(self, skill: str, origin: str) -> SessionRecord | None:
        return offload(lambda: self._store.get(skill, origin))

    def put(self, record: SessionRecord) -> None:
        offload(lambda: self._store.put(record))

    def delete(self, skill: str, origin: str) -> None:
        offload(lambda: self._store.delete(skill, origin))


class _OffloadedJobs:
    """A job store whose calls run in a worker thread under the async driver."""

    def __init__(self, store: JobStore) -> None:
        self._store = store

    def add(self, job: JobRecord) -> None:
        offload(lambda: self._store.add(job))

    def update(self, job_id: str, **changes: Any) -> JobRecord:
        return offload(lambda: self._store.update(job_id, **changes))

    def get(self, job_id: str) -> JobRecord | None:
        return offload(lambda: self._store.get(job_id))

    def recent(self, limit: int = 50) -> list[JobRecord]:
        return offload(lambda: self._store.recent(limit))

    def unfinished(self) -> list[JobRecord]:
        return offload(self._store.unfinished)


class _SerialisedCredentials:
    """A credential store whose lock is first taken on the event loop.

    Every conversation of an async runtime runs on one thread, so the store's own lock
    (a file lock, a thread lock) cannot keep two of them apart: one would block the loop
    waiting for a lock that another, suspended on the same loop, holds. An asyncio lock
    taken first lets one conversation at a time in; the store's lock then only keeps
    other processes out.
    """

    def __init__(self, store: CredentialStore, lock: asyncio.Lock) -> None:
        self._store = store
        self._lock = lock

    def get(self, origin: str) -> StoredToken | None:
        return self._store.get(origin)

    def put(self, origin: str, token: StoredToken) -> None:
        self._store.put(origin, token)

    def delete(self, origin: str) -> None:
        self._store.delete(origin)

    @contextmanager
    def locked(self, origin: str) -> Iterator[None]:
        if not bridged():
            with self._store.locked(origin):
                yield
            return
        await_(self._lock.acquire())
        try:
            with self._store.locked(origin):
                yield
        finally:
            self._lock.release()

    def rate_limited(self, seconds: float) -> AbstractContextManager[None]:
        marker = getattr(self._store, "rate_limited", None)
        return marker(seconds) if callable(marker) else nullcontext()


class _DrivenRuntime(SkillRuntime):
    """The synchronous runtime with its stores offloaded (what the async driver runs)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._token_lock = asyncio.Lock()

    def client(self, skill: str | Skill, *, language: str = "en") -> BackendClient:
        client = super().client(skill, language=language)
        client.auth.store = _SerialisedCredentials(client.auth.store, self._token_lock)
        return client

    def session_store(self, skill: str | Skill) -> SessionStore:
        return _OffloadedSessions(super().session_store(skill))

    def job_store(self, skill: str | Skill) -> JobStore:
        return _OffloadedJobs(super().job_store(skill))


class AsyncConversation:
    """One skill's conversation, for asyncio: :class:`Conversation`'s methods as async
    iterators of the same events."""

    def __init__(self, conversation: Conversation) -> None:
        self._conversation = conversation

    @property
    def skill(self) -> Skill:
        """The skill this conversation talks to."""
        return self._conversation.skill

    @property
    def session_id(self) -> str | None:
        """The backend session, once one exists."""
        return self._conversation.session_id

    @property
    def task_id(self) -> str | None:
        """The backend task (project), once one exists."""
        return self._conversation.task_id

    @property
    def language(self) -> str:
        """The conversation's language (detected from the first message)."""
        return self._conversation.language

    def send(
        self, text: str, attachments: Sequence[str | os.PathLike[str]] = ()
    ) -> AsyncIterator[Event]:
        """Handle one user message (and files); the last event is a ``DoneEvent``.

        Closing the iterator early (``aclose``, a cancelled task) stops the message
        cleanly: what was recorded (a session, a submitted render) stays recorded.
        """
        files = [os.fspath(a) for a in attachments]
        return drive(lambda: self._conversation.send(text, files))

    def retry(self) -> AsyncIterator[Event]:
        """Send again the last message whose result could not be confirmed."""
        return drive(self._conversation.retry)

    def resume_exports(self) -> AsyncIterator[Event]:
        """Deliver renders that an earlier process started and never downloaded."""
        return drive(self._conversation.resume_exports)


class AsyncSkillRuntime:
    """:class:`SkillRuntime` for asyncio hosts, over an ``httpx.AsyncClient``.

    ``http`` is the caller's to close; without it the runtime makes one (without a
    connection cap) and closes it in :meth:`aclose`. The other arguments are
    :class:`SkillRuntime`'s.
    """

    def __init__(
        self,
        http: httpx.AsyncClient | None = None,
        *,
        config: BackendConfig | None = None,
        skill_paths: Iterable[Path] = (),
        env: Mapping[str, str] | None = None,
        intervals: Intervals | None = None,
        credentials: CredentialStore | None = None,
        sessions: SessionStore | None = None,
        jobs: JobStore | None = None,
        options: ConversationOptions | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._owns_http = http is None
        self.http = http or httpx.AsyncClient(timeout=DEFAULT_TIMEOUT, limits=_LIMITS)
        # The logic's synchronous client only builds requests; they leave through `http`.
        bridge = httpx.Client(
            transport=BridgeTransport(self.http), headers=self.http.headers, timeout=DEFAULT_TIMEOUT
        )
        self._runtime = _DrivenRuntime(
            bridge, config=config, skill_paths=skill_paths, env=env, intervals=intervals,
            credentials=credentials, sessions=sessions, jobs=jobs, options=options,
            clock=clock, sleep=bridged_sleep,
        )  # fmt: skip
        self._bridge = bridge

    @property
    def skills(self) -> dict[str, Skill]:
        """Every usable skill, by name."""
        return self._runtime.skills

    @property
    def problems(self) -> list[ManifestError]:
        """Manifests that were skipped, with why."""
        return self._runtime.problems

    @property
    def options(self) -> ConversationOptions:
        """How conversations behave where the contract leaves a choice."""
        return self._runtime.options

    def skill(self, name: str | Skill) -> Skill:
        """The skill called ``name``; ``SkillNotFoundError`` when there is none."""
        return self._runtime.skill(name)

    def config_for(self, skill: Skill) -> BackendConfig:
        """The backend configuration a conversation with ``skill`` uses."""
        return self._runtime.config_for(skill)

    def session_store(self, skill: str | Skill) -> SessionStore:
        """Where sessions of ``skill`` are remembered."""
        return self._runtime.session_store(skill)

    def job_store(self, skill: str | Skill) -> JobStore:
        """Where render jobs of ``skill`` are recorded."""
        return self._runtime.job_store(skill)

    def conversation(self, skill: str | Skill, *, resume: bool = False) -> AsyncConversation:
        """A conversation with ``skill``; ``resume`` continues its stored session."""
        return AsyncConversation(self._runtime.conversation(skill, resume=resume))

    async def aclose(self) -> None:
        """Close the HTTP client if the runtime made it."""
        self._bridge.close()
        if self._owns_http:
            await self.http.aclose()

    async def __aenter__(self) -> AsyncSkillRuntime:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
