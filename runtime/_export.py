"""The export flow: state → render → poll → download, with every job recorded first.

A job is written to the :class:`~skillrt.runtime._stores.JobStore` before it is submitted,
and its status after every poll, so a process that dies (a closed terminal) leaves a record
that :meth:`ExportFlow.resume` picks up: the render keeps running on the server and the
next ``skillrt export --resume`` (or chat session) delivers it.

Each job records a fingerprint of the draft it renders. With ``reuse``, exporting a draft
identical to the session's last delivered export hands back that MP4 (when the file is
still there, whole) instead of rendering the same video again.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from skillrt.errors import (
    AuthError,
    BackendError,
    CreditsError,
    InputError,
    PlanError,
    RenderError,
    SkillrtError,
    TransportError,
)
from skillrt.log import get_logger
from skillrt.runtime._client import BackendClient
from skillrt.runtime._envelope import messages
from skillrt.runtime._models import DownloadProgress, RenderStatus
from skillrt.runtime._stores import JobRecord, JobStore
from skillrt.translators import is_exportable

__all__ = [
    "ExportFlow",
    "ExportProgress",
    "ExportResult",
    "draft_fingerprint",
    "is_exportable",
    "new_render_id",
    "probe_duration",
]

_log = get_logger(__name__)
_NOT_RETRIED = (PlanError, CreditsError, AuthError)


def new_render_id(clock: Callable[[], float] = time.time) -> str:
    """A fresh ``render_<milliseconds>`` id."""
    return f"render_{int(clock() * 1000)}"


def draft_fingerprint(draft: object) -> str:
    """A stable hash of a draft: equal for drafts with equal content, key order aside."""
    text = json.dumps(draft, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def probe_duration(path: Path) -> float | None:
    """The media duration in seconds via the imageio-ffmpeg binary; ``None`` without it."""
    try:
        import imageio_ffmpeg

        ffmpeg = str(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError):
        return None
    try:
        done = subprocess.run(  # noqa: S603 - a fixed binary and a path, no shell
            [ffmpeg, "-hide_banner", "-i", str(path)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"Duration:\s*(\d+):(\d+):(\d+(?:\.\d+)?)", done.stderr)
    if found is None:
        return None
    hours, minutes, seconds = found.groups()
    return round(int(hours) * 3600 + int(minutes) * 60 + float(seconds), 2)


Stage = Literal["submitted", "rendering", "downloading", "done"]


@dataclass(frozen=True)
class ExportProgress:
    """Where an export is: render ``percent``, or bytes ``received`` of ``total``."""

    job_id: str
    stage: Stage
    percent: int = 0
    received: int = 0
    total: int | None = None


@dataclass(frozen=True)
class ExportResult:
    """A delivered MP4."""

    job_id: str
    path: Path
    size: int
    duration_s: float | None
    url: str | None
    task_link: str | None
    #: the MP4 of an earlier export of the same draft, handed back without rendering
    reused: bool = False


class ExportFlow:
    """Runs exports for one client (one skill on one origin), recording every job."""

    def __init__(
        self,
        client: BackendClient,
        jobs: JobStore,
        *,
        output_dir: Path | None = None,
        on_progress: Callable[[ExportProgress], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.jobs = jobs
        self.output_dir = output_dir or client.config.data_dir / "exports"
        self.on_progress = on_progress
        self.clock = clock

    def _emit(self, progress: ExportProgress) -> None:
        if self.on_progress is not None:
            self.on_progress(progress)

    def _t(self, name: str, **context: object) -> str:
        return messages().render(name, self.client.language, **context)

    def run(
        self,
        session_id: str,
        *,
        task_id: str | None = None,
        dest: Path | None = None,
        draft: object = None,
        reuse: bool = False,
    ) -> ExportResult:
        """Export the session's current draft (queried unless given) to ``dest``.

        With ``reuse`` (and no ``dest``), a draft identical to the one of the session's last
        delivered export gives that MP4 back (``reused``) when the file is still whole.
        """
        if draft is None:
            draft = self.client.state(session_id).draft
        if not is_exportable(draft):
            raise InputError(self._t("err_not_exportable"), hint=self._t("hint_not_exportable"))
        fingerprint = draft_fingerprint(draft)
        if reuse and dest is None:
            earlier = self._reusable(session_id, fingerprint)
            if earlier is not None:
                return earlier
        job = self._submit(session_id, draft, task_id=task_id, dest=dest, draft_hash=fingerprint)
        return self.follow(job)

    def last_delivered(self, session_id: str) -> JobRecord | None:
        """The session's newest delivered export on this origin, if any."""
        origin = self.client.config.origin
        delivered = [j for j in self.jobs.recent(limit=200)
                     if j.session_id == session_id and j.origin == origin
                     and j.status == "delivered"]  # fmt: skip
        return max(delivered, key=lambda j: j.created, default=None)

    def _reusable(self, session_id: str, fingerprint: str) -> ExportResult | None:
        last = self.last_delivered(session_id)
        if last is None or last.draft_hash != fingerprint or not last.path:
            return None
        path = Path(last.path)
        try:
            size = path.stat().st_size
        except OSError:
            return None
        if size == 0 or (last.size is not None and size != last.size):
            _log.info("render.reuse_refused", job=last.id, reason="file changed")
            return None
        _log.info("render.reused", job=last.id)
        link = self.client.task_link(last.task_id) if last.task_id else None
        return ExportResult(job_id=last.id, path=path, size=size,
                            duration_s=probe_duration(path), url=last.output_url,
                            task_link=link, reused=True)  # fmt: skip

    def _record(
        self, session_id: str, task_id: str | None, dest: Path | None, draft_hash: str | None
    ) -> JobRecord:
        render_id = new_render_id()
        while self.jobs.get(render_id) is not None:  # two exports within one millisecond
            time.sleep(0.001)
            render_id = new_render_id()
        target = dest or self.output_dir / f"{self.client.skill.name}-{render_id}.mp4"
        job = JobRecord(
            id=render_id,
            session_id=session_id,
            skill=self.client.skill.name,
            origin=self.client.config.origin,
            status="submitting",
            path=str(target),
            task_id=task_id,
            language=self.client.language,
            draft_hash=draft_hash,
        )
        self.jobs.add(job)
        return job

    def _submit(
        self,
        session_id: str,
        draft: object,
        *,
        task_id: str | None,
        dest: Path | None,
        draft_hash: str | None = None,
    ) -> JobRecord:
        for attempt in (1, 2):
            job = self._record(session_id, task_id, dest, draft_hash)
            try:
                accepted = self.client.submit_render(session_id, draft, job.id)
            except _NOT_RETRIED as exc:
                self.jobs.update(job.id, status="failed", error=exc.message)
                raise
            except (BackendError, TransportError) as exc:
                self.jobs.update(job.id, status="failed", error=exc.message)
                _log.warning("render.submit_failed", job=job.id, attempt=attempt)
                if attempt == 2:
                    raise
                continue
            job = self.jobs.update(job.id, status=accepted.status, progress=accepted.progress)
            self._emit(ExportProgress(job.id, "submitted", accepted.progress))
            return job
        raise AssertionError("unreachable")  # pragma: no cover

    def follow(self, job: JobRecord) -> ExportResult:
        """Poll ``job`` until it completes (then download) or fails, within the deadline."""
        status = self._poll(job)
        return self._deliver(job, status)

    def _poll(self, job: JobRecord) -> RenderStatus:
        intervals = self.client.config.intervals
        # The deadline counts from when the job was recorded, so a resumed job that has
        # already been waited on is not given the whole time again (and never forever).
        waited = max(0.0, time.time() - job.created)
        deadline = self.clock() + max(0.0, intervals.render_deadline - waited)
        while True:
            try:
                status = self.client.render_status(job.id)
            except RenderError as exc:
                self.jobs.update(job.id, status="failed", error=exc.message)
                raise
            self.jobs.update(
                job.id, status=status.status, progress=status.progress, output_url=status.output_url
            )
            self._emit(ExportProgress(job.id, "rendering", status.progress))
            if status.status == "completed":
                return status
            if status.finished:
                self.jobs.update(job.id, error=status.error)
                raise RenderError(
                    self._t("err_render_failed", detail=status.error),
                    code=status.status,
                    hint=self._t("hint_render_failed"),
                )
            if self.clock() >= deadline:
                raise self._give_up(job)
            self.client.sleep(intervals.render_poll)

    def _give_up(self, job: JobRecord) -> RenderError:
        """Past the deadline: cancel the render on the server (contract §4) and mark the job
        so that nothing polls it again; the error to raise says which happened."""
        minutes = max(1, round(self.client.config.intervals.render_deadline / 60))
        try:
            self.client.cancel_render(job.id)
        except SkillrtError as exc:
            _log.warning("render.cancel_failed", job=job.id, error=type(exc).__name__)
            self.jobs.update(job.id, status="cancelled", error="gave up; cancel not confirmed")
            return RenderError(
                self._t("err_render_given_up_uncancelled", minutes=minutes),
                code="timeout",
                hint=self._t("hint_render_given_up"),
            )
        _log.info("render.cancelled", job=job.id)
        self.jobs.update(job.id, status="cancelled", error="gave up; cancelled on the server")
        return RenderError(
            self._t("err_render_given_up", minutes=minutes),
            code="timeout",
            hint=self._t("hint_render_given_up"),
        )

    def _deliver(self, job: JobRecord, status: RenderStatus) -> ExportResult:
        dest = Path(job.path) if job.path else self.output_dir / f"{job.id}.mp4"

        def progress(item: DownloadProgress) -> None:
            self._emit(ExportProgress(job.id, "downloading", 100, item.received, item.total))

        path = self.client.download_output(status, dest, progress)
        size = path.stat().st_size
        self.jobs.update(job.id, status="delivered", progress=100, path=str(path), size=size)
        self._emit(ExportProgress(job.id, "done", 100, size, size))
        link = self.client.task_link(job.task_id) if job.task_id else None
        return ExportResult(
            job_id=job.id,
            path=path,
            size=size,
            duration_s=probe_duration(path),
            url=status.output_url,
            task_link=link,
        )

    def resume(self, job: JobRecord) -> ExportResult:
        """Pick up a recorded job (poll, then download) after the process that began it died."""
        return self.follow(job)
