"""The asyncio side of the Redis seam: clients from a URL and the wording of failures.

:class:`~skillrt.scale.RedisConnection` is the synchronous seam (the runtime's stores);
the service's event log, locks and render watching run on the event loop and go through
:func:`redis_errors` instead, so a raw
redis-py exception never leaves the package: a server that does not answer becomes
:class:`RedisUnavailable` (a :class:`~skillrt.errors.StoreError`) naming host and port,
never the password.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import redis
import redis.asyncio as aioredis
from redis.asyncio.retry import Retry as AsyncRetry
from redis.backoff import NoBackoff
from redis.retry import Retry

from skillrt.errors import StoreError
from skillrt.scale._connection import RedisStoreError

__all__ = ["RedisTarget", "RedisUnavailable", "redis_errors"]

#: seconds to wait for a connection or an answer (reads that block say so themselves)
SOCKET_TIMEOUT = 5.0
# One retry on a connection error: a pooled connection left from before a Redis restart
# fails once ("closed by server") though Redis is back. Every write here is safe to send
# twice (SET NX for one owner, compare-and-set scripts, whole-record SETs, idempotent
# watch registration); at worst an event appended just as Redis died is recorded twice.


class RedisUnavailable(RedisStoreError):
    """Redis did not answer (down, restarting, or out of reach); the call did nothing."""


@dataclass(frozen=True)
class RedisTarget:
    """Where Redis is: a ``redis://HOST:PORT/DB`` URL (its password never shown)."""

    url: str

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("redis", "rediss", "unix"):
            raise StoreError(
                f"not a Redis URL: {self.where}",
                hint="write it as redis://HOST:PORT/DB",
            )

    def __repr__(self) -> str:
        return f"RedisTarget({self.where!r})"

    @property
    def where(self) -> str:
        """``HOST:PORT/DB`` for messages (no user name, no password)."""
        parts = urlsplit(self.url)
        host = parts.hostname or "localhost"
        port = parts.port or 6379
        db = parts.path.lstrip("/") or "0"
        return f"{host}:{port}/{db}"

    def client(self) -> aioredis.Redis:
        """An asyncio client (a connection pool; ``decode_responses``)."""
        return aioredis.Redis.from_url(
            self.url,
            decode_responses=True,
            socket_timeout=SOCKET_TIMEOUT,
            socket_connect_timeout=SOCKET_TIMEOUT,
            retry=AsyncRetry(NoBackoff(), 1),
        )

    def sync_client(self) -> redis.Redis:
        """A synchronous client, for the stores the runtime calls from threads."""
        return redis.Redis.from_url(
            self.url,
            decode_responses=True,
            socket_timeout=SOCKET_TIMEOUT,
            socket_connect_timeout=SOCKET_TIMEOUT,
            retry=Retry(NoBackoff(), 1),
        )


@contextmanager
def redis_errors(target: RedisTarget, doing: str) -> Iterator[None]:
    """Turn redis-py's failures inside the block into :class:`StoreError` sentences."""
    try:
        yield
    except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
        raise RedisUnavailable(
            f"Redis at {target.where} is not answering while {doing}: {type(exc).__name__}",
            hint="check that redis-server runs and the --store URL is right",
        ) from None
    except redis.RedisError as exc:
        raise RedisStoreError(
            f"Redis at {target.where} refused {doing}: {type(exc).__name__}",
        ) from None
