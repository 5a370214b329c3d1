"""Local state tells the truth: private files stay private, waits say why, leftovers go.

- ``credentials.json`` found wider than 0600 is narrowed again; ``SKILLRT_HOME`` is created
  0700 and the lock file 0600.
- A process waiting for the credentials lock while another waits out a 429 says so.
- ``state``/``export``/``credits`` without a skill name act on the most recent conversation.
- A download killed mid-way leaves ``.NAME.PID.part``; the job's next run removes it (and
  never another live process's part).
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from runtime_helpers import FAST, assert_valid_mp4, runtime_for, send

from skillrt.emulator import EmulatorSettings
from skillrt.emulator.testing import RunningEmulator, run_emulator
from skillrt.runtime import BackendConfig, FileCredentialStore, discover_skills
from skillrt.runtime._client import BackendClient
from skillrt.runtime._stores import SqliteJobStore, SqliteSessionStore


@pytest.fixture(scope="module")
def emu() -> Iterator[RunningEmulator]:
    """One emulator for the module; renders take a second, so a short deadline expires."""
    settings = EmulatorSettings.for_tests(tokens_per_ip=10_000, render_min_seconds=1.0)
    with run_emulator(settings) as running:
        yield running


SKILL = "free-generation-maker"


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home), "SKILLRT_HOME": str(home / "state"), "NO_COLOR": "1"}
    for name in ("NEMO_TOKEN", "NEMO_API_URL", "SKILLRT_BACKEND"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "skillrt", *args],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_home_lock_and_credentials_stay_private(emu: RunningEmulator, tmp_path: Path) -> None:
    """A new SKILLRT_HOME is 0700 and its lock 0600; credentials.json found 0644 is 0600 again."""
    state = tmp_path / "state"
    old_umask = os.umask(0o022)
    try:
        first = _cli(tmp_path, "credits", "--backend", emu.base_url)
        assert first.returncode == 0, first.stderr
        assert _mode(state) == 0o700
        assert _mode(state / "credentials.lock") == 0o600
        os.chmod(state / "credentials.json", 0o644)
        again = _cli(tmp_path, "credits", "--backend", emu.base_url)
    finally:
        os.umask(old_umask)
    assert again.returncode == 0, again.stderr
    assert _mode(state / "credentials.json") == 0o600


def test_waiting_for_a_rate_limited_lock_holder_says_so(
    emu: RunningEmulator, tmp_path: Path
) -> None:
    """While one process waits out a 429 for a token under the lock, another says it waits
    for a rate-limited process (not that something "holds the lock"), then uses its token."""
    skill = discover_skills().skills["caption-ab"]
    config = BackendConfig(
        api_url=emu.base_url, data_dir=tmp_path, client_id_path=tmp_path / "client_id",
        intervals=replace(FAST, rate_limit_wait=2.5),
    )  # fmt: skip
    emu.faults(http_status=429, http_status_times=1, http_status_path="/api/auth/anonymous-token")
    said: list[str] = []
    results: dict[str, object] = {}

    def credits(name: str, store: FileCredentialStore) -> None:
        with httpx.Client(timeout=30) as http:
            client = BackendClient(http, skill=skill, config=config, credentials=store)
            results[name] = client.credits().available

    try:
        holder = threading.Thread(target=credits, args=("holder", FileCredentialStore.in_dir(
            tmp_path)))  # fmt: skip
        holder.start()
        marker = tmp_path / "credentials.ratelimited"
        deadline = time.monotonic() + 20
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert marker.exists(), "the lock holder never recorded its 429 wait"
        waiter = FileCredentialStore(tmp_path / "credentials.json", on_wait=said.append)
        credits("waiter", waiter)
        holder.join(timeout=30)
    finally:
        emu.clear_faults()
    assert len(said) == 1, said
    assert "Waiting for another skillrt process that is being rate-limited" in said[0]
    assert "holds the lock" not in said[0]
    assert set(results) == {"holder", "waiter"}
    tokens = json.loads((tmp_path / "credentials.json").read_text())
    assert list(tokens) == [config.origin]  # one token, fetched once, shared
    assert not marker.exists()


def test_commands_without_a_skill_use_the_most_recent_conversation(
    emu: RunningEmulator, tmp_path: Path
) -> None:
    """`skillrt state` with no name shows the project a message was last sent on, not the
    alphabetically first skill's or the newest created one."""
    with httpx.Client(timeout=30) as http, runtime_for(emu, tmp_path / "state", http) as rt:
        meta = rt.conversation("video-meta-ai")
        send(meta, "generate a 2-second video about tea")
        send(rt.conversation("caption-ab"), "generate a 2-second video about snow")
        send(meta, "show the timeline")  # older project, newer message
        meta_session = meta.session_id
    shown = _cli(tmp_path, "state", "--json", "--backend", emu.base_url)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["session_id"] == meta_session
    recent = SqliteSessionStore.in_dir(tmp_path / "state").recent()
    assert [r.skill for r in recent] == ["video-meta-ai", "caption-ab"]


def _part_writer(dest: Path) -> subprocess.Popen[str]:
    """A process that starts a download of ``dest`` the way skillrt names it, then waits."""
    code = (
        "import os, sys, time\n"
        "dest = sys.argv[1]\n"
        "folder, name = os.path.split(dest)\n"
        "part = os.path.join(folder, f'.{name}.{os.getpid()}.part')\n"
        "with open(part, 'wb') as handle:\n"
        "    handle.write(b'\\0' * 4096)\n"
        "print(part, flush=True)\n"
        "time.sleep(120)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(dest)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    process.stdout.readline()
    process.stdout.close()
    return process


def _killed(process: subprocess.Popen[str]) -> int:
    process.send_signal(signal.SIGKILL)
    process.wait()
    return process.pid


def _export_killed_while_rendering(home: Path, emu: RunningEmulator) -> Path:
    """Start `skillrt export`, kill it once its job is recorded; the job's MP4 path."""
    env = {**os.environ, "HOME": str(home), "SKILLRT_HOME": str(home / "state")}
    export = subprocess.Popen(
        [sys.executable, "-m", "skillrt", "export", SKILL, "--backend", emu.base_url],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    jobs = SqliteJobStore.in_dir(home / "state")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and export.poll() is None:
        pending = [j for j in jobs.unfinished() if j.status == "processing"]
        if pending:
            _killed(export)
            assert pending[0].path is not None
            return Path(pending[0].path)
        time.sleep(0.02)
    export.kill()
    pytest.fail("the export never reached a recorded, processing job")


def test_resume_removes_stale_parts_of_its_own_job_only(
    emu: RunningEmulator, tmp_path: Path
) -> None:
    """After `skillrt export` is killed, `export --resume` removes the part a killed process
    left for that job; a live process's part and another job's part stay; the MP4 arrives."""
    with httpx.Client(timeout=30) as http, runtime_for(emu, tmp_path / "state", http) as rt:
        send(rt.conversation(SKILL), "generate a 2-second video about tea")
    dest = _export_killed_while_rendering(tmp_path, emu)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dead_part = dest.with_name(f".{dest.name}.{_killed(_part_writer(dest))}.part")
    live = _part_writer(dest)
    other = dest.with_name("other-render.mp4")
    other_part = other.with_name(f".{other.name}.{_killed(_part_writer(other))}.part")
    try:
        live_part = dest.with_name(f".{dest.name}.{live.pid}.part")
        assert dead_part.exists()
        resumed = _cli(tmp_path, "export", "--resume")
        assert resumed.returncode == 0, resumed.stderr
        assert_valid_mp4(dest)
        assert not dead_part.exists()
        assert live_part.exists()
        assert other_part.exists()
    finally:
        _killed(live)
