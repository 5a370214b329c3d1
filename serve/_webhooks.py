"""Webhook deliveries: signed POSTs of a finished (or failed) render to the host's URL.

A delivery runs as its own asyncio task, so the message run that produced the event never
waits for the host: :meth:`WebhookDelivery.submit` returns at once. Each attempt is signed
afresh (``X-Skillrt-Signature``, see :mod:`skillrt.webhooks`) and carries the same
``X-Skillrt-Delivery`` id, so a receiver can drop a retry it already handled. Attempts are
bounded; a connection error, a timeout, 408, 429 or a 5xx is retried after an exponentially
growing delay, any other answer ends the delivery. Only ``http(s)`` URLs are accepted, no
redirect is followed, and the request carries no header but its own: the backend's bearer
token and the caller's API key are never sent.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx

from skillrt import __version__
from skillrt.errors import InputError
from skillrt.log import get_logger
from skillrt.serve._auth import key_id
from skillrt.webhooks import SIGNATURE_HEADER, sign_payload, webhook_secret_for_key

__all__ = [
    "DELIVERY_HEADER",
    "WEBHOOK_EVENT_TYPES",
    "WebhookDelivery",
    "WebhookPolicy",
    "WebhookRegistry",
    "Webhooks",
    "check_webhook_url",
    "open_webhooks",
    "resolve_webhook_secret",
    "webhook_payload",
]

_log = get_logger(__name__)

#: The header holding one delivery's id, the same on every attempt.
DELIVERY_HEADER = "X-Skillrt-Delivery"

#: The event types a webhook is told about: a finished render (media) or a failure (error).
WEBHOOK_EVENT_TYPES = frozenset({"media", "error"})

MAX_URL_LENGTH = 2048
_RETRYABLE_STATUS = frozenset({408, 429})


def check_webhook_url(url: str) -> str:
    """``url`` when it is an absolute http(s) URL a delivery may go to, else InputError."""
    if len(url) > MAX_URL_LENGTH:
        raise InputError(
            f"The webhook URL is longer than {MAX_URL_LENGTH} characters.",
            hint="Give a shorter URL.",
        )
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - parsing the port is what validates it
    except ValueError as exc:
        raise InputError("The webhook URL cannot be parsed.", hint="Give an http(s) URL.") from exc
    if parts.scheme not in ("http", "https") or not host:
        raise InputError(
            "The webhook URL must be an absolute http:// or https:// URL.",
            hint="For example https://bot.example.com/skillrt-hook.",
        )
    if parts.username is not None or parts.password is not None:
        raise InputError(
            "The webhook URL must not hold a user name or password.",
            hint="Check deliveries with the signature header instead.",
        )
    return url


def resolve_webhook_secret(api_key: str | None, operator_secret: str | None) -> str:
    """The secret deliveries are signed with: the operator's, else one derived from the key.

    Without either (the loopback no-key mode with no ``SKILLRT_WEBHOOK_SECRET``) there is
    nothing a receiver could check a signature with, so a webhook is refused.
    """
    if operator_secret:
        return operator_secret
    if api_key:
        return webhook_secret_for_key(api_key)
    raise InputError(
        "Webhooks need a secret to sign deliveries with, and this server has none.",
        hint="Start skillrt serve with SKILLRT_WEBHOOK_SECRET set, or with API keys.",
    )


def webhook_payload(
    conversation_id: str, message_id: str, event: Mapping[str, Any]
) -> dict[str, Any] | None:
    """The JSON posted for ``event`` (as ``skillrt send --json`` has it), or None when a
    webhook is not told about that type of event."""
    kind = event.get("type")
    if kind not in WEBHOOK_EVENT_TYPES:
        return None
    return {
        "type": kind,
        "conversation_id": conversation_id,
        "message_id": message_id,
        "event": dict(event),
    }


@dataclass(frozen=True)
class WebhookPolicy:
    """How hard a delivery tries: attempts, backoff, per-attempt timeout, backlog bound."""

    attempts: int = 6
    first_delay_s: float = 1.0
    max_delay_s: float = 60.0
    timeout_s: float = 10.0
    max_pending: int = 1000

    def __post_init__(self) -> None:
        if self.attempts < 1 or self.max_pending < 1:
            raise ValueError("attempts and max_pending must be at least 1")
        if self.first_delay_s < 0 or self.max_delay_s < self.first_delay_s:
            raise ValueError("delays must satisfy 0 <= first_delay_s <= max_delay_s")
        if self.timeout_s <= 0:
            raise ValueError("timeout_s must be positive")

    def delay_before(self, attempt: int) -> float:
        """Seconds to wait before attempt number ``attempt`` (2, 3, ...): doubling, capped."""
        return float(min(self.max_delay_s, self.first_delay_s * 2 ** (attempt - 2)))


class WebhookDelivery:
    """Posts signed event payloads in background tasks, retrying with exponential backoff.

    ``client`` is an ``httpx.AsyncClient`` of the deliveries' own (no auth, no base URL);
    ``sleep`` is injectable so tests need not wait out real delays.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        policy: WebhookPolicy | None = None,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._client = client
        self._policy = policy or WebhookPolicy()
        self._sleep = sleep
        self._tasks: set[asyncio.Task[bool]] = set()

    @property
    def pending(self) -> int:
        """Deliveries still being attempted."""
        return len(self._tasks)

    def submit(
        self, url: str, secret: str, payload: Mapping[str, Any]
    ) -> asyncio.Task[bool] | None:
        """Start delivering ``payload`` to ``url``; None (and a log line) when the backlog is full.

        Must be called from the running event loop. The task's result is True once the
        receiver answered 2xx, False when every attempt failed.
        """
        if len(self._tasks) >= self._policy.max_pending:
            _log.warning("webhook.dropped", reason="backlog_full", host=urlsplit(url).hostname)
            return None
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        task = asyncio.get_running_loop().create_task(self._deliver(url, secret, body))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _deliver(self, url: str, secret: str, body: bytes) -> bool:
        delivery_id = uuid.uuid4().hex
        host = urlsplit(url).hostname
        for attempt in range(1, self._policy.attempts + 1):
            if attempt > 1:
                await self._sleep(self._policy.delay_before(attempt))
            outcome = await self._attempt(url, secret, body, delivery_id)
            if outcome == "delivered":
                _log.info("webhook.delivered", host=host, attempt=attempt, delivery=delivery_id)
                return True
            if outcome == "refused":
                break
            _log.info("webhook.retrying", host=host, attempt=attempt, outcome=outcome)
        _log.warning("webhook.failed", host=host, delivery=delivery_id)
        return False

    async def _attempt(self, url: str, secret: str, body: bytes, delivery_id: str) -> str:
        headers = {
            "Content-Type": "application/json",
            "User-Agent": f"skillrt/{__version__} webhook",
            SIGNATURE_HEADER: sign_payload(secret, body),
            DELIVERY_HEADER: delivery_id,
        }
        try:
            response = await self._client.post(
                url,
                content=body,
                headers=headers,
                timeout=self._policy.timeout_s,
                follow_redirects=False,
            )
        except httpx.TimeoutException:
            return "timeout"
        except httpx.HTTPError as exc:
            return type(exc).__name__
        if 200 <= response.status_code < 300:
            return "delivered"
        if response.status_code in _RETRYABLE_STATUS or response.status_code >= 500:
            return f"status {response.status_code}"
        return "refused"

    async def aclose(self, grace_s: float = 5.0) -> None:
        """Give running deliveries ``grace_s`` seconds to finish, then cancel the rest."""
        if not self._tasks:
            return
        _done, still = await asyncio.wait(set(self._tasks), timeout=grace_s)
        for task in still:
            task.cancel()
        if still:
            _log.warning("webhook.cancelled_at_shutdown", count=len(still))
            await asyncio.gather(*still, return_exceptions=True)


class WebhookRegistry:
    """Which conversation posts its renders where: a small SQLite table under the data dir,
    so a webhook outlives a restart of the service like the conversation does."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS webhooks ("
                "conversation_id TEXT PRIMARY KEY, url TEXT NOT NULL)"
            )

    @classmethod
    def in_dir(cls, data_dir: Path) -> WebhookRegistry:
        """The registry file of a data dir."""
        return cls(data_dir / "webhooks.db")

    def set(self, conversation_id: str, url: str) -> None:
        """Post ``conversation_id``'s renders to ``url`` (already checked)."""
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO webhooks (conversation_id, url) VALUES (?, ?)",
                (conversation_id, url),
            )

    def get(self, conversation_id: str) -> str | None:
        """The conversation's webhook URL, if it has one."""
        with self._lock:
            row = self._db.execute(
                "SELECT url FROM webhooks WHERE conversation_id = ?", (conversation_id,)
            ).fetchone()
        return None if row is None else str(row[0])

    def close(self) -> None:
        """Let go of the file."""
        with self._lock:
            self._db.close()


class _Owner(Protocol):
    @property
    def key_id(self) -> str: ...


class _Conversation(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def owner(self) -> _Owner: ...


class RenderOutcomeLike(Protocol):
    """What the engine hands its render hooks (``skillrt.serve._engine.RenderOutcome``)."""

    @property
    def conversation(self) -> _Conversation: ...
    @property
    def message_id(self) -> str: ...
    @property
    def event(self) -> dict[str, Any]: ...


class Webhooks:
    """The service's webhooks: registers a conversation's URL, and on each finished or
    failed render submits a signed delivery (never awaiting the receiver).

    ``secret_for(key_id)`` gives the secret for conversations of that API key id, or None
    when there is none (no operator secret and no key): a webhook is then refused.
    """

    def __init__(
        self,
        registry: WebhookRegistry,
        delivery: WebhookDelivery,
        secret_for: Callable[[str], str | None],
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.registry = registry
        self.delivery = delivery
        self._secret_for = secret_for
        self._client = client  # closed with the webhooks when they own it

    def can_sign_for(self, key_id: str) -> bool:
        """Whether deliveries for conversations of ``key_id`` could be signed."""
        return self._secret_for(key_id) is not None

    def register(self, conversation_id: str, url: str) -> None:
        """Remember ``url`` (checked with :func:`check_webhook_url`) for the conversation."""
        self.registry.set(conversation_id, check_webhook_url(url))

    async def on_render(self, outcome: RenderOutcomeLike) -> None:
        """The engine's render hook: submit a delivery when the conversation has a URL."""
        conversation = outcome.conversation
        url = self.registry.get(conversation.id)
        if url is None:
            return
        payload = webhook_payload(conversation.id, outcome.message_id, outcome.event)
        secret = self._secret_for(conversation.owner.key_id)
        if payload is None or secret is None:
            return
        self.delivery.submit(url, secret, payload)

    async def aclose(self) -> None:
        """Let running deliveries finish (briefly), then close the registry."""
        await self.delivery.aclose()
        if self._client is not None:
            await self._client.aclose()
        self.registry.close()


def open_webhooks(
    data_dir: Path,
    keys: Iterable[str],
    *,
    operator_secret: str | None = None,
    policy: WebhookPolicy | None = None,
) -> Webhooks:
    """The service's :class:`Webhooks`: a registry under ``data_dir``, deliveries over an
    ``httpx.AsyncClient`` of their own (closed by :meth:`Webhooks.aclose`), and secrets from
    ``operator_secret`` or the API key behind a conversation's key id."""
    by_id = {key_id(key): key for key in keys}

    def secret_for(owner_key_id: str) -> str | None:
        key = by_id.get(owner_key_id)
        try:
            return resolve_webhook_secret(key, operator_secret)
        except InputError:
            return None

    client = httpx.AsyncClient(trust_env=False)
    return Webhooks(
        WebhookRegistry.in_dir(data_dir), WebhookDelivery(client, policy), secret_for, client
    )
