"""One Redis connection from a URL, and the one seam where redis-py's errors are mapped.

Every call into redis-py goes through :meth:`RedisConnection.call`, which turns a
``redis.exceptions.ConnectionError``/``TimeoutError`` into :class:`RedisStoreError` with
"Redis at HOST:PORT is not answering: …" and any other ``RedisError`` into "Redis at
HOST:PORT refused the request: …". The password of the URL never appears in a message,
a log line or a repr: only ``HOST:PORT/DB`` does.

redis-py's own retries are turned off: a write whose reply was lost must surface as an
error (and not be sent again blindly), so nothing half-written is taken for done.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from skillrt.errors import StoreError
from skillrt.i18n import Catalog

__all__ = ["DEFAULT_PREFIX", "RedisConnection", "RedisStoreError", "messages"]

T = TypeVar("T")

#: The first part of every key, one per deployment (``skillrt:…``).
DEFAULT_PREFIX = "skillrt"
#: Seconds to connect, and to wait for one reply, before Redis counts as not answering.
CONNECT_TIMEOUT = 2.0
REPLY_TIMEOUT = 5.0

_catalog: Catalog | None = None


def messages() -> Catalog:
    """skillrt.scale's message catalog (loaded once)."""
    global _catalog
    if _catalog is None:
        _catalog = Catalog("skillrt.scale")
    return _catalog


class RedisStoreError(StoreError):
    """Redis cannot be reached or refused a request (a :class:`~skillrt.errors.StoreError`)."""


def _where(url: str) -> str:
    """``HOST:PORT/DB`` of a Redis URL, without user or password."""
    parts = urlsplit(url)
    if parts.scheme not in {"redis", "rediss", "unix"}:
        raise RedisStoreError(messages().render("err_redis_url", "en", url=_without_password(url)))
    if parts.scheme == "unix":
        return parts.path
    host = parts.hostname or "localhost"
    try:
        port = parts.port or 6379
    except ValueError as exc:
        raise RedisStoreError(
            messages().render("err_redis_url", "en", url=_without_password(url))
        ) from exc
    db = parts.path.strip("/") or "0"
    return f"{host}:{port}/{db}"


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[-1]
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return parts._replace(netloc=user + netloc).geturl()


class RedisConnection:
    """A redis-py client, the deployment's key prefix, and error mapping.

    Build it with :meth:`from_url` (``redis://HOST:PORT/DB``, ``rediss://`` for TLS,
    ``redis://:PASSWORD@HOST:PORT/DB``); ``prefix`` starts every key so several
    deployments can share one Redis.
    """

    def __init__(self, client: redis.Redis, *, where: str, prefix: str = DEFAULT_PREFIX) -> None:
        self.client = client
        #: ``HOST:PORT/DB``: what messages name (never the password)
        self.where = where
        self.prefix = prefix

    @classmethod
    def from_url(cls, url: str, *, prefix: str = DEFAULT_PREFIX) -> RedisConnection:
        """Connect lazily to the Redis of ``url`` (nothing is sent until the first call)."""
        where = _where(url)
        try:
            client = redis.Redis.from_url(
                url,
                socket_connect_timeout=CONNECT_TIMEOUT,
                socket_timeout=REPLY_TIMEOUT,
                retry=Retry(NoBackoff(), 0),
                health_check_interval=0,
            )
        except ValueError as exc:
            raise RedisStoreError(
                messages().render("err_redis_url", "en", url=_without_password(url))
            ) from exc
        return cls(client, where=where, prefix=prefix)

    def __repr__(self) -> str:
        return f"RedisConnection({self.where!r}, prefix={self.prefix!r})"

    def key(self, namespace: str, *parts: str) -> str:
        """``PREFIX:NAMESPACE:PART:…``."""
        return ":".join((self.prefix, namespace, *parts))

    def call(self, operation: Callable[[redis.Redis], T]) -> T:
        """Run ``operation`` on the client; redis-py's errors become :class:`RedisStoreError`."""
        try:
            return operation(self.client)
        except redis.exceptions.AuthenticationError as exc:  # a ConnectionError in redis-py
            raise self.refused(exc) from exc
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
            raise self.down(exc) from exc
        except redis.exceptions.RedisError as exc:
            raise self.refused(exc) from exc

    def refused(self, exc: BaseException) -> RedisStoreError:
        """The error for "Redis answered with a refusal" (a wrong password, a read-only
        replica, a command it does not know)."""
        t = messages()
        return RedisStoreError(
            t.render("err_redis_refused", "en", where=self.where, reason=str(exc)),
            hint=t.render("hint_redis_down", "en", where=self.where),
        )

    def down(self, exc: BaseException) -> RedisStoreError:
        """The error for "Redis does not answer"."""
        t = messages()
        reason = str(exc) or type(exc).__name__
        return RedisStoreError(
            t.render("err_redis_down", "en", where=self.where, reason=reason),
            hint=t.render("hint_redis_down", "en", where=self.where),
        )

    def ping(self) -> None:
        """Raise :class:`RedisStoreError` unless Redis answers."""
        self.call(lambda client: client.ping())

    def close(self) -> None:
        """Close the pool's connections."""
        self.client.close()
