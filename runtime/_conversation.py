"""A conversation with one skill: each message routed, run, and answered with events.

``send`` routes the message (router, with the skill's keywords), then runs the plan in
order: upload, credits, state and export through the backend client, chat over SSE
(:mod:`skillrt.runtime._chat`). GUI directions in a reply become actions: the state and
credits are shown, export runs the export flow, an edit is sent as the next message
(once), an upload asks for the file. Every failure ends as an :class:`ErrorEvent` worded
for the user, and every ``send`` ends with a :class:`DoneEvent`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from skillrt.errors import CreditsError, InputError, SessionNotFoundError, SkillrtError
from skillrt.i18n import detect_language
from skillrt.log import get_logger
from skillrt.router import KeywordTable, route
from skillrt.runtime._chat import ChatTurn, draft_of
from skillrt.runtime._client import BackendClient
from skillrt.runtime._events import (
    DoneEvent,
    ErrorEvent,
    Event,
    LinkEvent,
    MediaEvent,
    ProgressEvent,
    TextEvent,
)
from skillrt.runtime._export import ExportFlow, ExportProgress, ExportResult
from skillrt.runtime._loader import Skill
from skillrt.runtime._models import UploadProgress, UploadResult
from skillrt.runtime._progress import run_reporting
from skillrt.runtime._replies import error_event, notice, say, unexpected_error_event
from skillrt.runtime._sse import StreamFailure
from skillrt.runtime._stores import JobRecord, JobStore, SessionRecord, SessionStore
from skillrt.translators import GuiAction, summarize_timeline

__all__ = ["Conversation", "ConversationOptions"]

_log = get_logger(__name__)
_RETRY = re.compile(r"^\s*(retry|try again|再试一次|重试|重新发送)\s*[.!。！]?\s*$", re.I)
_MB = 1024 * 1024


@dataclass(frozen=True)
class ConversationOptions:
    """How a conversation behaves where the contract leaves a choice."""

    #: Run the export flow when a reply says "click Export" (contract §7).
    gui_export: bool = True
    #: Send an edit that a reply asks to "drag" as the next message (at most this many).
    max_followups: int = 1
    #: Ask the backend for token-level partial text.
    streaming: bool = False
    #: Where exported MP4s go (``None``: the data dir's ``exports``).
    output_dir: Path | None = None


class Conversation:
    """One skill's conversation on one backend session (created with the first message)."""

    def __init__(
        self,
        *,
        skill: Skill,
        client: BackendClient,
        sessions: SessionStore,
        jobs: JobStore,
        keywords: KeywordTable,
        options: ConversationOptions,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
        record: SessionRecord | None = None,
    ) -> None:
        self.skill = skill
        self.client = client
        self.sessions = sessions
        self.jobs = jobs
        self.options = options
        self._keywords = keywords
        self._clock = clock
        self._sleep = sleep
        self._record = record
        self._language: str | None = record.language if record else None
        self._retry_text: str | None = None
        if record is not None:
            client.language = record.language
            client.session_id = record.session_id

    # -- public ----------------------------------------------------------------------

    @property
    def session_id(self) -> str | None:
        """The backend session, once one exists."""
        return self._record.session_id if self._record else None

    @property
    def task_id(self) -> str | None:
        """The backend task (project), once one exists."""
        return self._record.task_id if self._record else None

    @property
    def language(self) -> str:
        """The conversation's language (detected from the first message)."""
        return self._language or "en"

    def send(
        self, text: str, attachments: Sequence[str | os.PathLike[str]] = ()
    ) -> Iterator[Event]:
        """Handle one user message (and files); yields events, the last a :class:`DoneEvent`."""
        return self._send(text, [os.fspath(a) for a in attachments])

    def retry(self) -> Iterator[Event]:
        """Send again the last message whose result could not be confirmed."""
        return self._send("retry", [])

    def resume_exports(self) -> Iterator[Event]:
        """Deliver renders that an earlier process started and never downloaded."""
        return self._resume_exports()

    # -- one message -----------------------------------------------------------------

    def _send(self, text: str, attachments: list[str]) -> Generator[Event, None, None]:
        ran: list[str] = []
        ok = True
        try:
            ok = yield from self._handle(text, attachments, ran)
        except SkillrtError as exc:
            ok = False
            yield from self._error(exc)
        except Exception as exc:
            ok = False
            yield unexpected_error_event(exc, self.language)
        yield DoneEvent(ok=ok, actions=tuple(ran), session_id=self.session_id)

    def _handle(
        self, text: str, attachments: list[str], ran: list[str]
    ) -> Generator[Event, None, bool]:
        if self._language is None:
            self._language = detect_language(text) if text.strip() else "en"
            self.client.language = self._language
        if not text.strip() and not attachments:
            raise InputError(
                say("conv_empty_message", self.language),
                hint=say("conv_hint_empty_message", self.language),
            )
        if _RETRY.match(text) and not attachments:
            if self._retry_text is None:
                yield notice("conv_nothing_to_retry", self.language)
                return True
            text, self._retry_text = self._retry_text, None
            yield notice("conv_retrying", self.language, text=text)
            ran.append("chat")
            return (yield from self._step("chat", text, attachments, ()))
        plan = route(text, attachments, keywords=self._keywords)
        segments = getattr(plan, "segments", None) or ()
        for index, action in enumerate(plan.plan):
            segment = segments[index] if index < len(segments) and segments[index] else text
            ran.append(action)
            if not (yield from self._step(action, segment, attachments, plan.urls)):
                return False
        return True

    def _step(
        self, action: str, text: str, attachments: list[str], urls: Sequence[str]
    ) -> Generator[Event, None, bool]:
        """Run one action; a session the backend lost is replaced once and the action rerun."""
        try:
            return (yield from self._run(action, text, attachments, urls))
        except SessionNotFoundError:
            if self._record is None:
                raise
            _log.info("conversation.session_lost", action=action)
            self._forget_session()
            yield notice("conv_session_restarted", self.language)
            return (yield from self._run(action, text, attachments, urls))

    def _run(
        self, action: str, text: str, attachments: list[str], urls: Sequence[str]
    ) -> Generator[Event, None, bool]:
        if action == "chat":
            return (yield from self._chat(text, followups=self.options.max_followups))
        if action == "upload":
            return (yield from self._upload(attachments, urls))
        if action == "credits":
            yield self._credits()
            return True
        if action == "state":
            yield from self._state()
            return True
        if action == "export":
            return (yield from self._export())
        raise InputError(f"unknown action {action!r}")

    # -- the session -----------------------------------------------------------------

    def _session(self) -> Generator[Event, None, str]:
        if self._record is not None:
            return self._record.session_id
        info = self.client.create_session(self.language)
        self._record = SessionRecord(
            skill=self.skill.name, origin=self.client.config.origin, task_id=info.task_id,
            session_id=info.session_id, language=self.language,
        )  # fmt: skip
        self.sessions.put(self._record)
        _log.info("conversation.session_created")
        yield LinkEvent(url=self.client.task_link(info.task_id), kind="task",
                        message=say("task_link", self.language, link=self.client.task_link(
                            info.task_id)))  # fmt: skip
        claim = self.client.claim_link(info)
        if claim:
            yield LinkEvent(
                url=claim, kind="claim", message=say("conv_claim_link", self.language, link=claim)
            )
        return info.session_id

    def _forget_session(self) -> None:
        self.sessions.delete(self.skill.name, self.client.config.origin)
        self._record = None

    # -- actions ---------------------------------------------------------------------

    def _chat(
        self, text: str, *, followups: int, done: set[str] | None = None
    ) -> Generator[Event, None, bool]:
        session_id = yield from self._session()
        turn = ChatTurn(
            self.client, session_id, text, language=self.language,
            intervals=self.client.config.intervals, clock=self._clock, sleep=self._sleep,
            before=draft_of(self.client, session_id), streaming=self.options.streaming,
        )  # fmt: skip
        outcome = yield from turn.run()
        if outcome.failures and not outcome.shown:
            yield from self._stream_failure(outcome.failures[-1], text)
            return False
        if not outcome.recovered:
            self._retry_text = text
            return False
        return (yield from self._gui_actions(outcome.actions, followups, done or set()))

    def _gui_actions(
        self, actions: list[GuiAction], followups: int, done: set[str]
    ) -> Generator[Event, None, bool]:
        """Do what the reply's GUI directions asked, each kind once per user message."""
        for action in actions:
            key = action.type if action.type != "edit" else f"edit:{action.message}"
            if key in done:
                continue
            done.add(key)
            if action.type == "state":
                yield from self._state()
            elif action.type == "credits":
                yield self._credits()
            elif action.type == "upload":
                yield notice("conv_ask_file", self.language)
            elif action.type == "export" and self.options.gui_export:
                if not (yield from self._export()):
                    return False
            elif action.type == "edit" and action.message and followups > 0:
                followups -= 1
                yield notice("conv_applying_edit", self.language, message=action.message)
                if not (yield from self._chat(action.message, followups=followups, done=done)):
                    return False
        return True

    def _upload(self, paths: list[str], urls: Sequence[str]) -> Generator[Event, None, bool]:
        if not paths and not urls:
            yield notice("conv_ask_file", self.language)
            return True
        session_id = yield from self._session()
        names: list[str] = []
        if paths:
            result: UploadResult = yield from run_reporting(
                lambda report: self.client.upload_files(session_id, paths, report),
                _UploadReporter(self.language),
            )
            names += [f.filename or "?" for f in result.files] or [Path(p).name for p in paths]
        if urls:
            names += [f.filename or "?" for f in self.client.upload_urls(session_id, urls).files]
        yield TextEvent(text=say("conv_uploaded_names", self.language, names=names), kind="notice")
        return True

    def _credits(self) -> TextEvent:
        balance = self.client.credits()
        return TextEvent(
            text=say(
                "credits_summary",
                self.language,
                available=balance.available,
                frozen=balance.frozen,
                total=balance.total,
            ),
            kind="credits",
        )

    def _state(self) -> Generator[Event, None, None]:
        if self._record is None:
            yield TextEvent(text=say("conv_no_timeline", self.language), kind="timeline")
            return
        state = self.client.state(self._record.session_id)
        yield TextEvent(text=summarize_timeline(state.draft or {}, self.language), kind="timeline")

    def _export(self) -> Generator[Event, None, bool]:
        session_id = yield from self._session()
        task_id = self.task_id

        def work(report: Callable[[ExportProgress], None]) -> ExportResult:
            flow = ExportFlow(
                self.client,
                self.jobs,
                output_dir=self.options.output_dir,
                on_progress=report,
                clock=self._clock,
            )
            return flow.run(session_id, task_id=task_id)

        result: ExportResult = yield from run_reporting(work, _ExportReporter(self.language))
        yield from self._delivered(result)
        return True

    def _resume_exports(self) -> Generator[Event, None, None]:
        origin = self.client.config.origin
        try:
            pending = [j for j in self.jobs.unfinished()
                       if j.skill == self.skill.name and j.origin == origin]  # fmt: skip
        except SkillrtError as exc:
            yield from self._error(exc)
            return
        for job in pending:
            yield notice("resuming", self.language, job_id=job.id)

            def work(
                report: Callable[[ExportProgress], None], job: JobRecord = job
            ) -> ExportResult:
                flow = ExportFlow(self.client, self.jobs, output_dir=self.options.output_dir,
                                  on_progress=report, clock=self._clock)  # fmt: skip
                return flow.resume(job)

            try:
                result = yield from run_reporting(work, _ExportReporter(self.language))
            except SkillrtError as exc:
                yield from self._error(exc)
                continue
            yield from self._delivered(result)

    def _delivered(self, result: ExportResult) -> Generator[Event, None, None]:
        yield MediaEvent(
            path=str(result.path), url=result.url, size=result.size, duration_s=result.duration_s,
            message=say("export_done", self.language, path=str(result.path),
                        size_mb=f"{result.size / _MB:.1f}", duration=result.duration_s),
        )  # fmt: skip
        if result.task_link:
            yield LinkEvent(
                url=result.task_link,
                kind="task",
                message=say("task_link", self.language, link=result.task_link),
            )

    # -- failures --------------------------------------------------------------------

    def _stream_failure(self, failure: StreamFailure, text: str) -> Generator[Event, None, None]:
        from skillrt.runtime._replies import backend_detail

        self._retry_text = text
        if failure.code == "2001":
            yield from self._error(CreditsError(say("err_credits", self.language)))
            return
        yield ErrorEvent(
            code=failure.code or "stream",
            message=say("conv_stream_error", self.language, detail=backend_detail(failure.message)),
            hint=say("conv_hint_retry", self.language),
            exit_code=5,
            retryable=True,
        )

    def _error(self, exc: SkillrtError) -> Generator[Event, None, None]:
        if isinstance(exc, CreditsError) and self.client.auth.anonymous:
            link = self.client.bind_link(exc.bind_id)
            hint = say("hint_credits_anonymous", self.language, link=link)
            yield error_event(CreditsError(exc.message, hint=hint, bind_id=exc.bind_id))
            yield LinkEvent(url=link, kind="bind")
            return
        if isinstance(exc, CreditsError) and not exc.hint:
            exc = CreditsError(exc.message, hint=say("hint_credits_registered", self.language))
        yield error_event(exc)


class _UploadReporter:
    """Upload bytes as progress events, at most one per whole percent."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._last: tuple[int, int] = (-1, -1)

    def __call__(self, item: UploadProgress) -> ProgressEvent | None:
        percent = int(item.sent * 100 / item.total) if item.total else 100
        if (item.index, percent) == self._last:
            return None
        self._last = (item.index, percent)
        message = say(
            "upload_progress",
            self.language,
            name=item.path.name,
            sent_mb=f"{item.sent / _MB:.1f}",
            total_mb=f"{item.total / _MB:.1f}",
        )
        return ProgressEvent(
            stage="upload",
            message=message,
            done=item.sent,
            total=item.total,
            percent=float(percent),
        )


class _ExportReporter:
    """Render percent and download bytes as progress events, each only when it moves."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._last: tuple[str, int] = ("", -1)

    def __call__(self, item: ExportProgress) -> ProgressEvent | None:
        if item.stage == "downloading":
            percent = int(item.received * 100 / item.total) if item.total else 0
            key = ("downloading", percent)
            message = say("downloading", self.language)
            event = ProgressEvent(
                stage="download",
                message=message,
                done=item.received,
                total=item.total,
                percent=float(percent),
            )
        elif item.stage in ("submitted", "rendering"):
            key = ("rendering", item.percent)
            event = ProgressEvent(
                stage="render",
                percent=float(item.percent),
                message=say("render_progress", self.language, percent=item.percent),
            )
        else:
            return None
        if key == self._last:
            return None
        self._last = key
        return event
