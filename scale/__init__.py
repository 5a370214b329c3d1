"""Many ``skillrt serve`` workers on one Redis (``skillrt[redis]``; see docs/scale.md).

- :class:`RedisTarget`: where Redis is (``redis://HOST:PORT/DB``), clients from it;
  :class:`RedisUnavailable`: the :class:`~skillrt.errors.StoreError` when it does not answer.
- :class:`Lease`, :class:`LeaseLost`: one owner at a time, renewed while it works.
- :class:`RedisEventLog`: each message's events in a Redis stream (any worker tails it).
- :class:`RedisConversationLocks`: one message at a time per conversation, across workers.
- :class:`RedisServeStore`: the service's records; :func:`redis_serve_stores`: all three
  seams of ``skillrt serve`` on one Redis (``skillrt serve --store redis://…``).
- :class:`RenderWatch`: each submitted render polled by one live worker; takeover when its
  lease lapses.
"""

from __future__ import annotations

from skillrt.scale._connect import RedisTarget, RedisUnavailable
from skillrt.scale._events import RedisEventLog
from skillrt.scale._lease import Lease, LeaseLost, new_owner
from skillrt.scale._locks import RedisConversationLocks
from skillrt.scale._serve_store import RedisServeStore, redis_serve_stores
from skillrt.scale._watch import RenderWatch

__all__ = [
    "Lease",
    "LeaseLost",
    "RedisConversationLocks",
    "RedisEventLog",
    "RedisServeStore",
    "RedisTarget",
    "RedisUnavailable",
    "RenderWatch",
    "new_owner",
    "redis_serve_stores",
]
