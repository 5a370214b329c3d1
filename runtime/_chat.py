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

import json
import os
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
from skillrt.runtime._models import SessionState
from skillrt.runtime._recovery import recover
from skillrt.runtime._replies import backend_detail, notice, say, working
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

__all__ = ["ChatOutcome", "ChatTurn", "draft_of", "state_of"]

_log = get_logger(__name__)

Interruption = Literal["dropped", "cut", "stalled", "hard_limit", "silent"]
#: Why a stream that closed without a transport error was still cut short.
Cut = Literal["empty", "mid_tool", "truncated", "partial", "unmarked"]
#: Where a two-stage generation is: ``raw`` after the generation tool's result (stage one
#: not announced yet), ``post`` while post-production runs, ``done`` once it is reported.
Stage = Literal["none", "raw", "post", "done"]
#: Runs (or keeps for later) a reply's GUI directions, yielding what they show.
ReplyHandler = Callable[[list[GuiAction]], Generator[Event, None, None]]

# The service sometimes ends a good reply with this; it is noise, not an error (§5).
_TRAILING_ISSUE = re.compile(r"encountered a temporary issue|遇到了?(一个)?临时(性)?问题", re.I)
_GENERATION_TOOL = re.compile(r"generat|生成", re.I)
#: what the client learned about its backends, kept in the data dir
_TRAITS = "backend-traits.json"


def backend_marks_turns(client: BackendClient) -> bool:
    """Whether this client's backend has been seen marking the end of its turns (ADK
    ``turnComplete``), in this process or an earlier one (a file in the data dir)."""
    if client.marks_turns:
        return True
    try:
        data = json.loads((client.config.data_dir / _TRAITS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    origins = data.get("marks_turns") if isinstance(data, dict) else None
    client.marks_turns = isinstance(origins, list) and client.config.origin in origins
    return client.marks_turns


def learn_marks_turns(client: BackendClient) -> None:
    """Remember that the backend marks the end of its turns (best effort, atomic write)."""
    if backend_marks_turns(client):
        return
    client.marks_turns = True
    path = client.config.data_dir / _TRAITS
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, ValueError):
        data = {}
    origins = data.get("marks_turns") if isinstance(data, dict) else None
    known = [o for o in origins if isinstance(o, str)] if isinstance(origins, list) else []
    body = json.dumps({"marks_turns": sorted({*known, client.config.origin})})
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(body, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        _log.info("chat.traits_not_saved", error=type(exc).__name__)


def state_of(client: BackendClient, session_id: str) -> SessionState | None:
    """The session's state now, or ``None`` when it cannot be read (never raises)."""
    try:
        return client.state(session_id)
    except (BackendError, TransportError) as exc:
        _log.info("chat.state_unavailable", error=type(exc).__name__)
        return None


def draft_of(client: BackendClient, session_id: str) -> dict[str, Any] | None:
    """The session's draft now, or ``None`` when it cannot be read (never raises)."""
    state = state_of(client, session_id)
    return state.draft if state is not None else None


@dataclass
class ChatOutcome:
    """What a chat message ended with."""

    shown: bool = False
    actions: list[GuiAction] = field(default_factory=list)
    failures: list[StreamFailure] = field(default_factory=list)
    interrupted: Interruption | None = None
    recovered: bool = True
    #: the turn reported its own failure (an error after text, an unfinished generation)
    failed: bool = False
    #: that failure may be sent again as it is (nothing was done yet)
    retryable: bool = False


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
        media_before: int | None = None,
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
        #: the last thing with content: a reply (``text``) or tool activity (``tool``)
        self._last: Literal["none", "text", "tool"] = "none"
        #: tools that answered, in order
        self._tools: list[str] = []
        #: a half (not JSON) frame came after the last content
        self._bad_tail = False
        #: the backend marked the end of this turn (ADK ``turnComplete``)
        self._marked = False
        #: the backend's generation tool was called in this turn
        self._generating = False
        #: generated media in the state before the message (a generation adds one)
        self._media_before = media_before
        self._cut: Cut | None = None

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
        if self.outcome.interrupted is None and not self.outcome.failures:
            self._cut = self._cut_short()
            if self._cut is not None:
                _log.warning("chat.stream_cut", reason=self._cut)
                self.outcome.interrupted = "cut"
        if self._marked:
            learn_marks_turns(self.client)
        yield from self._flush_partial()
        if self._stage == "raw" and (self.outcome.interrupted or self.outcome.failures):
            # Words held as stage one's announcement, then the stream broke: they are not
            # the final reply, and the end of the turn is unknown (said in _finish).
            self._held = None
        yield from self._settle(None)
        yield from self._finish()
        return self.outcome

    def _cut_short(self) -> Cut | None:
        """Why a stream that closed cleanly had not finished (by its structure), if it had not.

        Nothing at all, open tool calls, a half frame as the last thing, partial text never
        completed, or (once the backend has shown that it marks the end of its turns) no
        end mark where a reply or a generation stage was the last thing: the connection was
        closed under the turn. An edit that ends with tool results only is complete (§5).
        """
        if self._last == "none" and not self._assembler.pending.strip():
            return "empty"  # not a word, not a tool: nothing of the turn arrived
        if any(self._pending.values()):
            return "mid_tool"
        if self._bad_tail:
            return "truncated"
        if self._assembler.pending.strip():
            return "partial"
        marks = self._marked or backend_marks_turns(self.client)
        if marks and not self._marked and (self._last == "text" or self._stage in ("raw", "post")):
            return "unmarked"
        return None

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
            self._bad_tail = True  # a half frame: if nothing follows, the stream was cut
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
            self._bad_tail = False
            self._marked = self._marked or item.complete
            if item.text.strip():
                yield from self._message(item.text)
        elif isinstance(item, ToolCall):
            key = item.id or item.name
            self._pending[key] = self._pending.get(key, 0) + 1
            self._last, self._bad_tail = "tool", False
            self._generating = self._generating or bool(_GENERATION_TOOL.search(item.name))
            yield working("conv_working_on", self.language, tool=item.name.replace("_", " "))
        elif isinstance(item, ToolResult):
            key = item.id or item.name
            self._pending[key] = max(0, self._pending.get(key, 0) - 1)
            self._last, self._bad_tail = "tool", False
            self._tools.append(item.name)
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
            if self._reply_complete():
                _log.info("chat.trailing_issue_ignored")
                return
            # Said while the turn was unfinished: the work it was doing did not complete.
            _log.info("chat.issue_mid_turn")
            self.outcome.failures.append(StreamFailure("temporary_issue", text))
            return
        self._last = "text"
        translation = translate(text, self.language)
        if self._stage == "raw" and self._held is None:
            self._held = translation
            return
        if self._stage == "post" and not any(self._pending.values()):
            yield from self._post_production(draft_of(self.client, self.session_id))
        yield from self._show(translation)

    def _reply_complete(self) -> bool:
        """Whether the last reply ended the work: nothing ran after it, nothing is open,
        and no generation is between its two stages (the stream's structure, not words)."""
        return (
            self._last == "text"
            and not any(self._pending.values())
            and self._stage not in ("raw", "post")
        )

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
        if outcome.interrupted is None and outcome.failures:
            if outcome.shown:
                yield from self._failed_after_text(outcome.failures[-1])
            return  # nothing shown: the conversation reports the failure as it is
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
            if outcome.recovered and self._generation_unfinished():
                yield from self._unfinished_generation()

    def _stage_reached(self) -> str:
        """How far the turn got, in words: what the user can rely on."""
        language = self.language
        if self._raw is not None:
            return say("conv_stage_raw", language, summary=_shape(self._raw, language))
        open_tools = [name for name, count in self._pending.items() if count]
        if self._generating:
            return say("conv_stage_generating", language)
        if open_tools:
            return say("conv_stage_working", language, tool=open_tools[-1].replace("_", " "))
        if self._tools:
            names = list(dict.fromkeys(t.replace("_", " ") for t in self._tools))
            return say("conv_stage_worked", language, tools=names)
        if not self.outcome.shown:
            return say("conv_stage_nothing", language)
        return say("conv_stage_answered", language)

    def _failed_after_text(self, failure: StreamFailure) -> Generator[Event, None, None]:
        """An error after the first words: what was said stands, then what failed, and where."""
        self.outcome.failed = True
        worked = bool(self._tools) or self._generating
        self.outcome.retryable = not worked
        if worked:
            after = draft_of(self.client, self.session_id)
            if after is not None and diff_drafts(self.before, after):
                changes = describe_changes(self.before, after, self.language)
                yield TextEvent(text=changes, kind="changes")
        hint = "conv_hint_check_status" if worked else "conv_hint_retry"
        yield ErrorEvent(
            code=failure.code or "stream",
            message=say("conv_stream_error_after", self.language,
                        detail=backend_detail(failure.message), stage=self._stage_reached()),
            hint=say(hint, self.language),
            exit_code=5,
            retryable=self.outcome.retryable,
        )  # fmt: skip

    def _generation_unfinished(self) -> bool:
        """A generation began in this turn and its second stage never reported."""
        if self._stage == "done":
            return False
        if self._generating or self._raw is not None:
            return True
        if self._media_before is None:
            return False
        try:
            media = len(self.client.state(self.session_id).generated_media)
        except (BackendError, TransportError):
            return False
        return media > self._media_before

    def _unfinished_generation(self) -> Generator[Event, None, None]:
        self.outcome.failed = True
        self.outcome.retryable = False
        after = draft_of(self.client, self.session_id)
        summary = _shape(after, self.language) if after is not None else ""
        yield ErrorEvent(
            code="generation_unfinished",
            message=say("conv_generation_unfinished", self.language, summary=summary),
            hint=say("conv_hint_check_status", self.language),
            exit_code=5,
            retryable=False,
        )

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
        elif reason == "cut":
            yield notice("conv_stream_cut", self.language, stage=self._stage_reached(),
                         seconds=f"{first_wait:g}")  # fmt: skip
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
