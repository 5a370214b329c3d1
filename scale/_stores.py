"""The runtime's three store protocols on Redis: tokens, sessions, render jobs.

Keys (``P`` = the deployment's prefix, ``N`` = the namespace, e.g. one end user):

- ``P:N:token:ORIGIN`` — a :class:`StoredToken` as JSON; ``P:N:token-lock:ORIGIN`` — the
  redis-py :class:`~redis.lock.Lock` held while one worker fetches that token.
- ``P:N:sessions`` — a hash, field ``SKILL ORIGIN`` (JSON list) → :class:`SessionRecord`.
- ``P:N:job:ID`` — a :class:`JobRecord` as JSON; ``P:N:jobs`` — a sorted set of every job
  id by ``created``; ``P:N:jobs:unfinished`` — the same for jobs not finished.

Writes that touch several keys run as one MULTI/EXEC transaction (a job's update under
WATCH, retried when another worker changed the job meanwhile), so a reader never sees a
job recorded in one key and not in the other.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, fields, replace
from typing import Any

import redis
import redis.lock

from skillrt.errors import StoreError
from skillrt.log import get_logger
from skillrt.runtime import JobRecord, SessionRecord, StoredToken
from skillrt.scale._connection import RedisConnection, RedisStoreError, messages

__all__ = [
    "DEFAULT_NAMESPACE",
    "LOCK_LEASE",
    "LOCK_WAIT",
    "RedisCredentialStore",
    "RedisJobStore",
    "RedisSessionStore",
]

DEFAULT_NAMESPACE = "default"
#: Seconds the token lock lives without a renewal (a holder that died frees it this late).
LOCK_LEASE = 30.0
#: Seconds a worker waits for another's token lock before giving up with a StoreError.
LOCK_WAIT = 60.0

_log = get_logger(__name__)
_TOKEN_FIELDS = frozenset(f.name for f in fields(StoredToken))
_JOB_FIELDS = frozenset(f.name for f in fields(JobRecord))
_SESSION_FIELDS = frozenset(f.name for f in fields(SessionRecord))


def _decode(raw: Any) -> dict[str, Any] | None:
    """A stored JSON object, or ``None`` for a missing or damaged value."""
    if raw is None:
        return None
    try:
        data = json.loads(raw)
    except (ValueError, TypeError):
        return None
    return data if isinstance(data, dict) else None


class RedisCredentialStore:
    """Tokens per (origin, namespace) in Redis, with a Redis lock around fetching one.

    :meth:`locked` holds a redis-py ``Lock`` on ``P:N:token-lock:ORIGIN`` with a lease of
    ``lease`` seconds, renewed every third of it while the holder is inside, and waits at
    most ``wait`` seconds for another worker's. If the lease expires anyway (the holder was
    stopped longer than the lease, or Redis lost the key), another worker may fetch a token
    too: both tokens are valid, the last one stored wins, and the first holder logs
    ``credentials.lock_expired`` when it leaves.
    """

    def __init__(
        self,
        connection: RedisConnection,
        *,
        namespace: str = DEFAULT_NAMESPACE,
        lease: float = LOCK_LEASE,
        wait: float = LOCK_WAIT,
    ) -> None:
        self.connection = connection
        self.namespace = namespace
        self.lease = lease
        self.wait = wait

    def _key(self, origin: str) -> str:
        return self.connection.key(self.namespace, "token", origin)

    def get(self, origin: str) -> StoredToken | None:
        """The token stored for ``origin``, if any."""
        data = _decode(self.connection.call(lambda r: r.get(self._key(origin))))
        if data is None or not isinstance(data.get("token"), str):
            return None
        try:
            return StoredToken(**{k: v for k, v in data.items() if k in _TOKEN_FIELDS})
        except TypeError:
            return None

    def put(self, origin: str, token: StoredToken) -> None:
        """Store ``token`` for ``origin``."""
        value = json.dumps(asdict(token))
        self.connection.call(lambda r: r.set(self._key(origin), value))

    def delete(self, origin: str) -> None:
        """Forget the token of ``origin``."""
        self.connection.call(lambda r: r.delete(self._key(origin)))

    def locked(self, origin: str) -> AbstractContextManager[None]:
        """Hold the Redis lock of ``origin`` (across workers and machines)."""
        return self._hold(origin)

    @contextmanager
    def _hold(self, origin: str) -> Iterator[None]:
        lock = redis.lock.Lock(
            self.connection.client,
            self.connection.key(self.namespace, "token-lock", origin),
            timeout=self.lease,
            blocking_timeout=self.wait,
            thread_local=False,
        )
        if not self.connection.call(lambda _: lock.acquire()):
            t = messages()
            raise RedisStoreError(
                t.render("err_redis_lock_held", "en", origin=origin, seconds=round(self.wait)),
                hint=t.render("hint_redis_lock_held", "en"),
            )
        renewer = _Renewer(lock, self.lease / 3)
        renewer.start()
        try:
            yield
        finally:
            renewer.stop()
            try:
                lock.release()
            except redis.exceptions.LockError:
                _log.warning("credentials.lock_expired", origin=origin, lease=self.lease)
            except redis.exceptions.RedisError as exc:
                # Redis went away: the lease ends on its own; the body's outcome stands.
                _log.warning("credentials.lock_unreleased", error=type(exc).__name__)


class _Renewer(threading.Thread):
    """Resets a lock's lease every ``every`` seconds until stopped or the lock is lost."""

    def __init__(self, lock: redis.lock.Lock, every: float) -> None:
        super().__init__(name="skillrt-token-lock-renewer", daemon=True)
        self._lock = lock
        self._every = every
        self._stopped = threading.Event()

    def run(self) -> None:
        while not self._stopped.wait(self._every):
            try:
                self._lock.reacquire()
            except redis.exceptions.LockError:
                return  # lost: release() will say so
            except redis.exceptions.RedisError:
                continue  # Redis briefly away: try again before the lease runs out

    def stop(self) -> None:
        self._stopped.set()
        self.join()


class RedisSessionStore:
    """One current session per (skill, origin) in the hash ``P:N:sessions``."""

    def __init__(self, connection: RedisConnection, *, namespace: str = DEFAULT_NAMESPACE) -> None:
        self.connection = connection
        self.namespace = namespace
        self._key = connection.key(namespace, "sessions")

    @staticmethod
    def _field(skill: str, origin: str) -> str:
        return json.dumps([skill, origin])

    @staticmethod
    def _record(raw: Any) -> SessionRecord | None:
        data = _decode(raw)
        if data is None:
            return None
        try:
            return SessionRecord(**{k: v for k, v in data.items() if k in _SESSION_FIELDS})
        except TypeError:
            return None

    def get(self, skill: str, origin: str) -> SessionRecord | None:
        """The current session, if any."""
        raw = self.connection.call(lambda r: r.hget(self._key, self._field(skill, origin)))
        return self._record(raw)

    def put(self, record: SessionRecord) -> None:
        """Make ``record`` current."""
        field, value = self._field(record.skill, record.origin), json.dumps(asdict(record))
        self.connection.call(lambda r: r.hset(self._key, field, value))

    def delete(self, skill: str, origin: str) -> None:
        """Forget the current session."""
        self.connection.call(lambda r: r.hdel(self._key, self._field(skill, origin)))

    def recent(self, origin: str | None = None) -> list[SessionRecord]:
        """Every current session (on ``origin``, or on any), most recently used first."""
        values = self.connection.call(lambda r: r.hvals(self._key))
        found = [record for raw in values if (record := self._record(raw)) is not None]
        if origin is not None:
            found = [record for record in found if record.origin == origin]
        return sorted(found, key=lambda record: record.last_used, reverse=True)


class RedisJobStore:
    """Render jobs as JSON values, indexed by creation time (all of them, and unfinished)."""

    def __init__(self, connection: RedisConnection, *, namespace: str = DEFAULT_NAMESPACE) -> None:
        self.connection = connection
        self.namespace = namespace
        self._all = connection.key(namespace, "jobs")
        self._open = connection.key(namespace, "jobs", "unfinished")

    def _job_key(self, job_id: str) -> str:
        return self.connection.key(self.namespace, "job", job_id)

    @staticmethod
    def _record(raw: Any) -> JobRecord | None:
        data = _decode(raw)
        if data is None:
            return None
        try:
            return JobRecord(**{k: v for k, v in data.items() if k in _JOB_FIELDS})
        except TypeError:
            return None

    def add(self, job: JobRecord) -> None:
        """Record a new job (all its keys in one transaction, done when this returns)."""
        key = self._job_key(job.id)

        def write(pipe: redis.client.Pipeline) -> None:
            if pipe.exists(key):
                raise StoreError(f"render job {job.id!r} is already recorded")
            pipe.multi()
            pipe.set(key, json.dumps(asdict(job)))
            pipe.zadd(self._all, {job.id: job.created})
            if not job.finished:
                pipe.zadd(self._open, {job.id: job.created})

        self.connection.call(lambda r: r.transaction(write, key))

    def update(self, job_id: str, **changes: Any) -> JobRecord:
        """Change fields of a job atomically (WATCH/MULTI: retried if it changed meanwhile)."""
        unknown = set(changes) - _JOB_FIELDS
        if unknown or "id" in changes:
            raise StoreError(f"cannot change job fields {sorted(unknown | {'id'} & set(changes))}")
        key = self._job_key(job_id)
        result: list[JobRecord] = []

        def write(pipe: redis.client.Pipeline) -> None:
            job = self._record(pipe.get(key))
            if job is None:
                raise StoreError(f"no render job {job_id!r}")
            new = replace(job, **{**changes, "updated": time.time()})
            pipe.multi()
            pipe.set(key, json.dumps(asdict(new)))
            if new.finished:
                pipe.zrem(self._open, job_id)
            else:
                pipe.zadd(self._open, {job_id: new.created})
            result[:] = [new]

        self.connection.call(lambda r: r.transaction(write, key))
        return result[0]

    def get(self, job_id: str) -> JobRecord | None:
        """One job."""
        return self._record(self.connection.call(lambda r: r.get(self._job_key(job_id))))

    def _many(self, ids: list[Any]) -> list[JobRecord]:
        if not ids:
            return []
        keys = [self._job_key(i.decode() if isinstance(i, bytes) else str(i)) for i in ids]
        values = self.connection.call(lambda r: r.mget(keys))
        return [job for raw in values if (job := self._record(raw)) is not None]

    def recent(self, limit: int = 50) -> list[JobRecord]:
        """The newest jobs first."""
        if limit <= 0:
            return []
        ids = self.connection.call(lambda r: r.zrevrange(self._all, 0, limit - 1))
        return self._many(list(ids))

    def unfinished(self) -> list[JobRecord]:
        """Jobs still to poll or download, oldest first."""
        ids = self.connection.call(lambda r: r.zrange(self._open, 0, -1))
        return self._many(list(ids))
