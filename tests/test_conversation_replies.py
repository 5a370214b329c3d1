"""What a user sees of a reply: stage one said once, GUI directions right after the reply
that announced them and in its order, no pointless renders, the plan error on a 402."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from runtime_helpers import RequestLog, runtime_for, send

from skillrt.emulator import EmulatorSettings
from skillrt.emulator.testing import RunningEmulator, run_emulator
from skillrt.runtime._conversation import ConversationOptions
from skillrt.runtime._events import ErrorEvent, Event, MediaEvent, ProgressEvent, TextEvent

SKILL = "free-generation-maker"


@pytest.fixture(scope="module")
def emu() -> Iterator[RunningEmulator]:
    """One emulator for the module; edits always answer with text."""
    with run_emulator(
        EmulatorSettings.for_tests(silent_edit_ratio=0.0, tokens_per_ip=10_000)
    ) as running:
        yield running


def _renders(log: RequestLog) -> int:
    return sum(1 for r in log.requests if r.method == "POST" and r.url.endswith("/lambda"))


def _shown(events: list[Event]) -> list[str]:
    """Each event as ``kind: words`` (progress as ``progress``), in order."""
    shown = []
    for event in events:
        if isinstance(event, TextEvent) and not event.partial:
            shown.append(f"{event.kind}: {event.text}")
        elif isinstance(event, ProgressEvent) and event.stage == "working":
            shown.append("progress")
        elif isinstance(event, MediaEvent):
            shown.append("media")
    return shown


@pytest.mark.parametrize(
    ("prompt", "runtime_words", "backend_words"),
    [
        (
            "generate a 6-second video about a bakery at dawn",
            "raw video is ready: 2 scenes, 6 s",
            "The raw video",
        ),
        ("生成一个关于清晨面包店的6秒视频", "原始视频已生成：2 个镜头，6 秒", "原始视频已生成（"),
    ],
)
def test_stage_one_is_announced_once(
    emu: RunningEmulator, tmp_path: Path, prompt: str, runtime_words: str, backend_words: str
) -> None:
    """Two-stage generation: the runtime's "raw video is ready" (with scenes and seconds)
    replaces the backend's own stage-one words; post-production is reported before the
    final reply, which is followed by the timeline it announces."""
    options = ConversationOptions(output_dir=tmp_path / "out", gui_export=False)
    with RequestLog().client() as http, runtime_for(emu, tmp_path, http, options=options) as rt:
        events = send(rt.conversation(SKILL), prompt)
    shown = _shown(events)
    assert sum(runtime_words in line for line in shown) == 1, shown
    assert not [line for line in shown if line.startswith("reply:") and backend_words in line]
    notice = next(i for i, line in enumerate(shown) if runtime_words in line)
    assert shown[notice].startswith("notice:")
    assert shown[notice - 1] == "progress"  # the generation tool ran
    changes = next(i for i, line in enumerate(shown) if line.startswith("changes:"))
    final = max(i for i, line in enumerate(shown) if line.startswith("reply:"))
    assert notice < changes < final
    assert shown[final + 1].startswith("timeline:")  # "…shown below" is followed by it


def test_directions_follow_their_reply_in_announced_order(
    emu: RunningEmulator, tmp_path: Path
) -> None:
    """Each reply's state, credits and upload question come right after it; the export and
    the edit wait for the end of the turn, in order; an export once per message."""
    log = RequestLog()
    options = ConversationOptions(output_dir=tmp_path / "out")
    with log.client() as http, runtime_for(emu, tmp_path, http, options=options) as rt:
        conversation = rt.conversation(SKILL)
        send(conversation, "generate a 4-second video about a lighthouse")
        renders = _renders(log)
        emu.script(
            {"say": "Your title is in. Open the Tracks panel to check it, then click the "
                    "Export button."},
            {"tool": "add_title"},
            {"say": "Click the Export button, then open the Tracks panel."},
            {"work": 0.2},
            {"say": "Drag your own clip into the timeline to use it."},
            {"say": "Check your account balance, then drag the title to the bottom."},
        )  # fmt: skip
        events = send(conversation, "what did you change?")
    shown = _shown(events)
    replies = [i for i, line in enumerate(shown) if line.startswith("reply:")]
    first, second, third, fourth = replies[:4]
    assert shown[first + 1].startswith("timeline:")
    assert shown[first + 2] == "progress"
    assert shown[second + 1].startswith("timeline:")
    assert shown[third + 1].startswith("notice:")
    assert "/file" in shown[third + 1]
    assert shown[fourth + 1].startswith("credits:")
    after = shown[fourth + 2 :]
    assert after[0] == "media"  # the export the first reply asked for, after the turn
    assert after[1].startswith("notice:")
    assert "Move the title to the bottom" in after[1]
    assert shown.count("media") == 1  # three replies said Export: one export
    assert _renders(log) == renders  # nothing changed since the last export: no render
    assert events[-1].ok  # type: ignore[union-attr]


def test_unchanged_draft_gets_its_last_mp4_again(emu: RunningEmulator, tmp_path: Path) -> None:
    """ "export" twice without a change renders once and hands the same MP4 back, saying
    so; an edit, or the file gone, renders again."""
    log = RequestLog()
    options = ConversationOptions(output_dir=tmp_path / "out", gui_export=False)
    with log.client() as http, runtime_for(emu, tmp_path, http, options=options) as rt:
        conversation = rt.conversation(SKILL)
        send(conversation, "generate a 3-second video about a river")
        first = [e for e in send(conversation, "export") if isinstance(e, MediaEvent)]
        again = [e for e in send(conversation, "export") if isinstance(e, MediaEvent)]
        assert _renders(log) == 1
        assert [m.path for m in again] == [m.path for m in first]
        assert "no new render" in again[0].message
        assert again[0].size == first[0].size == Path(first[0].path).stat().st_size
        Path(first[0].path).unlink()
        gone = [e for e in send(conversation, "export") if isinstance(e, MediaEvent)]
        assert _renders(log) == 2
        assert "no new render" not in gone[0].message
        assert Path(gone[0].path).is_file()
        send(conversation, 'add a title "River" at the top from 0 to 1 seconds')
        edited = [e for e in send(conversation, "export") if isinstance(e, MediaEvent)]
        assert _renders(log) == 3
        assert edited[0].path != gone[0].path


@pytest.mark.parametrize(
    ("prompt", "words", "hint"),
    [
        ("generate a 3-second video about snow", "plan", "Register or upgrade to unlock export"),
        ("生成一个关于雪的3秒视频", "套餐", "注册或升级套餐即可解锁导出"),
    ],
)
def test_free_plan_export_is_a_plan_error(
    tmp_path: Path, prompt: str, words: str, hint: str
) -> None:
    """With free_plan_export off, a free account's "export" gets 402: a plan message in the
    user's language (not credits) and the exit code 4."""
    with run_emulator(EmulatorSettings.for_tests(free_plan_export=False)) as strict:
        options = ConversationOptions(output_dir=tmp_path / "out", gui_export=False)
        with (
            RequestLog().client() as http,
            runtime_for(strict, tmp_path, http, options=options) as rt,
        ):
            conversation = rt.conversation(SKILL)
            send(conversation, prompt)
            events = send(conversation, "导出视频" if words == "套餐" else "export")
    [error] = [e for e in events if isinstance(e, ErrorEvent)]
    assert error.code == "402"
    assert words in error.message
    assert hint in error.hint
    assert "out of credits" not in error.message
    assert "积分不足" not in error.message
    assert error.exit_code == 4
    assert not any(isinstance(e, MediaEvent) for e in events)


def test_free_plan_export_exits_4_through_skillrt_send(tmp_path: Path) -> None:
    """`skillrt send ... export` against an emulator refusing free-plan export exits with 4
    and says it is about the plan."""
    env = {**os.environ, "HOME": str(tmp_path), "SKILLRT_HOME": str(tmp_path / "state"),
           "NO_COLOR": "1"}  # fmt: skip
    for name in ("NEMO_TOKEN", "NEMO_API_URL", "SKILLRT_BACKEND"):
        env.pop(name, None)

    def run(strict: RunningEmulator, text: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "skillrt", "send", SKILL, text, "--json",
             "--backend", strict.base_url],
            capture_output=True, text=True, env=env, timeout=120, check=False,
        )  # fmt: skip

    with run_emulator(EmulatorSettings.for_tests(free_plan_export=False)) as strict:
        run(strict, "generate a 3-second video about fog")
        done = run(strict, "export")
    events = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    [error] = [e for e in events if e["type"] == "error"]
    assert done.returncode == 4, done.stderr
    assert error["code"] == "402"
    assert "plan" in error["message"]
    assert "upgrade to unlock export" in error["hint"]
