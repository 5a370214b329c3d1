"""The command's stderr is for people: log lines only with --log-level, the detailed log
always in the user log dir (as ``--help`` says)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from skillrt.emulator import EmulatorSettings
from skillrt.emulator.testing import RunningEmulator, run_emulator


@pytest.fixture(scope="module")
def emu() -> Iterator[RunningEmulator]:
    """One emulator for the module."""
    with run_emulator(EmulatorSettings.for_tests(tokens_per_ip=10_000)) as running:
        yield running


def _run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home), "SKILLRT_HOME": str(home / "state"),
           "XDG_STATE_HOME": str(home / "xdg-state"), "NO_COLOR": "1",
           "COLUMNS": "500"}  # fmt: skip
    for name in ("NEMO_TOKEN", "NEMO_API_URL", "SKILLRT_BACKEND", "SKILLRT_LOG_LEVEL"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "skillrt", *args],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip


def _log_file(home: Path) -> Path:
    return home / "xdg-state" / "skillrt" / "log" / "skillrt.log"


def test_default_stderr_is_the_sentence_and_the_details_go_to_the_log_file(
    tmp_path: Path,
) -> None:
    """An unreachable backend at the default level: stderr is the one human sentence (no
    JSON WARNING lines before it); the retries' warnings are in the log file as JSON."""
    done = _run(tmp_path, "credits", "--backend", "http://127.0.0.1:9")
    assert done.returncode == 6
    assert done.stderr.strip().splitlines() == [done.stderr.strip()]
    assert done.stderr.startswith("error: Could not reach the video service")
    lines = [json.loads(line) for line in _log_file(tmp_path).read_text().splitlines()]
    assert any(line["event"] == "request.network_error" and line["level"] == "warning"
               for line in lines)  # fmt: skip


def test_log_level_shows_json_lines_on_stderr(emu: RunningEmulator, tmp_path: Path) -> None:
    """--log-level DEBUG (stderr not a terminal): skillrt's lines on stderr as JSON, and
    stdout keeps only the data."""
    done = _run(tmp_path, "--log-level", "DEBUG", "credits", "--json", "--backend", emu.base_url)
    assert done.returncode == 0, done.stderr
    assert set(json.loads(done.stdout)) >= {"available", "frozen", "total"}
    logged = [json.loads(line) for line in done.stderr.splitlines()]
    assert logged
    assert all(line["logger"].startswith("skillrt.") for line in logged)
    assert {"event", "level", "timestamp"} <= set(logged[0])


def test_help_says_where_the_log_file_is(tmp_path: Path) -> None:
    """`skillrt --help` names the log file of this user."""
    done = _run(tmp_path, "--help")
    assert done.returncode == 0
    assert str(_log_file(tmp_path)) in done.stdout
