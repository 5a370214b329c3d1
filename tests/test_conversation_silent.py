"""A reply that ends cleanly with a tool call and its result but no words and no change is
not a dropped stream: a few short re-reads of the state, then the user is told what the
backend did and what to try next (the five-check recovery stays for dropped streams)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from runtime_helpers import RequestLog, runtime_for, send

from skillrt.emulator import EmulatorSettings
from skillrt.emulator.testing import RunningEmulator, run_emulator
from skillrt.runtime import ConversationOptions, DoneEvent, ErrorEvent, ProgressEvent

SKILL = "free-generation-maker"


@pytest.fixture(scope="module")
def emu() -> Iterator[RunningEmulator]:
    """One emulator for the module."""
    with run_emulator(EmulatorSettings.for_tests(silent_edit_ratio=0.0)) as running:
        yield running


@pytest.mark.parametrize(
    ("language", "opening", "words"),
    [("en", "hello", "add bgm tool"), ("zh", "你好", "add bgm 工具")],
)
def test_clean_silent_tool_turn_without_change_says_so_in_seconds(
    emu: RunningEmulator, tmp_path: Path, language: str, opening: str, words: str
) -> None:
    """Scripted turn: add_bgm called and answered, no text, timeline unchanged → two short
    re-reads, no "check 1 of 5" recovery, one error naming the tool with a next step; the
    message was sent once and "retry" is offered."""
    log = RequestLog()
    options = ConversationOptions(output_dir=tmp_path / "out", gui_export=False)
    with log.client() as http, runtime_for(emu, tmp_path, http, options=options) as runtime:
        conversation = runtime.conversation(SKILL)
        send(conversation, opening)
        emu.script({"tool": "add_bgm"})
        started = time.monotonic()
        events = send(conversation, "add upbeat background music")
        elapsed = time.monotonic() - started
    assert not [e for e in events if isinstance(e, ProgressEvent) and e.stage == "recovery"]
    [error] = [e for e in events if isinstance(e, ErrorEvent)]
    assert error.code == "no_change"
    assert words in error.message
    assert error.hint
    assert error.retryable
    assert isinstance(events[-1], DoneEvent)
    assert events[-1].ok is False
    assert len(log.chat_messages()) == 2  # the opening and this one, each sent once
    state_reads = [r for r in log.requests if "/api/state/" in r.url]
    assert len(state_reads) >= 3  # before, at the end, and the re-reads
    assert elapsed < 5.0
