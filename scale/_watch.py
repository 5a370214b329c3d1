"""Durable render watching: each submitted render polled by exactly one live worker.

A plain lease scan, not a consumer group: the runtime's :class:`JobStore` already is the
durable record of a render (written before it is polled), so the queue only has to say
*who polls it now*. Keys:

- ``{prefix}watch`` — the set of render job ids being watched;
- ``{prefix}watch:{job}`` — a hash: what the worker needs to resume it (conversation,
  message, …; JSON-free strings chosen by the caller);
- ``{prefix}watchlease:{job}`` — the :class:`AsyncLease` of the worker polling it.

The worker that submits a render :meth:`RenderWatch.register`\\ s it with its lease and
renews it while it polls (:meth:`RenderWatch.polling`). Every worker runs
:meth:`RenderWatch.scan` every ``ttl / 2``: a watched job whose lease key is gone (its
worker died: no renewal for ``ttl``) is taken with ``SET NX`` by exactly one of them, which
resumes polling **the same render id**; :meth:`RenderWatch.done` ends the watch once the
render is delivered or failed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import redis.asyncio as aioredis

from skillrt.scale._async_lease import AsyncLease
from skillrt.scale._connect import RedisTarget, redis_errors

__all__ = ["RenderWatch"]


class RenderWatch:
    """Which worker polls which render, with takeover when a worker's lease lapses."""

    def __init__(
        self,
        client: aioredis.Redis,
        target: RedisTarget,
        *,
        prefix: str = "skillrt:",
        ttl: float = 15.0,
    ) -> None:
        self.client = client
        self.target = target
        self.prefix = prefix
        self.lease = AsyncLease(client, target, ttl=ttl)

    @property
    def ttl(self) -> float:
        """Seconds a lease lasts without renewal (a dead worker's job waits this long)."""
        return self.lease.ttl

    def _set(self) -> str:
        return f"{self.prefix}watch"

    def _info(self, job_id: str) -> str:
        return f"{self.prefix}watch:{job_id}"

    def _lease(self, job_id: str) -> str:
        return f"{self.prefix}watchlease:{job_id}"

    async def register(self, job_id: str, info: dict[str, str], owner: str) -> bool:
        """Watch ``job_id`` (idempotent); whether ``owner`` holds its lease now."""
        with redis_errors(self.target, "registering a render"):
            async with self.client.pipeline(transaction=True) as pipe:
                pipe.hset(self._info(job_id), mapping=dict(info))  # type: ignore[arg-type]
                pipe.sadd(self._set(), job_id)
                pipe.set(self._lease(job_id), owner, nx=True, px=int(self.ttl * 1000))
                answers = await pipe.execute()
        return bool(answers[-1]) or await self.lease.holder(self._lease(job_id)) == owner

    async def info(self, job_id: str) -> dict[str, str] | None:
        """What was registered with ``job_id`` (``None``: not watched)."""
        with redis_errors(self.target, "reading a render's watch"):
            found = await self.client.hgetall(self._info(job_id))
        return {str(k): str(v) for k, v in found.items()} if found else None

    async def watched(self) -> list[str]:
        """Every render being watched, sorted."""
        with redis_errors(self.target, "listing watched renders"):
            return sorted(str(job) for job in await self.client.smembers(self._set()))

    async def orphans(self) -> list[str]:
        """Watched renders nobody holds a lease on (their worker died or let go)."""
        jobs = await self.watched()
        if not jobs:
            return []
        with redis_errors(self.target, "looking for orphaned renders"):
            holders = await self.client.mget([self._lease(job) for job in jobs])
        return [job for job, holder in zip(jobs, holders, strict=False) if holder is None]

    async def take(self, job_id: str, owner: str) -> bool:
        """Take an orphan's lease; false when another worker was quicker."""
        return await self.lease.acquire(self._lease(job_id), owner)

    async def scan(self, owner: str) -> list[str]:
        """The orphans this worker took over just now (it must resume each)."""
        taken = []
        for job in await self.orphans():
            if await self.take(job, owner):
                taken.append(job)
        return taken

    @asynccontextmanager
    async def polling(self, job_id: str, owner: str) -> AsyncIterator[asyncio.Event]:
        """Keep ``owner``'s lease on ``job_id`` renewed while the block polls the render.

        Yields an event set if the lease was lost meanwhile (another worker took over:
        stop polling, do not deliver).
        """
        async with self.lease.held(self._lease(job_id), owner) as lost:
            yield lost

    async def done(self, job_id: str) -> None:
        """The render was delivered or failed: stop watching it."""
        with redis_errors(self.target, "ending a render's watch"):
            async with self.client.pipeline(transaction=True) as pipe:
                pipe.srem(self._set(), job_id)
                pipe.delete(self._info(job_id))
                await pipe.execute()
