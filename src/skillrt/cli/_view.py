"""How the CLI shows a conversation's events: text, a spinner, progress bars, or JSON lines.

On a terminal a spinner runs while the backend works and bars show upload bytes and render
percent; text is printed above them. Without a terminal each event is one plain line:
replies and results on stdout, progress and errors on stderr. With ``json_lines`` every
event is one JSON object on stdout (``skillrt send --json``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TaskProgressColumn,
    TextColumn,
)

from skillrt.cli._output import stderr, stdout
from skillrt.runtime import (
    DoneEvent,
    ErrorEvent,
    Event,
    LinkEvent,
    MediaEvent,
    ProgressEvent,
    TextEvent,
)

__all__ = ["EventView"]

_MILESTONES = (0.0, 25.0, 50.0, 75.0, 100.0)


class EventView:
    """Shows the events of one message after another; remembers the first error's code."""

    def __init__(self, *, json_lines: bool = False, live: bool | None = None) -> None:
        self.json_lines = json_lines
        self.out = stdout()
        self.err = stderr()
        self.live = self.err.is_terminal if live is None else live
        self.exit_code = 0
        self.last_media: MediaEvent | None = None
        self._progress: Progress | None = None
        self._tasks: dict[str, TaskID] = {}
        self._printed: dict[str, float] = {}
        #: the spinner shown while waiting for the first event of a message
        self._placeholder: TaskID | None = None
        #: links already printed: the project link comes with every export, shown once
        self._links: set[str] = set()

    def show(self, events: Iterable[Event]) -> bool:
        """Show every event of one message; ``True`` when it ended without an error."""
        ok = True
        try:
            for event in events:
                if isinstance(event, ErrorEvent):
                    ok = False
                    if self.exit_code == 0:
                        self.exit_code = event.exit_code
                if isinstance(event, MediaEvent):
                    self.last_media = event
                if self.json_lines:
                    sys.stdout.write(
                        json.dumps(event.model_dump(mode="json"), ensure_ascii=False) + "\n"
                    )
                    sys.stdout.flush()
                else:
                    self._human(event)
        finally:
            self._stop()
        return ok

    # -- human output ------------------------------------------------------------------

    def _text_console(self) -> Console:
        # While bars are drawn on a terminal, text goes through their console so the two
        # do not tear each other apart; otherwise replies are data, on stdout.
        if self._progress is not None and self.out.is_terminal:
            return self._progress.console
        return self.out

    def _human(self, event: Event) -> None:
        working = isinstance(event, ProgressEvent) and event.stage in ("working", "recovery")
        if not working:
            self._drop_placeholder()
        if isinstance(event, TextEvent):
            if not event.partial:
                self._text_console().print(event.text, markup=False, highlight=False)
        elif isinstance(event, ProgressEvent):
            self._show_progress(event)
        elif isinstance(event, LinkEvent) and event.url in self._links:
            return
        elif isinstance(event, (MediaEvent, LinkEvent)):
            if isinstance(event, LinkEvent):
                self._links.add(event.url)
            message = event.message or (event.path if isinstance(event, MediaEvent) else event.url)
            self._text_console().print(message, markup=False, highlight=False)
        elif isinstance(event, ErrorEvent):
            console = self._progress.console if self._progress is not None else self.err
            console.print(f"error: {event.message}", markup=False, highlight=False)
            if event.hint:
                console.print(f"  → {event.hint}", markup=False, highlight=False)
        elif isinstance(event, DoneEvent):
            self._stop()

    def _show_progress(self, event: ProgressEvent) -> None:
        if not self.live:
            self._plain_progress(event)
            return
        progress = self._start()
        stage = event.stage if event.stage in ("upload", "render", "download") else "working"
        task = self._tasks.get(stage)
        total = 100.0 if event.percent is not None else None
        if task is None:
            task = progress.add_task(event.message, total=total)
            self._tasks[stage] = task
        progress.update(
            task, description=event.message, total=total, completed=event.percent or 0.0
        )

    def _plain_progress(self, event: ProgressEvent) -> None:
        if event.percent is None:
            self.err.print(event.message, markup=False, highlight=False)
            return
        # Without a terminal a bar would be a flood of lines: only quarter milestones.
        reached = max(m for m in _MILESTONES if event.percent >= m)
        if self._printed.get(event.stage, -1.0) < reached:
            self._printed[event.stage] = reached
            self.err.print(event.message, markup=False, highlight=False)

    def _start(self) -> Progress:
        if self._progress is None:
            self._progress = Progress(
                SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                # A percentage only where there is one (not for "still working").
                TaskProgressColumn(text_format="{task.percentage:>3.0f}%"),
                console=self.err, transient=True,
            )  # fmt: skip
            self._progress.start()
        return self._progress

    def _drop_placeholder(self) -> None:
        # The waiting spinner has done its job once anything else shows up.
        if self._placeholder is not None and self._progress is not None:
            self._progress.remove_task(self._placeholder)
            if self._tasks.get("working") == self._placeholder:
                del self._tasks["working"]
        self._placeholder = None

    def _stop(self) -> None:
        self._placeholder = None
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
            self._tasks.clear()
        self._printed.clear()

    def waiting(self, message: str) -> None:
        """Show a spinner (terminal only) until the next event arrives."""
        if self.live and not self.json_lines:
            progress = self._start()
            self._placeholder = progress.add_task(message, total=None)
            self._tasks["working"] = self._placeholder
