"""Shared state for many ``skillrt serve`` workers: the runtime's stores on Redis.

Install with ``pip install 'skillrt[redis]'``. Everything here depends on the runtime's
public API only (its store protocols and records) and, for the service's seams, on
``skillrt.serve``'s public names; see ``docs/scale.md``.

- :class:`RedisConnection` — a redis-py client from ``redis://HOST:PORT/DB``, a key prefix
  per deployment, and the one place redis-py's errors become :class:`RedisStoreError`
  (a :class:`skillrt.errors.StoreError`).
- :class:`RedisCredentialStore`, :class:`RedisSessionStore`, :class:`RedisJobStore` —
  the three store protocols, per namespace (e.g. one end user).
- :class:`Lease` / :class:`LeaseLost` — a lease with compare-and-set renew and release;
  :class:`AsyncLease` the same for asyncio code, many keys, renewed in the background.
- :class:`RedisTarget` — asyncio clients from a URL; :class:`RedisUnavailable` when Redis
  does not answer them.
- :class:`RedisEventLog` — each message's events in a Redis stream (any worker tails it).
- :class:`RedisConversationLocks` — one message at a time per conversation, across workers.
- :class:`RedisServeStore` — the service's records; :func:`redis_serve_stores` all of
  ``skillrt serve``'s seams on one Redis (``skillrt serve --store redis://…``).
- :class:`RenderWatch`, :class:`RenderTakeover` — each submitted render polled by one live
  worker, taken over (same render id) when that worker's lease lapses.
"""

from __future__ import annotations

from skillrt.scale._async_lease import AsyncLease, new_owner
from skillrt.scale._connect import RedisTarget, RedisUnavailable
from skillrt.scale._connection import DEFAULT_PREFIX, RedisConnection, RedisStoreError
from skillrt.scale._events import RedisEventLog
from skillrt.scale._lease import Lease, LeaseLost
from skillrt.scale._locks import RedisConversationLocks
from skillrt.scale._serve_store import RedisServeStore, redis_serve_stores
from skillrt.scale._stores import (
    DEFAULT_NAMESPACE,
    LOCK_LEASE,
    LOCK_WAIT,
    RedisCredentialStore,
    RedisJobStore,
    RedisSessionStore,
)
from skillrt.scale._takeover import RenderTakeover
from skillrt.scale._watch import RenderWatch

__all__ = [
    "DEFAULT_NAMESPACE",
    "DEFAULT_PREFIX",
    "LOCK_LEASE",
    "LOCK_WAIT",
    "AsyncLease",
    "Lease",
    "LeaseLost",
    "RedisConnection",
    "RedisConversationLocks",
    "RedisCredentialStore",
    "RedisEventLog",
    "RedisJobStore",
    "RedisServeStore",
    "RedisSessionStore",
    "RedisStoreError",
    "RedisTarget",
    "RedisUnavailable",
    "RenderTakeover",
    "RenderWatch",
    "new_owner",
    "redis_serve_stores",
]
