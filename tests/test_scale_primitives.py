"""Redis Streams event log, conversation leases and render watch against a real redis-server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

import pytest

pytest.importorskip("redis", reason="redis-py is missing (pip install 'skillrt[redis]')")

import redis.asyncio as aioredis
from redis_helpers import RedisServer

from skillrt.errors import StoreError
from skillrt.scale import (
    AsyncLease,
    LeaseLost,
    RedisConversationLocks,
    RedisEventLog,
    RedisTarget,
    RedisUnavailable,
    RenderWatch,
)

T = TypeVar("T")


_OPENED: list[aioredis.Redis] = []


def client(target: RedisTarget) -> aioredis.Redis:
    """A client that :func:`run` closes after its coroutine."""
    made = target.client()
    _OPENED.append(made)
    return made


def run(factory: Callable[[RedisTarget], Awaitable[T]], server: RedisServer) -> T:
    """Run one coroutine on a fresh loop against the server, then close its clients."""

    async def body() -> T:
        try:
            return await factory(RedisTarget(server.url))
        finally:
            while _OPENED:
                await _OPENED.pop().aclose()

    return asyncio.run(body())


async def collect(items: AsyncIterator[tuple[int, str]]) -> list[tuple[int, str]]:
    """Everything an async iterator yields."""
    return [item async for item in items]


def test_event_ids_are_dense_and_readable_from_any_client(redis_server: RedisServer) -> None:
    """Two workers' logs append to one stream: ids 1, 2, 3 and a reader on either sees all."""

    async def body(target: RedisTarget) -> None:
        a = RedisEventLog(client(target), target, block=0.2)
        b = RedisEventLog(client(target), target, block=0.2)
        assert not await b.exists("m1")
        assert await a.append("m1", '{"n": 1}') == 1
        assert await b.append("m1", '{"n": 2}') == 2
        assert await a.append("m1", '{"n": 3}') == 3
        await a.finish("m1")
        assert await b.exists("m1")
        assert await collect(b.read("m1")) == [(1, '{"n": 1}'), (2, '{"n": 2}'), (3, '{"n": 3}')]
        assert await collect(a.read("m1", after=2)) == [(3, '{"n": 3}')]
        assert await collect(a.read("m1", after=3)) == []

    run(body, redis_server)


def test_a_reader_waits_for_events_until_the_end(redis_server: RedisServer) -> None:
    """A tailing reader gets events appended later and stops at finish."""

    async def body(target: RedisTarget) -> None:
        log = RedisEventLog(client(target), target, block=0.1)
        await log.append("m", "first")
        reader = asyncio.create_task(collect(log.read("m", after=0)))
        await asyncio.sleep(0.3)
        assert not reader.done()
        await log.append("m", "second")
        await asyncio.sleep(0.2)
        assert not reader.done()
        await log.finish("m")
        assert await asyncio.wait_for(reader, 5) == [(1, "first"), (2, "second")]

    run(body, redis_server)


def test_streams_are_bounded_and_expire(redis_server: RedisServer) -> None:
    """MAXLEN trims a long stream; a finished stream carries its retention as a TTL."""

    async def body(target: RedisTarget) -> None:
        redis = client(target)
        log = RedisEventLog(redis, target, max_events=100, retention=60, running_ttl=3600)
        for n in range(1000):
            await log.append("big", str(n))
        assert await redis.xlen("skillrt:ev:big") < 300
        assert 3000 < await redis.ttl("skillrt:ev:big") <= 3600
        await log.finish("big")
        assert 0 < await redis.ttl("skillrt:ev:big") <= 60
        # The newest events are the ones kept.
        events = await collect(log.read("big", after=990))
        assert [n for n, _ in events] == list(range(991, 1001))

    run(body, redis_server)


def test_lease_is_one_owner_at_a_time(redis_server: RedisServer) -> None:
    """Only the owner renews or releases; after the ttl another owner may take it."""

    async def body(target: RedisTarget) -> None:
        lease = AsyncLease(client(target), target, ttl=0.5)
        assert await lease.acquire("k", "a")
        assert not await lease.acquire("k", "b")
        with pytest.raises(LeaseLost):
            await lease.renew("k", "b")
        assert not await lease.release("k", "b")
        await lease.renew("k", "a")
        assert await lease.holder("k") == "a"
        await asyncio.sleep(0.7)
        assert await lease.holder("k") is None
        with pytest.raises(LeaseLost):
            await lease.renew("k", "a")
        assert await lease.acquire("k", "b")
        assert not await lease.release("k", "a")
        assert await lease.release("k", "b")

    run(body, redis_server)


def test_held_lease_outlives_its_ttl_while_renewed(redis_server: RedisServer) -> None:
    """A held lease survives several ttls; released after the block, free at once."""

    async def body(target: RedisTarget) -> None:
        lease = AsyncLease(client(target), target, ttl=0.3)
        assert await lease.acquire("job", "a")
        async with lease.held("job", "a") as lost:
            await asyncio.sleep(1.0)
            assert not lost.is_set()
            assert await lease.holder("job") == "a"
        assert await lease.holder("job") is None

    run(body, redis_server)


def test_conversation_lock_refuses_a_second_message_across_workers(
    redis_server: RedisServer,
) -> None:
    """Worker B cannot start a message while A's runs; it can once A releases."""

    async def body(target: RedisTarget) -> None:
        a = RedisConversationLocks(client(target), target, ttl=0.3)
        b = RedisConversationLocks(client(target), target, ttl=0.3)
        assert await a.acquire("c1", "msg-a")
        await asyncio.sleep(1.0)  # well past the ttl: renewed in the background
        assert not await b.acquire("c1", "msg-b")
        assert await b.acquire("c2", "msg-c")  # other conversations are free
        await b.release("c1", "msg-b")  # not the holder: changes nothing
        assert await a.holder("c1") == "msg-a"
        await a.release("c1", "msg-a")
        assert await b.acquire("c1", "msg-b")
        await b.release("c1", "msg-b")
        await b.release("c2", "msg-c")

    run(body, redis_server)


def test_a_dead_workers_conversation_lock_lapses(redis_server: RedisServer) -> None:
    """A lock whose renewals stopped (worker gone) frees the conversation after the ttl."""

    async def body(target: RedisTarget) -> None:
        lease = AsyncLease(client(target), target, ttl=0.3)
        # A worker that took the lock and died: nobody renews it.
        assert await lease.acquire("skillrt:conv:c1", "msg-dead")
        b = RedisConversationLocks(client(target), target, ttl=0.3)
        assert not await b.acquire("c1", "msg-b")
        await asyncio.sleep(0.5)
        assert await b.acquire("c1", "msg-b")
        await b.release("c1", "msg-b")

    run(body, redis_server)


def test_render_watch_takeover_by_exactly_one_worker(redis_server: RedisServer) -> None:
    """A dead worker's render is taken over by one of the live ones, with its info."""

    async def body(target: RedisTarget) -> None:
        dead = RenderWatch(client(target), target, ttl=0.3)
        assert await dead.register("job-1", {"conversation": "c1", "message": "m1"}, "w-dead")
        live = [RenderWatch(client(target), target, ttl=0.3) for _ in range(3)]
        assert await live[0].orphans() == []  # the lease still runs
        await asyncio.sleep(0.5)
        assert await live[0].orphans() == ["job-1"]
        taken = await asyncio.gather(*(w.scan(f"w-{n}") for n, w in enumerate(live)))
        assert sorted(len(t) for t in taken) == [0, 0, 1]
        winner = next(n for n, t in enumerate(taken) if t)
        watch = live[winner]
        assert await watch.info("job-1") == {"conversation": "c1", "message": "m1"}
        async with watch.polling("job-1", f"w-{winner}") as lost:
            await asyncio.sleep(0.8)
            assert not lost.is_set()
            assert await live[0].orphans() == []
        await watch.done("job-1")
        assert await watch.watched() == []
        assert await watch.info("job-1") is None

    run(body, redis_server)


def test_polling_notices_a_lost_lease(redis_server: RedisServer) -> None:
    """A worker whose lease was taken by another is told to stop polling."""

    async def body(target: RedisTarget) -> None:
        redis = client(target)
        watch = RenderWatch(redis, target, ttl=0.3)
        assert await watch.register("job-2", {"m": "1"}, "w-a")
        async with watch.polling("job-2", "w-a") as lost:
            await redis.set("skillrt:watchlease:job-2", "w-b")  # someone else's now
            await asyncio.wait_for(lost.wait(), 2)
        assert await redis.get("skillrt:watchlease:job-2") == "w-b"

    run(body, redis_server)


def test_redis_down_is_a_clear_store_error_and_recovers(
    durable_redis_server: RedisServer,
) -> None:
    """While Redis is down calls raise RedisUnavailable naming host:port; then they work."""

    async def down(target: RedisTarget) -> None:
        log = RedisEventLog(client(target), target)
        await log.append("m", "before")
        durable_redis_server.stop()
        with pytest.raises(RedisUnavailable) as caught:
            await log.append("m", "while down")
        assert isinstance(caught.value, StoreError)
        assert f"127.0.0.1:{durable_redis_server.port}/0" in str(caught.value)
        assert "not answering" in str(caught.value)
        durable_redis_server.start()
        assert await log.append("m", "after") == 2  # nothing half-written in between
        await log.finish("m")
        assert await collect(log.read("m")) == [(1, "before"), (2, "after")]

    run(down, durable_redis_server)


def test_target_never_shows_the_password() -> None:
    """A URL's password appears in no repr and no message."""
    target = RedisTarget("redis://user:s3cret@10.0.0.1:6380/2")
    assert target.where == "10.0.0.1:6380/2"
    assert "s3cret" not in repr(target)
    with pytest.raises(StoreError) as caught:
        RedisTarget("http://user:s3cret@host/")
    assert "s3cret" not in str(caught.value)
