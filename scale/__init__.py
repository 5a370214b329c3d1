"""Shared state for many ``skillrt serve`` workers: the runtime's stores on Redis.

Install with ``pip install 'skillrt[redis]'``. Everything here depends on the runtime's
public API only (its store protocols and records); see ``docs/scale.md``.

- :class:`RedisConnection` — a redis-py client from ``redis://HOST:PORT/DB``, a key prefix
  per deployment, and the one place redis-py's errors become :class:`RedisStoreError`
  (a :class:`skillrt.errors.StoreError`).
- :class:`RedisCredentialStore`, :class:`RedisSessionStore`, :class:`RedisJobStore` —
  the three store protocols, per namespace (e.g. one end user).
- :class:`Lease` / :class:`LeaseLost` — a lease with compare-and-set renew and release.
"""

from __future__ import annotations

from skillrt.scale._connection import DEFAULT_PREFIX, RedisConnection, RedisStoreError
from skillrt.scale._lease import Lease, LeaseLost
from skillrt.scale._stores import (
    DEFAULT_NAMESPACE,
    LOCK_LEASE,
    LOCK_WAIT,
    RedisCredentialStore,
    RedisJobStore,
    RedisSessionStore,
)

__all__ = [
    "DEFAULT_NAMESPACE",
    "DEFAULT_PREFIX",
    "LOCK_LEASE",
    "LOCK_WAIT",
    "Lease",
    "LeaseLost",
    "RedisConnection",
    "RedisCredentialStore",
    "RedisJobStore",
    "RedisSessionStore",
    "RedisStoreError",
]
