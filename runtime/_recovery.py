"""After a chat stream dropped: find out from the state whether the work was done (§5).

The message is never sent again (that would do the work twice and charge credits twice).
Instead: wait, query the state, and report the change if there is one; else wait longer
and query again. After ``unchanged_queries`` unchanged answers the user is told the
request probably did not go through and offered a retry (their own decision).
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

from skillrt.errors import BackendError, TransportError
from skillrt.log import get_logger
from skillrt.runtime._client import BackendClient
from skillrt.runtime._config import Intervals
from skillrt.runtime._events import ErrorEvent, Event, ProgressEvent, TextEvent
from skillrt.runtime._replies import notice, say
from skillrt.translators import describe_changes, diff_drafts

__all__ = ["recover"]

_log = get_logger(__name__)


def _wait(intervals: Intervals, attempt: int) -> float:
    waits = intervals.recovery_waits or (0.0,)
    return waits[min(attempt, len(waits) - 1)]


def recover(
    client: BackendClient,
    session_id: str,
    before: dict[str, Any] | None,
    *,
    intervals: Intervals,
    sleep: Callable[[float], None],
    language: str,
) -> Generator[Event, None, bool]:
    """Poll the state until it differs from ``before``; ``True`` when a change was reported."""
    checks = max(1, intervals.unchanged_queries)
    for attempt in range(checks):
        wait = _wait(intervals, attempt)
        if attempt:
            yield ProgressEvent(stage="recovery", message=say(
                "conv_recovery_check", language, attempt=attempt, total=checks, seconds=f"{wait:g}"
            ))  # fmt: skip
        sleep(wait)
        try:
            after = client.state(session_id).draft
        except (BackendError, TransportError) as exc:
            _log.info("recovery.state_unavailable", attempt=attempt + 1, error=type(exc).__name__)
            continue
        if after is not None and diff_drafts(before, after):
            _log.info("recovery.changed", attempt=attempt + 1)
            yield notice("conv_recovered", language)
            yield TextEvent(text=describe_changes(before, after, language), kind="changes")
            return True
    _log.warning("recovery.unchanged", checks=checks)
    yield ErrorEvent(
        code="no_change",
        message=say("conv_recovery_failed", language, checks=checks),
        hint=say("conv_hint_retry", language),
        exit_code=5,
        retryable=True,
    )
    return False
