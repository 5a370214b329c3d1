"""`skillrt chat`, `send` and `demo` as processes: lines from stdin, exit codes, the demo MP4."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from runtime_helpers import assert_valid_mp4, make_clip

from skillrt.cli._chat import parse_chat_line
from skillrt.emulator import EmulatorSettings
from skillrt.emulator.testing import RunningEmulator, run_emulator


@pytest.fixture(scope="module")
def emu() -> Iterator[RunningEmulator]:
    """One emulator for the module."""
    with run_emulator(EmulatorSettings.for_tests(tokens_per_ip=10_000)) as running:
        yield running


def _run(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home), "SKILLRT_HOME": str(home / "state"), "NO_COLOR": "1"}
    for name in ("NEMO_TOKEN", "NEMO_API_URL", "SKILLRT_BACKEND"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "skillrt", *args],
        input=stdin, capture_output=True, text=True, env=env, timeout=240, check=False,
    )  # fmt: skip


def test_parse_chat_line(tmp_path: Path) -> None:
    """/file PATH attaches (with optional words after it); a pasted existing path attaches."""
    clip = tmp_path / "my clip.mp4"
    clip.write_bytes(b"x")
    assert parse_chat_line(f"/file '{clip}' add captions") == ("add captions", [str(clip)])
    assert parse_chat_line(f"'{clip}'") == ("", [str(clip)])
    assert parse_chat_line(str(clip)) == ("", [str(clip)])
    assert parse_chat_line("  add music  ") == ("add music", [])
    assert parse_chat_line("/file") == ("", [])
    assert parse_chat_line(str(tmp_path / "missing.mp4")) == (str(tmp_path / "missing.mp4"), [])


def test_chat_reads_stdin_lines_without_prompting(emu: RunningEmulator, tmp_path: Path) -> None:
    """Without a terminal, chat takes one message per line, attaches /file, never prompts."""
    clip = make_clip(tmp_path / "clip.mp4")
    lines = f"generate a 3-second video about rain\n/file {clip}\nshow the timeline\n/quit\n"
    done = _run(tmp_path, "chat", "video-meta-ai", "--backend", emu.base_url, stdin=lines)
    assert done.returncode == 0, done.stderr
    assert "›" not in done.stderr
    assert "Timeline" in done.stdout
    assert "clip.mp4" in done.stdout


def test_chat_resume_continues_the_project(emu: RunningEmulator, tmp_path: Path) -> None:
    """`chat --resume` continues the stored session; a plain `chat` starts a new one."""
    _run(tmp_path, "chat", "caption-ab", "--backend", emu.base_url,
         stdin="generate a 3-second video about snow\n")  # fmt: skip
    resumed = _run(tmp_path, "chat", "caption-ab", "--resume", "--backend", emu.base_url,
                   stdin="show the timeline\n")  # fmt: skip
    fresh = _run(tmp_path, "chat", "caption-ab", "--backend", emu.base_url,
                 stdin="show the timeline\n")  # fmt: skip
    assert "snow" in resumed.stdout
    assert "snow" not in fresh.stdout


def test_send_exit_codes(emu: RunningEmulator, tmp_path: Path) -> None:
    """Usage, input, network: each failure has its own exit code and a sentence on stderr."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    network = _run(tmp_path, "send", "free-generation-maker", "hello", "--backend", closed)
    empty = _run(tmp_path, "send", "free-generation-maker", "", "--backend", emu.base_url)
    unknown = _run(tmp_path, "send", "no-such-skill", "hi", "--backend", emu.base_url)
    usage = _run(tmp_path, "send")
    assert (network.returncode, empty.returncode, unknown.returncode, usage.returncode) == (
        6, 1, 1, 2,
    )  # fmt: skip
    assert "Traceback" not in network.stderr + network.stdout
    assert "error:" in network.stderr


def test_send_json_is_one_event_per_line(emu: RunningEmulator, tmp_path: Path) -> None:
    """--json prints only JSON lines on stdout, the last one the done event."""
    done = _run(tmp_path, "send", "free-generation-maker", "credits", "--json",
                "--backend", emu.base_url)  # fmt: skip
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert events[-1]["type"] == "done"
    assert any(e.get("kind") == "credits" for e in events)


@pytest.mark.slow
def test_demo_makes_an_mp4_offline(tmp_path: Path) -> None:
    """`skillrt demo` on a fresh home runs the whole session and prints where the MP4 is."""
    output = tmp_path / "demo.mp4"
    done = _run(tmp_path, "demo", "--output", str(output))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == str(output)
    assert_valid_mp4(output)
    assert "Timeline" in done.stdout + done.stderr
    assert not (tmp_path / "state").exists()  # the demo keeps nothing of the user's state
