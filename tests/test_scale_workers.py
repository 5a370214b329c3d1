"""Two real ``skillrt serve`` workers on one real Redis and one emulator (issue 14)."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

pytest.importorskip("redis", reason="redis-py is missing (pip install 'skillrt[redis]')")
pytest.importorskip("fastapi", reason="the service is missing (pip install 'skillrt[serve]')")

import redis
from redis_helpers import RedisServer
from scale_workers import SKILL, Stream, Worker, read_into, say

from skillrt.emulator._probe import ffmpeg_exe
from skillrt.emulator.testing import RunningEmulator, run_emulator

#: short leases, so a killed worker's render is taken over within seconds
LEASES = {"SKILLRT_WATCH_TTL": "1.5", "SKILLRT_LOCK_TTL": "3"}


@pytest.fixture
def slow_render_emulator() -> Iterator[RunningEmulator]:
    """An emulator whose renders take at least 8 s (time to kill a worker mid-render)."""
    with run_emulator(render_min_seconds=8.0) as emu:
        yield emu


def stats(emu: RunningEmulator) -> dict[str, object]:
    """The emulator's loopback-only counters."""
    found = httpx.get(f"{emu.base_url}/__emulator__/stats", timeout=10).json()
    assert isinstance(found, dict)
    return found


def workers(emu: RunningEmulator, redis: RedisServer, tmp_path: Path, *names: str) -> list[Worker]:
    """Start one worker per name on the shared Redis, each with its own folders (as on
    separate machines): all they share is Redis and the backend."""
    for name in names:
        (tmp_path / name).mkdir()
    return [
        Worker(
            name,
            backend=emu.base_url,
            store=redis.url,
            data_dir=tmp_path / name / "data",
            env={
                **LEASES,
                "SKILLRT_HOME": str(tmp_path / name / "home"),
                "SKILLRT_LOG_LEVEL": "info",
            },
        )
        for name in names
    ]


def probe_mp4(path: Path) -> tuple[float, str]:
    """(duration in seconds, ffmpeg's stream lines) of an MP4."""
    run = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-i", str(path)], capture_output=True, text=True
    )
    info = run.stderr
    for line in info.splitlines():
        if "Duration:" in line:
            stamp = line.split("Duration:")[1].split(",")[0].strip()
            hours, minutes, seconds = stamp.split(":")
            duration = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
            streams = "\n".join(x for x in info.splitlines() if "Stream #" in x)
            return duration, streams
    raise AssertionError(f"ffmpeg found no duration:\n{info}")


def new_conversation(worker: Worker) -> str:
    """Start a conversation with the test skill on ``worker``."""
    answer = httpx.post(f"{worker.url}/v1/conversations", json={"skill": SKILL}, timeout=30)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def test_a_conversation_alternates_workers_and_keeps_its_timeline(
    slow_render_emulator: RunningEmulator, redis_server: RedisServer, tmp_path: Path
) -> None:
    """Messages alternate A, B, A; each sees the session the other built; B shows it."""
    a, b = workers(slow_render_emulator, redis_server, tmp_path, "a", "b")
    try:
        conversation = new_conversation(a)
        first = say(a, conversation, "generate a 6-second video about a river at dawn")
        assert first.types()[-1] == "done", first.events
        assert first.of_type("done")[0]["ok"], first.events
        second = say(b, conversation, "show the timeline")
        assert second.of_type("done")[0]["ok"], second.events
        third = say(a, conversation, "add a title that says Morning")
        assert third.of_type("done")[0]["ok"], third.events
        sessions = {s.of_type("done")[0]["session_id"] for s in (first, second, third)}
        assert len(sessions) == 1
        assert None not in sessions
        detail = httpx.get(f"{b.url}/v1/conversations/{conversation}", timeout=30).json()
        assert detail["session_id"] in sessions
        assert detail["timeline"]
        assert [m["id"] for m in detail["messages"]] == [
            first.message_id,
            second.message_id,
            third.message_id,
        ]
        # Events of a message run on A are readable from B, from any point.
        again = httpx.get(
            f"{b.url}/v1/conversations/{conversation}/messages/{first.message_id}/events",
            headers={"Last-Event-ID": "1"}, timeout=30,
        )  # fmt: skip
        assert "id: 2\n" in again.text
        assert "id: 1\n" not in again.text
        # "show the timeline" reads the session's state; the other two reached the agent once.
        counted = stats(slow_render_emulator)
        assert counted["messages_total"] == 2
        # The end user's token is shared through Redis: B never asked for one of its own.
        assert counted["tokens_issued"] == 1
    finally:
        for worker in (a, b):
            worker.stop()


def test_a_render_survives_its_worker_being_killed(
    slow_render_emulator: RunningEmulator, redis_server: RedisServer, tmp_path: Path
) -> None:
    """A renders, SIGKILL A mid-render: B takes the same render over; the client gets the MP4.

    The skill renders the video its first message generates, so that message is the one
    whose render outlives its worker.
    """
    emu = slow_render_emulator
    a, b = workers(emu, redis_server, tmp_path, "a", "b")
    try:
        conversation = new_conversation(a)
        seen = Stream()

        def export() -> None:
            with httpx.stream(
                "POST", f"{a.url}/v1/conversations/{conversation}/messages",
                json={"text": "generate a 6-second video about a river at dawn"}, timeout=120,
            ) as response:  # fmt: skip
                read_into(seen, response)

        reader = threading.Thread(target=export)
        reader.start()
        deadline = time.monotonic() + 60
        while stats(emu)["renders_submitted"] == 0:
            assert time.monotonic() < deadline, "the render was never submitted"
            time.sleep(0.1)
        time.sleep(1.0)  # a few progress events: the render is watched under A's lease
        assert "media" not in seen.types()
        a.kill()
        reader.join(timeout=30)
        assert seen.message_id
        assert seen.last_id >= 1
        # The client reconnects to B with the last id it saw.
        rest = Stream(message_id=seen.message_id)
        with httpx.stream(
            "GET",
            f"{b.url}/v1/conversations/{conversation}/messages/{seen.message_id}/events",
            headers={"Last-Event-ID": str(seen.last_id)}, timeout=120,
        ) as response:  # fmt: skip
            assert response.status_code == 200
            read_into(rest, response)
        ids = [n for n, _ in rest.events]
        assert ids
        assert ids[0] == seen.last_id + 1
        assert ids == sorted(set(ids))
        media = rest.of_type("media")
        assert len(media) == 1, rest.events
        assert rest.of_type("done")[-1]["ok"]
        # The media event's link names the file endpoint; fetch it from B (a balancer would).
        link = urlsplit(media[0]["url"])
        mp4 = tmp_path / "delivered.mp4"
        got = httpx.get(f"{b.url}{link.path}?{link.query}", timeout=60)
        assert got.status_code == 200, got.text
        mp4.write_bytes(got.content)
        duration, streams = probe_mp4(mp4)
        assert abs(duration - media[0]["duration_s"]) < 0.5
        assert "Video:" in streams
        assert "h264" in streams
        counted = stats(emu)
        assert counted["renders_submitted"] == 1  # taken over, never submitted again
        assert counted["messages_total"] == 1  # the message reached the agent once
        assert "/v1/files/file_" in str(media[0]["url"])  # the sentence names it too
        assert "/v1/files/" not in str(media[0]["path"])
    finally:
        for worker in (a, b):
            worker.stop()


def test_redis_down_is_a_503_problem_and_the_session_continues_after(
    durable_redis_server: RedisServer, tmp_path: Path
) -> None:
    """Redis stopped: a clear 503 problem, nothing recorded; restarted: the same session goes on."""
    with run_emulator() as emu:
        (worker,) = workers(emu, durable_redis_server, tmp_path, "solo")
        try:
            conversation = new_conversation(worker)
            first = say(worker, conversation, "generate a 3-second video about a lighthouse")
            assert first.of_type("done")[0]["ok"], first.events
            # The worker lets the conversation go just after the last event; a lock still
            # held when Redis stops would (rightly) keep it busy until its lease lapses.
            probe = redis.Redis(port=durable_redis_server.port)
            deadline = time.monotonic() + 10
            while probe.exists(f"skillrt:conv:{conversation}"):
                assert time.monotonic() < deadline
                time.sleep(0.05)
            probe.close()
            durable_redis_server.stop()
            refused = httpx.post(
                f"{worker.url}/v1/conversations/{conversation}/messages",
                json={"text": "add a title that says Night"}, timeout=60,
            )  # fmt: skip
            assert refused.status_code == 503
            assert refused.headers["content-type"].startswith("application/problem+json")
            problem = refused.json()
            assert problem["type"].endswith("/store_unavailable")
            assert problem["title"] == "Service Unavailable"
            assert "state store" in problem["detail"]
            assert "Retry-After" in refused.headers
            durable_redis_server.start()
            second = say(worker, conversation, "add a title that says Night")
            assert second.of_type("done")[0]["ok"], second.events
            assert second.of_type("done")[0]["session_id"] == first.of_type("done")[0]["session_id"]
            detail = httpx.get(f"{worker.url}/v1/conversations/{conversation}", timeout=30)
            assert [m["id"] for m in detail.json()["messages"]] == [
                first.message_id,
                second.message_id,
            ]
            # The refused message never reached the agent.
            assert stats(emu)["messages_total"] == 2
        finally:
            worker.stop()
