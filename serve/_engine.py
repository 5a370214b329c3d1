"""Runs messages: a background task per message drives the runtime and records its events.

A message is ``AsyncConversation.send`` (:class:`~skillrt.runtime.AsyncSkillRuntime`, on
the event loop over one shared ``httpx.AsyncClient``): each event goes to the event log,
the store and the hooks as it comes. The task outlives the HTTP request that started it,
so a client that goes away cancels nothing. The short questions (credits, timeline, a
job) use the synchronous runtime on the same stores, in a small thread pool.

Each (API key, end user) has its own folder under ``data_dir/users/`` holding its client
id and anonymous token (its own backend identity), and each conversation its own session
and job database below that; an operator's ``NEMO_TOKEN`` is used for everyone instead.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

import httpx

from skillrt.log import get_logger
from skillrt.runtime import (
    DEFAULT_TIMEOUT,
    AsyncConversation,
    AsyncSkillRuntime,
    BackendConfig,
    ConversationOptions,
    CredentialStore,
    Credits,
    DoneEvent,
    ErrorEvent,
    Event,
    FileCredentialStore,
    Intervals,
    JobRecord,
    JobStore,
    MediaEvent,
    ProgressEvent,
    SessionStore,
    Skill,
    SkillRuntime,
    SqliteJobStore,
    SqliteSessionStore,
    TextEvent,
)
from skillrt.serve._eventlog import ConversationLocks, EventLog
from skillrt.serve._store import (
    ConversationRecord,
    FileRecord,
    JobLink,
    MessageRecord,
    Owner,
    ServeStore,
    new_id,
)
from skillrt.serve._text import text as serve_text
from skillrt.translators import summarize_timeline

__all__ = [
    "BusyError",
    "Engine",
    "EngineOptions",
    "RenderHook",
    "RenderOutcome",
    "RuntimeStores",
    "RuntimeStoresFactory",
    "SubmitHook",
    "SubmittedRender",
]

_log = get_logger(__name__)


class RuntimeStores(NamedTuple):
    """The runtime's own stores for one end user's conversation."""

    credentials: CredentialStore
    sessions: SessionStore
    jobs: JobStore


#: (end user's digest, conversation id or "_account") → that conversation's runtime stores
RuntimeStoresFactory = Callable[[str, str], RuntimeStores]


@dataclass(frozen=True)
class EngineOptions:
    """Bounds and timings of the engine."""

    #: messages running at once (each holds one worker thread while it waits)
    max_runs: int = 16
    #: events recorded per message; past it, progress and partial text are not recorded
    max_events: int = 2000
    #: conversations kept loaded in memory (the least recently used idle one goes first;
    #: it is loaded again from its stores when it is next used)
    max_loaded: int = 1000
    #: the runtime's waits (render polls, recovery); ``None``: the runtime's defaults
    intervals: Intervals | None = None


@dataclass(frozen=True)
class RenderOutcome:
    """A finished (media) or failed (error) render, for the hooks (webhooks plug in here)."""

    conversation: ConversationRecord
    message_id: str
    #: the event as the API shows it (JSON object), ``type`` ``media`` or ``error``
    event: dict[str, Any]


RenderHook = Callable[[RenderOutcome], Awaitable[None]]


@dataclass(frozen=True)
class SubmittedRender:
    """A render a message's run submitted (recorded in the runtime's job store)."""

    conversation: ConversationRecord
    message_id: str
    job_id: str
    #: the message's file URL with ``{file}`` where a file id goes
    file_url: str


#: Called when a run has submitted a render, and again (``finished``) when the run ends.
SubmitHook = Callable[[SubmittedRender, bool], Awaitable[None]]


class BusyError(Exception):
    """The conversation (or the whole service) is running as many messages as it may."""

    def __init__(self, scope: str, message_id: str | None = None) -> None:
        super().__init__(scope)
        self.scope = scope
        self.message_id = message_id


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


@dataclass
class _Live:
    conversation: AsyncConversation
    runtime: AsyncSkillRuntime
    #: the same stores, for the questions answered in worker threads
    sync: SkillRuntime


class Engine:
    """Starts message runs and answers the read-only questions that need the backend."""

    def __init__(
        self,
        config: BackendConfig,
        *,
        data_dir: Path,
        store: ServeStore,
        events: EventLog,
        locks: ConversationLocks,
        options: EngineOptions | None = None,
        skills: dict[str, Skill],
        skill_paths: Sequence[Path] = (),
        shared: bool = False,
        runtime_stores: RuntimeStoresFactory | None = None,
    ) -> None:
        self.config = config
        self.runtime_stores = runtime_stores
        self.data_dir = data_dir
        self.store = store
        self.events = events
        self.locks = locks
        self.options = options or EngineOptions()
        self.skills = skills
        self.skill_paths = tuple(skill_paths)
        self.shared = shared
        self._active: set[str] = set()
        #: called with every finished or failed render (e.g. webhooks)
        self.on_render: list[RenderHook] = []
        #: called when a run submitted a render and when that run ended (render watching)
        self.on_submit: list[SubmitHook] = []
        self._http = httpx.Client(timeout=DEFAULT_TIMEOUT)
        # Streams stay open for minutes: no cap below the runs' own bound.
        self._ahttp = httpx.AsyncClient(
            timeout=DEFAULT_TIMEOUT,
            limits=httpx.Limits(max_connections=None, max_keepalive_connections=50),
        )
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="skillrt-serve")
        self._running = 0
        self._live: OrderedDict[str, _Live] = OrderedDict()
        self._busy: set[str] = set()
        self._live_lock = threading.Lock()
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def loaded(self) -> int:
        """Conversations loaded in memory now."""
        with self._live_lock:
            return len(self._live)

    # -- per user, per conversation ---------------------------------------------------

    def user_dir(self, owner: Owner) -> Path:
        """The folder of one end user's backend identity (client id, token)."""
        return self.data_dir / "users" / _digest(owner.key_id, owner.user)

    def _stores(self, owner: Owner, conversation_id: str | None) -> dict[str, Any]:
        """The runtime arguments of one end user's conversation (or account)."""
        home = self.user_dir(owner)
        home.mkdir(mode=0o700, parents=True, exist_ok=True)  # its token lives here
        config = replace(
            self.config, data_dir=home, client_id_path=home / "client_id", env_client_id=None
        )
        place = home / "conversations" / (conversation_id or "_account")
        return {
            "config": config, "intervals": self.options.intervals,
            "skill_paths": self.skill_paths,
            **self._backend_stores(owner, conversation_id or "_account", home, place),
            "options": ConversationOptions(output_dir=place / "exports"),
        }  # fmt: skip

    def _backend_stores(
        self, owner: Owner, conversation: str, home: Path, place: Path
    ) -> dict[str, Any]:
        """Token, sessions and render jobs: shared ones (Redis) when the service has them,
        else files and SQLite in the user's folder."""
        if self.runtime_stores is not None:
            shared = self.runtime_stores(_digest(owner.key_id, owner.user), conversation)
            return {"credentials": shared.credentials, "sessions": shared.sessions,
                    "jobs": shared.jobs}  # fmt: skip
        return {
            "credentials": FileCredentialStore.in_dir(home),
            "sessions": SqliteSessionStore(place / "state.db"),
            "jobs": SqliteJobStore(place / "state.db"),
        }

    def _runtime(self, owner: Owner, conversation_id: str | None) -> SkillRuntime:
        return SkillRuntime(self._http, **self._stores(owner, conversation_id))

    def _conversation(self, record: ConversationRecord) -> _Live:
        with self._live_lock:
            live = self._live.get(record.id)
            if live is not None:
                self._live.move_to_end(record.id)
            else:
                arguments = self._stores(record.owner, record.id)
                runtime = AsyncSkillRuntime(self._ahttp, **arguments)
                skill = self.skills[record.skill]
                live = _Live(
                    runtime.conversation(skill, resume=True), runtime,
                    SkillRuntime(self._http, **arguments),
                )  # fmt: skip
                self._live[record.id] = live
                idle = [k for k in self._live if k not in self._busy and k != record.id]
                for key in idle[: max(0, len(self._live) - self.options.max_loaded)]:
                    del self._live[key]
            return live

    # -- messages --------------------------------------------------------------------

    async def start(
        self,
        record: ConversationRecord,
        text: str,
        attachments: Sequence[Path],
        *,
        file_url: Callable[[FileRecord], str],
        cleanup: Callable[[], None] = lambda: None,
    ) -> MessageRecord:
        """Record a message and start its run; :class:`BusyError` when it cannot run now."""
        if self._running >= self.options.max_runs:
            raise BusyError("service")
        message = MessageRecord(id=new_id("msg"), conversation_id=record.id)
        if not await self.locks.acquire(record.id, message.id):
            raise BusyError("conversation")
        self._running += 1
        self._active.add(message.id)
        self._busy.add(record.id)
        try:
            self.store.add_message(message)
            first = {"type": "message", "id": message.id, "conversation_id": record.id}
            await self.events.append(message.id, json.dumps(first))
        except BaseException:
            self._running -= 1
            self._active.discard(message.id)
            self._busy.discard(record.id)
            await self.locks.release(record.id, message.id)
            raise
        task = asyncio.get_running_loop().create_task(
            self._run(record, message, text, list(attachments), file_url, cleanup)
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return message

    async def _run(
        self,
        record: ConversationRecord,
        message: MessageRecord,
        text: str,
        attachments: list[Path],
        file_url: Callable[[FileRecord], str],
        cleanup: Callable[[], None],
    ) -> None:
        loop = asyncio.get_running_loop()
        state: str = "failed"
        recorded = 1
        live_language = "en"
        errors: list[dict[str, Any]] = []
        rendering = False
        submitted: dict[str, SubmittedRender] = {}
        released = False
        try:
            live = await loop.run_in_executor(self._pool, self._conversation, record)
            live_language = live.conversation.language
            async for event in live.conversation.send(text, [str(p) for p in attachments]):
                if self.on_submit:
                    await self._watch_jobs(live, record, message.id, file_url, submitted)
                shown = await self._shown(record, message, event, file_url)
                if recorded >= self.options.max_events and _droppable(event):
                    continue
                if isinstance(event, DoneEvent):
                    # Free the conversation before the client sees "done": a client (on
                    # any worker) may send its next message the moment it reads it.
                    state = "finished" if event.ok else "failed"
                    await loop.run_in_executor(self._pool, self._after, record, live)
                    self.store.set_message_state(message.id, state)  # type: ignore[arg-type]
                    released = True
                    await self.locks.release(record.id, message.id)
                await self.events.append(message.id, json.dumps(shown, ensure_ascii=False))
                recorded += 1
                if isinstance(event, ProgressEvent) and event.stage == "render":
                    rendering = True  # the backend may export on its own, unasked
                if isinstance(event, ErrorEvent):
                    errors.append(shown)
                if isinstance(event, DoneEvent):
                    tried = rendering or "export" in event.actions
                    if tried and not event.ok and errors:
                        await self._hooks(RenderOutcome(record, message.id, errors[-1]))
            if not released:
                await loop.run_in_executor(self._pool, self._after, record, live)
        except asyncio.CancelledError:
            # The service is stopping: the stream ends with a clear last word (a render
            # under way stays recorded in the conversation's job store).
            await self._fail(message, "serve_stopped", serve_text("run_stopped", live_language))
            raise
        except Exception as exc:  # the runtime words its own failures as events
            _log.error("serve.run_crashed", message=message.id, error=type(exc).__name__)
            await self._fail(message, "serve_crashed", serve_text("run_crashed", live_language))
        finally:
            self.store.set_message_state(message.id, state)  # type: ignore[arg-type]
            await self.events.finish(message.id)
            self._running -= 1
            self._active.discard(message.id)
            self._busy.discard(record.id)
            if not released:
                await self.locks.release(record.id, message.id)
            for render in submitted.values():
                await self._submit_hooks(render, finished=True)
            cleanup()

    async def settle(self, message: MessageRecord) -> None:
        """End the log of a message an earlier process left running (it was killed).

        Only with unshared stores: there no other process can be running it. Its render,
        if one was submitted, stays recorded in the conversation's job store.
        """
        if self.shared or message.state != "running" or message.id in self._active:
            return
        _log.info("serve.orphan_settled", message=message.id)
        await self._fail(message, "serve_stopped", serve_text("run_stopped"))
        self.store.set_message_state(message.id, "failed")
        await self.events.finish(message.id)

    async def _watch_jobs(
        self,
        live: _Live,
        record: ConversationRecord,
        message_id: str,
        file_url: Callable[[FileRecord], str],
        submitted: dict[str, SubmittedRender],
    ) -> None:
        """Tell the submit hooks about renders this run recorded since the last event."""
        jobs = await asyncio.get_running_loop().run_in_executor(
            self._pool, live.sync.job_store(record.skill).unfinished
        )
        for job in jobs:
            if job.id in submitted:
                continue
            probe = FileRecord(
                id="{file}", owner=record.owner, conversation_id=record.id,
                path="", name="", size=0,
            )  # fmt: skip
            render = SubmittedRender(record, message_id, job.id, file_url(probe))
            submitted[job.id] = render
            self.store.add_job(JobLink(job.id, record.owner, record.id))
            await self._submit_hooks(render, finished=False)

    async def _submit_hooks(self, render: SubmittedRender, *, finished: bool) -> None:
        for hook in list(self.on_submit):
            try:
                await hook(render, finished)
            except Exception as exc:  # render watching is best effort for this worker
                _log.error("serve.submit_hook_failed", error=type(exc).__name__)

    async def resume_render(self, render: SubmittedRender) -> bool:
        """Go on with a render another worker started (same render id, never resubmitted).

        Its events go to the original message's log, after the ones already there; the
        message is finished and its state recorded. Whether the render was delivered.
        """
        loop = asyncio.get_running_loop()
        record = render.conversation
        message = MessageRecord(render.message_id, record.id)

        def file_url(file: FileRecord) -> str:
            return render.file_url.replace("{file}", file.id)

        delivered = False
        try:
            live = await loop.run_in_executor(self._pool, self._conversation, record)
            async for event in live.conversation.resume_exports():
                shown = await self._shown(record, message, event, file_url)
                delivered = delivered or isinstance(event, MediaEvent)
                await self.events.append(message.id, json.dumps(shown, ensure_ascii=False))
        finally:
            done = DoneEvent(ok=delivered, actions=("export",), session_id=record.session_id)
            await self.events.append(message.id, done.model_dump_json())
            self.store.set_message_state(message.id, "finished" if delivered else "failed")
            await self.events.finish(message.id)
        return delivered

    async def _fail(self, message: MessageRecord, code: str, sentence: str) -> None:
        failure = ErrorEvent(code=code, message=sentence).model_dump(mode="json")
        await self.events.append(message.id, json.dumps(failure, ensure_ascii=False))
        await self.events.append(message.id, json.dumps(_done_failed()))

    async def _shown(
        self,
        record: ConversationRecord,
        message: MessageRecord,
        event: Event,
        file_url: Callable[[FileRecord], str],
    ) -> dict[str, Any]:
        """The event as the API shows it: a media event points at the file endpoint."""
        if not isinstance(event, MediaEvent):
            return event.model_dump(mode="json")
        path = Path(event.path)
        file = FileRecord(
            id=new_id("file"), owner=record.owner, conversation_id=record.id,
            path=str(path), name=path.name, size=event.size,
        )  # fmt: skip
        self.store.add_file(file)
        url = file_url(file)
        # The runtime's sentence names where it saved the file; the service's clients see the
        # file's URL instead, never a folder of the server's.
        said = event.message.replace(str(path), url)
        shown = event.model_copy(update={"url": url, "path": path.name, "message": said})
        data = shown.model_dump(mode="json")
        await self._hooks(RenderOutcome(record, message.id, data))
        return data

    async def _hooks(self, outcome: RenderOutcome) -> None:
        for hook in list(self.on_render):
            try:
                await hook(outcome)
            except Exception as exc:  # a hook's failure is its own, never the message's
                _log.error("serve.hook_failed", error=type(exc).__name__)

    def _after(self, record: ConversationRecord, live: _Live) -> None:
        """Remember the backend session and whose render jobs were started."""
        conversation = live.conversation
        if conversation.session_id and conversation.session_id != record.session_id:
            self.store.set_session(record.id, conversation.session_id)
        for job in live.sync.job_store(conversation.skill).recent(50):
            self.store.add_job(JobLink(job.id, record.owner, record.id))

    # -- questions -------------------------------------------------------------------

    async def credits(self, owner: Owner, skill: str) -> Credits:
        """The balance of the end user's backend account."""

        def ask() -> Credits:
            with self._runtime(owner, None) as runtime:
                return runtime.client(self.skills[skill]).credits()

        return await asyncio.get_running_loop().run_in_executor(self._pool, ask)

    async def timeline(self, record: ConversationRecord) -> str | None:
        """A summary of the conversation's timeline (``None`` before the first message)."""
        if record.session_id is None:
            return None
        session_id = record.session_id

        def ask() -> str:
            live = self._conversation(record)
            client = live.sync.client(record.skill)
            state = client.state(session_id)
            return summarize_timeline(state.draft or {}, live.conversation.language)

        return await asyncio.get_running_loop().run_in_executor(self._pool, ask)

    async def job(self, link: JobLink, record: ConversationRecord) -> JobRecord | None:
        """The render job as recorded by the conversation's job store."""

        def ask() -> JobRecord | None:
            return self._conversation(record).sync.job_store(record.skill).get(link.id)

        return await asyncio.get_running_loop().run_in_executor(self._pool, ask)

    async def jobs(self, record: ConversationRecord) -> list[JobRecord]:
        """The conversation's render jobs, newest first."""

        def ask() -> list[JobRecord]:
            return self._conversation(record).sync.job_store(record.skill).recent(50)

        return await asyncio.get_running_loop().run_in_executor(self._pool, ask)

    async def close(self, grace: float = 10.0) -> None:
        """Give running messages ``grace`` seconds to finish, stop the rest (their streams
        end with an error and ``done``), then let go of the HTTP clients."""
        if self._tasks:
            _, pending = await asyncio.wait(list(self._tasks), timeout=grace)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.gather(*pending, return_exceptions=True)
        for live in list(self._live.values()):
            await live.runtime.aclose()
        self._pool.shutdown(wait=False)
        self._http.close()
        await self._ahttp.aclose()


def _droppable(event: Event) -> bool:
    return isinstance(event, ProgressEvent) or (isinstance(event, TextEvent) and event.partial)


def _done_failed() -> dict[str, Any]:
    return DoneEvent(ok=False).model_dump(mode="json")
