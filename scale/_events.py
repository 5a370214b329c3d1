"""Each message's events in a Redis stream, so any worker can serve any reader.

Stream ``{prefix}ev:{message_id}``; event *n* (1, 2, …, the SSE ``id:``) is stream entry
``n-0``, written by one Lua script that takes the next number and ``XADD``\\ s with it, so
numbers stay dense and monotonic whichever worker appends. A reader tails with ``XREAD
BLOCK`` from ``{after}-0``; a reader that reconnects with ``Last-Event-ID: n`` to another
worker reads from ``n-0`` there. ``finish`` adds one last entry with the field ``end``
(never shown to readers; it wakes blocked ones). Bounds: ``MAXLEN ~ max_events`` per
stream, and every stream expires ``running_ttl`` after its last append or ``retention``
after it finished.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import redis.asyncio as aioredis

from skillrt.scale._connect import RedisTarget, redis_errors

__all__ = ["RedisEventLog"]

# KEYS[1] stream, KEYS[2] counter; ARGV: data, maxlen, ttl seconds, is_end
_APPEND = """
local n = redis.call('INCR', KEYS[2])
local field = 'data'
if ARGV[4] == '1' then field = 'end' end
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], n .. '-0', field, ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return n
"""


class RedisEventLog:
    """The :class:`skillrt.serve.EventLog` seam on Redis Streams."""

    def __init__(
        self,
        client: aioredis.Redis,
        target: RedisTarget,
        *,
        prefix: str = "skillrt:",
        retention: float = 7 * 24 * 3600,
        running_ttl: float = 24 * 3600,
        max_events: int = 5000,
        block: float = 2.0,
    ) -> None:
        self.client = client
        self.target = target
        self.prefix = prefix
        self.retention = retention
        self.running_ttl = running_ttl
        self.max_events = max_events
        #: seconds one XREAD waits before it looks again (below the socket timeout)
        self.block = block

    def _keys(self, message_id: str) -> tuple[str, str]:
        return f"{self.prefix}ev:{message_id}", f"{self.prefix}evn:{message_id}"

    async def _add(self, message_id: str, data: str, *, end: bool, ttl: float) -> int:
        stream, counter = self._keys(message_id)
        with redis_errors(self.target, "recording an event"):
            number = await self.client.eval(
                _APPEND, 2, stream, counter, data, str(self.max_events),
                str(max(1, int(ttl))), "1" if end else "0",
            )  # fmt: skip
        return int(number)

    async def append(self, message_id: str, data: str) -> int:
        """Add one event (JSON text); its id (1, 2, …)."""
        return await self._add(message_id, data, end=False, ttl=self.running_ttl)

    async def finish(self, message_id: str) -> None:
        """No more events for this message; the stream is kept ``retention`` seconds."""
        await self._add(message_id, "", end=True, ttl=self.retention)

    async def exists(self, message_id: str) -> bool:
        """Whether a stream exists for the message."""
        with redis_errors(self.target, "looking up a message's events"):
            return bool(await self.client.exists(self._keys(message_id)[0]))

    async def read(self, message_id: str, after: int = 0) -> AsyncIterator[tuple[int, str]]:
        """``(id, data)`` after ``after``, waiting (``XREAD BLOCK``) until the end entry."""
        stream = self._keys(message_id)[0]
        cursor = f"{after}-0"
        block_ms = max(1, int(self.block * 1000))
        while True:
            with redis_errors(self.target, "reading a message's events"):
                answer: Any = await self.client.xread({stream: cursor}, count=100, block=block_ms)
            entries: list[tuple[str, dict[str, str]]] = [
                entry for _name, batch in answer or [] for entry in batch
            ]
            for entry_id, fields in entries:
                cursor = entry_id
                if "end" in fields:
                    return
                yield int(entry_id.split("-", 1)[0]), fields["data"]
            if not answer and not await self.exists(message_id):
                # Expired or never written: nothing more will come.
                return
