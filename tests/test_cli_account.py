"""``skillrt credits``, ``state``, ``export [--resume]`` and ``jobs`` as processes, against
the emulator: data on stdout, messages on stderr, distinct exit codes, and a render that
survives the process that started it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from skillrt.emulator.testing import RunningEmulator, run_emulator
from skillrt.runtime import (
    BackendClient,
    BackendConfig,
    SessionRecord,
    SqliteJobStore,
    SqliteSessionStore,
    bundled_skills_dir,
    load_skill,
)


@dataclass
class Setup:
    """An emulator, a skillrt home for the processes, and a generated session in it."""

    emu: RunningEmulator
    home: Path
    env: dict[str, str]
    session: SessionRecord


def _skillrt(
    env: dict[str, str], *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "skillrt", *args],
        env=env, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[Setup]:
    """A session with a generated video, recorded where the ``skillrt`` processes look."""
    home = tmp_path / "skillrt-home"
    env = {**os.environ, "SKILLRT_HOME": str(home), "NO_COLOR": "1"}
    skill = load_skill(bundled_skills_dir() / "caption-ab")
    with run_emulator() as emu, httpx.Client() as http:
        config = BackendConfig.from_env({"SKILLRT_HOME": str(home), "NEMO_API_URL": emu.base_url})
        client = BackendClient(http, skill=skill, config=config)
        info = client.create_session("en")
        with client.open_chat_stream(info.session_id, "generate a 2 second video of rain") as r:
            for _ in r.iter_bytes():
                pass
        record = SessionRecord(skill.name, config.origin, info.task_id, info.session_id, "en")
        SqliteSessionStore.in_dir(home).put(record)
        yield Setup(emu, home, env, record)


def test_credits_json_and_text(setup: Setup) -> None:
    """`skillrt credits` prints the balance as JSON or one sentence on stdout."""
    done = _skillrt(setup.env, "credits", "--backend", setup.emu.base_url, "--json")
    assert done.returncode == 0, done.stderr
    balance = json.loads(done.stdout)
    assert set(balance) == {"available", "frozen", "total"}
    text = _skillrt(setup.env, "credits", "--backend", setup.emu.base_url)
    assert text.stdout.startswith("Credits:")


def test_state_shows_the_current_project(setup: Setup) -> None:
    """`skillrt state SKILL` shows the stored session's timeline summary (raw with --json)."""
    done = _skillrt(setup.env, "state", "caption-ab", "--backend", setup.emu.base_url, "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["session_id"] == setup.session.session_id
    assert data["state"]["draft"]["t"]
    text = _skillrt(setup.env, "state", "caption-ab", "--backend", setup.emu.base_url)
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith("Timeline")


def test_exit_codes_are_distinct_per_error_class(setup: Setup) -> None:
    """No session: 1 (input); unreachable backend: 6 (network); plan: 4; messages on stderr
    without a traceback."""
    no_session = _skillrt(setup.env, "state", "video-meta-ai", "--backend", setup.emu.base_url)
    assert no_session.returncode == 1
    assert "no project" in no_session.stderr
    offline = _skillrt(setup.env, "credits", "--backend", "http://127.0.0.1:9")
    assert offline.returncode == 6
    assert "Could not reach" in offline.stderr
    setup.emu.faults(http_status=402, http_status_path="/api/render/proxy/lambda")
    plan = _skillrt(setup.env, "export", "caption-ab", "--backend", setup.emu.base_url)
    assert plan.returncode == 4
    assert "upgrade" in plan.stderr
    for done in (no_session, offline, plan):
        assert "Traceback" not in done.stderr
        assert done.stdout == ""


def test_export_resume_after_the_process_is_killed(setup: Setup, tmp_path: Path) -> None:
    """An export whose process is killed mid-render is recorded; `skillrt export --resume`
    finishes it and delivers the MP4; `skillrt jobs` shows it delivered."""
    setup.emu.emulator.settings.render_min_seconds = 4.0
    dest = tmp_path / "out.mp4"
    started = subprocess.Popen(
        [sys.executable, "-m", "skillrt", "export", "caption-ab", "--backend",
         setup.emu.base_url, "--output", str(dest)],
        env=setup.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    jobs = SqliteJobStore.in_dir(setup.home)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if (setup.home / "state.db").exists() and any(
                job.status in ("pending", "processing") for job in jobs.recent()
            ):
                break
            assert started.poll() is None, started.communicate()
            time.sleep(0.05)
        started.send_signal(signal.SIGKILL)
    finally:
        started.communicate(timeout=30)
    assert not dest.exists()
    [job] = jobs.unfinished()
    listed = _skillrt(setup.env, "jobs", "--json")
    assert json.loads(listed.stdout)[0]["id"] == job.id
    resumed = _skillrt(setup.env, "export", "--resume", "--json")
    assert resumed.returncode == 0, resumed.stderr
    result = json.loads(resumed.stdout)
    assert result["job_id"] == job.id
    assert Path(result["path"]) == dest
    assert dest.read_bytes()[4:8] == b"ftyp"
    assert result["size"] == dest.stat().st_size
    assert jobs.unfinished() == []
    again = _skillrt(setup.env, "export", "--resume")
    assert again.returncode == 0
    assert "No unfinished exports" in again.stderr
