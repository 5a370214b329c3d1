"""What the backend client returns, read leniently from every answer shape of the contract."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "Credits",
    "DownloadProgress",
    "RenderJob",
    "RenderState",
    "RenderStatus",
    "SessionInfo",
    "SessionState",
    "UploadProgress",
    "UploadResult",
    "UploadedFile",
]

RenderState = Literal["pending", "processing", "completed", "failed", "cancelled"]
_RENDER_STATES: dict[str, RenderState] = {
    "pending": "pending",
    "queued": "pending",
    "submitted": "pending",
    "processing": "processing",
    "running": "processing",
    "rendering": "processing",
    "completed": "completed",
    "complete": "completed",
    "done": "completed",
    "succeeded": "completed",
    "success": "completed",
    "failed": "failed",
    "error": "failed",
    "cancelled": "cancelled",
    "canceled": "cancelled",
}


def _dict(value: object) -> dict[str, Any]:
    return dict(value) if isinstance(value, Mapping) else {}


def _list(value: object) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else []


def _text(value: object) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int, float)):
        text = str(value).strip()
        return text or None
    return None


def _number(value: object) -> float:
    if isinstance(value, bool):
        return 0.0
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return 0.0
    return 0.0


def _whole(value: float) -> int | float:
    return int(value) if value.is_integer() else value


@dataclass(frozen=True)
class SessionInfo:
    """A backend session: the task (project) and its chat session."""

    task_id: str
    session_id: str

    @classmethod
    def from_data(cls, data: object) -> SessionInfo | None:
        """Read ``task_id``/``session_id`` (snake or camel case); ``None`` if absent."""
        d = _dict(data)
        session = _text(d.get("session_id") or d.get("sessionId") or d.get("id"))
        task = _text(d.get("task_id") or d.get("taskId")) or session
        if session is None or task is None:
            return None
        return cls(task_id=task, session_id=session)


@dataclass(frozen=True)
class Credits:
    """The credit balance: available, reserved by running work (frozen), total."""

    available: int | float
    frozen: int | float
    total: int | float

    @classmethod
    def from_data(cls, data: object) -> Credits:
        """Read the balance leniently; a missing total is available + frozen."""
        d = _dict(data)
        available = _number(d.get("available", d.get("balance", 0)))
        frozen = _number(d.get("frozen", d.get("reserved", 0)))
        total = _number(d["total"]) if "total" in d else available + frozen
        return cls(_whole(available), _whole(frozen), _whole(total))


@dataclass(frozen=True)
class SessionState:
    """A session's latest state; every part may be missing."""

    draft: dict[str, Any] | None = None
    video_infos: list[Any] = field(default_factory=list)
    canvas_config: dict[str, Any] | None = None
    generated_media: list[Any] = field(default_factory=list)
    video_analyses: list[Any] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_data(cls, data: object) -> SessionState:
        """Read ``state.*`` (or the same keys at the top level)."""
        outer = _dict(data)
        state = _dict(outer.get("state")) if "state" in outer else outer
        draft = state.get("draft")
        canvas = state.get("canvas_config", state.get("canvasConfig"))
        return cls(
            draft=_dict(draft) if isinstance(draft, Mapping) else None,
            video_infos=_list(state.get("video_infos", state.get("videoInfos"))),
            canvas_config=_dict(canvas) if isinstance(canvas, Mapping) else None,
            generated_media=_list(state.get("generated_media", state.get("generatedMedia"))),
            video_analyses=_list(state.get("video_analyses", state.get("videoAnalyses"))),
            raw=state,
        )


@dataclass(frozen=True)
class RenderJob:
    """A render that the backend accepted."""

    id: str
    status: RenderState = "pending"
    progress: int = 0


@dataclass(frozen=True)
class RenderStatus:
    """One poll of a render, from either status shape."""

    id: str
    status: RenderState
    progress: int = 0
    output_url: str | None = None
    error: str | None = None

    @property
    def finished(self) -> bool:
        """Completed, failed or cancelled."""
        return self.status in ("completed", "failed", "cancelled")

    @classmethod
    def from_data(cls, job_id: str, data: object) -> RenderStatus:
        """Read ``{"status","output":{"url"}}`` or ``{"id","status","progress","outputUrl"}``."""
        d = _dict(data)
        raw = (_text(d.get("status")) or "pending").lower()
        status = _RENDER_STATES.get(raw, "processing")
        output = d.get("output")
        url = _text(d.get("outputUrl") or d.get("output_url") or d.get("url"))
        if url is None and isinstance(output, Mapping):
            url = _text(output.get("url"))
        elif url is None and isinstance(output, str):
            url = _text(output)
        progress = _number(d.get("progress", 100 if status == "completed" else 0))
        if 0 < progress <= 1 and isinstance(d.get("progress"), float):
            progress *= 100
        error = d.get("error") or d.get("errorMessage") or d.get("message")
        return cls(
            id=_text(d.get("id")) or job_id,
            status=status,
            progress=max(0, min(100, round(progress))),
            output_url=url,
            error=_text(error) if not isinstance(error, Mapping) else _text(error.get("message")),
        )


@dataclass(frozen=True)
class UploadedFile:
    """One file the backend stored for the session."""

    filename: str
    file_type: str | None = None
    cdn_url: str | None = None
    duration: float | None = None
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    hash: str | None = None

    @classmethod
    def from_data(cls, data: object) -> UploadedFile:
        """Read one entry of ``files[]``."""
        d = _dict(data)

        def num(key: str) -> float | None:
            return _number(d[key]) if d.get(key) is not None else None

        width, height = num("width"), num("height")
        return cls(
            filename=_text(d.get("filename") or d.get("name")) or "",
            file_type=_text(d.get("file_type") or d.get("fileType")),
            cdn_url=_text(d.get("cdn_url") or d.get("cdnUrl") or d.get("url")),
            duration=num("duration"),
            width=int(width) if width is not None else None,
            height=int(height) if height is not None else None,
            fps=num("fps"),
            hash=_text(d.get("hash")),
        )


@dataclass(frozen=True)
class UploadResult:
    """What an upload added to the session."""

    files: tuple[UploadedFile, ...] = ()
    session_state_applied: bool = False

    @classmethod
    def from_data(cls, data: object) -> UploadResult:
        """Read ``files[]`` and ``session_state_applied``."""
        d = _dict(data)
        files = tuple(UploadedFile.from_data(item) for item in _list(d.get("files")))
        applied = d.get("session_state_applied", d.get("sessionStateApplied", False))
        return cls(files=files, session_state_applied=bool(applied))


@dataclass(frozen=True)
class UploadProgress:
    """Bytes of one file sent so far (``index`` of ``count`` files)."""

    path: Path
    sent: int
    total: int
    index: int = 0
    count: int = 1


@dataclass(frozen=True)
class DownloadProgress:
    """Bytes of a finished render received so far (``total`` may be unknown)."""

    received: int
    total: int | None
