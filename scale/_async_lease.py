"""Leases for asyncio code: the same compare-and-set scheme as :class:`~skillrt.scale.Lease`.

The service's engine runs on an event loop, so its leases (conversation locks, render
watching) use redis-py's asyncio client; one :class:`AsyncLease` serves many keys, each
with the owner given per call. ``acquire`` is ``SET key owner NX PX ttl``; ``renew`` and
``release`` are Lua compare-and-set scripts, so only the owner extends or drops it.
A worker that dies stops renewing: the key expires after ``ttl`` and another worker may
take it. An owner that finds its lease gone (renew answers no) raises :class:`LeaseLost`
and must stop acting as owner. :meth:`AsyncLease.held` keeps a lease renewed in the
background while a block runs.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

import redis.asyncio as aioredis

from skillrt.errors import StoreError
from skillrt.log import get_logger
from skillrt.scale._connect import RedisTarget, RedisUnavailable, redis_errors
from skillrt.scale._lease import RELEASE_SCRIPT, RENEW_SCRIPT, LeaseLost

__all__ = ["AsyncLease", "new_owner"]

_log = get_logger(__name__)


def new_owner(prefix: str = "w") -> str:
    """An owner token unique to this holder (a worker and one of its tasks)."""
    return f"{prefix}-{secrets.token_hex(8)}"


class AsyncLease:
    """Leases under one key prefix, each ``ttl`` seconds unless renewed."""

    def __init__(self, client: aioredis.Redis, target: RedisTarget, *, ttl: float) -> None:
        if ttl <= 0:
            raise ValueError("a lease needs a positive ttl")
        self.client = client
        self.target = target
        self.ttl = ttl

    @property
    def _ms(self) -> int:
        return max(1, int(self.ttl * 1000))

    async def acquire(self, key: str, owner: str) -> bool:
        """Take ``key`` for ``owner`` unless someone holds it."""
        with redis_errors(self.target, "taking a lease"):
            return bool(await self.client.set(key, owner, nx=True, px=self._ms))

    async def renew(self, key: str, owner: str) -> None:
        """Extend ``owner``'s lease by ``ttl``; :class:`LeaseLost` when it is not theirs."""
        with redis_errors(self.target, "renewing a lease"):
            kept = await self.client.eval(RENEW_SCRIPT, 1, key, owner, str(self._ms))
        if not kept:
            raise LeaseLost(f"the lease {key} is no longer held by this worker")

    async def release(self, key: str, owner: str) -> bool:
        """Drop ``owner``'s lease (another owner's stays); whether it was held."""
        with redis_errors(self.target, "releasing a lease"):
            return bool(await self.client.eval(RELEASE_SCRIPT, 1, key, owner))

    async def holder(self, key: str) -> str | None:
        """Who holds ``key`` now (``None``: free)."""
        with redis_errors(self.target, "reading a lease"):
            found = await self.client.get(key)
        return None if found is None else str(found)

    async def keep(self, key: str, owner: str, lost: asyncio.Event) -> None:
        """Renew every third of ``ttl`` until cancelled; set ``lost`` if it slips away.

        Redis being briefly down is not a loss: the next renewal inside ``ttl`` keeps it.
        """
        while True:
            await asyncio.sleep(self.ttl / 3)
            try:
                await self.renew(key, owner)
            except LeaseLost:
                _log.warning("lease.lost", key=key)
                lost.set()
                return
            except RedisUnavailable:
                _log.warning("lease.renew_failed", key=key)

    @asynccontextmanager
    async def held(self, key: str, owner: str) -> AsyncIterator[asyncio.Event]:
        """Renew an acquired lease while the block runs, release it after.

        Yields an event set when the lease was lost meanwhile (the block should stop).
        """
        lost = asyncio.Event()
        keeper = asyncio.get_running_loop().create_task(self.keep(key, owner, lost))
        try:
            yield lost
        finally:
            keeper.cancel()
            with suppress(asyncio.CancelledError):
                await keeper
            try:
                await self.release(key, owner)
            except StoreError:
                # It expires by itself within ttl.
                _log.warning("lease.release_failed", key=key)
