"""One suite for every store implementation: memory, files + SQLite, and Redis.

Each test body runs over each implementation through :class:`Stores`, which opens the
three stores and, with ``again()``, a second handle on the same state — what another
process or worker would open. Redis runs on a real redis-server (skipped with a hint when
it is not installed).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from skillrt.emulator.testing import run_emulator
from skillrt.errors import StoreError
from skillrt.runtime import (
    BackendClient,
    BackendConfig,
    CredentialStore,
    FileCredentialStore,
    Intervals,
    JobRecord,
    JobStore,
    MemoryCredentialStore,
    MemoryJobStore,
    MemorySessionStore,
    SessionRecord,
    SessionStore,
    SqliteJobStore,
    SqliteSessionStore,
    StoredToken,
    bundled_skills_dir,
    load_skill,
)

KINDS = ("memory", "sqlite", "redis")


@dataclass
class Stores:
    """The three stores of one implementation, and a way to open them again."""

    kind: str
    credentials: CredentialStore
    sessions: SessionStore
    jobs: JobStore
    again: Callable[[], Stores]


def _memory() -> Stores:
    credentials, sessions, jobs = MemoryCredentialStore(), MemorySessionStore(), MemoryJobStore()
    shared = Stores("memory", credentials, sessions, jobs, lambda: shared)
    return shared


def _sqlite(folder: Path) -> Stores:
    return Stores(
        "sqlite",
        FileCredentialStore.in_dir(folder),
        SqliteSessionStore.in_dir(folder),
        SqliteJobStore.in_dir(folder),
        lambda: _sqlite(folder),
    )


def _redis(url: str) -> Stores:
    from skillrt.scale import (
        RedisConnection,
        RedisCredentialStore,
        RedisJobStore,
        RedisSessionStore,
    )

    connection = RedisConnection.from_url(url, prefix="contract")
    return Stores(
        "redis",
        RedisCredentialStore(connection, namespace="user-1"),
        RedisSessionStore(connection, namespace="user-1"),
        RedisJobStore(connection, namespace="user-1"),
        lambda: _redis(url),
    )


@pytest.fixture(params=KINDS)
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stores]:
    """Each implementation in turn, on fresh state."""
    if request.param == "memory":
        yield _memory()
    elif request.param == "sqlite":
        yield _sqlite(tmp_path / "state")
    else:
        server = request.getfixturevalue("redis_server")
        yield _redis(server.url)


# -- credentials --------------------------------------------------------------------------


def test_tokens_are_kept_per_origin(stores: Stores) -> None:
    """A token is stored per origin, read back equal (by another handle too), and deleted."""
    token = StoredToken("nmv_usr_aaaaaa", anonymous=False, obtained_at=1.5, user_id="u1")
    stores.credentials.put("http://a.test", token)
    stores.credentials.put("http://b.test", StoredToken("nmv_usr_bbbbbb"))
    other = stores.again().credentials
    assert other.get("http://a.test") == token
    assert other.get("http://c.test") is None
    stores.credentials.delete("http://a.test")
    assert other.get("http://a.test") is None
    assert other.get("http://b.test").token == "nmv_usr_bbbbbb"  # type: ignore[union-attr]
    stores.credentials.delete("http://never.test")  # forgetting nothing is no error


def test_token_lock_holds_off_another_holder(stores: Stores) -> None:
    """While one holder is inside ``locked(origin)``, another handle waits until it leaves."""
    order: list[str] = []
    inside = threading.Event()

    def first() -> None:
        with stores.credentials.locked("http://a.test"):
            order.append("first in")
            inside.set()
            time.sleep(0.3)
            order.append("first out")

    def second() -> None:
        inside.wait(10)
        with stores.again().credentials.locked("http://a.test"):
            order.append("second in")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert order == ["first in", "first out", "second in"]


def test_two_workers_fetching_a_first_token_ask_the_backend_once(
    stores: Stores, tmp_path: Path
) -> None:
    """Two workers (threads, each with its own client and store handle) needing a first token
    for the same origin at once: the emulator issues one token and both use it."""
    skill = load_skill(bundled_skills_dir() / "caption-ab")
    barrier = threading.Barrier(2)
    tokens: list[str] = []
    with run_emulator() as emu, httpx.Client() as http:
        config = BackendConfig(
            api_url=emu.base_url,
            client_id_path=tmp_path / "nemovideo" / "client_id",
            data_dir=tmp_path / "home",
            intervals=Intervals().scaled(0.001),
        )

        def worker() -> None:
            store = stores.again().credentials
            client = BackendClient(http, skill=skill, config=config, credentials=store)
            barrier.wait(10)
            client.credits()
            found = store.get(config.origin)
            assert found is not None
            tokens.append(found.token)

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        stats = httpx.get(f"{emu.base_url}/__emulator__/stats").json()
    assert stats["tokens_issued"] == 1
    assert len(tokens) == 2
    assert tokens[0] == tokens[1]


# -- sessions -----------------------------------------------------------------------------


def test_sessions_are_kept_per_skill_and_origin(stores: Stores) -> None:
    """One current session per (skill, origin): replaced by a put, forgotten by a delete."""
    record = SessionRecord("caption-ab", "http://a.test", "t1", "s1", "zh", created=1.0)
    stores.sessions.put(record)
    other = stores.again().sessions
    assert other.get("caption-ab", "http://a.test") == record
    assert other.get("caption-ab", "http://b.test") is None
    assert other.get("other-skill", "http://a.test") is None
    newer = SessionRecord("caption-ab", "http://a.test", "t2", "s2", "en", created=2.0, used=3.0)
    stores.sessions.put(newer)
    assert other.get("caption-ab", "http://a.test") == newer
    stores.sessions.delete("caption-ab", "http://a.test")
    assert other.get("caption-ab", "http://a.test") is None


# -- render jobs --------------------------------------------------------------------------


def test_jobs_are_listed_newest_first_and_unfinished_oldest_first(stores: Stores) -> None:
    """Jobs are listed newest first (bounded by ``limit``), unfinished oldest first, and a
    finished job leaves the unfinished list; another handle sees the same."""
    jobs = stores.jobs
    jobs.add(JobRecord("render_1", "s1", "caption-ab", "http://a.test", created=1.0))
    jobs.add(JobRecord("render_2", "s1", "caption-ab", "http://a.test", created=2.0))
    jobs.add(JobRecord("render_3", "s1", "caption-ab", "http://a.test", created=3.0))
    done = jobs.update("render_1", status="delivered", progress=100, path="/tmp/a.mp4")
    assert (done.status, done.progress, done.path, done.finished) == (
        "delivered",
        100,
        "/tmp/a.mp4",
        True,
    )
    other = stores.again().jobs
    assert [j.id for j in other.recent()] == ["render_3", "render_2", "render_1"]
    assert [j.id for j in other.recent(limit=2)] == ["render_3", "render_2"]
    assert [j.id for j in other.unfinished()] == ["render_2", "render_3"]
    assert other.get("render_1") == done
    assert other.get("render_9") is None
    jobs.update("render_3", status="failed", error="boom")
    assert [j.id for j in other.unfinished()] == ["render_2"]


def test_update_sets_updated_and_missing_jobs_fail_clearly(stores: Stores) -> None:
    """An update stamps ``updated``; updating a job never recorded is a StoreError."""
    stores.jobs.add(JobRecord("render_1", "s1", "k", "o", created=1.0, updated=1.0))
    before = time.time()
    changed = stores.jobs.update("render_1", progress=40, output_url="https://cdn.test/x.mp4")
    assert changed.updated >= before
    assert changed.created == 1.0
    assert stores.again().jobs.get("render_1") == changed
    with pytest.raises(StoreError, match="render_404"):
        stores.jobs.update("render_404", progress=1)


def test_concurrent_updates_of_different_fields_both_land(stores: Stores) -> None:
    """Two workers updating different fields of one job at once: neither change is lost
    (each update reads and writes the job atomically)."""
    stores.jobs.add(JobRecord("render_1", "s1", "k", "o", created=1.0))
    rounds = 40

    def progress() -> None:
        jobs = stores.again().jobs
        for value in range(1, rounds + 1):
            jobs.update("render_1", progress=value)

    def paths() -> None:
        jobs = stores.again().jobs
        for value in range(1, rounds + 1):
            jobs.update("render_1", path=f"/tmp/{value}.mp4")

    threads = [threading.Thread(target=progress), threading.Thread(target=paths)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    job = stores.jobs.get("render_1")
    assert job is not None
    assert (job.progress, job.path) == (rounds, f"/tmp/{rounds}.mp4")
