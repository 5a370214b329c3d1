"""`skillrt chat` in a real pseudo-terminal (stdlib pty): it prompts, answers, attaches with
/file and quits with /quit; with stdin not a terminal it never prompts, even on a screen."""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from runtime_helpers import make_clip

from skillrt.emulator import EmulatorSettings
from skillrt.emulator.testing import RunningEmulator, run_emulator

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")

#: A guard against a hung process, not a speed check: every wait normally ends in seconds.
_GUARD = 120.0
_ANSI = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*\x07|[()][0-9A-B]|[=>78])")
PROMPT = "›"


@pytest.fixture(scope="module")
def emu() -> Iterator[RunningEmulator]:
    """One emulator for the module."""
    with run_emulator(EmulatorSettings.for_tests(tokens_per_ip=10_000)) as running:
        yield running


def _env(home: Path) -> dict[str, str]:
    env = {**os.environ, "HOME": str(home), "SKILLRT_HOME": str(home / "state"),
           "TERM": "xterm-256color", "COLUMNS": "160", "LINES": "40"}  # fmt: skip
    for name in ("NEMO_TOKEN", "NEMO_API_URL", "SKILLRT_BACKEND", "NO_COLOR"):
        env.pop(name, None)
    return env


class Terminal:
    """A process whose stdin, stdout and stderr are the slave side of a pty we hold."""

    def __init__(self, args: list[str], env: dict[str, str], *, stdin_tty: bool = True) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
        self.process = subprocess.Popen(
            args, stdin=slave if stdin_tty else subprocess.PIPE, stdout=slave, stderr=slave,
            env=env, close_fds=True, start_new_session=True,
        )  # fmt: skip
        os.close(slave)
        self.seen = ""

    def read_until(self, predicate: str | re.Pattern[str], start: int = 0) -> int:
        """Read output until ``predicate`` shows up after ``start``; where it ended."""
        deadline = time.monotonic() + _GUARD
        while True:
            text = self.text[start:]
            found = (predicate.search(text) if isinstance(predicate, re.Pattern)
                     else re.search(re.escape(predicate), text))  # fmt: skip
            if found:
                return start + found.end()
            assert time.monotonic() < deadline, f"no {predicate!r} in {self.text[start:]!r}"
            if not self._read(0.2) and self.process.poll() is not None:
                raise AssertionError(f"exited before {predicate!r}: {self.text[start:]!r}")

    def _read(self, wait: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], wait)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: the child closed the terminal
            return False
        self.seen += chunk.decode("utf-8", "replace")
        return bool(chunk)

    @property
    def text(self) -> str:
        """Everything shown so far, without terminal control sequences."""
        return _ANSI.sub("", self.seen).replace("\r", "")

    def type(self, line: str) -> None:
        """Type ``line`` and Enter."""
        os.write(self.master, line.encode() + b"\r")

    def wait(self) -> int:
        """Drain the output until the process ends; its exit code."""
        deadline = time.monotonic() + _GUARD
        while self.process.poll() is None:
            assert time.monotonic() < deadline, f"still running: {self.text[-500:]!r}"
            self._read(0.2)
        while self._read(0.05):
            pass
        return self.process.returncode

    def close(self) -> None:
        """Stop the process if it still runs; close our side of the pty."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        if self.process.stdin is not None:
            self.process.stdin.close()
        os.close(self.master)


def test_chat_in_a_terminal_prompts_answers_attaches_and_quits(
    emu: RunningEmulator, tmp_path: Path
) -> None:
    """In a real terminal: the greeting and a prompt, a typed message answered, /file PATH
    uploads the file, /quit ends with exit code 0."""
    clip = make_clip(tmp_path / "beach clip.mp4")
    args = [sys.executable, "-m", "skillrt", "chat", "video-meta-ai", "--backend", emu.base_url]
    terminal = Terminal(args, _env(tmp_path))
    try:
        at = terminal.read_until(PROMPT)
        assert "/file PATH" in terminal.text[:at]  # the greeting says how to attach
        terminal.type("what can you do?")
        at = terminal.read_until("I can generate a video", at)
        at = terminal.read_until(PROMPT, at)
        terminal.type(f"/file '{clip}'")
        at = terminal.read_until("Uploaded: beach clip.mp4", at)
        at = terminal.read_until(PROMPT, at)
        terminal.type("/quit")
        assert terminal.wait() == 0
    finally:
        terminal.close()
    assert "Traceback" not in terminal.text
    uploads = list((emu.emulator.uploads_dir).rglob("*beach*"))
    assert uploads, "the clip did not reach the backend"


def test_chat_with_piped_stdin_never_prompts_even_on_a_terminal(
    emu: RunningEmulator, tmp_path: Path
) -> None:
    """stdin from a pipe while stdout and stderr are a terminal: no prompt, each line is a
    message, end of input ends the chat."""
    args = [sys.executable, "-m", "skillrt", "chat", "video-meta-ai", "--backend", emu.base_url]
    terminal = Terminal(args, _env(tmp_path), stdin_tty=False)
    try:
        assert terminal.process.stdin is not None
        terminal.process.stdin.write(b"what can you do?\n")
        terminal.process.stdin.close()
        code = terminal.wait()
    finally:
        terminal.close()
    assert code == 0, terminal.text
    assert "I can generate a video" in terminal.text
    assert PROMPT not in terminal.text
