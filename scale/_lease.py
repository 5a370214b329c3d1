"""A lease: a Redis key one owner holds for a while, renews while it works, and releases.

``acquire`` is ``SET key owner NX PX ttl``; ``renew`` and ``release`` are Lua scripts that
compare the stored owner with ours and only then extend or delete the key, in one step on
the server (so a lease that expired and was taken by another owner is never extended or
deleted by the first). A renewal or release that finds another owner — or none — raises
:class:`LeaseLost`: the work done under it may now be done by someone else.
"""

from __future__ import annotations

import secrets
from typing import Any

from skillrt.scale._connection import RedisConnection, RedisStoreError, messages

__all__ = ["Lease", "LeaseLost"]

#: Lua: extend the lease only if ARGV[1] still owns it (also used by AsyncLease)
RENEW_SCRIPT = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""
#: Lua: delete the lease only if ARGV[1] still owns it (also used by AsyncLease)
RELEASE_SCRIPT = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class LeaseLost(RedisStoreError):
    """The lease expired or another owner holds it now."""


class Lease:
    """A lease on ``name`` (under the connection's prefix) for ``ttl`` seconds.

    ``owner`` identifies the holder (a worker id); by default a random token, so two
    :class:`Lease` objects never take each other for the same owner.
    """

    def __init__(
        self,
        connection: RedisConnection,
        name: str,
        *,
        ttl: float,
        owner: str | None = None,
    ) -> None:
        if ttl <= 0:
            raise ValueError("a lease needs a positive ttl")
        self.connection = connection
        self.name = name
        self.key = f"{connection.prefix}:lease:{name}"
        self.ttl = ttl
        self.owner = owner or secrets.token_hex(16)

    @property
    def _ttl_ms(self) -> int:
        return max(1, round(self.ttl * 1000))

    def acquire(self) -> bool:
        """Take the lease if nobody holds it; ``True`` when it is now ours."""
        done = self.connection.call(lambda r: r.set(self.key, self.owner, nx=True, px=self._ttl_ms))
        return bool(done)

    def renew(self) -> None:
        """Reset the lease to ``ttl`` from now; :class:`LeaseLost` unless it is still ours."""
        if not self._run(RENEW_SCRIPT, self.owner, self._ttl_ms):
            raise LeaseLost(messages().render("err_lease_lost_renew", "en", name=self.name))

    def release(self) -> None:
        """Give the lease up; :class:`LeaseLost` if it was no longer ours (nothing deleted)."""
        if not self._run(RELEASE_SCRIPT, self.owner):
            raise LeaseLost(messages().render("err_lease_lost_release", "en", name=self.name))

    def holder(self) -> str | None:
        """Who holds the lease now (``None``: nobody)."""
        raw = self.connection.call(lambda r: r.get(self.key))
        return raw.decode() if isinstance(raw, bytes) else raw

    def _run(self, script: str, *args: Any) -> int:
        return int(self.connection.call(lambda r: r.eval(script, 1, self.key, *args)))
