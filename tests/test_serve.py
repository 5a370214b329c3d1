"""``skillrt serve`` over real sockets: a whole session through the own API, reconnecting
with Last-Event-ID, one message at a time, API keys and owners, and every bad input."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from runtime_helpers import assert_valid_mp4
from serve_helpers import SKILL, Frame, RenderLog, frames, new_conversation, send, serve

from skillrt.errors import InputError
from skillrt.serve import ApiKeys, ServeSettings, check_bind

pytestmark = pytest.mark.timeout(120)
#: every interface: the address a service without keys must refuse
EVERYWHERE = "0.0.0.0"  # noqa: S104


def _problem(response: httpx.Response, status: int, name: str) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, object] = response.json()
    assert body["type"] == f"https://skillrt.dev/problems/{name}"
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    return body


def test_whole_session_through_the_own_api(tmp_path: Path) -> None:
    """prompt → reply → export → MP4 fetched whole and with a range request; the
    conversation shows its session, timeline, messages and job; credits answer."""
    with serve(tmp_path) as served, served.client() as client:
        renders = RenderLog()
        served.service.engine.on_render.append(renders)
        conversation_id = new_conversation(client)
        message_id, events = send(client, conversation_id, "generate a 4-second video about rain")
        assert events[0].data == {
            "type": "message", "id": message_id, "conversation_id": conversation_id,
        }  # fmt: skip
        assert [e.id for e in events] == list(range(1, len(events) + 1))
        assert events[-1].data["type"] == "done"
        assert events[-1].data["ok"] is True
        replies = [e.data["text"] for e in events if e.data["type"] == "text"]
        assert any("rain" in reply.lower() for reply in replies)

        _, edited = send(client, conversation_id, "add upbeat background music")
        assert edited[-1].data["ok"] is True
        _, exported = send(client, conversation_id, "export the video")
        media = [e.data for e in exported if e.data["type"] == "media"]
        assert len(media) == 1
        url = str(media[0]["url"])
        assert url.startswith(f"{served.url}/v1/files/file_")
        assert "/" not in str(media[0]["path"])  # the server's folders stay its own
        assert [o.event for o in renders.outcomes][-1] == media[0]  # the webhooks' seam
        assert {o.conversation.id for o in renders.outcomes} == {conversation_id}

        whole = client.get(url)
        assert whole.status_code == 200
        assert whole.headers["accept-ranges"] == "bytes"
        size = len(whole.content)
        assert size == media[0]["size"]
        copy = tmp_path / "fetched.mp4"
        copy.write_bytes(whole.content)
        assert_valid_mp4(copy)
        part = client.get(url, headers={"Range": "bytes=100-1099"})
        assert part.status_code == 206
        assert part.headers["content-range"] == f"bytes 100-1099/{size}"
        assert part.content == whole.content[100:1100]
        tail = client.get(url, headers={"Range": "bytes=-10"})
        assert tail.status_code == 206
        assert tail.content == whole.content[-10:]
        beyond = client.get(url, headers={"Range": f"bytes={size}-"})
        assert beyond.status_code == 416
        assert beyond.headers["content-range"] == f"bytes */{size}"

        detail = client.get(f"/v1/conversations/{conversation_id}").json()
        assert detail["skill"] == SKILL
        assert detail["session_id"]
        assert "BGM" in detail["timeline"]
        assert [m["state"] for m in detail["messages"]] == ["finished"] * 3
        assert detail["jobs"], "no render job recorded"
        job = client.get(f"/v1/jobs/{detail['jobs'][0]['id']}")
        assert job.status_code == 200, job.text
        assert job.json()["status"] == "delivered"
        assert job.json()["conversation_id"] == conversation_id

        credits = client.get("/v1/credits", params={"user": "alice"})
        assert credits.status_code == 200, credits.text
        assert set(credits.json()) == {"available", "frozen", "total"}
        stats = served.stats()
        assert stats["messages_total"] == 2  # "export" is the runtime's action, not a chat
        assert stats["cdn_requests_with_authorization"] == 0


def test_reconnect_with_last_event_id_gets_the_rest_and_sends_nothing_again(
    tmp_path: Path,
) -> None:
    """A client that drops the stream after three events reconnects with Last-Event-ID and
    gets exactly the rest; the run went on meanwhile; the emulator counted one message."""
    with serve(tmp_path) as served, served.client() as client:
        conversation_id = new_conversation(client)
        with client.stream(
            "POST", f"/v1/conversations/{conversation_id}/messages",
            json={"text": "generate a 4-second video about the sea"},
        ) as response:  # fmt: skip
            message_id = response.headers["x-message-id"]
            seen = []
            for frame in frames(response):
                seen.append(frame)
                if len(seen) == 3:
                    break  # the client goes away mid-stream
        events_url = f"/v1/conversations/{conversation_id}/messages/{message_id}/events"
        with client.stream("GET", events_url, headers={"Last-Event-ID": "3"}) as again:
            assert again.status_code == 200
            rest = list(frames(again))
        assert [f.id for f in rest] == list(range(4, 4 + len(rest)))
        assert rest[-1].data["type"] == "done"
        assert rest[-1].data["ok"] is True
        with client.stream("GET", events_url) as replay:
            everything = list(frames(replay))
        assert [f.data for f in everything] == [f.data for f in seen] + [f.data for f in rest]
        assert served.stats()["messages_total"] == 1
        assert not _tokens(served.settings.data_dir) & _texts(everything)
        bad = client.get(events_url, headers={"Last-Event-ID": "soon"})
        _problem(bad, 400, "bad_last_event_id")


def test_second_message_while_one_runs_is_refused_busy(tmp_path: Path) -> None:
    """One message at a time per conversation: the second gets 409 with Retry-After and is
    not sent; another conversation runs at once."""
    with serve(tmp_path) as served, served.client() as client:
        conversation_id = new_conversation(client)
        url = f"/v1/conversations/{conversation_id}/messages"
        with client.stream("POST", url, json={"text": "generate a video about snow"}) as first:
            stream = frames(first)
            next(stream)
            busy = client.post(url, json={"text": "make it blue"})
            _problem(busy, 409, "conversation_busy")
            assert busy.headers["retry-after"] == "5"
            other = new_conversation(client)
            _, events = send(client, other, "what can you do?")
            assert events[-1].data["type"] == "done"
            assert list(stream)[-1].data["type"] == "done"
        assert served.stats()["messages_total"] == 2


def test_api_keys_and_owners(tmp_path: Path) -> None:
    """401 without a key or with a wrong one; another key's or user's ids answer 404."""
    with serve(tmp_path, keys=("key-one", "key-two")) as served:
        with httpx.Client(base_url=served.url) as anonymous:
            _problem(anonymous.get("/v1/skills"), 401, "unauthorized")
            _problem(
                anonymous.get("/v1/skills", headers={"Authorization": "Bearer key-on"}),
                401, "unauthorized",
            )  # fmt: skip
            _problem(
                anonymous.get("/v1/skills", headers={"Authorization": "Basic key-one"}),
                401, "unauthorized",
            )  # fmt: skip
        with served.client("key-one") as alice, served.client("key-one", user="bob") as bob, \
                served.client("key-two") as other_key:  # fmt: skip
            conversation_id = new_conversation(alice)
            message_id, events = send(alice, conversation_id, "generate a video about a cat")
            file_url = next(e.data["url"] for e in events if e.data["type"] == "media")
            assert alice.get(file_url).status_code == 200
            paths = [
                f"/v1/conversations/{conversation_id}",
                f"/v1/conversations/{conversation_id}/messages/{message_id}/events",
            ]
            for client in (bob, other_key):
                for path in paths:
                    _problem(client.get(path), 404, "unknown_conversation")
                sent = client.post(paths[0] + "/messages", json={"text": "hello"})
                _problem(sent, 404, "unknown_conversation")
                # the file URL names alice as its user: bob asks as himself
                _problem(client.get(file_url.split("?")[0]), 404, "unknown_file")
            _problem(other_key.get(file_url), 404, "unknown_file")
            # bob's own conversation runs on his own backend identity
            _, bobs = send(bob, new_conversation(bob), "generate a video about a dog")
            assert bobs[-1].data["ok"] is True
            homes = sorted((served.settings.data_dir / "users").iterdir())
            assert len(homes) == 2
            ids = {(home / "client_id").read_text() for home in homes}
            tokens = {(home / "credentials.json").read_text() for home in homes}
            assert len(ids) == 2
            assert len(tokens) == 2
            _problem(alice.get("/v1/files/file_madeup"), 404, "unknown_file")
            _problem(alice.get("/v1/jobs/render_madeup"), 404, "unknown_job")
        assert served.stats()["messages_total"] == 2


def test_bad_input_is_a_problem_never_a_500(tmp_path: Path) -> None:
    """Malformed JSON, unknown skill, empty message, wrong content type, a file over the
    limit, a path-like file name, an unknown field, an unknown route: each a 4xx problem,
    and none of them reaches the backend."""
    with serve(tmp_path, max_upload_bytes=10_000) as served, served.client() as client:
        _problem(
            client.post("/v1/conversations", content=b"{nope", headers=_json()),
            400, "malformed_json",
        )  # fmt: skip
        _problem(client.post("/v1/conversations", json={"skill": "nope"}), 400, "unknown_skill")
        _problem(client.post("/v1/conversations", json={"skil": SKILL}), 422, "invalid_request")
        conversation_id = new_conversation(client)
        url = f"/v1/conversations/{conversation_id}/messages"
        _problem(client.post(url, content=b'{"text": ', headers=_json()), 400, "malformed_json")
        _problem(client.post(url, json={"text": "   "}), 400, "empty_message")
        _problem(client.post(url, json={"txt": "hi"}), 422, "invalid_message")
        _problem(client.post(url, json=["hi"]), 422, "invalid_message")
        _problem(
            client.post(url, content=b"hi", headers={"Content-Type": "text/plain"}),
            415, "wrong_content_type",
        )  # fmt: skip
        _problem(client.post(url, json={"text": "x" * 70_000}), 413, "body_too_large")
        big = {"files": ("clip.mp4", b"\0" * 20_000, "video/mp4")}
        _problem(client.post(url, files=big, data={"text": "use this"}), 413, "file_too_large")
        for name in ("../../x.mp4", "a/b.mp4", "..\\x.mp4", ".hidden.mp4"):
            sneaky = {"files": (name, b"\0" * 100, "video/mp4")}
            _problem(client.post(url, files=sneaky), 400, "bad_file_name")
        assert not (tmp_path / "x.mp4").exists()
        assert not (tmp_path / "serve" / "x.mp4").exists()
        _problem(client.post(url, data={"comment": "hi"}, files=big), 400, "unexpected_field")
        _problem(
            client.post(url, content=b"--x\r\n", headers={"Content-Type": "multipart/form-data"}),
            400, "bad_multipart",
        )  # fmt: skip
        _problem(client.get("/v1/nothing-here"), 404, "not_found")
        _problem(client.delete("/v1/conversations"), 405, "method_not_allowed")
        _problem(client.get("/v1/conversations/conv_madeup"), 404, "unknown_conversation")
        _problem(client.get("/v1/credits", params={"skill": "nope"}), 400, "unknown_skill")
        _problem(client.get("/v1/skills", headers={"X-Skillrt-User": "x" * 300}), 400, "bad_user")
        uploads = tmp_path / "serve" / "uploads"
        assert not uploads.exists() or not any(uploads.iterdir()), "refused uploads left files"
        assert served.stats()["messages_total"] == 0


def test_client_closing_mid_upload_is_a_clean_stop(tmp_path: Path) -> None:
    """A client that closes the connection halfway through a multipart body: no message is
    started, no file is left, and the service goes on answering."""
    with serve(tmp_path) as served, served.client() as client:
        conversation_id = new_conversation(client)
        host, port = served.url.removeprefix("http://").split(":")
        head = (
            f"POST /v1/conversations/{conversation_id}/messages HTTP/1.1\r\n"
            f"Host: {host}\r\nX-Skillrt-User: alice\r\nContent-Length: 100000\r\n"
            "Content-Type: multipart/form-data; boundary=b\r\n\r\n"
            '--b\r\nContent-Disposition: form-data; name="files"; filename="clip.mp4"\r\n'
            "Content-Type: video/mp4\r\n\r\n"
        ).encode()
        with socket.create_connection((host, int(port))) as sock:
            sock.sendall(head + b"\0" * 5000)
            time.sleep(0.3)
        time.sleep(0.3)
        detail = client.get(f"/v1/conversations/{conversation_id}").json()
        assert detail["messages"] == []
        uploads = tmp_path / "serve" / "uploads"
        assert not uploads.exists() or not any(uploads.iterdir())
        _, events = send(client, conversation_id, "hello")
        assert events[-1].data["type"] == "done"


def test_openapi_documents_every_route(tmp_path: Path) -> None:
    """/openapi.json lists every path of the own API and the OpenAI one, each summarised."""
    with serve(tmp_path) as served, served.client() as client:
        spec = client.get("/openapi.json").json()
    expected = {
        "/v1/conversations": {"post"},
        "/v1/conversations/{conversation_id}/messages": {"post"},
        "/v1/conversations/{conversation_id}/messages/{message_id}/events": {"get"},
        "/v1/conversations/{conversation_id}": {"get"},
        "/v1/credits": {"get"},
        "/v1/jobs/{job_id}": {"get"},
        "/v1/files/{file_id}": {"get"},
        "/v1/skills": {"get"},
        "/v1/models": {"get"},
        "/v1/chat/completions": {"post"},
    }
    for path, methods in expected.items():
        assert path in spec["paths"], path
        for method in methods:
            assert spec["paths"][path][method]["summary"], (path, method)
    body = spec["paths"]["/v1/conversations/{conversation_id}/messages"]["post"]["requestBody"]
    assert set(body["content"]) == {"application/json", "multipart/form-data"}


def test_no_key_means_loopback_only(tmp_path: Path) -> None:
    """Without API keys the service refuses a non-loopback address, at start-up and in the
    CLI (which says why); with a key it may listen anywhere."""
    from skillrt.runtime import BackendConfig

    open_settings = ServeSettings(config=BackendConfig(), data_dir=tmp_path)
    with pytest.raises(InputError, match=r"0\.0\.0\.0"):
        check_bind(open_settings, EVERYWHERE)
    check_bind(open_settings, "127.0.0.1")
    check_bind(open_settings, "::1")
    keyed = ServeSettings(config=BackendConfig(), data_dir=tmp_path, keys=ApiKeys(("k",)))
    check_bind(keyed, EVERYWHERE)
    result = subprocess.run(
        [sys.executable, "-m", "skillrt", "serve", "--host", EVERYWHERE, "--data-dir",
         str(tmp_path / "d")],
        capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "SKILLRT_HOME": str(tmp_path / "home")},
    )  # fmt: skip
    assert result.returncode != 0
    assert "API key" in result.stderr
    assert not (tmp_path / "d").exists()


def _tokens(data_dir: Path) -> set[str]:
    """Every backend token the service stored (one per end user)."""
    found = set()
    for path in data_dir.glob("users/*/credentials.json"):
        found |= {entry["token"] for entry in json.loads(path.read_text()).values()}
    assert found, "no token stored"
    return found


def _texts(events: list[Frame]) -> set[str]:
    """Each token-sized word of the events (to look for a token in them)."""
    return set(re.findall(r"[\w.\-]{16,}", json.dumps([e.data for e in events])))


def _json() -> dict[str, str]:
    return {"Content-Type": "application/json"}
