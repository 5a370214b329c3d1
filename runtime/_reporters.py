"""Progress of uploads and exports as events: only when the shown number moves.

The backend client reports every chunk; a host wants a few hundred events for a 400 MB
upload, not a million. These turn the client's reports into :class:`ProgressEvent` s
worded in the conversation's language, or ``None`` when nothing visible changed.
"""

from __future__ import annotations

from skillrt.runtime._events import ProgressEvent
from skillrt.runtime._export import ExportProgress
from skillrt.runtime._models import UploadProgress
from skillrt.runtime._replies import say

__all__ = ["MB", "ExportReporter", "UploadReporter", "size_text"]

#: Bytes in a megabyte, as sizes are shown.
MB = 1024 * 1024


def size_text(size: int) -> str:
    """A byte count as people read it: "34 KB", "1.2 MB" (a small file is not "0.0 MB")."""
    if size < 100 * 1024:
        return f"{max(size, 0) / 1024:.0f} KB"
    return f"{size / MB:.1f} MB"


class UploadReporter:
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
            sent=size_text(item.sent),
            total=size_text(item.total),
        )
        return ProgressEvent(
            stage="upload",
            message=message,
            done=item.sent,
            total=item.total,
            percent=float(percent),
        )


class ExportReporter:
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
