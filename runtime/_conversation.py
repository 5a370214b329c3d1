"""A conversation with one skill: each message routed, run, and answered with events.

``send`` routes the message (router, with the skill's keywords), then runs the plan in
order: chat over SSE (:mod:`skillrt.runtime._chat`) here, upload, credits, state and
export in :mod:`skillrt.runtime._actions`. GUI directions in a reply become actions
(:mod:`skillrt.runtime._directions`). Every failure ends as an :class:`ErrorEvent`
worded for the user, and every ``send`` ends with a :class:`DoneEvent`.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from skillrt.errors import (
    CreditsError,
    InputError,
    SessionNotFoundError,
    SkillrtError,
    StoreError,
)
from skillrt.i18n import detect_language
from skillrt.log import get_logger
from skillrt.router import KeywordTable, route
from skillrt.runtime._actions import Actions
from skillrt.runtime._chat import ChatTurn, state_of
from skillrt.runtime._client import BackendClient
from skillrt.runtime._directions import Directions, MessageBudget
from skillrt.runtime._events import DoneEvent, Event, LinkEvent
from skillrt.runtime._loader import Skill
from skillrt.runtime._replies import (
    failure_events,
    notice,
    say,
    stream_failure_event,
    unexpected_error_event,
)
from skillrt.runtime._stores import JobStore, SessionRecord, SessionStore

__all__ = ["Conversation", "ConversationOptions"]

_log = get_logger(__name__)
_RETRY = re.compile(r"^\s*(retry|try again|再试一次|重试|重新发送)\s*[.!。！]?\s*$", re.I)


@dataclass(frozen=True)
class ConversationOptions:
    """How a conversation behaves where the contract leaves a choice."""

    #: Run the export flow when a reply says "click Export" (contract §7).
    gui_export: bool = True
    #: Send an edit that a reply asks to "drag" as the next message (at most this many).
    max_followups: int = 1
    #: Ask the backend for token-level partial text.
    streaming: bool = False
    #: Where exported MP4s go (``None``: the data dir's ``exports``).
    output_dir: Path | None = None


class Conversation:
    """One skill's conversation on one backend session (created with the first message)."""

    def __init__(
        self,
        *,
        skill: Skill,
        client: BackendClient,
        sessions: SessionStore,
        jobs: JobStore,
        keywords: KeywordTable,
        options: ConversationOptions,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
        record: SessionRecord | None = None,
    ) -> None:
        self.skill = skill
        self.client = client
        self.sessions = sessions
        self.jobs = jobs
        self.options = options
        self._keywords = keywords
        self._clock = clock
        self._sleep = sleep
        self._record = record
        self._language: str | None = record.language if record else None
        self._retry_text: str | None = None
        if record is not None:
            client.language = record.language
            client.session_id = record.session_id
        self._actions = Actions(self, client, jobs, options=options, clock=clock)
        self._budget = MessageBudget(options.max_followups)

    # -- public ----------------------------------------------------------------------

    @property
    def session_id(self) -> str | None:
        """The backend session, once one exists."""
        return self._record.session_id if self._record else None

    @property
    def task_id(self) -> str | None:
        """The backend task (project), once one exists."""
        return self._record.task_id if self._record else None

    @property
    def language(self) -> str:
        """The conversation's language (detected from the first message)."""
        return self._language or "en"

    def send(
        self, text: str, attachments: Sequence[str | os.PathLike[str]] = ()
    ) -> Iterator[Event]:
        """Handle one user message (and files); yields events, the last a :class:`DoneEvent`."""
        return self._send(text, [os.fspath(a) for a in attachments])

    def retry(self) -> Iterator[Event]:
        """Send again the last message whose result could not be confirmed."""
        return self._send("retry", [])

    def resume_exports(self) -> Iterator[Event]:
        """Deliver renders that an earlier process started and never downloaded."""
        return self._actions.resume_exports()

    # -- one message -----------------------------------------------------------------

    def _send(self, text: str, attachments: list[str]) -> Generator[Event, None, None]:
        ran: list[str] = []
        ok = True
        self._actions.begin_message()
        self._budget = MessageBudget(self.options.max_followups)
        try:
            ok = yield from self._handle(text, attachments, ran)
        except SkillrtError as exc:
            ok = False
            yield from self._error(exc)
        except Exception as exc:
            ok = False
            yield unexpected_error_event(exc, self.language)
        self._mark_used()
        yield DoneEvent(ok=ok, actions=tuple(ran), session_id=self.session_id)

    def _handle(
        self, text: str, attachments: list[str], ran: list[str]
    ) -> Generator[Event, None, bool]:
        if self._language is None:
            self._language = detect_language(text) if text.strip() else "en"
            self.client.language = self._language
        if not text.strip() and not attachments:
            raise InputError(
                say("conv_empty_message", self.language),
                hint=say("conv_hint_empty_message", self.language),
            )
        _check_text(text, self.language)
        if _RETRY.match(text) and not attachments:
            if self._retry_text is None:
                yield notice("conv_nothing_to_retry", self.language)
                return True
            text, self._retry_text = self._retry_text, None
            yield notice("conv_retrying", self.language, text=text)
            ran.append("chat")
            return (yield from self._step("chat", text, attachments, ()))
        plan = route(text, attachments, keywords=self._keywords)
        segments = getattr(plan, "segments", None) or ()
        for index, action in enumerate(plan.plan):
            segment = segments[index] if index < len(segments) and segments[index] else text
            ran.append(action)
            if not (yield from self._step(action, segment, attachments, plan.urls)):
                return False
        return True

    def _step(
        self, action: str, text: str, attachments: list[str], urls: Sequence[str]
    ) -> Generator[Event, None, bool]:
        """Run one action; a session the backend lost is replaced once and the action rerun."""
        try:
            return (yield from self._run(action, text, attachments, urls))
        except SessionNotFoundError:
            if self._record is None:
                raise
            _log.info("conversation.session_lost", action=action)
            self._forget_session()
            self._actions.session_restarted()
            yield notice("conv_session_restarted", self.language)
            return (yield from self._run(action, text, attachments, urls))

    def _run(
        self, action: str, text: str, attachments: list[str], urls: Sequence[str]
    ) -> Generator[Event, None, bool]:
        if action == "chat":
            return (yield from self._chat(text, self._budget))
        if action == "upload":
            return (yield from self._actions.upload(attachments, urls))
        if action == "credits":
            yield self._actions.credits()
            return True
        if action == "state":
            yield from self._actions.state()
            return True
        if action == "export":
            return (yield from self._actions.export())
        raise InputError(f"unknown action {action!r}")

    # -- the session -----------------------------------------------------------------

    def ensure_session(self) -> Generator[Event, None, str]:
        """The session id, creating the session (and yielding its links) on first use."""
        if self._record is not None:
            return self._record.session_id
        info = self.client.create_session(self.language)
        self._record = SessionRecord(
            skill=self.skill.name, origin=self.client.config.origin, task_id=info.task_id,
            session_id=info.session_id, language=self.language,
        )  # fmt: skip
        self.sessions.put(self._record)
        _log.info("conversation.session_created")
        yield LinkEvent(url=self.client.task_link(info.task_id), kind="task",
                        message=say("task_link", self.language, link=self.client.task_link(
                            info.task_id)))  # fmt: skip
        claim = self.client.claim_link(info)
        if claim:
            yield LinkEvent(
                url=claim, kind="claim", message=say("conv_claim_link", self.language, link=claim)
            )
        return info.session_id

    def _mark_used(self) -> None:
        # "The most recent conversation" (what `skillrt state` and `export` act on without
        # a skill name) is the one a message was last sent on, not the newest created.
        if self._record is None:
            return
        self._record = replace(self._record, used=time.time())
        try:
            self.sessions.put(self._record)
        except StoreError as exc:
            _log.info("conversation.session_not_marked", error=type(exc).__name__)

    def _forget_session(self) -> None:
        self.sessions.delete(self.skill.name, self.client.config.origin)
        self._record = None

    # -- chat ------------------------------------------------------------------------

    def _chat(self, text: str, budget: MessageBudget) -> Generator[Event, None, bool]:
        session_id = yield from self.ensure_session()
        directions = Directions(
            self._actions, self._chat, budget, gui_export=self.options.gui_export
        )
        before = state_of(self.client, session_id)
        turn = ChatTurn(
            self.client, session_id, text, language=self.language,
            intervals=self.client.config.intervals, clock=self._clock, sleep=self._sleep,
            before=before.draft if before else None, streaming=self.options.streaming,
            on_reply=directions.on_reply,
            media_before=len(before.generated_media) if before else None,
        )  # fmt: skip
        outcome = yield from turn.run()
        if outcome.failures and not outcome.shown:
            self._retry_text = text
            failure = outcome.failures[-1]
            if failure.code == "2001":
                yield from self._error(CreditsError(say("err_credits", self.language)))
            else:
                yield stream_failure_event(failure, self.language)
            return False
        if outcome.failed:
            # The turn said what failed and how far it got (after its first words).
            if outcome.retryable:
                self._retry_text = text
            return False
        if not outcome.recovered:
            self._retry_text = text
            return False
        return (yield from directions.after_stream())

    # -- failures --------------------------------------------------------------------

    def _error(self, exc: SkillrtError) -> Iterator[Event]:
        return failure_events(exc, self.client, self.language)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_text(text: str, language: str) -> None:
    """Refuse a message that is not valid Unicode (bytes that were not UTF-8 in argv or
    stdin arrive as lone surrogates, which no request body can carry)."""
    found = _SURROGATE.search(text)
    if found is not None:
        raise InputError(
            say("conv_invalid_text", language, position=found.start() + 1),
            hint=say("conv_hint_invalid_text", language),
        )
