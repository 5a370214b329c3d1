"""One message at a time per conversation, across every worker on the same Redis.

A conversation's lock is a :class:`~skillrt.scale.AsyncLease` on ``{prefix}conv:{id}`` whose
owner is the message id. The worker running the message renews it every ``ttl / 3`` in
the background; if the worker dies, the lease lapses after ``ttl`` and the conversation
takes messages again. A second message while one runs is refused (``acquire`` answers
false), and ``skillrt serve`` answers it with its documented busy problem.
"""

from __future__ import annotations

import asyncio
import contextlib

import redis.asyncio as aioredis

from skillrt.scale._async_lease import AsyncLease
from skillrt.scale._connect import RedisTarget

__all__ = ["RedisConversationLocks"]


class RedisConversationLocks:
    """The :class:`skillrt.serve.ConversationLocks` seam as renewed Redis leases."""

    def __init__(
        self,
        client: aioredis.Redis,
        target: RedisTarget,
        *,
        prefix: str = "skillrt:",
        ttl: float = 30.0,
    ) -> None:
        self.lease = AsyncLease(client, target, ttl=ttl)
        self.prefix = prefix
        self._keepers: dict[tuple[str, str], asyncio.Task[None]] = {}

    def _key(self, conversation_id: str) -> str:
        return f"{self.prefix}conv:{conversation_id}"

    async def acquire(self, conversation_id: str, message_id: str) -> bool:
        """Take the conversation for ``message_id`` and keep renewing it; false if busy."""
        key = self._key(conversation_id)
        if not await self.lease.acquire(key, message_id):
            return False
        lost = asyncio.Event()
        keeper = asyncio.get_running_loop().create_task(self.lease.keep(key, message_id, lost))
        self._keepers[(conversation_id, message_id)] = keeper
        return True

    async def release(self, conversation_id: str, message_id: str) -> None:
        """Stop renewing and drop the lease (only the holder's release counts)."""
        keeper = self._keepers.pop((conversation_id, message_id), None)
        if keeper is not None:
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper
        await self.lease.release(self._key(conversation_id), message_id)

    async def holder(self, conversation_id: str) -> str | None:
        """The message holding the conversation now, if any."""
        return await self.lease.holder(self._key(conversation_id))
