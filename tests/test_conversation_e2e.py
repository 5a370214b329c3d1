"""A whole conversation per skill against the emulator: generate or upload → edit → silent
edit reported → state → export → a valid MP4 on disk, through the Python API and the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from runtime_helpers import (
    APIS,
    Api,
    FastSession,
    RequestLog,
    assert_valid_mp4,
    make_clip,
    runtime_for,
    send,
    texts,
    turns,
    types,
)

from skillrt.emulator import EmulatorSettings
from skillrt.emulator.testing import RunningEmulator, run_emulator
from skillrt.runtime._events import EVENT_ADAPTER, Event, MediaEvent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def emu() -> Iterator[RunningEmulator]:
    """One emulator for the module; edits answer with text unless a test asks otherwise."""
    with run_emulator(
        EmulatorSettings.for_tests(silent_edit_ratio=0.0, tokens_per_ip=10_000)
    ) as running:
        yield running


_EDITS = {
    "free-generation-maker": ('add a title "Morning Brew" at the top from 0 to 2 seconds',
                              "add upbeat background music at 30% volume"),
    "video-meta-ai": ("add lo-fi background music at 40% volume",
                      'add a title "Launch Day" at the top from 0 to 1 seconds'),
    "caption-ab": ('add a title "Two Styles" at the top from 0 to 1 seconds',
                   "add chill background music at 20% volume"),
}  # fmt: skip


def _opening(skill: str, chat: FastSession, clip: Path) -> list[Event]:
    if skill == "free-generation-maker":
        return chat.say("generate a 6-second video about a coffee brand waking a city")
    events = chat.say("", [clip])
    assert "upload" in events[-1].actions  # type: ignore[union-attr]
    follow = {
        "video-meta-ai": "write a title, a description and tags for this clip for YouTube",
        "caption-ab": "make two caption styles A and B for this clip and compare them",
    }[skill]
    return events + chat.say(follow)


@pytest.mark.parametrize("api", APIS)
@pytest.mark.parametrize("skill", ["free-generation-maker", "video-meta-ai", "caption-ab"])
def test_whole_conversation_through_the_python_api(
    skill: str, api: Api, emu: RunningEmulator, tmp_path: Path
) -> None:
    """Each skill, over the sync and the async API: opening, an edit with a reply, a silent
    edit described, credits, state, export to a valid MP4; no message sent twice."""
    clip = make_clip(tmp_path / "clip.mp4")
    chat = FastSession(emu, tmp_path, skill, api=api, gui_export=True)
    try:
        received = turns(emu)

        opening = _opening(skill, chat, clip)
        assert texts(opening, "reply"), opening
        assert all(e.ok for e in opening if e.type == "done")  # type: ignore[union-attr]
        if skill == "free-generation-maker":
            notices = " ".join(texts(opening, "notice"))
            assert "raw video is ready" in notices
            assert texts(opening, "changes"), "post-production was not described"

        edit, silent = _EDITS[skill]
        replied = chat.say(edit)
        assert texts(replied, "reply")
        assert types(replied)[-1] == "done"

        emu.settings.silent_edit_ratio = 1.0
        try:
            quiet = chat.say(silent)
        finally:
            emu.settings.silent_edit_ratio = 0.0
        assert not texts(quiet, "reply")
        assert texts(quiet, "changes"), quiet  # never silence: the change is reported

        balance = chat.say("am I out of credits?")
        assert balance[-1].actions == ("credits",)  # type: ignore[union-attr]
        assert texts(balance, "credits")

        state = chat.say("show the timeline")
        assert state[-1].actions == ("state",)  # type: ignore[union-attr]
        assert texts(state, "timeline")

        exported = chat.say("export")
        media = [e for e in exported if isinstance(e, MediaEvent)]
        assert len(media) == 1, exported
        assert_valid_mp4(Path(media[0].path))
        assert media[0].size == Path(media[0].path).stat().st_size
    finally:
        chat.close()

    sent = chat.sent()
    assert len(sent) == len(set(sent)), sent  # no message went twice
    assert len(sent) == turns(emu) - received  # and each reached the agent once


def _send_cli(
    home: Path, emu: RunningEmulator, *args: str
) -> tuple[int, list[dict[str, object]], str]:
    env = {
        **os.environ,
        "HOME": str(home),
        "SKILLRT_HOME": str(home / "skillrt"),
        "NO_COLOR": "1",
    }
    env.pop("NEMO_TOKEN", None)
    done = subprocess.run(
        [sys.executable, "-m", "skillrt", "send", *args, "--json", "--backend", emu.base_url],
        capture_output=True, text=True, env=env, timeout=240, check=False,
    )  # fmt: skip
    events = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    for event in events:
        EVENT_ADAPTER.validate_python(event)
    return done.returncode, events, done.stderr


def test_whole_conversation_through_skillrt_send(emu: RunningEmulator, tmp_path: Path) -> None:
    """`skillrt send --json` in separate processes continues one project up to a valid MP4."""
    skill = "free-generation-maker"
    received = turns(emu)
    code, events, err = _send_cli(tmp_path, emu, skill, "generate a 4-second video about tea")
    assert code == 0, err
    assert any(e["type"] == "text" and e["kind"] == "reply" for e in events)
    session = events[-1]["session_id"]

    code, events, err = _send_cli(tmp_path, emu, skill, "add upbeat background music")
    assert code == 0, err
    assert events[-1]["session_id"] == session  # the same project continues

    emu.settings.silent_edit_ratio = 1.0
    try:
        code, events, err = _send_cli(tmp_path, emu, skill, 'add a title "Tea Time" at the top')
    finally:
        emu.settings.silent_edit_ratio = 0.0
    assert code == 0, err
    assert any(e["type"] == "text" and e["kind"] == "changes" for e in events), events

    code, events, err = _send_cli(tmp_path, emu, skill, "show the timeline")
    assert code == 0, err
    assert any(e.get("kind") == "timeline" for e in events)

    code, events, err = _send_cli(tmp_path, emu, skill, "export")
    assert code == 0, err
    media = [e for e in events if e["type"] == "media"]
    assert len(media) == 1
    assert_valid_mp4(Path(str(media[0]["path"])))
    assert turns(emu) - received == 3


def test_chat_session_delivers_a_render_left_behind(emu: RunningEmulator, tmp_path: Path) -> None:
    """A render recorded by a process that died before polling is delivered by the next
    conversation's resume_exports (what `skillrt chat` runs first)."""
    from skillrt.runtime import JobRecord

    log = RequestLog()
    with log.client() as http, runtime_for(emu, tmp_path, http) as runtime:
        first = runtime.conversation("caption-ab")
        send(first, "generate a 3-second video about a river")
        session_id = first.session_id
        assert session_id is not None
        draft = first.client.state(session_id).draft
        jobs = runtime.job_store("caption-ab")
        job = JobRecord(id="render_left_behind", session_id=session_id, skill="caption-ab",
                        origin=emu.base_url, path=str(tmp_path / "left.mp4"))  # fmt: skip
        jobs.add(job)
        first.client.submit_render(session_id, draft, job.id)  # then the process "died"

        later = runtime.conversation("caption-ab", resume=True)
        events = list(later.resume_exports())
        assert jobs.get(job.id).status == "delivered"  # type: ignore[union-attr]
    media = [e for e in events if isinstance(e, MediaEvent)]
    assert [m.path for m in media] == [str(tmp_path / "left.mp4")]
    assert_valid_mp4(tmp_path / "left.mp4")
