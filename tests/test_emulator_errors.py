"""Each error of contract §8, produced by the emulator from its real condition."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from emulator_helpers import chat_body, client_for, headers, new_session

from skillrt.emulator import EmulatorSettings
from skillrt.emulator.testing import RunningEmulator, run_emulator


@pytest.fixture(scope="module")
def emu() -> Iterator[RunningEmulator]:
    """One emulator with a tiny upload limit and few tokens per IP."""
    settings = EmulatorSettings.for_tests(max_upload_bytes=4000, tokens_per_ip=3)
    with run_emulator(settings) as running:
        yield running


@pytest.fixture
def client(emu: RunningEmulator) -> Iterator[httpx.Client]:
    """A client on the API origin."""
    with client_for(emu) as c:
        yield c


def test_anonymous_token_without_client_id_is_400(client: httpx.Client) -> None:
    """No X-Client-Id header: HTTP 400."""
    response = client.post("/api/auth/anonymous-token")
    assert response.status_code == 400
    assert "X-Client-Id" in response.json()["message"]


def test_second_token_for_same_client_id_is_429(client: httpx.Client) -> None:
    """One anonymous token per client id per 7 days: the second request is 429."""
    first = client.post("/api/auth/anonymous-token", headers={"X-Client-Id": "same-id"})
    assert first.json()["code"] == 0
    assert first.json()["data"]["credits"] == 1000
    assert first.json()["data"]["token"].startswith("nmv_usr_")
    second = client.post("/api/auth/anonymous-token", headers={"X-Client-Id": "same-id"})
    assert second.status_code == 429
    assert second.headers["retry-after"] == "30"


def test_expired_token_is_replaced_for_the_same_account() -> None:
    """After its token expires, the same client id gets a new token for the same account."""
    with run_emulator(token_ttl_seconds=0.3) as emu, client_for(emu) as client:
        first = client.post("/api/auth/anonymous-token", headers={"X-Client-Id": "refresh-me"})
        old = first.json()["data"]
        session = client.post(
            "/api/tasks/me/with-session/nemo_agent",
            headers=headers(old["token"]),
            json={"task_name": "project", "language": "en"},
        ).json()["data"]["session_id"]
        time.sleep(0.4)
        second = client.post("/api/auth/anonymous-token", headers={"X-Client-Id": "refresh-me"})
        new = second.json()["data"]
        assert new["token"] != old["token"]
        assert new["user_id"] == old["user_id"]
        state = client.get(
            f"/api/state/nemo_agent/me/{session}/latest", headers=headers(new["token"])
        )
        assert state.json()["code"] == 0
        third = client.post("/api/auth/anonymous-token", headers={"X-Client-Id": "refresh-me"})
        assert third.status_code == 429


def test_too_many_tokens_from_one_ip_is_429(client: httpx.Client) -> None:
    """Beyond tokens_per_ip anonymous tokens from one address: 429."""
    statuses = [
        client.post("/api/auth/anonymous-token", headers={"X-Client-Id": f"ip-{i}"}).status_code
        for i in range(4)
    ]
    assert 429 in statuses


def test_unknown_token_is_1001(client: httpx.Client) -> None:
    """A token the service never issued gets code 1001."""
    response = client.get("/api/credits/balance/simple", headers=headers("nmv_usr_unknown"))
    assert response.json()["code"] == 1001


def test_missing_bearer_is_1001(client: httpx.Client) -> None:
    """No Authorization header gets code 1001."""
    assert client.get("/api/credits/balance/simple").json()["code"] == 1001


def test_expired_token_is_1001() -> None:
    """A token past its TTL gets code 1001 (the same call worked before)."""
    with run_emulator(token_ttl_seconds=0.3) as emu, client_for(emu) as client:
        token = emu.issue_token()
        assert client.get("/api/credits/balance/simple", headers=headers(token)).json()["code"] == 0
        time.sleep(0.4)
        response = client.get("/api/credits/balance/simple", headers=headers(token))
        assert response.json()["code"] == 1001


def test_mapped_statuses_setting_gives_401_for_1001() -> None:
    """envelope_error_status="mapped" sends 1001 with HTTP 401 (default is 200)."""
    with run_emulator(envelope_error_status="mapped") as emu, client_for(emu) as client:
        response = client.get("/api/credits/balance/simple", headers=headers("nmv_usr_nope"))
        assert (response.status_code, response.json()["code"]) == (401, 1001)


def test_unknown_session_state_is_1002(emu: RunningEmulator, client: httpx.Client) -> None:
    """The state of a session that does not exist gets code 1002."""
    token = emu.issue_token()
    response = client.get("/api/state/nemo_agent/me/123/latest", headers=headers(token))
    assert response.json()["code"] == 1002


def test_unknown_session_chat_is_404_detail(emu: RunningEmulator, client: httpx.Client) -> None:
    """/run_sse on an unknown session: 404 {"detail": "Session not found: …"} as captured."""
    token = emu.issue_token()
    response = client.post("/run_sse", json=chat_body("nope", "hi"), headers=headers(token))
    assert response.status_code == 404
    assert response.content == b'{"detail":"Session not found: nope"}'
    assert response.headers["content-type"] == "application/json"


def test_unknown_session_chat_code_1002_setting() -> None:
    """missing_session_style="code1002" answers /run_sse on an unknown session with 1002."""
    with run_emulator(missing_session_style="code1002") as emu, client_for(emu) as client:
        token = emu.issue_token()
        response = client.post("/run_sse", json=chat_body("nope", "hi"), headers=headers(token))
        assert response.json()["code"] == 1002


def test_out_of_credits_is_2001_with_bind_id(emu: RunningEmulator, client: httpx.Client) -> None:
    """Generation with fewer credits than it costs gets 2001 and the account's bind id."""
    token = emu.issue_token(credits=50)
    session_id = new_session(client, token)
    bind_id = client.post(
        "/api/tasks/me/with-session/nemo_agent", json={"task_name": "project"},
        headers=headers(token),
    ).json()["data"]["bind_id"]  # fmt: skip
    response = client.post(
        "/run_sse",
        json=chat_body(session_id, "generate a 5-second video about tea"),
        headers=headers(token),
    )
    body = response.json()
    assert body["code"] == 2001
    assert body["data"]["bind_id"] == bind_id
    credits = client.get("/api/credits/balance/simple", headers=headers(token)).json()["data"]
    assert credits == {"available": 50, "frozen": 0, "total": 50}


def test_unsupported_upload_type_is_4001(
    emu: RunningEmulator, client: httpx.Client, tmp_path: Path
) -> None:
    """A .txt file is not in the accepted list: 4001, and nothing stays on disk."""
    token = emu.issue_token()
    session_id = new_session(client, token)
    response = client.post(
        f"/api/upload-video/nemo_agent/me/{session_id}",
        files={"files": ("notes.txt", b"hello", "text/plain")},
        headers=headers(token),
    )
    assert response.json()["code"] == 4001
    assert "mp4" in response.json()["data"]["supported"]
    assert not list((emu.emulator.uploads_dir / session_id).glob("*"))


def test_upload_over_the_limit_is_4002(
    emu: RunningEmulator, client: httpx.Client, tmp_path: Path
) -> None:
    """A file over max_upload_bytes gets 4002 and its partial file is removed."""
    token = emu.issue_token()
    session_id = new_session(client, token)
    response = client.post(
        f"/api/upload-video/nemo_agent/me/{session_id}",
        files={"files": ("big.mp4", b"\0" * 5000, "video/mp4")},
        headers=headers(token),
    )
    assert response.json()["code"] == 4002
    assert not list((emu.emulator.uploads_dir / session_id).glob("*"))


def test_export_without_attribution_headers_is_402(
    emu: RunningEmulator, client: httpx.Client, tmp_path: Path
) -> None:
    """A render request without X-Skill-* headers gets HTTP 402."""
    token = emu.issue_token()
    draft = {"d": 1000, "t": [{"tt": 0, "sg": [{"start": 0, "d": 1000, "color": "#000000"}]}]}
    body = {"id": "render_402", "sessionId": "1", "draft": draft, "output": {"format": "mp4"}}
    response = client.post(
        "/api/render/proxy/lambda", json=body, headers=headers(token, attribution=False)
    )
    assert response.status_code == 402


def test_render_id_reused_is_409(emu: RunningEmulator, client: httpx.Client) -> None:
    """A render id must be unique: the second submit with the same id is refused."""
    token = emu.issue_token()
    draft = {"d": 500, "m": {"width": 64, "height": 64},
             "t": [{"tt": 0, "sg": [{"start": 0, "d": 500, "color": "#000000"}]}]}  # fmt: skip
    body = {"id": "render_dup", "sessionId": "1", "draft": draft}
    assert client.post("/api/render/proxy/lambda", json=body, headers=headers(token)).is_success
    again = client.post("/api/render/proxy/lambda", json=body, headers=headers(token))
    assert again.status_code == 409
    assert again.json()["success"] is False


def test_empty_draft_cannot_be_exported(emu: RunningEmulator, client: httpx.Client) -> None:
    """A draft with no segment is refused with 400."""
    token = emu.issue_token()
    body = {"id": "render_empty", "sessionId": "1", "draft": {"t": [{"tt": 0, "sg": []}]}}
    response = client.post("/api/render/proxy/lambda", json=body, headers=headers(token))
    assert response.status_code == 400


def test_other_users_render_is_not_found(emu: RunningEmulator, client: httpx.Client) -> None:
    """A render is visible only to the token's user."""
    owner, other = emu.issue_token(), emu.issue_token()
    draft = {"d": 500, "m": {"width": 64, "height": 64},
             "t": [{"tt": 0, "sg": [{"start": 0, "d": 500, "color": "#000000"}]}]}  # fmt: skip
    body = {"id": "render_private", "sessionId": "1", "draft": draft}
    client.post("/api/render/proxy/lambda", json=body, headers=headers(owner))
    response = client.get("/api/render/proxy/lambda/render_private", headers=headers(other))
    assert response.status_code == 404
