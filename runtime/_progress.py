"""Run a blocking call that reports progress through a callback, as a stream of events.

The backend client reports upload and download bytes through callbacks, but a
conversation is a generator: it can only show progress by yielding. The call runs in a
worker thread and its reports cross over through a queue, thinned out so a 400 MB upload
gives a few hundred events, not a million. In an async conversation
(:mod:`skillrt.runtime._bridge`) the call runs in a greenlet on the event loop instead.
"""

from __future__ import annotations

import queue
import sys
import threading
from collections.abc import Callable, Generator
from typing import Generic, TypeVar

__all__ = ["run_reporting"]

R = TypeVar("R")
P = TypeVar("P")
E = TypeVar("E")

_POLL = 0.05


class _Outcome(Generic[R]):
    def __init__(self) -> None:
        self.value: R | None = None
        self.error: BaseException | None = None


def run_reporting(
    work: Callable[[Callable[[P], None]], R],
    convert: Callable[[P], E | None],
) -> Generator[E, None, R]:
    """Run ``work(report)`` in a thread; yield ``convert(report)`` values; return its result.

    ``convert`` returns ``None`` for a report not worth an event. An exception raised by
    ``work`` is raised here, in the caller's thread.
    """
    bridge = sys.modules.get("skillrt.runtime._bridge")
    if bridge is not None and bridge.bridged():
        # An async conversation: no thread, the work runs in a greenlet on the loop.
        result: R = yield from bridge.run_reporting_driven(work, convert)
        return result
    reports: queue.SimpleQueue[P] = queue.SimpleQueue()
    outcome: _Outcome[R] = _Outcome()

    def target() -> None:
        try:
            outcome.value = work(reports.put)
        except BaseException as exc:
            outcome.error = exc

    # A daemon thread: an interrupted host must not hang at exit waiting for an upload.
    worker = threading.Thread(target=target, name="skillrt-progress", daemon=True)
    worker.start()
    while worker.is_alive() or not reports.empty():
        try:
            report = reports.get(timeout=_POLL)
        except queue.Empty:
            continue
        event = convert(report)
        if event is not None:
            yield event
    worker.join()
    if outcome.error is not None:
        raise outcome.error
    return outcome.value  # type: ignore[return-value]
