"""skillrt's MCP server: the skills as tools, their manifests and render jobs as resources.

Each tool call that talks to the backend runs the skill's :class:`Conversation` in a
worker thread (the runtime is synchronous) and waits for it, sending a progress
notification at least every ``progress_every`` seconds. A call that would outlast
``call_bound`` seconds returns a ``running`` result with a job id instead; the work goes
on in the server and ``export_status`` waits for it again. A render is recorded in the
job store before it is submitted (the runtime's export flow), an export already running
for a skill is joined rather than started twice, and one left unfinished by an earlier
process is resumed, not rendered again. Cancelling a call stops the waiting only.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import anyio
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.resources import TextResource
from mcp_types import ToolAnnotations

from skillrt import __version__
from skillrt.errors import SkillrtError
from skillrt.i18n import Catalog, detect_language
from skillrt.log import get_logger, redact_text
from skillrt.mcp._models import (
    CreditsResult,
    JobInfo,
    JobsResult,
    LinkInfo,
    MediaInfo,
    MessageResult,
    ProblemInfo,
    SkillInfo,
    SkillsResult,
    TimelineResult,
)
from skillrt.runtime import (
    BackendConfig,
    Conversation,
    DoneEvent,
    ErrorEvent,
    Event,
    Intervals,
    JobRecord,
    LinkEvent,
    MediaEvent,
    ProgressEvent,
    Skill,
    SkillRuntime,
    TextEvent,
)
from skillrt.translators import summarize_timeline

__all__ = ["ServerOptions", "SkillrtMCP", "build_server", "run_server"]

_log = get_logger(__name__)
_TEXT = Catalog("skillrt.mcp")
#: How often a waiting call looks at its work (seconds).
_POLL = 0.05
#: Progress events closer together than this share one notification (upload bytes).
_MIN_NOTE_GAP = 0.25


@dataclass(frozen=True)
class ServerOptions:
    """How ``skillrt mcp`` runs."""

    backend: str = "cloud"
    transport: Literal["stdio", "streamable-http"] = "stdio"
    host: str = "127.0.0.1"
    port: int = 8765
    #: seconds a call waits before it answers "running" with a job id
    call_bound: float = 45.0
    #: at most this many seconds between progress notifications while a call waits
    progress_every: float = 5.0
    #: every runtime wait (render polls, recovery) multiplied by this (tests shrink it)
    time_scale: float = 1.0


class _Work:
    """One conversation run in a worker thread: its events, as they come."""

    def __init__(
        self,
        skill: str,
        kind: Literal["message", "export"],
        language: str,
        run: Callable[[], Iterator[Event]],
        jobs_before: set[str],
    ) -> None:
        self.id = f"work_{uuid.uuid4().hex[:12]}"
        self.skill = skill
        self.kind = kind
        self.language = language
        self.jobs_before = jobs_before
        self.render_job_id: str | None = None
        self.started = time.monotonic()
        self._run = run
        self._lock = threading.Lock()
        self._events: list[Event] = []
        self.crashed = False
        self.done = threading.Event()
        self._thread = threading.Thread(target=self._main, name=f"skillrt-{self.id}", daemon=True)

    def start(self) -> _Work:
        self._thread.start()
        return self

    def _main(self) -> None:
        try:
            for event in self._run():
                with self._lock:
                    self._events.append(event)
        except Exception as exc:  # the runtime turns its own errors into events
            self.crashed = True
            _log.error("mcp.work_crashed", work=self.id, error=type(exc).__name__)
        finally:
            self.done.set()

    def events(self) -> list[Event]:
        with self._lock:
            return list(self._events)


class SkillrtMCP:
    """The tools, resources and running work of one ``skillrt mcp`` process."""

    def __init__(self, runtime: SkillRuntime, options: ServerOptions) -> None:
        self.runtime = runtime
        self.options = options
        self._conversations: dict[str, Conversation] = {}
        self._works: dict[str, _Work] = {}
        self._active: dict[str, _Work] = {}
        self._lock = threading.Lock()

    # -- the conversations -----------------------------------------------------------

    def _skill(self, name: str) -> Skill:
        try:
            return self.runtime.skill(name)
        except SkillrtError as exc:
            raise ToolError(_sentence(exc.message, exc.hint)) from None

    def _conversation(self, skill: str, *, new_project: bool = False) -> Conversation:
        """The skill's conversation (its stored project continues unless ``new_project``)."""
        with self._lock:
            conversation = self._conversations.get(skill)
            if conversation is None or new_project:
                conversation = self.runtime.conversation(skill, resume=not new_project)
                self._conversations[skill] = conversation
            return conversation

    def _jobs_of(self, skill: str) -> list[JobRecord]:
        origin = self.runtime.config_for(self.runtime.skill(skill)).origin
        records = self.runtime.job_store(skill).recent(50)
        return [job for job in records if job.skill == skill and job.origin == origin]

    def _start(
        self,
        skill: str,
        kind: Literal["message", "export"],
        language: str,
        run: Callable[[], Iterator[Event]],
    ) -> _Work:
        """Start ``run`` for ``skill``, unless the skill is busy (then join or refuse)."""
        with self._lock:
            running = self._active.get(skill)
            if running is not None and not running.done.is_set():
                if kind == "export" and running.kind == "export":
                    return running
                raise ToolError(
                    _sentence(
                        _TEXT.render("busy", language, skill=skill, job_id=running.id),
                        _TEXT.render("hint_busy", language, job_id=running.id),
                    )
                )
        before = {job.id for job in self._jobs_of(skill)}
        work = _Work(skill, kind, language, run, before)
        with self._lock:
            self._works[work.id] = work
            self._active[skill] = work
        return work.start()

    # -- waiting ---------------------------------------------------------------------

    async def wait(self, work: _Work, ctx: Context[Any, Any] | None) -> MessageResult:
        """The work's result, or a ``running`` result once the call's bound has passed."""
        clock = anyio.current_time
        deadline = clock() + self.options.call_bound
        last_note = clock()
        seen = 0
        sent = 0
        latest: str | None = None
        news = False
        while not work.done.is_set():
            events = work.events()
            fresh = [e for e in events[seen:] if isinstance(e, ProgressEvent)]
            seen = len(events)
            if fresh:
                latest, news = fresh[-1].message, True
            now = clock()
            quiet = now - last_note
            if (news and quiet >= _MIN_NOTE_GAP) or quiet >= self.options.progress_every:
                sent += 1
                seconds = round(time.monotonic() - work.started)
                note = latest if news and latest else None
                if note is None:
                    note = _TEXT.render("working", work.language, seconds=seconds)
                if ctx is not None:
                    await ctx.report_progress(sent, None, note)
                last_note, news = now, False
            if now >= deadline:
                return await self._running(work, latest)
            await anyio.sleep(_POLL)
        if work.render_job_id is None and work.kind == "export":
            await self._note_render(work)
        result = self._finished(work)
        result.render_job_id = work.render_job_id
        return result

    async def _note_render(self, work: _Work) -> None:
        """Remember the render job this work started (the newest one it added)."""
        fresh = await anyio.to_thread.run_sync(self._jobs_of, work.skill)
        new = [job.id for job in fresh if job.id not in work.jobs_before]
        work.render_job_id = new[0] if new else None

    async def _running(self, work: _Work, latest: str | None) -> MessageResult:
        if work.render_job_id is None:
            await self._note_render(work)
        return MessageResult(
            status="running",
            job_id=work.id,
            skill=work.skill,
            render_job_id=work.render_job_id,
            progress=latest,
            message=_TEXT.render("still_running", work.language, job_id=work.id),
        )

    def _finished(self, work: _Work) -> MessageResult:
        if work.crashed:
            raise ToolError(
                _sentence(
                    _TEXT.render("unexpected", work.language),
                    _TEXT.render("hint_unexpected", work.language),
                )
            )
        result = MessageResult(status="done", job_id=work.id, skill=work.skill)
        ok = True
        for event in work.events():
            if isinstance(event, TextEvent) and not event.partial:
                result.replies.append(event.text)
            elif isinstance(event, MediaEvent):
                result.media.append(
                    MediaInfo(
                        path=event.path, size=event.size, duration_s=event.duration_s, url=event.url
                    )
                )
            elif isinstance(event, LinkEvent):
                result.links.append(LinkInfo(url=event.url, kind=event.kind))
            elif isinstance(event, ErrorEvent):
                result.errors.append(
                    ProblemInfo(
                        code=event.code,
                        message=event.message,
                        hint=event.hint,
                        retryable=event.retryable,
                    )
                )
            elif isinstance(event, DoneEvent):
                ok = event.ok
                result.session_id = event.session_id
        if not ok:
            if result.errors:
                last = result.errors[-1]
                raise ToolError(_sentence(last.message, last.hint))
            raise ToolError(_TEXT.render("failed", work.language))
        return result

    # -- the tools -------------------------------------------------------------------

    def list_skills(self) -> SkillsResult:
        """Every skill, with example requests."""
        return SkillsResult(
            skills=[
                SkillInfo(
                    name=skill.name,
                    display_name=skill.manifest.display_name,
                    version=skill.version,
                    description=skill.manifest.description,
                    try_saying=skill.manifest.runtime.try_saying.all(),
                    resource=_skill_uri(skill.name),
                )
                for skill in sorted(self.runtime.skills.values(), key=lambda s: s.name)
            ]
        )

    async def send_message(
        self,
        skill: str,
        message: str,
        files: list[str],
        new_project: bool,
        ctx: Context[Any, Any] | None,
    ) -> MessageResult:
        """Send one message (and files) to a skill; its replies, media, links, errors."""
        self._skill(skill)
        language = detect_language(message) if message.strip() else "en"
        paths = [str(Path(f).expanduser()) for f in files]

        def run() -> Iterator[Event]:
            conversation = self._conversation(skill, new_project=new_project)
            return conversation.send(message, paths)

        work = self._start(skill, "message", language, run)
        return await self.wait(work, ctx)

    async def export_video(self, skill: str, ctx: Context[Any, Any] | None) -> MessageResult:
        """Render the project's timeline to an MP4 (joins an export already running)."""
        self._skill(skill)
        unfinished = [j for j in await anyio.to_thread.run_sync(self._jobs_of, skill)
                      if not j.finished]  # fmt: skip
        language = unfinished[0].language if unfinished else self._language(skill)

        def run() -> Iterator[Event]:
            conversation = self._conversation(skill)
            if unfinished:
                return _with_done(conversation.resume_exports(), conversation)
            return conversation.send("export")

        work = self._start(skill, "export", language, run)
        if unfinished and work.render_job_id is None:
            work.render_job_id = unfinished[0].id
        return await self.wait(work, ctx)

    async def export_status(self, job_id: str, ctx: Context[Any, Any] | None) -> MessageResult:
        """Wait again for work a call left running, or read a render job's outcome."""
        with self._lock:
            work = self._works.get(job_id) or next(
                (w for w in self._works.values() if w.render_job_id == job_id), None
            )
        if work is not None:
            return await self.wait(work, ctx)
        record = await anyio.to_thread.run_sync(self._find_job, job_id)
        if record is None:
            raise ToolError(
                _sentence(
                    _TEXT.render("unknown_job", "en", job_id=job_id),
                    _TEXT.render("hint_unknown_job", "en"),
                )
            )
        if not record.finished:
            return await self.export_video(record.skill, ctx)
        return _job_outcome(record)

    def _find_job(self, job_id: str) -> JobRecord | None:
        for skill in self.runtime.skills:
            record = self.runtime.job_store(skill).get(job_id)
            if record is not None:
                return record
        return None

    def _language(self, skill: str) -> str:
        conversation = self._conversations.get(skill)
        return conversation.language if conversation is not None else "en"

    def get_credits(self, skill: str | None) -> CreditsResult:
        """The balance of the account the skill's backend uses."""
        name = skill or min(self.runtime.skills)
        self._skill(name)
        try:
            balance = self.runtime.client(name).credits()
        except SkillrtError as exc:
            raise ToolError(_sentence(exc.message, exc.hint)) from None
        return CreditsResult(
            available=float(balance.available),
            frozen=float(balance.frozen),
            total=float(balance.total),
        )

    def get_timeline(self, skill: str) -> TimelineResult:
        """The current project's timeline, as a summary."""
        self._skill(skill)
        conversation = self._conversation(skill)
        session_id = conversation.session_id
        if session_id is None:
            return TimelineResult(
                skill=skill,
                session_id=None,
                summary=_TEXT.render("no_timeline", conversation.language),
            )
        try:
            state = conversation.client.state(session_id)
        except SkillrtError as exc:
            raise ToolError(_sentence(exc.message, exc.hint)) from None
        summary = summarize_timeline(state.draft or {}, conversation.language)
        return TimelineResult(skill=skill, session_id=session_id, summary=summary)

    def list_jobs(self, skill: str | None, limit: int) -> JobsResult:
        """Render jobs, newest first, and the work running now."""
        names = [skill] if skill else sorted(self.runtime.skills)
        for name in names:
            self._skill(name)
        records: dict[str, JobRecord] = {}
        for name in names:
            for job in self.runtime.job_store(name).recent(limit):
                if job.skill in names:
                    records.setdefault(job.id, job)
        jobs = sorted(records.values(), key=lambda j: j.created, reverse=True)[:limit]
        with self._lock:
            live = [w for w in self._works.values() if not w.done.is_set() and w.skill in names]
        return JobsResult(
            jobs=[_job_info(job) for job in jobs],
            running=[
                JobInfo(job_id=w.id, skill=w.skill, status="running", resource=_job_uri(w.id))
                for w in live
            ],
        )

    def job_resource(self, job_id: str) -> str:
        """A render job (or running work) as JSON."""
        with self._lock:
            work = self._works.get(job_id)
        if work is not None:
            status = "done" if work.done.is_set() else "running"
            info = JobInfo(
                job_id=work.id, skill=work.skill, status=status, resource=_job_uri(work.id)
            )
            return info.model_dump_json()
        record = self._find_job(job_id)
        if record is None:
            raise ToolError(_TEXT.render("unknown_job", "en", job_id=job_id))
        return _job_info(record).model_dump_json()


def _with_done(events: Iterator[Event], conversation: Conversation) -> Iterator[Event]:
    """``resume_exports`` events, closed with a :class:`DoneEvent` like ``send``'s."""
    ok = True
    for event in events:
        ok = ok and not isinstance(event, ErrorEvent)
        yield event
    yield DoneEvent(ok=ok, actions=("export",), session_id=conversation.session_id)


def _job_outcome(record: JobRecord) -> MessageResult:
    if record.status != "delivered" or record.path is None:
        raise ToolError(
            _sentence(
                _TEXT.render("job_failed", record.language, job_id=record.id,
                             error=record.error or record.status),
                _TEXT.render("hint_job_failed", record.language),
            )
        )  # fmt: skip
    path = Path(record.path)
    if not path.is_file():
        raise ToolError(
            _sentence(
                _TEXT.render("file_missing", record.language, path=record.path),
                _TEXT.render("hint_file_missing", record.language),
            )
        )
    return MessageResult(
        status="done",
        job_id=record.id,
        skill=record.skill,
        session_id=record.session_id,
        render_job_id=record.id,
        media=[MediaInfo(path=str(path), size=path.stat().st_size, url=record.output_url)],
    )


def _job_info(job: JobRecord) -> JobInfo:
    return JobInfo(
        job_id=job.id,
        skill=job.skill,
        status=job.status,
        progress=job.progress,
        path=job.path,
        size=job.size,
        error=job.error,
        resource=_job_uri(job.id),
    )


def _sentence(message: str, hint: str | None) -> str:
    text = f"{message} {hint}" if hint else message
    return redact_text(text)


def _skill_uri(name: str) -> str:
    return f"skill://{name}/SKILL.md"


def _job_uri(job_id: str) -> str:
    return f"job://{job_id}"


def build_server(runtime: SkillRuntime, options: ServerOptions) -> MCPServer[Any]:
    """The MCP server over ``runtime``: tools, the skills' SKILL.md, render jobs."""
    state = SkillrtMCP(runtime, options)
    server: MCPServer[Any] = MCPServer(
        name="skillrt",
        title="skillrt video skills",
        version=__version__,
        instructions=(
            "Make and edit videos with NemoVideo skills. Call list_skills, then send_message "
            "with the user's request; export_video renders the MP4. A result with status "
            "'running' carries a job_id: call export_status with it until status is 'done'."
        ),
        log_level="WARNING",
    )
    read_only = ToolAnnotations(read_only_hint=True, open_world_hint=False)

    @server.tool(annotations=read_only)
    def list_skills() -> SkillsResult:
        """List the video skills, with what each does and example requests."""
        return state.list_skills()

    @server.tool()
    async def send_message(
        skill: str,
        message: str,
        ctx: Context[Any, Any],
        files: list[str] | None = None,
        new_project: bool = False,
    ) -> MessageResult:
        """Send the user's request (and local files to upload) to a skill.

        Returns the skill's replies, finished videos (path, size, duration), links and
        session id. Continues the skill's current project unless new_project is true.
        status 'running' means it is still working: call export_status(job_id).
        """
        return await state.send_message(skill, message, files or [], new_project, ctx)

    @server.tool(annotations=read_only)
    async def get_credits(skill: str | None = None) -> CreditsResult:
        """The account's credits: available, frozen by running work, total."""
        return await anyio.to_thread.run_sync(state.get_credits, skill)

    @server.tool(annotations=read_only)
    async def get_timeline(skill: str) -> TimelineResult:
        """Summarize the current project's timeline (scenes, music, titles, captions)."""
        return await anyio.to_thread.run_sync(state.get_timeline, skill)

    @server.tool()
    async def export_video(skill: str, ctx: Context[Any, Any]) -> MessageResult:
        """Render the current project to an MP4 and download it; returns its path.

        Joins an export of this skill already running instead of starting another.
        status 'running' means the render goes on: call export_status(job_id).
        """
        return await state.export_video(skill, ctx)

    @server.tool()
    async def export_status(job_id: str, ctx: Context[Any, Any]) -> MessageResult:
        """Wait again for a job a call left running (or read a render job's outcome)."""
        return await state.export_status(job_id, ctx)

    @server.tool(annotations=read_only)
    async def list_jobs(skill: str | None = None, limit: int = 20) -> JobsResult:
        """Render jobs, newest first, and work still running in this server."""
        return await anyio.to_thread.run_sync(state.list_jobs, skill, max(1, min(limit, 200)))

    for skill in runtime.skills.values():
        server.add_resource(
            TextResource(
                uri=_skill_uri(skill.name),
                name=skill.name,
                title=skill.manifest.display_name,
                description=f"The instructions of the {skill.name} skill (SKILL.md).",
                mime_type="text/markdown",
                text=skill.path.read_text(encoding="utf-8"),
            )
        )

    @server.resource("job://{job_id}", name="render-job", mime_type="application/json")
    async def job(job_id: str) -> str:
        """A render job: status, progress, the MP4's path once done."""
        return await anyio.to_thread.run_sync(state.job_resource, job_id)

    return server


def run_server(options: ServerOptions, config: BackendConfig | None) -> None:
    """Run the server until the client disconnects (stdio) or the process is stopped."""
    intervals = Intervals().scaled(options.time_scale) if options.time_scale != 1.0 else None
    with SkillRuntime(config=config, intervals=intervals) as runtime:
        server = build_server(runtime, options)
        if options.transport == "stdio":
            server.run("stdio")
        else:
            server.run("streamable-http", host=options.host, port=options.port)
