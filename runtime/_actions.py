"""What a conversation does without the chat: upload, credits, state and export.

Each handler is a generator of events for one action of a user's message (routed there
by the router, or asked for by a reply's GUI direction). They share the conversation's
session (created on first use, see :class:`SessionHost`) and its backend client.

Renders are not repeated for nothing: one user message exports at most once (a reply's
"click Export" and the user's own "export" in the same message are one export), and a
draft identical to the session's last delivered export gets that MP4 again, said so.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from skillrt.errors import InputError, SessionNotFoundError, SkillrtError
from skillrt.log import get_logger
from skillrt.runtime._client import BackendClient
from skillrt.runtime._events import Event, LinkEvent, MediaEvent, TextEvent
from skillrt.runtime._export import ExportFlow, ExportProgress, ExportResult
from skillrt.runtime._models import UploadResult
from skillrt.runtime._progress import run_reporting
from skillrt.runtime._replies import failure_events, notice, say
from skillrt.runtime._reporters import MB, ExportReporter, UploadReporter
from skillrt.runtime._stores import JobRecord, JobStore
from skillrt.runtime._upload import check_files
from skillrt.translators import is_exportable, summarize_timeline

if TYPE_CHECKING:
    from skillrt.runtime._conversation import ConversationOptions

__all__ = ["Actions", "SessionHost"]

_log = get_logger(__name__)


class SessionHost(Protocol):
    """The conversation as the actions see it: its language and its backend session."""

    @property
    def language(self) -> str:
        """The conversation's language."""

    @property
    def session_id(self) -> str | None:
        """The backend session, once one exists."""

    @property
    def task_id(self) -> str | None:
        """The backend task (project), once one exists."""

    def ensure_session(self) -> Generator[Event, None, str]:
        """The session id, creating the session (and yielding its links) on first use."""


class Actions:
    """The non-chat actions of one conversation."""

    def __init__(
        self,
        host: SessionHost,
        client: BackendClient,
        jobs: JobStore,
        *,
        options: ConversationOptions,
        clock: Callable[[], float],
    ) -> None:
        self.host = host
        self.client = client
        self.jobs = jobs
        self.options = options
        self.clock = clock
        self._exported = False
        self._restarted = False

    def begin_message(self) -> None:
        """A new user message: it may export once."""
        self._exported = False
        self._restarted = False

    def session_restarted(self) -> None:
        """The backend lost the session in this message; a new, empty one replaces it."""
        self._restarted = True

    @property
    def language(self) -> str:
        """The conversation's language."""
        return self.host.language

    def upload(self, paths: list[str], urls: Sequence[str]) -> Generator[Event, None, bool]:
        """Upload local files (with byte progress) and URLs; ask for a file when none."""
        if not paths and not urls:
            yield notice("conv_ask_file", self.language)
            return True
        if paths:  # a file refused locally needs no project on the backend
            check_files(paths, self.client.skill.manifest.runtime.upload, self.language)
        session_id = yield from self.host.ensure_session()
        names: list[str] = []
        if paths:
            result: UploadResult = yield from run_reporting(
                lambda report: self.client.upload_files(session_id, paths, report),
                UploadReporter(self.language),
            )
            names += [f.filename or "?" for f in result.files] or [Path(p).name for p in paths]
        if urls:
            names += [f.filename or "?" for f in self.client.upload_urls(session_id, urls).files]
        yield TextEvent(text=say("conv_uploaded_names", self.language, names=names), kind="notice")
        return True

    def credits(self) -> TextEvent:
        """The balance: available, frozen by running work, total."""
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

    def state(self) -> Generator[Event, None, None]:
        """The timeline summary (or that there is none yet)."""
        session_id = self.host.session_id
        if session_id is None:
            yield TextEvent(text=say("conv_no_timeline", self.language), kind="timeline")
            return
        state = self.client.state(session_id)
        yield TextEvent(text=summarize_timeline(state.draft or {}, self.language), kind="timeline")

    def export(self) -> Generator[Event, None, bool]:
        """Render the session's draft and deliver the MP4, with render and download progress.

        A second export in the same user message does nothing; an unchanged draft gets its
        earlier MP4 back without a render.
        """
        if self._exported:
            _log.info("conversation.export_skipped", reason="already exported for this message")
            return True
        session_id = yield from self.host.ensure_session()
        task_id = self.host.task_id
        draft: object = None
        if self._restarted:
            # The project was lost in this message: the new one starts with an empty
            # timeline, which is said as such (not as a generic "nothing to export").
            draft = self.client.state(session_id).draft
            if not is_exportable(draft):
                self._exported = True
                raise InputError(
                    say("conv_export_session_lost", self.language),
                    hint=say("conv_hint_export_session_lost", self.language),
                )

        def work(report: Callable[[ExportProgress], None]) -> ExportResult:
            return self._flow(report).run(session_id, task_id=task_id, draft=draft, reuse=True)

        try:
            result: ExportResult = yield from run_reporting(work, ExportReporter(self.language))
        except SessionNotFoundError:
            raise  # nothing ran: the export is tried again on the new session
        except SkillrtError:
            self._exported = True  # it ran and failed; once per message still holds
            raise
        self._exported = True
        yield from self.delivered(result)
        return True

    def resume_exports(self) -> Generator[Event, None, None]:
        """Deliver renders an earlier process of this skill and origin left unfinished."""
        origin = self.client.config.origin
        try:
            pending = [j for j in self.jobs.unfinished()
                       if j.skill == self.client.skill.name and j.origin == origin]  # fmt: skip
        except SkillrtError as exc:
            yield from failure_events(exc, self.client, self.language)
            return
        for job in pending:
            yield notice("resuming", self.language, job_id=job.id)

            def work(
                report: Callable[[ExportProgress], None], job: JobRecord = job
            ) -> ExportResult:
                return self._flow(report).resume(job)

            try:
                result = yield from run_reporting(work, ExportReporter(self.language))
            except SkillrtError as exc:
                yield from failure_events(exc, self.client, self.language)
                continue
            yield from self.delivered(result)

    def delivered(self, result: ExportResult) -> Generator[Event, None, None]:
        """The MP4 (path, size, duration) and the project link."""
        name = "export_reused" if result.reused else "export_done"
        yield MediaEvent(
            path=str(result.path), url=result.url, size=result.size, duration_s=result.duration_s,
            message=say(name, self.language, path=str(result.path),
                        size_mb=f"{result.size / MB:.1f}", duration=result.duration_s),
        )  # fmt: skip
        if result.task_link:
            yield LinkEvent(
                url=result.task_link,
                kind="task",
                message=say("task_link", self.language, link=result.task_link),
            )

    def _flow(self, report: Callable[[ExportProgress], None]) -> ExportFlow:
        return ExportFlow(
            self.client,
            self.jobs,
            output_dir=self.options.output_dir,
            on_progress=report,
            clock=self.clock,
        )
