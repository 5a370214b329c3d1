"""Every fault switch of the emulator does what docs/emulator.md says."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import pytest
from emulator_helpers import (
    chat_body,
    chat_raw,
    client_for,
    data_events,
    headers,
    new_session,
    state,
    wait_render,
)

from skillrt.emulator import EmulatorSettings, FaultSwitches
from skillrt.emulator.testing import RunningEmulator, run_emulator

_GENERATE = "generate a 1-second video about tea"
_DRAFT = {
    "d": 500,
    "m": {"width": 64, "height": 64},
    "t": [{"tt": 0, "sg": [{"start": 0, "d": 500, "color": "#000000"}]}],
}


@pytest.fixture(scope="module")
def emu() -> Iterator[RunningEmulator]:
    """One emulator; each test sets its faults and clears them after."""
    with run_emulator(silent_edit_ratio=0.0) as running:
        yield running


@pytest.fixture
def client(emu: RunningEmulator) -> Iterator[httpx.Client]:
    """A client on the API origin; faults are cleared after the test."""
    with client_for(emu) as c:
        yield c
    emu.clear_faults()


def _read_into(
    sink: list[bytes], client: httpx.Client, token: str, session_id: str,
    timeout: httpx.Timeout | None = None,
) -> None:  # fmt: skip
    body = chat_body(session_id, _GENERATE)
    extra = {"timeout": timeout} if timeout else {}
    with client.stream("POST", "/run_sse", json=body, headers=headers(token), **extra) as stream:
        sink.extend(stream.iter_bytes())


def _frames(raw: bytes) -> list[bytes]:
    return [b for b in raw.split(b"\n\n") if b.startswith(b"data: {") and b"heartbeat" not in b]


def test_drop_after_events_aborts_the_connection(
    emu: RunningEmulator, client: httpx.Client
) -> None:
    """drop_after_events cuts the connection mid-stream; the work still finishes."""
    token = emu.issue_token()
    session_id = new_session(client, token)
    emu.faults(drop_after_events=2)
    sink: list[bytes] = []
    with pytest.raises(httpx.RemoteProtocolError):
        _read_into(sink, client, token, session_id)
    received = b"".join(sink)
    assert len(_frames(received)) == 2
    for _ in range(100):
        if state(client, token, session_id)["draft_version"] == 3:
            break
        time.sleep(0.05)
    assert state(client, token, session_id)["draft_version"] == 3


def test_drop_close_mode_ends_the_stream_cleanly(
    emu: RunningEmulator, client: httpx.Client
) -> None:
    """drop_mode="close" ends the response normally after N events."""
    token = emu.issue_token()
    session_id = new_session(client, token)
    emu.faults(drop_after_events=1, drop_mode="close")
    _, raw = chat_raw(client, token, session_id, _GENERATE)
    assert len(_frames(raw)) == 1


def test_stall_sends_nothing(emu: RunningEmulator, client: httpx.Client) -> None:
    """stall_seconds holds every byte back, so a short read timeout fires."""
    token = emu.issue_token()
    session_id = new_session(client, token)
    emu.faults(stall_seconds=3, stall_after_events=1)
    with pytest.raises(httpx.ReadTimeout):
        _read_into([], client, token, session_id, httpx.Timeout(10, read=0.5))


@pytest.mark.parametrize("status", [500, 503, 429])
def test_http_status_fault(emu: RunningEmulator, client: httpx.Client, status: int) -> None:
    """http_status answers the next request(s) with that status, then things work again."""
    token = emu.issue_token()
    emu.faults(http_status=status, http_status_times=1, http_status_path="/api/credits")
    first = client.get("/api/credits/balance/simple", headers=headers(token))
    second = client.get("/api/credits/balance/simple", headers=headers(token))
    assert first.status_code == status
    assert second.json()["code"] == 0
    if status == 429:
        assert first.headers["retry-after"] == "30"


def test_truncated_frame(emu: RunningEmulator, client: httpx.Client) -> None:
    """truncate_after_events sends half a JSON object as the last frame."""
    token = emu.issue_token()
    session_id = new_session(client, token)
    emu.faults(truncate_after_events=1)
    _, raw = chat_raw(client, token, session_id, _GENERATE)
    frames = _frames(raw)
    assert len(frames) == 2
    json.loads(frames[0][6:])
    with pytest.raises(json.JSONDecodeError):
        json.loads(frames[1][6:])


def test_stream_error_object(emu: RunningEmulator, client: httpx.Client) -> None:
    """stream_error="error_object" sends {"error", "error_details"} as the capture shows."""
    token = emu.issue_token()
    session_id = new_session(client, token)
    emu.faults(stream_error="error_object", stream_error_after_events=1)
    _, raw = chat_raw(client, token, session_id, _GENERATE)
    last = _frames(raw)[-1]
    assert last.startswith(b'data: {"error": "RuntimeError: simulated failure", "error_details": ')
    assert set(json.loads(last[6:])["error_details"]) == {
        "error_type", "error_message", "timestamp"}  # fmt: skip


def test_stream_error_system_text(emu: RunningEmulator, client: httpx.Client) -> None:
    """stream_error="system_text" sends an author "system" event whose text starts Error:."""
    token = emu.issue_token()
    session_id = new_session(client, token)
    emu.faults(stream_error="system_text")
    _, raw = chat_raw(client, token, session_id, _GENERATE)
    (event,) = data_events(raw)
    assert event["author"] == "system"
    assert event["content"]["parts"][0]["text"].startswith("Error:")


def test_stream_error_code(emu: RunningEmulator, client: httpx.Client) -> None:
    """stream_error="error_code" sends an ADK event with errorCode and errorMessage first."""
    token = emu.issue_token()
    session_id = new_session(client, token)
    emu.faults(stream_error="error_code", stream_error_after_events=2)
    _, raw = chat_raw(client, token, session_id, _GENERATE)
    events = data_events(raw)
    assert len(events) == 3
    assert list(events[-1])[:3] == ["errorCode", "errorMessage", "invocationId"]


def test_render_fail(emu: RunningEmulator, client: httpx.Client) -> None:
    """render_fail makes renders end with status failed."""
    token = emu.issue_token()
    emu.faults(render_fail=True)
    client.post("/api/render/proxy/lambda", json={"id": "render_fail", "draft": _DRAFT},
                headers=headers(token))  # fmt: skip
    done = wait_render(client, token, "render_fail")
    assert done["status"] == "failed"
    assert "render_fail" in done["error"]


def test_render_hang_until_cancelled(emu: RunningEmulator, client: httpx.Client) -> None:
    """render_hang keeps a render processing until it is cancelled."""
    token = emu.issue_token()
    emu.faults(render_hang=True)
    client.post("/api/render/proxy/lambda", json={"id": "render_hang", "draft": _DRAFT},
                headers=headers(token))  # fmt: skip
    time.sleep(0.3)
    status = client.get("/api/render/proxy/lambda/render_hang", headers=headers(token)).json()
    assert status["data"]["status"] == "processing"
    client.post("/api/render/proxy/lambda/render_hang/cancel", headers=headers(token))
    assert wait_render(client, token, "render_hang")["status"] == "failed"


def test_expire_tokens_now(emu: RunningEmulator, client: httpx.Client) -> None:
    """The expire-tokens action makes every token answer 1001."""
    token = emu.issue_token()
    assert emu.expire_tokens() >= 1
    response = client.get("/api/credits/balance/simple", headers=headers(token))
    assert response.json()["code"] == 1001


def test_lose_sessions(emu: RunningEmulator, client: httpx.Client) -> None:
    """The lose-sessions action forgets sessions: state 1002, chat 404."""
    token = emu.issue_token()
    session_id = new_session(client, token)
    emu.lose_sessions()
    assert client.get(f"/api/state/nemo_agent/me/{session_id}/latest",
                      headers=headers(token)).json()["code"] == 1002  # fmt: skip
    response = client.post("/run_sse", json=chat_body(session_id, "hi"), headers=headers(token))
    assert response.status_code == 404


def test_faults_from_settings() -> None:
    """Faults given in EmulatorSettings are in force from the start."""
    settings = EmulatorSettings.for_tests(faults=FaultSwitches(drop_after_events=0,
                                                               drop_mode="close"))  # fmt: skip
    with run_emulator(settings) as emu, client_for(emu) as client:
        token = emu.issue_token()
        session_id = new_session(client, token)
        _, raw = chat_raw(client, token, session_id, "hello")
        assert _frames(raw) == []
        emu.clear_faults()
        _, raw = chat_raw(client, token, session_id, "hello")
        assert _frames(raw)


def test_admin_can_be_disabled() -> None:
    """admin_enabled=False closes the admin endpoint (403)."""
    with run_emulator(admin_enabled=False) as emu, client_for(emu) as client:
        assert client.get("/__emulator__/faults").status_code == 403
