"""The emulator's endpoints on their happy paths: sessions, credits, uploads, renders, CDN."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from emulator_helpers import (
    chat_body,
    client_for,
    data_events,
    headers,
    make_clip,
    new_session,
    wait_render,
)

from skillrt.emulator.testing import RunningEmulator, run_emulator

_DRAFT = {
    "d": 1000,
    "m": {"width": 64, "height": 96, "fps": 10},
    "t": [{"tt": 0, "sg": [{"start": 0, "d": 1000, "color": "#336699", "text": "hi"}]}],
}


@pytest.fixture(scope="module")
def emu() -> Iterator[RunningEmulator]:
    """One emulator for the module."""
    with run_emulator() as running:
        yield running


@pytest.fixture
def client(emu: RunningEmulator) -> Iterator[httpx.Client]:
    """A client on the API origin."""
    with client_for(emu) as c:
        yield c


def test_claim_token_for_a_session(emu: RunningEmulator, client: httpx.Client) -> None:
    """The claim endpoint returns a clm_ token and its lifetime."""
    token = emu.issue_token()
    session_id = new_session(client, token)
    body = {"task_id": "t", "session_id": session_id}
    data = client.post("/api/auth/claim-token", json=body, headers=headers(token)).json()["data"]
    assert data["claim_token"].startswith("clm_")
    assert data["expires_in"] > 0


def test_generation_freezes_credits_while_running(emu: RunningEmulator) -> None:
    """Credits of running work show as frozen, then are spent when it finishes."""
    with run_emulator(generation_seconds=1.0) as slow, client_for(slow) as client:
        token = slow.issue_token(credits=300)
        session_id = new_session(client, token)
        body = chat_body(session_id, "generate a 2-second video about rain")
        with client.stream("POST", "/run_sse", json=body, headers=headers(token)) as stream:
            lines = stream.iter_lines()
            for line in lines:
                if "functionCall" in line:
                    break
            during = client.get("/api/credits/balance/simple", headers=headers(token)).json()
            for _ in lines:
                pass
        after = client.get("/api/credits/balance/simple", headers=headers(token)).json()
    assert during["data"] == {"available": 200, "frozen": 100, "total": 300}
    assert after["data"] == {"available": 200, "frozen": 0, "total": 200}


def test_editing_costs_once_per_session(emu: RunningEmulator, client: httpx.Client) -> None:
    """The first edit of a session costs 50 credits, later edits nothing more."""
    token = emu.issue_token(credits=200)
    session_id = new_session(client, token)
    for text in ("generate a 2-second video about tea", "add upbeat music", "add music at 20%"):
        client.post("/run_sse", json=chat_body(session_id, text), headers=headers(token))
    data = client.get("/api/credits/balance/simple", headers=headers(token)).json()["data"]
    assert data == {"available": 50, "frozen": 0, "total": 50}


def test_multipart_upload_of_several_files(
    emu: RunningEmulator, client: httpx.Client, tmp_path: Path
) -> None:
    """Two files parts are stored, probed and placed on the timeline."""
    token = emu.issue_token()
    session_id = new_session(client, token)
    a, b = make_clip(tmp_path / "a.mp4", 1.0), make_clip(tmp_path / "b clip.mp4", 0.5, "160x120")
    with a.open("rb") as fa, b.open("rb") as fb:
        response = client.post(
            f"/api/upload-video/nemo_agent/me/{session_id}",
            files=[("files", ("a.mp4", fa, "video/mp4")), ("files", ("b clip.mp4", fb))],
            headers=headers(token),
        )
    data = response.json()["data"]
    assert data["session_state_applied"] is True
    first, second = data["files"]
    assert (first["width"], first["height"], first["fps"]) == (320, 240, 25.0)
    assert abs(first["duration"] - 1.0) < 0.1
    assert second["width"] == 160
    assert first["hash"] != second["hash"]
    assert first["cdn_url"].startswith(emu.cdn_url)
    assert httpx.get(first["cdn_url"]).content == a.read_bytes()
    state = client.get(f"/api/state/nemo_agent/me/{session_id}/latest", headers=headers(token))
    segments = state.json()["data"]["state"]["draft"]["t"][0]["sg"]
    assert [s["label"] for s in segments] == ["a.mp4", "b clip.mp4"]
    assert segments[1]["start"] == segments[0]["d"]


@pytest.fixture
def file_server(tmp_path: Path) -> Iterator[str]:
    """A plain HTTP server on 127.0.0.1 serving tmp_path."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            """Stay quiet."""

    handler = lambda *a: Quiet(*a, directory=str(tmp_path))  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_url_upload_fetches_and_probes(
    emu: RunningEmulator, client: httpx.Client, tmp_path: Path, file_server: str
) -> None:
    """{"urls": [...], "source_type": "url"} downloads the file and probes it."""
    make_clip(tmp_path / "remote.mp4", 0.6)
    token = emu.issue_token()
    session_id = new_session(client, token)
    body = {"urls": [f"{file_server}/remote.mp4"], "source_type": "url"}
    response = client.post(
        f"/api/upload-video/nemo_agent/me/{session_id}", json=body, headers=headers(token)
    )
    (item,) = response.json()["data"]["files"]
    assert item["filename"] == "remote.mp4"
    assert item["width"] == 320
    assert item["file_type"] == "video"


def test_url_upload_of_unsupported_type_is_4001(
    emu: RunningEmulator, client: httpx.Client, file_server: str
) -> None:
    """A URL whose file type is not accepted gets 4001."""
    token = emu.issue_token()
    session_id = new_session(client, token)
    body = {"urls": [f"{file_server}/page.html"], "source_type": "url"}
    response = client.post(
        f"/api/upload-video/nemo_agent/me/{session_id}", json=body, headers=headers(token)
    )
    assert response.json()["code"] == 4001


def test_render_output_on_cdn_with_range(emu: RunningEmulator, client: httpx.Client) -> None:
    """A finished render is on the CDN origin without a bearer token, and Range works."""
    token = emu.issue_token()
    body = {"id": "render_cdn", "sessionId": "1", "draft": _DRAFT, "output": {"format": "mp4"}}
    submitted = client.post("/api/render/proxy/lambda", json=body, headers=headers(token)).json()
    pending = {"id": "render_cdn", "status": "pending", "progress": 0}
    assert submitted == {"success": True, "data": pending}
    done = wait_render(client, token, "render_cdn")
    assert done["status"] == "completed"
    assert done["progress"] == 100
    assert done["completedAt"] >= done["createdAt"]
    url = done["outputUrl"]
    assert url.startswith(emu.cdn_url)
    assert not url.startswith(emu.base_url)
    whole = httpx.get(url)
    assert whole.status_code == 200
    assert whole.headers["content-type"] == "video/mp4"
    part = httpx.get(url, headers={"Range": "bytes=10-109"})
    assert part.status_code == 206
    assert part.content == whole.content[10:110]
    download = client.get("/api/render/proxy/render_cdn/download", headers=headers(token))
    assert download.content == whole.content
    ranged = client.get(
        "/api/render/proxy/render_cdn/download", headers={**headers(token), "Range": "bytes=0-9"}
    )
    assert ranged.status_code == 206
    assert ranged.content == whole.content[:10]


def test_flat_render_status_shape() -> None:
    """render_status_shape="flat" answers {"status", "output": {"url"}} at the top level."""
    with run_emulator(render_status_shape="flat") as emu, client_for(emu) as client:
        token = emu.issue_token()
        body = {"id": "render_flat", "sessionId": "1", "draft": _DRAFT}
        assert (
            client.post("/api/render/proxy/lambda", json=body, headers=headers(token)).json()[
                "status"
            ]
            == "pending"
        )
        done = wait_render(client, token, "render_flat")
        assert done["status"] == "completed"
        assert done["output"]["url"].endswith("/renders/render_flat.mp4")


def test_cancel_stops_a_render() -> None:
    """Cancel turns a running render into failed/cancelled and it never completes."""
    with run_emulator(render_min_seconds=30) as emu, client_for(emu) as client:
        token = emu.issue_token()
        body = {"id": "render_cancel", "sessionId": "1", "draft": _DRAFT}
        client.post("/api/render/proxy/lambda", json=body, headers=headers(token))
        path = "/api/render/proxy/lambda/render_cancel/cancel"
        cancel = client.post(path, headers=headers(token))
        assert cancel.json()["data"]["status"] == "cancelled"
        time.sleep(0.3)
        status = client.get("/api/render/proxy/lambda/render_cancel", headers=headers(token))
        assert status.json()["data"]["status"] == "failed"
        assert status.json()["data"]["error"] == "cancelled"


def test_render_progress_moves_while_processing() -> None:
    """A slow render reports processing with a progress between 0 and 100."""
    with run_emulator(render_min_seconds=2) as emu, client_for(emu) as client:
        token = emu.issue_token()
        body = {"id": "render_slow", "sessionId": "1", "draft": _DRAFT}
        client.post("/api/render/proxy/lambda", json=body, headers=headers(token))
        seen = set()
        for _ in range(200):
            data = client.get("/api/render/proxy/lambda/render_slow", headers=headers(token))
            inner = data.json()["data"]
            seen.add((inner["status"], 0 < inner["progress"] < 100))
            if inner["status"] == "completed":
                break
            time.sleep(0.05)
        assert ("processing", True) in seen
        assert inner["status"] == "completed"


def test_upload_then_chat_uses_the_clip(
    emu: RunningEmulator, client: httpx.Client, tmp_path: Path
) -> None:
    """An uploaded clip is on the timeline, so an edit (add a title) applies to it."""
    token = emu.issue_token()
    session_id = new_session(client, token)
    clip = make_clip(tmp_path / "beach_day.mp4", 1.0)
    with clip.open("rb") as handle:
        client.post(f"/api/upload-video/nemo_agent/me/{session_id}",
                    files={"files": ("beach_day.mp4", handle)}, headers=headers(token))  # fmt: skip
    body = chat_body(session_id, 'add the title "Beach Day" from 0 to 1s')
    events = data_events(client.post("/run_sse", json=body, headers=headers(token)).content)
    parts = [p for e in events for p in e.get("content", {}).get("parts", [])]
    calls = [p["functionCall"]["name"] for p in parts if "functionCall" in p]
    assert calls == ["add_title"]
    state = client.get(f"/api/state/nemo_agent/me/{session_id}/latest", headers=headers(token))
    tracks = state.json()["data"]["state"]["draft"]["t"]
    assert tracks[-1]["sg"][0]["text"] == "Beach Day"
    assert tracks[-1]["sg"][0]["d"] == 1000


def test_listening_socket_disables_nagle() -> None:
    """Connections skip Nagle's algorithm, so kept-alive requests do not wait for delayed ACKs."""
    import socket

    from skillrt.emulator._serve import bind

    sock = bind("127.0.0.1")
    try:
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    finally:
        sock.close()
