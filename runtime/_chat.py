"""One chat message: send it once, read its stream, and say what happened.

What the stream carries becomes events as it arrives: reply text (GUI directions turned
into actions by the translators), progress for tool calls and keep-alives ("⏳ Still
working..." every ``keepalive_notice`` seconds), the two stages of a generation. When it
ends, a reply without text is answered from the state (what changed since the message
was sent; when nothing did, after a few short re-reads, that the tools ran and the
timeline shows no change), and a stream that dropped, stalled or ran past the hard limit
goes to recovery. The message itself is sent exactly once.

A reply's meaning depends on what follows it, so each reply is settled when the next
stream item arrives (or the stream ends):

- its GUI directions go to ``on_reply`` (:mod:`skillrt.runtime._directions`): a "Here is
  the timeline:" is followed by the timeline right there;
- two-stage generation: the backend's words between the generation tool's result and the
  post-production tools are its stage-one announcement. The runtime says that in its own
  words (scenes and duration from the state) instead of relaying both; when the backend
  goes on working without a word, the runtime's announcement stands alone. Words after
  the generation result that no tool call follows are the final reply, shown as they are.
- what post-production added is reported once its tools are done, before the reply that
  comes after them (or at the end when none does).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from skillrt.errors import BackendError, StreamError, TransportError
from skillrt.log import get_logger
from skillrt.runtime._client import BackendClient
from skillrt.runtime._config import Intervals
from skillrt.runtime._events import ErrorEvent, Event, ProgressEvent, TextEvent
from skillrt.runtime._recovery import recover
from skillrt.runtime._replies import notice, say, working
from skillrt.runtime._sse import (
    BadFrame,
    KeepAlive,
    StateDelta,
    StreamFailure,
    StreamItem,
    TextAssembler,
    TextDelta,
    TextFinal,
    ToolCall,
    ToolResult,
    parse_stream,
)
from skillrt.translators import GuiAction, Translation, describe_changes, diff_drafts, translate

__all__ = ["ChatOutcome", "ChatTurn", "draft_of"]

_log = get_logger(__name__)

Interruption = Literal["dropped", "stalled", "hard_limit"]
#: Where a two-stage generation is: ``raw`` after the generation tool's result (stage one
#: not announced yet), ``post`` while post-production runs, ``done`` once it is reported.
Stage = Literal["none", "raw", "post", "done"]
#: Runs (or keeps for later) a reply's GUI directions, yielding what they show.
ReplyHandler = Callable[[list[GuiAction]], Generator[Event, None, None]]

# The service sometimes ends a good reply with this; it is noise, not an error (§5).
_TRAILING_ISSUE = re.compile(r"encountered a temporary issue|遇到了?(一个)?临时(性)?问题", re.I)
_GENERATION_TOOL = re.compile(r"generat|生成", re.I)


def draft_of(client: BackendClient, session_id: str) -> dict[str, Any] | None:
    """The session's draft now, or ``None`` when it cannot be read (never raises)."""
    try:
        return client.state(session_id).draft
    except (BackendError, TransportError) as exc:
        _log.info("chat.state_unavailable", error=type(exc).__name__)
        return None


@dataclass
class ChatOutcome:
    """What a chat message ended with."""

    shown: bool = False
    actions: list[GuiAction] = field(default_factory=list)
    failures: list[StreamFailure] = field(default_factory=list)
    interrupted: Interruption | None = None
    recovered: bool = True


@dataclass
class _Clock:
    now: Callable[[], float]
    start: float = 0.0
    last_content: float = 0.0
    last_notice: float = 0.0

    def begin(self) -> None:
        self.start = self.last_content = self.last_notice = self.now()


class ChatTurn:
    """Send ``text`` to ``session_id`` once and turn its stream into events."""

    def __init__(
        self,
        client: BackendClient,
        session_id: str,
        text: str,
        *,
        language: str,
        intervals: Intervals,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
        before: dict[str, Any] | None,
        streaming: bool = False,
        on_reply: ReplyHandler | None = None,
    ) -> None:
        self.client = client
        self.session_id = session_id
        self.text = text
        self.language = language
        self.intervals = intervals
        self.sleep = sleep
        self.before = before
        self.streaming = streaming
        self.on_reply = on_reply
        self.outcome = ChatOutcome()
        self._clock = _Clock(clock)
        self._assembler = TextAssembler()
        self._raw: dict[str, Any] | None = None
        self._stage: Stage = "none"
        #: a reply after the generation result: stage one's announcement, or the final reply
        self._held: Translation | None = None
        #: GUI actions of the last reply shown, run once what follows it is known
        self._directions: list[GuiAction] = []
        #: tool calls not yet answered: a stream that ends with one was cut mid-work
        self._pending: dict[str, int] = {}
        #: whether any frame of the stream was an event skillrt understood
        self._understood = False
        #: every tool the backend called in this turn, in order (for a silent turn's report)
        self._tools: list[str] = []

    def run(self) -> Generator[Event, None, ChatOutcome]:
        """Send the message, yield what it produces, and return how it ended."""
        with self.client.open_chat_stream(
            self.session_id, self.text, streaming=self.streaming
        ) as response:
            # From here on the message was delivered: whatever happens, it is not re-sent.
            self._clock.begin()
            try:
                yield from self._read(response)
            except (httpx.HTTPError, TransportError) as exc:
                _log.warning("chat.stream_dropped", error=type(exc).__name__)
                self.outcome.interrupted = "dropped"
        if self.outcome.interrupted is None and any(self._pending.values()):
            # A clean end with a tool still running: the connection was closed under it.
            _log.warning("chat.stream_ended_mid_tool")
            self.outcome.interrupted = "dropped"
        yield from self._flush_partial()
        yield from self._settle(None)
        yield from self._finish()
        return self.outcome

    def _read(self, response: httpx.Response) -> Generator[Event, None, None]:
        clock, limits = self._clock, self.intervals
        for item in parse_stream(response.iter_bytes()):
            now = clock.now()
            if now - clock.start >= limits.sse_hard_limit:
                self.outcome.interrupted = "hard_limit"
                return
            if isinstance(item, (KeepAlive, TextDelta)):
                # Whatever comes now, the last reply is complete: its directions can run.
                yield from self._run_directions()
            if isinstance(item, KeepAlive):
                if now - clock.last_content >= limits.keepalive_only_limit:
                    self.outcome.interrupted = "stalled"
                    return
                if now - clock.last_notice >= limits.keepalive_notice:
                    clock.last_notice = now
                    yield ProgressEvent(
                        stage="working",
                        message=say("conv_still_working", self.language),
                        elapsed_s=round(now - clock.start, 1),
                    )
                continue
            clock.last_content = clock.last_notice = now
            if isinstance(item, (TextFinal, ToolCall, ToolResult, StreamFailure)):
                yield from self._settle(item)
            yield from self._item(item)

    def _item(self, item: StreamItem) -> Generator[Event, None, None]:
        if isinstance(item, BadFrame):
            _log.warning("chat.bad_frame", reason=item.reason)
            if not self._understood and not item.preview.lstrip().startswith("{"):
                # Not even the start of a JSON event, and nothing understood before it:
                # this is not an event stream (a proxy's page, a wrong address). Waiting
                # and querying the state would only delay saying so.
                raise StreamError(
                    say("conv_not_event_stream", self.language),
                    code="protocol",
                    hint=say("conv_hint_not_event_stream", self.language),
                )
            return
        self._understood = True
        if isinstance(item, TextDelta):
            # Partial text of a reply that may turn out to be stage one's announcement is
            # not shown: the runtime may say it in its own words.
            if self._stage == "raw":
                self._assembler.feed(item)
            elif self._assembler.feed(item) and self._assembler.pending.strip():
                text = translate(self._assembler.pending, self.language).text
                if text.strip():
                    yield TextEvent(text=text, partial=True)
        elif isinstance(item, TextFinal):
            self._assembler.feed(item)
            yield from self._message(item.text)
        elif isinstance(item, ToolCall):
            key = item.id or item.name
            self._pending[key] = self._pending.get(key, 0) + 1
            self._tools.append(item.name)
            yield working("conv_working_on", self.language, tool=item.name.replace("_", " "))
        elif isinstance(item, ToolResult):
            key = item.id or item.name
            self._pending[key] = max(0, self._pending.get(key, 0) - 1)
            if self._raw is None and _GENERATION_TOOL.search(item.name):
                self._raw = draft_of(self.client, self.session_id)
                if self._raw is not None:
                    self._stage = "raw"
        elif isinstance(item, StreamFailure):
            _log.info("chat.stream_failure", code=item.code)
            self.outcome.failures.append(item)
        elif isinstance(item, StateDelta):
            _log.debug("chat.state_delta", keys=sorted(item.delta))

    def _message(self, text: str) -> Generator[Event, None, None]:
        if self.outcome.shown and _TRAILING_ISSUE.search(text):
            _log.info("chat.trailing_issue_ignored")
            return
        translation = translate(text, self.language)
        if self._stage == "raw" and self._held is None:
            self._held = translation
            return
        if self._stage == "post" and not any(self._pending.values()):
            yield from self._post_production(draft_of(self.client, self.session_id))
        yield from self._show(translation)

    def _show(self, translation: Translation) -> Generator[Event, None, None]:
        self.outcome.actions.extend(translation.actions)
        self._directions.extend(translation.actions)
        if translation.text.strip():
            self.outcome.shown = True
            yield TextEvent(text=translation.text)

    def _settle(self, following: StreamItem | None) -> Generator[Event, None, None]:
        """Settle the last reply now that ``following`` (``None``: the end) is known."""
        starts_work = isinstance(following, ToolCall)
        if self._stage == "raw" and (starts_work or self._held is not None):
            held, self._held = self._held, None
            if starts_work:
                self._stage = "post"
                _log.info("chat.stage_one", backend_words=held is not None)
                yield self._raw_notice()
            elif held is not None:
                self._stage = "done"  # one stage only: these words are the final reply
                yield from self._show(held)
        yield from self._run_directions()

    def _run_directions(self) -> Generator[Event, None, None]:
        directions, self._directions = self._directions, []
        if directions and self.on_reply is not None:
            yield from self.on_reply(directions)

    def _flush_partial(self) -> Generator[Event, None, None]:
        # Partial text never replaced by a final message (the stream was cut): keep it.
        pending = self._assembler.pending
        if pending.strip():
            self._assembler.feed(TextFinal(pending))
            yield from self._message(pending)

    def _raw_notice(self) -> TextEvent:
        assert self._raw is not None
        return notice("conv_raw_ready", self.language, summary=_shape(self._raw, self.language))

    def _finish(self) -> Generator[Event, None, None]:
        outcome = self.outcome
        if outcome.interrupted is None and outcome.failures and not outcome.shown:
            return  # the conversation reports the failure; nothing was done to recover
        after = draft_of(self.client, self.session_id)
        if outcome.interrupted is None:
            if self._stage == "post":
                yield from self._post_production(after)
            elif self._stage == "raw" and outcome.shown and after is not None:
                # Generated, then not a word more: the runtime says the video is there.
                yield notice(
                    "conv_video_ready", self.language, summary=_shape(after, self.language)
                )
            if not outcome.shown:
                yield from self._silent_reply(after)
        if outcome.interrupted is not None:
            yield from self._recover()

    def _post_production(self, after: dict[str, Any] | None) -> Generator[Event, None, None]:
        self._stage = "done"
        if self._raw is None or after is None or not diff_drafts(self._raw, after):
            return
        changes = describe_changes(self._raw, after, self.language)
        yield TextEvent(
            text=say("conv_post_production", self.language, changes=changes), kind="changes"
        )

    def _silent_reply(self, after: dict[str, Any] | None) -> Generator[Event, None, None]:
        # No words at all: the state says what was done. The stream ended cleanly, so this
        # is not the dropped-stream recovery: a few short re-reads (the backend may still be
        # saving), then the user is told what the backend did and what to try next.
        if self._report_change(after):
            yield self._changes_event(after)
            return
        if self.intervals.silent_rechecks:
            yield working("conv_checking_timeline", self.language)
        for wait in self.intervals.silent_rechecks:
            self.sleep(wait)
            after = draft_of(self.client, self.session_id)
            if self._report_change(after):
                yield self._changes_event(after)
                return
        _log.info("chat.silent_no_change", tools=self._tools)
        self.outcome.recovered = False
        tools = list(dict.fromkeys(name.replace("_", " ") for name in self._tools))
        yield ErrorEvent(
            code="no_change",
            message=say("conv_silent_no_change", self.language, tools=tools),
            hint=say("conv_hint_no_change", self.language),
            exit_code=5,
            retryable=True,
        )

    def _report_change(self, after: dict[str, Any] | None) -> bool:
        if after is None or not diff_drafts(self.before, after):
            return False
        self.outcome.shown = True
        return True

    def _changes_event(self, after: dict[str, Any] | None) -> TextEvent:
        changes = describe_changes(self.before, after or {}, self.language)
        return TextEvent(text=changes, kind="changes")

    def _recover(self) -> Generator[Event, None, None]:
        reason = self.outcome.interrupted
        minutes = {
            "stalled": self.intervals.keepalive_only_limit,
            "hard_limit": self.intervals.sse_hard_limit,
        }.get(reason or "", 0.0) / 60
        first_wait = self.intervals.recovery_waits[0] if self.intervals.recovery_waits else 0.0
        if reason == "stalled":
            yield notice("conv_stream_stalled", self.language, minutes=f"{minutes:g}")
        elif reason == "hard_limit":
            yield notice("conv_stream_hard_limit", self.language, minutes=f"{minutes:g}")
        elif reason == "dropped":
            yield notice("conv_stream_dropped", self.language, seconds=f"{first_wait:g}")
        recovered = yield from recover(
            self.client, self.session_id, self.before,
            intervals=self.intervals, sleep=self.sleep, language=self.language,
        )  # fmt: skip
        self.outcome.recovered = recovered
        self.outcome.shown = self.outcome.shown or recovered


def _shape(draft: dict[str, Any], language: str) -> str:
    """ "3 scenes, 10 s" for a generated draft (what the raw video is)."""
    tracks = draft.get("t") if isinstance(draft.get("t"), list) else []
    scenes = 0
    for track in tracks or []:
        if isinstance(track, dict) and track.get("tt") == 0 and isinstance(track.get("sg"), list):
            scenes += len(track["sg"])
    duration = draft.get("d")
    seconds = f"{duration / 1000:g}" if isinstance(duration, (int, float)) else "?"
    return say("conv_raw_shape", language, scenes=scenes, seconds=seconds)
