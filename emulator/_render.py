"""Render jobs: pending → processing (progress) → completed | failed, in worker threads."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from skillrt.emulator import _fonts
from skillrt.emulator._compose import Source, compose
from skillrt.emulator._context import CATALOG
from skillrt.emulator._settings import EmulatorSettings, FaultSwitches
from skillrt.emulator._store import RenderJob, Store
from skillrt.errors import RenderError
from skillrt.log import get_logger

__all__ = ["RenderManager"]

_log = get_logger(__name__)


class RenderManager:
    """Runs renders on a small thread pool and keeps the number of kept outputs bounded."""

    def __init__(
        self,
        store: Store,
        settings: EmulatorSettings,
        data_dir: Path,
        faults: Callable[[], FaultSwitches],
    ) -> None:
        self._store = store
        self._settings = settings
        self._dir = data_dir / "renders"
        self._music = data_dir / "music"
        self._faults = faults
        self._pool = ThreadPoolExecutor(settings.max_concurrent_renders, "skillrt-render")

    def output_path(self, render_id: str) -> Path:
        """Where the MP4 of ``render_id`` is written."""
        return self._dir / f"{render_id}.mp4"

    def submit(
        self, job: RenderJob, sources: dict[str, Source], *, faults: FaultSwitches | None = None
    ) -> None:
        """Queue ``job``; ``sources`` maps upload URLs of the draft to local files;
        ``faults``: this job's own switches (chaos mode) instead of the ones in force."""
        with self._store.lock:
            self._store.renders[job.render_id] = job
            self._forget_old()
        self._pool.submit(self._run, job, sources, faults)

    def cancel(self, job: RenderJob) -> None:
        """Stop ``job`` (a finished job stays as it was)."""
        job.cancel.set()
        with self._store.lock:
            if job.status in ("pending", "processing"):
                job.status = "cancelled"
                job.error = "cancelled"

    def shutdown(self) -> None:
        """Cancel every running job and wait for the workers."""
        with self._store.lock:
            jobs = list(self._store.renders.values())
        for job in jobs:
            job.cancel.set()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _forget_old(self) -> None:
        finished = [j for j in self._store.renders.values()
                    if j.status in ("completed", "failed", "cancelled")]  # fmt: skip
        while len(self._store.renders) > self._settings.max_renders and finished:
            old = finished.pop(0)
            self._store.renders.pop(old.render_id, None)
            with contextlib.suppress(OSError):
                self.output_path(old.render_id).unlink(missing_ok=True)

    def _set(self, job: RenderJob, **values: object) -> bool:
        """Update ``job`` unless it was cancelled; False when it was."""
        with self._store.lock:
            if job.status == "cancelled":
                return False
            for key, value in values.items():
                setattr(job, key, value)
            return True

    def _run(
        self, job: RenderJob, sources: dict[str, Source], own: FaultSwitches | None = None
    ) -> None:
        started = time.monotonic()
        if not self._set(job, status="processing", progress=1):
            return
        faults = own or self._faults()
        try:
            if faults.render_hang:
                job.cancel.wait()
                return
            if faults.render_fail:
                raise RenderError("render failed on purpose (fault render_fail)")
            self._encode(job, sources)
            self._wait_minimum(job, started)
            self._set(job, status="completed", progress=100, completed_at=time.time(),
                      output_path=str(self.output_path(job.render_id)))  # fmt: skip
        except RenderError as error:
            _log.warning("render failed", render_id=job.render_id, error=str(error))
            self._set(job, status="failed", error=error.message, completed_at=time.time())

    def _wait_minimum(self, job: RenderJob, started: float) -> None:
        total = self._settings.render_min_seconds
        while (elapsed := time.monotonic() - started) < total:
            if job.cancel.wait(min(0.5, total - elapsed)):
                raise RenderError("cancelled")
            self._set(job, progress=max(job.progress, min(99, int(100 * elapsed / total))))

    def _encode(self, job: RenderJob, sources: dict[str, Source]) -> None:
        self._dir.mkdir(parents=True, exist_ok=True)
        workdir = self._dir / f"{job.render_id}.work"
        workdir.mkdir(exist_ok=True)
        partial = self._dir / f"{job.render_id}.part.mp4"
        try:
            plan = compose(
                job.draft, partial, workdir=workdir, music_cache=self._music,
                resolve=sources.get, latin_font=_fonts.latin_font(),
                cjk_font=_fonts.cjk_font(self._settings.cjk_font),
                preset=self._settings.render_preset, threads=self._settings.render_threads,
            )  # fmt: skip
            if plan.skipped_text:
                self._warn(job, len(plan.skipped_text))
            self._run_ffmpeg(job, plan.argv, plan.duration)
            partial.replace(self.output_path(job.render_id))
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
            partial.unlink(missing_ok=True)

    def _warn(self, job: RenderJob, count: int) -> None:
        cjk_missing = _fonts.cjk_font(self._settings.cjk_font) is None
        warning = CATALOG.render("cjk_font_missing" if cjk_missing else "font_missing", "en")
        _log.warning("text left out: no font can draw it", render_id=job.render_id,
                     count=count, hint="apt-get install fonts-wqy-zenhei")  # fmt: skip
        self._set(job, warning=warning)

    def _run_ffmpeg(self, job: RenderJob, argv: list[str], duration: float) -> None:
        process = subprocess.Popen(  # noqa: S603 - the bundled ffmpeg, arguments we build
            argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace"
        )
        stopper = threading.Thread(target=_kill_on_cancel, args=(job, process), daemon=True)
        stopper.start()
        assert process.stdout is not None
        assert process.stderr is not None
        with process.stdout, process.stderr:
            for line in process.stdout:
                if line.startswith("out_time_us=") and duration > 0:
                    with contextlib.suppress(ValueError):
                        done = int(line.split("=", 1)[1]) / 1e6 / duration
                        self._set(job, progress=max(job.progress, min(99, int(done * 100))))
            errors = process.stderr.read()
        code = process.wait()
        if job.cancel.is_set():
            raise RenderError("cancelled")
        if code != 0:
            raise RenderError(f"ffmpeg exited with {code}: {errors.strip()[-400:]}")


def _kill_on_cancel(job: RenderJob, process: subprocess.Popen[str]) -> None:
    while process.poll() is None:
        if job.cancel.wait(0.2):
            process.kill()
            return
