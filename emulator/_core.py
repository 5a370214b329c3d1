"""The state one emulator shares between its API origin, its CDN origin and its workers."""

from __future__ import annotations

import shutil
import tempfile
import threading
from pathlib import Path

from skillrt.emulator import _fonts
from skillrt.emulator._chaos import Chaos, Drawn, Stats
from skillrt.emulator._chat import TurnRunner
from skillrt.emulator._context import CATALOG
from skillrt.emulator._render import RenderManager
from skillrt.emulator._script import ScriptedTurn
from skillrt.emulator._settings import EmulatorSettings, FaultSwitches
from skillrt.emulator._store import Store
from skillrt.log import get_logger

__all__ = ["Emulator"]

_log = get_logger(__name__)


class Emulator:
    """Settings, memory, files, faults and workers of one emulator instance."""

    def __init__(self, settings: EmulatorSettings | None = None) -> None:
        self.settings = settings or EmulatorSettings()
        self._owns_dir = self.settings.data_dir is None
        if self.settings.data_dir is None:
            self.data_dir = Path(tempfile.mkdtemp(prefix="skillrt-emulator-"))
        else:
            self.data_dir = self.settings.data_dir
            self.data_dir.mkdir(parents=True, exist_ok=True)
        self.store = Store(self.settings.max_sessions)
        self._faults = self.settings.faults.model_copy()
        self._faults_lock = threading.Lock()
        self.http_faults_used = 0
        #: what the emulator received (``GET /__emulator__/stats``)
        self.stats = Stats()
        self.chaos = Chaos(self.settings.chaos, self.settings.seed,
                           stall_seconds=self.settings.chaos_stall_seconds)  # fmt: skip
        self.runner = TurnRunner()
        self.renders = RenderManager(self.store, self.settings, self.data_dir, self.faults)
        self._script: ScriptedTurn | None = None

    @property
    def uploads_dir(self) -> Path:
        """Where uploaded files are kept (one folder per session)."""
        return self.data_dir / "uploads"

    def faults(self) -> FaultSwitches:
        """The fault switches in force now."""
        with self._faults_lock:
            return self._faults

    def set_faults(self, switches: FaultSwitches) -> None:
        """Replace the fault switches."""
        with self._faults_lock:
            self._faults = switches
            self.http_faults_used = 0

    def set_script(self, script: ScriptedTurn | None) -> None:
        """What the next chat turn plays instead of the agent's answer (``None``: nothing)."""
        with self._faults_lock:
            self._script = script

    def take_script(self) -> ScriptedTurn | None:
        """The scripted turn, once: the turn after it is the agent's again."""
        with self._faults_lock:
            script, self._script = self._script, None
            return script

    def take_http_fault(self, path: str) -> int | None:
        """The status to fail this request with, if an HTTP fault applies to ``path``."""
        with self._faults_lock:
            faults = self._faults
            if faults.http_status is None:
                return None
            if faults.http_status_path and not path.startswith(faults.http_status_path):
                return None
            if faults.http_status_times is not None:
                if self.http_faults_used >= faults.http_status_times:
                    return None
                self.http_faults_used += 1
            return faults.http_status

    def draw_chaos(self, method: str, path: str) -> Drawn | None:
        """Chaos mode's fault for one API request (counted), or ``None``."""
        drawn = self.chaos.draw(method, path)
        if drawn is not None:
            self.stats.fault(drawn)
        return drawn

    def font_warning(self) -> str | None:
        """Why renders leave Chinese text out (no CJK font), or ``None`` when they do not.

        Fonts matter to renders only: this goes to the log, the render's status and
        ``skillrt emulator serve``'s start-up line, never into a chat reply.
        """
        if _fonts.cjk_font(self.settings.cjk_font) is not None:
            return None
        return CATALOG.render("cjk_font_missing", "en")

    def clean(self) -> None:
        """Delete uploads and renders, and forget sessions and render jobs (tokens stay)."""
        with self.store.lock:
            self.store.sessions.clear()
            self.store.renders.clear()
        for folder in (self.uploads_dir, self.data_dir / "renders"):
            shutil.rmtree(folder, ignore_errors=True)

    def close(self) -> None:
        """Stop the workers; remove the data folder when it was a temporary one."""
        self.renders.shutdown()
        if self._owns_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)
