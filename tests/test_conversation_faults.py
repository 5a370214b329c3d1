"""Conversations under every emulator fault and error code: the user gets a sentence and a
next step, a message is never lost and never sent twice, a dropped stream runs recovery."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from runtime_helpers import (
    APIS,
    Api,
    FastSession,
    RequestLog,
    runtime_for,
    send,
    texts,
    turns,
)

from skillrt.emulator import EmulatorSettings
from skillrt.emulator.testing import RunningEmulator, run_emulator
from skillrt.runtime._conversation import ConversationOptions
from skillrt.runtime._events import ErrorEvent, Event, LinkEvent, ProgressEvent

SKILL = "free-generation-maker"
GENERATE = "generate a 4-second video about a lighthouse"


@pytest.fixture(scope="module")
def emu() -> Iterator[RunningEmulator]:
    """One emulator for the module, every fault cleared after each test."""
    with run_emulator(
        EmulatorSettings.for_tests(
            silent_edit_ratio=0.0, tokens_per_ip=10_000, client_id_window_seconds=0.01
        )
    ) as running:
        yield running


@pytest.fixture(autouse=True)
def _clean(emu: RunningEmulator) -> Iterator[None]:
    yield
    emu.clear_faults()
    emu.settings.generation_seconds = 0.2
    emu.settings.missing_session_style = "http404"


Session = FastSession


@pytest.fixture(params=APIS)
def api(request: pytest.FixtureRequest) -> Api:
    """The public API a test runs over: the same body for the sync and the async one."""
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def session(emu: RunningEmulator, tmp_path: Path, api: Api) -> Iterator[Session]:
    """A fresh conversation with fast intervals, over the sync or the async API."""
    opened = Session(emu, tmp_path, api=api)
    yield opened
    opened.close()


def _errors(events: list[Event]) -> list[ErrorEvent]:
    return [e for e in events if isinstance(e, ErrorEvent)]


def _unfinished_generation_only(events: list[Event]) -> None:
    """The only error is the one saying the generation's second stage is unknown (§1)."""
    assert [e.code for e in _errors(events)] == ["generation_unfinished"], events
    assert events[-1].ok is False  # type: ignore[union-attr]


def _assert_readable(error: ErrorEvent) -> None:
    assert error.message.strip()
    assert error.hint.strip()
    for raw in ("Traceback", "{", "error_details", "nmv_"):
        assert raw not in error.message + error.hint


@pytest.mark.parametrize("style", ["error_object", "system_text", "error_code"])
def test_in_stream_error_is_reported_and_retry_is_the_users_choice(
    session: Session, emu: RunningEmulator, style: str
) -> None:
    """Each in-stream error format ends as a readable error; "retry" sends it once more."""
    emu.faults(stream_error=style, stream_error_after_events=0)
    before = turns(emu)
    events = session.say(GENERATE)
    [error] = _errors(events)
    _assert_readable(error)
    assert error.retryable
    assert events[-1].ok is False  # type: ignore[union-attr]
    assert session.sent() == [GENERATE]
    emu.clear_faults()
    again = session.say("retry")
    assert not _errors(again)
    assert texts(again, "reply")
    assert session.sent() == [GENERATE, GENERATE]  # twice only because the user said so
    assert turns(emu) - before == 2


@pytest.mark.parametrize("mode", ["abort", "close"])
def test_dropped_stream_runs_recovery_and_reports_the_change(
    session: Session, emu: RunningEmulator, mode: str
) -> None:
    """A stream cut after two events: not re-sent; the state shows the work, it is reported,
    and the generation's unreported second stage is said to be unknown."""
    session.say("hello")
    emu.faults(drop_after_events=2, drop_mode=mode)
    before = turns(emu)
    events = session.say(GENERATE)
    _unfinished_generation_only(events)
    assert texts(events, "changes"), events
    assert turns(emu) - before == 1
    assert session.sent().count(GENERATE) == 1


def test_truncated_frame_is_not_a_crash(session: Session, emu: RunningEmulator) -> None:
    """A truncated JSON frame then a closed stream: the change is found from the state."""
    session.say("hello")
    emu.faults(truncate_after_events=1)
    events = session.say(GENERATE)
    _unfinished_generation_only(events)
    assert texts(events, "changes") or texts(events, "reply")
    assert session.sent().count(GENERATE) == 1


def test_stalled_stream_times_out_into_recovery(emu: RunningEmulator, tmp_path: Path) -> None:
    """Nothing at all on the stream past the idle limit: recovery, not a second message."""
    opened = Session(emu, tmp_path, sse_read_timeout=0.3)
    try:
        opened.say("hello")
        emu.faults(stall_seconds=1.0, stall_after_events=1)
        events = opened.say(GENERATE)
        _unfinished_generation_only(events)
        assert texts(events, "changes"), events
        assert opened.sent().count(GENERATE) == 1
    finally:
        opened.close()


def test_keepalives_only_show_progress_then_time_out(emu: RunningEmulator, tmp_path: Path) -> None:
    """Long silent work: "Still working" notices, then the keep-alive limit hands over to
    recovery, which reports what the work did."""
    emu.settings.generation_seconds = 3.0
    opened = Session(emu, tmp_path, keepalive_notice=0.1, keepalive_only_limit=0.6)
    try:
        events = opened.say(GENERATE)
    finally:
        opened.close()
    working = [e for e in events if isinstance(e, ProgressEvent) and "Still working" in e.message]
    assert len(working) >= 2
    assert any("keep-alives" in t for t in texts(events, "notice"))
    assert texts(events, "changes")
    _unfinished_generation_only(events)


def test_hard_limit_stops_the_stream(emu: RunningEmulator, tmp_path: Path) -> None:
    """A reply longer than the hard limit is stopped and recovery takes over."""
    emu.settings.generation_seconds = 3.0
    opened = Session(emu, tmp_path, sse_hard_limit=0.5)
    try:
        events = opened.say(GENERATE)
    finally:
        opened.close()
    assert any("longer than" in t for t in texts(events, "notice"))
    assert texts(events, "changes")


def test_recovery_gives_up_after_five_unchanged_queries(
    session: Session, emu: RunningEmulator
) -> None:
    """A dropped message that changed nothing: five checks, then a failure offering a retry."""
    session.say(GENERATE)
    emu.faults(drop_after_events=0)
    question = "what can you do?"
    events = session.say(question)
    checks = [e for e in events if isinstance(e, ProgressEvent) and e.stage == "recovery"]
    assert len(checks) == 4  # five queries: a notice before each one after the first
    [error] = _errors(events)
    _assert_readable(error)
    assert error.retryable
    assert session.sent().count(question) == 1


def test_expired_token_mid_conversation(session: Session, emu: RunningEmulator) -> None:
    """1001: a new token, the same message retried once, answered, received once."""
    session.say("hello")
    emu.expire_tokens()
    before = turns(emu)
    events = session.say(GENERATE)
    assert not _errors(events), events
    assert texts(events, "reply")
    assert turns(emu) - before == 1


@pytest.mark.parametrize("style", ["http404", "code1002"])
def test_lost_session_starts_over_and_keeps_the_message(
    session: Session, emu: RunningEmulator, style: str
) -> None:
    """1002 (or 404): the user is told the timeline starts over; the message still goes."""
    session.say(GENERATE)
    old = session.conversation.session_id
    emu.settings.missing_session_style = style  # type: ignore[assignment]
    emu.lose_sessions()
    events = session.say("add upbeat background music")
    assert any("starts over" in t for t in texts(events, "notice"))
    assert session.conversation.session_id not in (None, old)
    assert not _errors(events)
    # The first attempt was refused (no such session); only the new session got it.
    assert turns(emu) == 1  # every other session is gone


def test_out_of_credits_gives_the_bind_link(emu: RunningEmulator, tmp_path: Path) -> None:
    """2001 for an anonymous user: a sentence, the registration link with its bind id."""
    from skillrt.runtime import FileCredentialStore, StoredToken

    FileCredentialStore.in_dir(tmp_path).put(
        emu.base_url, StoredToken(emu.issue_token(credits=10), anonymous=True)
    )
    opened = Session(emu, tmp_path)
    try:
        events = opened.say(GENERATE)
    finally:
        opened.close()
    [error] = _errors(events)
    assert error.code == "2001"
    assert error.exit_code == 4
    _assert_readable(error)
    links = [e for e in events if isinstance(e, LinkEvent) and e.kind == "bind"]
    assert links
    assert "bind=" in links[0].url


def test_rate_limited_chat_waits_and_retries_once(session: Session, emu: RunningEmulator) -> None:
    """429 before the stream: one wait, the same request once more, answered."""
    session.say("hello")
    emu.faults(http_status=429, http_status_times=1, http_status_path="/run_sse")
    before = turns(emu)
    events = session.say(GENERATE)
    assert not _errors(events)
    assert turns(emu) - before == 1


def test_server_error_on_chat_is_not_retried(session: Session, emu: RunningEmulator) -> None:
    """503 on the chat endpoint: a readable error with what to do, and nothing re-sent."""
    session.say("hello")
    emu.faults(http_status=503, http_status_path="/run_sse")
    before = turns(emu)
    events = session.say(GENERATE)
    [error] = _errors(events)
    _assert_readable(error)
    assert turns(emu) == before


def test_server_error_on_state_is_retried(session: Session, emu: RunningEmulator) -> None:
    """A 5xx on a read (state) is retried with backoff and the user never sees it."""
    session.say(GENERATE)
    emu.faults(http_status=502, http_status_times=2, http_status_path="/api/state")
    events = session.say("show the timeline")
    assert not _errors(events)
    assert texts(events, "timeline")


def test_failed_render_is_explained(session: Session, emu: RunningEmulator) -> None:
    """A render that fails ends as a sentence with what to do (export again)."""
    session.say(GENERATE)
    emu.faults(render_fail=True)
    events = session.say("export")
    [error] = _errors(events)
    _assert_readable(error)
    assert error.exit_code == 5


def test_simple_event_family(tmp_path: Path) -> None:
    """The simplified typed events give the same conversation as ADK events."""
    with run_emulator(EmulatorSettings.for_tests(event_family="simple")) as other:
        opened = Session(other, tmp_path)
        try:
            events = opened.say(GENERATE)
        finally:
            opened.close()
    assert texts(events, "reply")
    assert not _errors(events)


def test_partial_text_is_streamed_then_replaced(emu: RunningEmulator, tmp_path: Path) -> None:
    """With streaming on, partial text grows and each final message is shown whole once."""
    log = RequestLog()
    options = ConversationOptions(output_dir=tmp_path / "out", gui_export=False, streaming=True)
    with log.client() as http, runtime_for(emu, tmp_path, http, options=options) as runtime:
        events = send(runtime.conversation(SKILL), GENERATE)
    partial = [e.text for e in events if e.type == "text" and e.partial]  # type: ignore[union-attr]
    final = texts(events, "reply")
    assert len(partial) > len(final) >= 2
    assert len(final) == len(set(final))  # a final message replaces its partials, once
    assert json.loads(log.chat_messages()[0])["streaming"] is True


def test_unsupported_file_is_refused_before_upload(session: Session, tmp_path: Path) -> None:
    """4001 before any byte is sent: the supported formats are listed; nothing is uploaded."""
    odd = tmp_path / "notes.docx"
    odd.write_bytes(b"not a video")
    events = session.say("", [odd])
    [error] = _errors(events)
    _assert_readable(error)
    assert "mp4" in error.hint
    assert not [r for r in session.log.requests if "/api/upload-video/" in r.url]


def test_render_that_never_finishes_is_cancelled(
    emu: RunningEmulator, tmp_path: Path, api: Api
) -> None:
    """A render past its deadline is cancelled on the server and its job marked so: the
    user is told, and resuming later has nothing left to poll."""
    opened = Session(emu, tmp_path, api=api, render_deadline=0.5)
    try:
        opened.say(GENERATE)
        emu.faults(render_hang=True)
        events = opened.say("export")
        resumed = opened.resume_exports()
    finally:
        opened.close()
    [error] = _errors(events)
    _assert_readable(error)
    assert "cancelled" in error.message
    assert events[-1].ok is False  # type: ignore[union-attr]
    [job] = opened.jobs.recent(limit=1)
    assert job.status == "cancelled"
    with emu.emulator.store.lock:
        assert emu.emulator.store.renders[job.id].status == "cancelled"
    assert resumed == []
