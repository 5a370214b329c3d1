"""``skillrt serve``: a file sent as multipart, the service-wide bound, the embedded event
log on its own, and the ``skillrt serve`` command itself with ``--backend local``."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from runtime_helpers import make_clip
from serve_helpers import SKILL, frames, new_conversation, send, serve

from skillrt.emulator._serve import bind
from skillrt.serve import (
    ConversationRecord,
    MessageRecord,
    Owner,
    SqliteEventLog,
    SqliteServeStore,
)

pytestmark = pytest.mark.timeout(120)


def test_a_file_sent_as_multipart_is_uploaded_and_then_removed(tmp_path: Path) -> None:
    """text + a clip as multipart: the runtime uploads it (upload progress), the skill
    answers, and the service's copy is deleted once the message has run."""
    clip = make_clip(tmp_path / "beach.mp4", seconds=1.0)
    with serve(tmp_path) as served, served.client() as client:
        response = client.post("/v1/conversations", json={"skill": "video-meta-ai"})
        conversation_id = response.json()["id"]
        with clip.open("rb") as handle, client.stream(
            "POST", f"/v1/conversations/{conversation_id}/messages",
            data={"text": "write a title for this clip"},
            files={"files": ("beach.mp4", handle, "video/mp4")},
        ) as streamed:  # fmt: skip
            assert streamed.status_code == 200, streamed.read()
            events = [f.data for f in frames(streamed)]
        assert events[-1]["type"] == "done"
        assert events[-1]["ok"] is True, events
        assert "upload" in events[-1]["actions"]
        assert any(e["type"] == "progress" and e["stage"] == "upload" for e in events)
        uploads = tmp_path / "serve" / "uploads"
        assert not uploads.exists() or not any(uploads.iterdir())


def test_service_wide_bound_answers_503(tmp_path: Path) -> None:
    """With --max-runs 1, a message to a second conversation while one runs is 503 with
    Retry-After, and nothing of it is sent."""
    from runtime_helpers import FAST

    from skillrt.serve import EngineOptions

    with serve(tmp_path, engine=EngineOptions(max_runs=1, intervals=FAST)) as served, \
            served.client() as client:  # fmt: skip
        first, second = new_conversation(client), new_conversation(client)
        url = f"/v1/conversations/{first}/messages"
        with client.stream("POST", url, json={"text": "generate a video about snow"}) as run:
            stream = frames(run)
            next(stream)
            refused = client.post(f"/v1/conversations/{second}/messages", json={"text": "hello"})
            assert refused.status_code == 503
            assert refused.json()["type"].endswith("/service_busy")
            assert refused.headers["retry-after"]
            assert list(stream)[-1].data["type"] == "done"
        assert served.stats()["messages_total"] == 1
        _, events = send(client, second, "hello")
        assert events[-1].data["type"] == "done"


def test_sqlite_event_log_tails_until_finished_and_keeps_its_retention(tmp_path: Path) -> None:
    """Readers get ids 1, 2, … as they are appended and stop after ``finish``; a reader
    after an id gets the rest; finished logs past their retention are dropped."""

    async def main() -> None:
        log = SqliteEventLog(tmp_path / "events.db", retention=0.2, poll=0.05)
        got: list[tuple[int, str]] = []

        async def reader() -> None:
            async for item in log.read("m1"):
                got.append(item)

        task = asyncio.create_task(reader())
        assert await log.append("m1", '{"n": 1}') == 1
        assert await log.append("m1", '{"n": 2}') == 2
        await asyncio.sleep(0.1)
        assert not task.done(), "the reader stopped before the message finished"
        assert await log.append("m1", '{"n": 3}') == 3
        await log.finish("m1")
        await asyncio.wait_for(task, timeout=5)
        assert got == [(1, '{"n": 1}'), (2, '{"n": 2}'), (3, '{"n": 3}')]
        assert [seq async for seq, _ in log.read("m1", after=2)] == [3]
        assert await log.append("m2", "{}") == 1  # ids are per message
        await asyncio.sleep(0.3)
        await log.finish("m2")  # m1 is past its retention now
        assert not await log.exists("m1")
        assert await log.exists("m2")
        log.close()

    asyncio.run(main())


def test_the_serve_command_with_the_local_backend(tmp_path: Path) -> None:
    """``skillrt serve --backend local`` says it serves loopback only, then answers a
    conversation over its socket; Ctrl-C stops it."""
    sock = bind("127.0.0.1")
    port = sock.getsockname()[1]
    sock.close()
    env = {**os.environ, "SKILLRT_HOME": str(tmp_path / "home")}
    env.pop("SKILLRT_API_KEYS", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "skillrt", "serve", "--backend", "local", "--port", str(port),
         "--data-dir", str(tmp_path / "serve"), "--time-scale", "0.02"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the service did not start"
            time.sleep(0.1)
        with httpx.Client(base_url=base, timeout=60) as client:
            conversation_id = new_conversation(client)
            _, events = send(client, conversation_id, "what can you do?")
            assert events[-1].data["type"] == "done"
            assert client.get(f"/v1/conversations/{conversation_id}").json()["skill"] == SKILL
    finally:
        process.send_signal(2)
        _, err = process.communicate(timeout=30)
    assert "loopback" in err
    assert str(port) in err


def test_a_message_left_running_by_a_killed_process_ends_cleanly(tmp_path: Path) -> None:
    """A message "running" in the store with no run behind it (its process was killed):
    reading its events gets what was recorded, then an error and done, instead of waiting
    for ever; the conversation takes a new message."""
    state = tmp_path / "serve"
    store = SqliteServeStore.in_dir(state)
    owner = Owner("local", "alice")
    store.add_conversation(ConversationRecord(id="conv_left", skill=SKILL, owner=owner))
    store.add_message(MessageRecord(id="msg_left", conversation_id="conv_left"))
    log = SqliteEventLog.in_dir(state)
    asyncio.run(log.append("msg_left", '{"type": "message", "id": "msg_left"}'))
    log.close()
    with serve(tmp_path) as served, served.client() as client:
        url = "/v1/conversations/conv_left/messages/msg_left/events"
        with client.stream("GET", url) as response:
            events = [f.data for f in frames(response)]
        assert [e["type"] for e in events] == ["message", "error", "done"]
        assert events[1]["code"] == "serve_stopped"
        detail = client.get("/v1/conversations/conv_left").json()
        assert [m["state"] for m in detail["messages"]] == ["failed"]
        _, fresh = send(client, "conv_left", "hello")
        assert fresh[-1].data["type"] == "done"


def test_conversations_unloaded_from_memory_continue_from_their_stores(tmp_path: Path) -> None:
    """With room for one loaded conversation, two that take turns are each unloaded and
    loaded again from their stores: each keeps its own backend session."""
    from runtime_helpers import FAST

    from skillrt.serve import EngineOptions

    options = EngineOptions(max_loaded=1, intervals=FAST)
    with serve(tmp_path, engine=options) as served, served.client() as client:
        first, second = new_conversation(client), new_conversation(client)
        sessions: dict[str, set[str]] = {first: set(), second: set()}
        for conversation_id in (first, second, first, second):
            _, events = send(client, conversation_id, "what can you do?")
            sessions[conversation_id].add(events[-1].data["session_id"])
            assert served.service.engine.loaded == 1
        assert all(len(found) == 1 for found in sessions.values()), sessions
        assert sessions[first] != sessions[second]
        assert sorted(served.stats()["messages_by_session"].values()) == [2, 2]
