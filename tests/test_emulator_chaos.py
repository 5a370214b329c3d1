"""The emulator's chaos mode, its stats endpoint and --render-min-seconds (issue 10 §6)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from runtime_helpers import RequestLog, runtime_for, send

from skillrt.emulator import EmulatorSettings
from skillrt.emulator._chaos import Chaos
from skillrt.emulator.testing import run_emulator
from skillrt.runtime._conversation import ConversationOptions
from skillrt.runtime._events import MediaEvent

GENERATE = "generate a 2-second video about a coffee brand"


def test_stats_count_messages_renders_and_downloads(tmp_path: Path) -> None:
    """A generation and an export: one anonymous token, one message in its session, one
    render, one download."""
    with run_emulator(EmulatorSettings.for_tests(silent_edit_ratio=0.0)) as emu:
        options = ConversationOptions(output_dir=tmp_path / "out", gui_export=False)
        with RequestLog().client() as http, runtime_for(emu, tmp_path, http,
                                                        options=options) as rt:  # fmt: skip
            conversation = rt.conversation("free-generation-maker")
            send(conversation, GENERATE)
            events = send(conversation, "export")
            session_id = conversation.session_id
        stats = httpx.get(f"{emu.base_url}/__emulator__/stats").json()
    assert [e for e in events if isinstance(e, MediaEvent)]
    assert stats["messages_total"] == 1
    assert stats["messages_by_session"] == {session_id: 1}
    assert stats["renders_submitted"] == 1
    assert stats["tokens_issued"] == 1
    assert stats["downloads"] == 1
    assert stats["faults_injected"] == 0
    assert stats["cdn_requests_with_authorization"] == 0


def test_stats_answer_loopback_admin_only() -> None:
    """With the admin endpoint off, the stats are refused like every admin route."""
    with run_emulator(admin_enabled=False) as emu:
        answer = httpx.get(f"{emu.base_url}/__emulator__/stats")
    assert answer.status_code == 403


def test_chaos_hits_every_request_at_rate_one_and_is_counted() -> None:
    """--chaos 1: every API request gets a fault (counted); admin routes are never hit."""
    with (
        run_emulator(chaos=1.0, seed=3) as emu,
        httpx.Client(base_url=emu.base_url, timeout=10) as client,
    ):
        answers = [client.get("/api/credits/balance/simple").status_code for _ in range(5)]
        stats = client.get("/__emulator__/stats").json()
    assert all(code in (500, 502, 503, 429) for code in answers), answers
    assert stats["faults_injected"] == 5
    assert stats["faults_by_kind"] == {"http_status": 5}


def test_chaos_draws_are_seeded_and_fit_the_request() -> None:
    """The same seed draws the same faults; chat and render requests draw their own kinds."""
    first, second = (Chaos(0.5, 7, stall_seconds=1.0) for _ in range(2))
    paths = [("POST", "/run_sse"), ("POST", "/api/render/proxy/lambda"), ("GET", "/x")] * 60
    one = [getattr(first.draw(m, p), "name", None) for m, p in paths]
    two = [getattr(second.draw(m, p), "name", None) for m, p in paths]
    assert one == two
    hits = [name for name in one if name]
    assert 40 < len(hits) < 140
    chat = {n.split("=")[0].split(" ")[0] for (m, p), n in zip(paths, one, strict=True)
            if n and p == "/run_sse"}  # fmt: skip
    assert {"http_status", "drop_after_events", "stream_error"} <= chat
    render = {n.split("=")[0] for (m, p), n in zip(paths, one, strict=True)
              if n and p.startswith("/api/render")}  # fmt: skip
    assert render <= {"http_status", "render_fail", "render_hang"}
    other = {n.split("=")[0] for (m, p), n in zip(paths, one, strict=True) if n and p == "/x"}
    assert other == {"http_status"}
    assert Chaos(0.0, 1, stall_seconds=1.0).draw("POST", "/run_sse") is None


def test_chaos_stream_fault_plays_in_the_stream(tmp_path: Path) -> None:
    """A stream fault drawn for a chat message is played in that message's stream."""
    with run_emulator(chaos=1.0, seed=11) as emu:
        token = emu.issue_token(credits=1000)
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=emu.base_url, headers=headers, timeout=10) as client:
            emu.emulator.chaos.rate = 0.0  # the session is made without a fault
            made = client.post("/api/tasks/me/with-session/nemo_agent",
                               json={"task_name": "project", "language": "en"})  # fmt: skip
            session_id = made.json()["data"]["session_id"]
            emu.emulator.chaos.rate = 1.0
            body = {"app_name": "nemo_agent", "user_id": "me", "session_id": session_id,
                    "new_message": {"parts": [{"text": GENERATE}]}}  # fmt: skip
            seen: list[int] = []
            for _ in range(12):
                try:
                    answer = client.post("/run_sse", json=body)
                    seen.append(answer.status_code)
                except httpx.HTTPError:
                    seen.append(-1)  # a stream cut on purpose
            stats = client.get("/__emulator__/stats").json()
    assert stats["faults_injected"] == 12
    assert set(stats["faults_by_kind"]) - {"http_status"}, stats
    assert stats["messages_total"] == sum(code == 200 or code == -1 for code in seen)


def test_render_min_seconds_from_the_cli() -> None:
    """`skillrt emulator serve` takes --chaos and --render-min-seconds (and refuses bad ones)."""
    done = subprocess.run(
        [sys.executable, "-m", "skillrt", "emulator", "serve", "--help"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert "--chaos" in done.stdout
    assert "--render-min-seconds" in done.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "skillrt", "emulator", "serve", "--port", "0", "--chaos", "2"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert bad.returncode == 1
    assert "chaos" in bad.stderr


@pytest.mark.slow
def test_render_min_seconds_holds_a_render() -> None:
    """render_min_seconds: a render is still processing before that time has passed."""
    draft = {"t": [{"tt": 0, "sg": [{"color": "#336699", "d": 1000}]}], "d": 1000,
             "m": {"width": 160, "height": 320}}  # fmt: skip
    with run_emulator(render_min_seconds=1.5) as emu:
        token = emu.issue_token()
        headers = {"Authorization": f"Bearer {token}", "X-Skill-Source": "t",
                   "X-Skill-Version": "1", "X-Skill-Platform": "unknown"}  # fmt: skip
        with httpx.Client(base_url=emu.base_url, headers=headers, timeout=10) as client:
            started = time.monotonic()
            client.post("/api/render/proxy/lambda", json={"id": "render_min", "draft": draft})
            while True:
                data = client.get("/api/render/proxy/lambda/render_min").json()["data"]
                if data["status"] in ("completed", "failed"):
                    break
                time.sleep(0.05)
    assert data["status"] == "completed"
    assert time.monotonic() - started >= 1.5
