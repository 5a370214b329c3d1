"""Webhook deliveries reach a real local HTTP receiver, signed, retried, and checkable."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from serve_helpers import serve

from skillrt.errors import InputError
from skillrt.serve._webhooks import (
    DELIVERY_HEADER,
    WebhookDelivery,
    WebhookPolicy,
    check_webhook_url,
    resolve_webhook_secret,
    webhook_payload,
)
from skillrt.webhooks import (
    SIGNATURE_HEADER,
    sign_payload,
    verify_signature,
    webhook_secret_for_key,
)

SECRET = "whsec-test-0123456789"
PAYLOAD: dict[str, Any] = {
    "type": "media",
    "conversation_id": "c-1",
    "message_id": "m-1",
    "event": {"type": "media", "url": "http://127.0.0.1/v1/files/f-1", "size": 10, "path": ""},
}


@dataclass
class Receiver:
    """A local HTTP server answering each POST with the next status of ``script``."""

    script: list[int]
    delay_first_s: float = 0.0
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A receiver on a free 127.0.0.1 port; its script is set by each test."""
    state = Receiver(script=[])

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            index = len(state.requests)
            state.requests.append((dict(self.headers.items()), body))
            if index == 0 and state.delay_first_s:
                time.sleep(state.delay_first_s)
            status = state.script[index] if index < len(state.script) else 200
            self.send_response(status)
            if status == 302:
                self.send_header("Location", state.url + "elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
    thread.join()


def deliver(receiver: Receiver, policy: WebhookPolicy) -> tuple[bool, list[float]]:
    """Deliver PAYLOAD to the receiver; the delivery's result and the backoff delays asked."""
    delays: list[float] = []

    async def no_wait(seconds: float) -> None:
        delays.append(seconds)

    async def run() -> bool:
        async with httpx.AsyncClient() as client:
            delivery = WebhookDelivery(client, policy, sleep=no_wait)
            task = delivery.submit(receiver.url, SECRET, PAYLOAD)
            assert task is not None
            return await task

    return asyncio.run(run()), delays


def test_delivery_is_signed_and_verifies(receiver: Receiver) -> None:
    """The receiver gets the payload JSON with a signature the documented check accepts."""
    ok, _ = deliver(receiver, WebhookPolicy())
    assert ok
    [(headers, body)] = receiver.requests
    assert json.loads(body) == PAYLOAD
    assert verify_signature(SECRET, headers[SIGNATURE_HEADER], body)
    assert headers["Content-Type"] == "application/json"
    assert "Authorization" not in headers
    assert not any("bearer" in value.lower() for value in headers.values())


def test_tampered_body_or_timestamp_is_rejected(receiver: Receiver) -> None:
    """A changed body, timestamp, secret or an old signature fails verify_signature."""
    deliver(receiver, WebhookPolicy())
    [(headers, body)] = receiver.requests
    header = headers[SIGNATURE_HEADER]
    timestamp = int(header.split(",")[0].removeprefix("t="))
    assert verify_signature(SECRET, header, body)
    assert not verify_signature(SECRET, header, body.replace(b"f-1", b"f-2"))
    assert not verify_signature(SECRET, header, body + b" ")
    moved = header.replace(f"t={timestamp}", f"t={timestamp + 1}")
    assert not verify_signature(SECRET, moved, body)
    assert not verify_signature("another-secret", header, body)
    assert not verify_signature(SECRET, header, body, now=timestamp + 301)
    assert verify_signature(SECRET, header, body, now=timestamp + 299)
    assert verify_signature(SECRET, header, body.decode())


@pytest.mark.parametrize(
    "header", ["", "garbage", "t=abc,v1=00", "v1=00", "t=1700000000", "t=-5,v1=aa"]
)
def test_malformed_signature_header_is_rejected(header: str) -> None:
    """A header without a numeric t and a v1 never verifies."""
    assert not verify_signature(SECRET, header, b"{}", now=1700000000)


def test_sign_then_verify_roundtrip_with_fixed_time() -> None:
    """sign_payload's header verifies at its own timestamp and names it."""
    header = sign_payload(SECRET, b'{"a":1}', timestamp=1700000000)
    assert header.startswith("t=1700000000,v1=")
    assert verify_signature(SECRET, header, b'{"a":1}', now=1700000000)


def test_key_derived_secret_differs_from_key() -> None:
    """The per-key secret is stable, per key, and not the key itself."""
    secret = webhook_secret_for_key("key-one")
    assert secret == webhook_secret_for_key("key-one")
    assert secret != webhook_secret_for_key("key-two")
    assert "key-one" not in secret


def test_receiver_failing_twice_gets_it_on_retry(receiver: Receiver) -> None:
    """Two 500s then 200: three attempts, one delivery id, each signed, backoff doubling."""
    receiver.script = [500, 503, 200]
    ok, delays = deliver(receiver, WebhookPolicy(first_delay_s=1.0))
    assert ok
    assert len(receiver.requests) == 3
    assert delays == [1.0, 2.0]
    ids = {headers[DELIVERY_HEADER] for headers, _ in receiver.requests}
    assert len(ids) == 1
    for headers, body in receiver.requests:
        assert verify_signature(SECRET, headers[SIGNATURE_HEADER], body)


def test_attempts_are_bounded(receiver: Receiver) -> None:
    """A receiver that always fails is tried exactly ``attempts`` times, delays capped."""
    receiver.script = [500] * 10
    ok, delays = deliver(receiver, WebhookPolicy(attempts=4, first_delay_s=1.0, max_delay_s=3.0))
    assert not ok
    assert len(receiver.requests) == 4
    assert delays == [1.0, 2.0, 3.0]


@pytest.mark.parametrize("status", [400, 401, 404, 302])
def test_refusal_is_not_retried(receiver: Receiver, status: int) -> None:
    """A 4xx (other than 408/429) or a redirect ends the delivery; redirects are not followed."""
    receiver.script = [status]
    ok, delays = deliver(receiver, WebhookPolicy())
    assert not ok
    assert len(receiver.requests) == 1
    assert delays == []


def test_rate_limited_is_retried(receiver: Receiver) -> None:
    """429 means later, not never."""
    receiver.script = [429, 200]
    ok, _ = deliver(receiver, WebhookPolicy())
    assert ok
    assert len(receiver.requests) == 2


def test_timeout_is_retried(receiver: Receiver) -> None:
    """An attempt that outlives its timeout counts as a failure and is tried again."""
    receiver.delay_first_s = 1.0
    ok, delays = deliver(receiver, WebhookPolicy(timeout_s=0.2))
    assert ok
    assert len(receiver.requests) == 2
    assert len(delays) == 1


def test_submit_does_not_wait_for_the_receiver(receiver: Receiver) -> None:
    """submit returns while the receiver is still busy; the task finishes later."""
    receiver.delay_first_s = 0.5

    async def run() -> tuple[bool, bool, int]:
        async with httpx.AsyncClient() as client:
            delivery = WebhookDelivery(client)
            task = delivery.submit(receiver.url, SECRET, PAYLOAD)
            assert task is not None
            done_at_once = task.done()
            pending = delivery.pending
            return done_at_once, await task, pending

    done_at_once, ok, pending = asyncio.run(run())
    assert not done_at_once
    assert ok
    assert pending == 1


def test_backlog_is_bounded(receiver: Receiver) -> None:
    """Past max_pending, submit refuses (None) instead of growing without bound."""
    receiver.delay_first_s = 0.3

    async def run() -> list[bool]:
        async with httpx.AsyncClient() as client:
            delivery = WebhookDelivery(client, WebhookPolicy(max_pending=1))
            first = delivery.submit(receiver.url, SECRET, PAYLOAD)
            second = delivery.submit(receiver.url, SECRET, PAYLOAD)
            assert first is not None
            assert second is None
            await delivery.aclose(grace_s=5)
            return [first.result()]

    assert asyncio.run(run()) == [True]


@pytest.mark.parametrize(
    "url", ["https://bot.example.com/hook", "http://127.0.0.1:8080/x?y=1", "HTTPS://A.example/"]
)
def test_http_urls_are_accepted(url: str) -> None:
    """Absolute http(s) URLs pass the check unchanged."""
    assert check_webhook_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/hook",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "/relative/hook",
        "https://",
        "https://user:pw@example.com/hook",
        "http://example.com:99999/",
        "https://example.com/" + "a" * 2100,
    ],
)
def test_other_urls_are_refused(url: str) -> None:
    """Only absolute http(s) URLs without credentials are webhook targets."""
    with pytest.raises(InputError):
        check_webhook_url(url)


def test_policy_is_validated() -> None:
    """A policy with no attempts or negative delays is refused at construction."""
    with pytest.raises(ValueError, match="attempts"):
        WebhookPolicy(attempts=0)
    with pytest.raises(ValueError, match="delays"):
        WebhookPolicy(first_delay_s=5, max_delay_s=1)


def test_secret_is_the_operators_else_derived_from_the_key() -> None:
    """The operator's secret wins; else the key's; with neither, webhooks are refused."""
    assert resolve_webhook_secret("key-one", "operator") == "operator"
    assert resolve_webhook_secret("key-one", None) == webhook_secret_for_key("key-one")
    with pytest.raises(InputError, match="secret"):
        resolve_webhook_secret(None, None)


def test_only_media_and_error_events_are_posted() -> None:
    """A finished render or a failure makes a payload; progress, text and done do not."""
    media = {"type": "media", "url": "http://127.0.0.1/v1/files/f", "size": 3, "path": ""}
    payload = webhook_payload("c", "m", media)
    assert payload == {"type": "media", "conversation_id": "c", "message_id": "m", "event": media}
    error = {"type": "error", "code": "render_failed", "message": "x"}
    assert webhook_payload("c", "m", error) is not None
    for kind in ("progress", "text", "link", "done"):
        assert webhook_payload("c", "m", {"type": kind}) is None


def test_plain_hmac_snippet_in_the_docs_agrees() -> None:
    """docs/serve.md's standard-library check accepts a real signature and refuses a change."""
    doc = (Path(__file__).parents[1] / "docs" / "serve.md").read_text(encoding="utf-8")
    section = doc[doc.index("Without skillrt, the same check") :]
    code = section[section.index("```python") + len("```python") : section.index("```\n", 10)]
    namespace: dict[str, Any] = {}
    exec(compile(code, "docs/serve.md", "exec"), namespace)  # noqa: S102 - our own docs
    verify = namespace["verify"]
    body = json.dumps(PAYLOAD).encode()
    header = sign_payload(SECRET, body)
    assert verify(SECRET, header, body)
    assert not verify(SECRET, header, body + b" ")
    assert not verify("another-secret", header, body)


# -- through `skillrt serve`'s app, on real sockets -----------------------------------

API_KEY = "key-for-the-webhook-test"
PROMPT = "generate a 6-second video about a coffee brand waking a city"


def stream_events(http: httpx.Client, path: str, text: str) -> list[dict[str, Any]]:
    """POST a message and read its whole SSE stream; the events' JSON."""
    events = []
    with http.stream("POST", path, json={"text": text}, timeout=120) as response:
        assert response.status_code == 200, response.read()
        for line in response.iter_lines():
            if line.startswith("data:"):
                events.append(json.loads(line[5:]))
    return events


@pytest.mark.slow
def test_service_posts_the_finished_render_signed(receiver: Receiver, tmp_path: Path) -> None:
    """A conversation with a webhook: the render's media event reaches a local receiver
    (after one 500, retried), signed with the key's secret, with no credential in it."""
    receiver.script = [500, 200]
    with serve(tmp_path, keys=(API_KEY,)) as served:
        http = served.client(API_KEY)
        created = http.post(
            "/v1/conversations",
            json={"skill": "free-generation-maker", "user": "alice", "webhook": receiver.url},
        )
        assert created.status_code == 201, created.text
        conversation = created.json()["id"]
        events = stream_events(http, f"/v1/conversations/{conversation}/messages", PROMPT)
        [media] = [e for e in events if e["type"] == "media"]
        deadline = time.monotonic() + 30
        while len(receiver.requests) < 2:
            assert time.monotonic() < deadline, receiver.requests
            time.sleep(0.1)
        http.close()
    first, second = receiver.requests
    headers, body = second
    assert first[0][DELIVERY_HEADER] == headers[DELIVERY_HEADER]
    assert verify_signature(webhook_secret_for_key(API_KEY), headers[SIGNATURE_HEADER], body)
    assert not verify_signature(API_KEY, headers[SIGNATURE_HEADER], body)
    payload = json.loads(body)
    assert payload["type"] == "media"
    assert payload["conversation_id"] == conversation
    assert payload["event"]["url"] == media["url"]
    assert payload["message_id"] == events[0]["id"]
    assert "Authorization" not in headers
    assert API_KEY.encode() not in body
    assert not any(API_KEY in value for value in headers.values())


def test_service_refuses_bad_webhooks(tmp_path: Path) -> None:
    """A non-http(s) webhook is a 422 problem; so is any webhook when nothing could sign it
    (loopback no-key mode without SKILLRT_WEBHOOK_SECRET), until the operator sets one."""
    body = {"skill": "free-generation-maker", "webhook": "ftp://example.com/hook"}
    with serve(tmp_path / "keys", keys=(API_KEY,)) as served, served.client(API_KEY) as http:
        answer = http.post("/v1/conversations", json=body)
        assert answer.status_code == 422
        assert answer.json()["type"].endswith("/bad_webhook")
        assert answer.headers["content-type"].startswith("application/problem+json")
    body["webhook"] = "http://127.0.0.1:9/hook"
    with serve(tmp_path / "nokey") as served:
        base = served.url
        answer = httpx.post(base + "/v1/conversations", json=body)
        assert answer.status_code == 422
        assert answer.json()["type"].endswith("/webhook_needs_secret")
        zh = httpx.post(base + "/v1/conversations", json=body, headers={"Accept-Language": "zh"})
        assert "SKILLRT_WEBHOOK_SECRET" in zh.json()["detail"]
        assert zh.json()["detail"] != answer.json()["detail"]
    with serve(tmp_path / "op", webhook_secret="operator-secret") as served:
        answer = httpx.post(served.url + "/v1/conversations", json=body)
        assert answer.status_code == 201, answer.text


@pytest.mark.slow
def test_service_posts_a_failed_render(receiver: Receiver, tmp_path: Path) -> None:
    """A render that fails (one the backend started on its own) reaches the webhook as its
    error event, signed."""
    with serve(tmp_path, keys=(API_KEY,)) as served:
        served.emulator.faults(render_fail=True)
        http = served.client(API_KEY)
        created = http.post(
            "/v1/conversations", json={"skill": "free-generation-maker", "webhook": receiver.url}
        )
        conversation = created.json()["id"]
        events = stream_events(http, f"/v1/conversations/{conversation}/messages", PROMPT)
        http.close()
        deadline = time.monotonic() + 30
        while not receiver.requests:
            assert time.monotonic() < deadline, [e["type"] for e in events]
            time.sleep(0.1)
    [(headers, body)] = receiver.requests
    assert verify_signature(webhook_secret_for_key(API_KEY), headers[SIGNATURE_HEADER], body)
    payload = json.loads(body)
    assert payload["type"] == "error"
    assert payload["event"] in [e for e in events if e["type"] == "error"]
    assert not [e for e in events if e["type"] == "media"]
