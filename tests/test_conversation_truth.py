"""Every failure ends in the truth (issue 10 §1, §2, §5): an error after the first words,
a cut or truncated stream, an unfinished generation, an export after a lost session and a
render that never finishes are never reported as ``ok``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from runtime_helpers import FastSession, texts, turns

from skillrt.emulator import EmulatorSettings
from skillrt.emulator.testing import RunningEmulator, run_emulator
from skillrt.runtime._events import DoneEvent, ErrorEvent, Event, MediaEvent, TextEvent
from skillrt.runtime._stores import JobRecord

SKILL = "free-generation-maker"
GENERATE = "generate a 2-second video about a coffee brand"


@pytest.fixture(scope="module")
def emu() -> Iterator[RunningEmulator]:
    """One emulator for the module (no silent edits), faults cleared after each test."""
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


Chat = FastSession


@pytest.fixture
def chat(emu: RunningEmulator, tmp_path: Path) -> Iterator[Chat]:
    """A fresh conversation."""
    opened = Chat(emu, tmp_path)
    yield opened
    opened.close()


def _errors(events: list[Event]) -> list[ErrorEvent]:
    return [e for e in events if isinstance(e, ErrorEvent)]


def _done(events: list[Event]) -> DoneEvent:
    last = events[-1]
    assert isinstance(last, DoneEvent)
    return last


def _first_index(events: list[Event], kind: type[Event]) -> int:
    return next(i for i, e in enumerate(events) if isinstance(e, kind))


@pytest.mark.parametrize("style", ["error_object", "system_text", "error_code"])
def test_error_after_the_first_words_is_a_failure(
    chat: Chat, emu: RunningEmulator, style: str
) -> None:
    """An in-stream error after one reply: the reply, then an error naming the stage, not ok."""
    emu.faults(stream_error=style, stream_error_after_events=1)
    events = chat.say(GENERATE)
    replies = texts(events, "reply")
    assert replies, events
    [error] = _errors(events)
    assert _first_index(events, TextEvent) < events.index(error)
    assert error.exit_code == 5
    assert "before any work started" in error.message
    assert "simulated failure" in error.message
    assert error.retryable  # nothing was done: sending it again is the user's choice
    assert _done(events).ok is False
    assert chat.sent() == [GENERATE]


def test_error_after_the_raw_video_names_that_stage(chat: Chat, emu: RunningEmulator) -> None:
    """An error once the raw video was made: the error says so and how to check; the work
    was done, so it is not offered for a retry (that would generate and charge again)."""
    emu.faults(stream_error="error_code", stream_error_after_events=3)
    events = chat.say(GENERATE)
    [error] = _errors(events)
    assert "after the raw video was made" in error.message
    assert "status" in error.hint
    assert not error.retryable
    assert _done(events).ok is False


def test_truncated_frame_after_text_recovers_and_says_post_production_is_unknown(
    chat: Chat, emu: RunningEmulator
) -> None:
    """Half a JSON frame then close after the first reply: recovery reports the raw video,
    then an error says post-production is unknown and how to check; not ok, not re-sent."""
    emu.faults(truncate_after_events=1)
    before = turns(emu)
    events = chat.say(GENERATE)
    assert texts(events, "reply")
    assert any("stopped before" in t for t in texts(events, "notice")), events
    assert texts(events, "changes"), events
    [error] = _errors(events)
    assert error.code == "generation_unfinished"
    assert "raw video exists" in error.message
    assert "status" in error.hint
    assert error.exit_code == 5
    assert not error.retryable
    assert _done(events).ok is False
    assert turns(emu) - before == 1


@pytest.mark.parametrize("after", [1, 3, 4, 6])
def test_clean_close_mid_generation_is_not_done(
    chat: Chat, emu: RunningEmulator, after: int
) -> None:
    """A stream closed cleanly in the middle of a generation (once the backend has shown it
    marks the end of its turns): never ``ok``; the raw video is reported as what is known."""
    chat.say("hello")  # a whole turn: the backend's end-of-turn mark is seen
    emu.faults(drop_after_events=after, drop_mode="close")
    events = chat.say(GENERATE)
    codes = [e.code for e in _errors(events)]
    assert codes == ["generation_unfinished"], events
    assert _done(events).ok is False
    assert chat.sent().count(GENERATE) == 1


def test_whole_generation_is_ok(chat: Chat) -> None:
    """Without faults a generation ends ok, with the post-production reported."""
    events = chat.say(GENERATE)
    assert not _errors(events)
    assert texts(events, "changes")
    assert _done(events).ok is True


def test_trailing_issue_after_a_complete_reply_is_ignored(chat: Chat, emu: RunningEmulator) -> None:
    """ "I encountered a temporary issue" after a complete reply stays noise (contract §5)."""
    chat.say("hello")
    emu.script({"say": "Your video now has music."}, {"say": "I encountered a temporary issue."})
    events = chat.say("add upbeat music")
    assert texts(events, "reply") == ["Your video now has music."]
    assert not _errors(events)
    assert _done(events).ok is True


def test_issue_said_before_the_work_reported_is_a_failure(chat: Chat, emu: RunningEmulator) -> None:
    """The same words after tool work that no reply followed: the work did not complete."""
    chat.say("hello")
    emu.script({"say": "Adding the music now."}, {"tool": "add_bgm"},
               {"say": "I encountered a temporary issue."})  # fmt: skip
    events = chat.say("add upbeat music")
    [error] = _errors(events)
    assert "add bgm" in error.message
    assert _done(events).ok is False


def test_send_cli_reports_an_error_after_text(emu: RunningEmulator, tmp_path: Path) -> None:
    """The issue's repro through `skillrt send --json`: text, an error, done ok=false, rc 5."""
    emu.faults(stream_error="system_text", stream_error_after_events=1)
    env = {**os.environ, "SKILLRT_HOME": str(tmp_path), "NEMO_API_URL": emu.base_url}
    env.pop("NEMO_TOKEN", None)
    done = subprocess.run(
        [sys.executable, "-m", "skillrt", "send", SKILL, GENERATE, "--json",
         "--backend", emu.base_url],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    kinds = [line["type"] for line in lines]
    assert "text" in kinds, done.stdout + done.stderr
    assert kinds.index("text") < kinds.index("error")
    assert lines[-1] == {**lines[-1], "type": "done", "ok": False}
    assert done.returncode == 5, done.stderr


def test_export_after_a_lost_session_says_there_is_nothing_to_export(
    chat: Chat, emu: RunningEmulator
) -> None:
    """1002 during export: a new session is made, its empty timeline is said, not ok."""
    chat.say(GENERATE)
    emu.lose_sessions()
    events = chat.say("export")
    assert any("starts over" in t for t in texts(events, "notice"))
    [error] = _errors(events)
    assert "Nothing to export" in error.message
    assert "lost" in error.message
    assert not [e for e in events if isinstance(e, MediaEvent)]
    assert _done(events).ok is False


def test_export_after_a_lost_session_then_generate_and_export(
    chat: Chat, emu: RunningEmulator
) -> None:
    """After that, the new project works: generate, then export delivers an MP4."""
    chat.say(GENERATE)
    emu.lose_sessions()
    chat.say("export")
    chat.say(GENERATE)
    events = chat.say("export")
    assert [e for e in events if isinstance(e, MediaEvent)], events
    assert _done(events).ok is True


def test_end_of_turn_mark_is_remembered_across_runtimes(
    emu: RunningEmulator, tmp_path: Path
) -> None:
    """A later process (a new runtime on the same data dir) knows the backend marks its
    turns, so its first message closed after the first words is not taken as complete."""
    first = Chat(emu, tmp_path)
    try:
        first.say("hello")
    finally:
        first.close()
    assert (tmp_path / "backend-traits.json").is_file()
    emu.faults(drop_after_events=1, drop_mode="close")
    later = Chat(emu, tmp_path)
    try:
        later.conversation = later.runtime.conversation(SKILL, resume=True)
        events = later.say(GENERATE)
    finally:
        later.close()
    assert [e.code for e in _errors(events)] == ["generation_unfinished"], events
    assert _done(events).ok is False


def test_resume_does_not_poll_an_old_hanging_render_forever(
    emu: RunningEmulator, tmp_path: Path
) -> None:
    """A job an earlier process left, older than the render deadline and still rendering:
    `export --resume` polls it once, cancels it on the server and never picks it up again."""
    opened = Chat(emu, tmp_path, render_deadline=60.0)
    try:
        opened.say(GENERATE)
        emu.faults(render_hang=True)
        conversation = opened.conversation
        draft = conversation.client.state(conversation.session_id or "").draft
        accepted = conversation.client.submit_render(
            conversation.session_id or "", draft, "render_left_behind"
        )
        conversation.jobs.add(JobRecord(
            id=accepted.id, session_id=conversation.session_id or "", skill=SKILL,
            origin=conversation.client.config.origin, status="processing",
            path=str(tmp_path / "out" / "left.mp4"), created=time.time() - 3600,
        ))  # fmt: skip
        started = time.monotonic()
        first = list(conversation.resume_exports())
        took = time.monotonic() - started
        again = list(conversation.resume_exports())
    finally:
        opened.close()
    [error] = _errors(first)
    assert "cancelled" in error.message
    assert took < 30  # one poll, not the whole 60 s deadline again
    assert again == []
    with emu.emulator.store.lock:
        assert emu.emulator.store.renders["render_left_behind"].status == "cancelled"
