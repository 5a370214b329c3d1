"""What only the Redis stores do: clear errors when Redis is down, surviving a restart,
namespaces, the token lock's lease, and the lease primitive (real redis-server)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from redis_helpers import RedisServer

from skillrt.errors import StoreError
from skillrt.runtime import JobRecord, SessionRecord, StoredToken
from skillrt.scale import (
    Lease,
    LeaseLost,
    RedisConnection,
    RedisCredentialStore,
    RedisJobStore,
    RedisSessionStore,
    RedisStoreError,
)


def _job(job_id: str, created: float) -> JobRecord:
    return JobRecord(job_id, "s1", "caption-ab", "http://a.test", created=created)


def test_redis_down_is_a_clear_store_error_without_the_password(
    redis_server: RedisServer,
) -> None:
    """Nothing listening: every store call raises RedisStoreError (a StoreError) saying
    "Redis at HOST:PORT/DB is not answering", and the URL's password appears nowhere."""
    url = f"redis://:s3cret-pass@127.0.0.1:{redis_server.port}/2"
    connection = RedisConnection.from_url(url)
    assert "s3cret" not in repr(connection)
    redis_server.stop()
    credentials, sessions = RedisCredentialStore(connection), RedisSessionStore(connection)
    jobs = RedisJobStore(connection)
    calls = [
        lambda: credentials.get("http://a.test"),
        lambda: credentials.put("http://a.test", StoredToken("nmv_anon_x")),
        lambda: sessions.get("k", "http://a.test"),
        lambda: jobs.add(_job("render_1", 1.0)),
        lambda: jobs.update("render_1", progress=3),
        jobs.unfinished,
    ]
    for call in calls:
        with pytest.raises(RedisStoreError) as failed:
            call()
        assert isinstance(failed.value, StoreError)
        text = str(failed.value)
        assert text.startswith(f"Redis at 127.0.0.1:{redis_server.port}/2 is not answering: ")
        assert "s3cret" not in text
        assert "redis-server" in (failed.value.hint or "")
    with pytest.raises(RedisStoreError, match="not answering"), credentials.locked("o"):
        pass


def test_a_url_that_is_not_redis_is_refused_clearly() -> None:
    """A URL of another scheme is a StoreError naming it (with the password masked)."""
    with pytest.raises(RedisStoreError, match="Not a Redis URL") as failed:
        RedisConnection.from_url("http://:hunter22@127.0.0.1:6379/0")
    assert "hunter22" not in str(failed.value)


def test_redis_restarted_mid_session_loses_nothing_and_fails_clearly_while_down(
    durable_redis_server: RedisServer,
) -> None:
    """With appendonly, a restart keeps every token, session and job written before;
    while Redis is down calls fail with the clear StoreError; afterwards the same store
    objects work again (no new connection needed), and a write refused while down left
    nothing behind."""
    server = durable_redis_server
    connection = server.connection()
    credentials, sessions = RedisCredentialStore(connection), RedisSessionStore(connection)
    jobs = RedisJobStore(connection)
    token = StoredToken("nmv_anon_before", obtained_at=5.0)
    session = SessionRecord("caption-ab", "http://a.test", "t1", "s1", created=1.0)
    credentials.put("http://a.test", token)
    sessions.put(session)
    jobs.add(_job("render_1", 1.0))
    jobs.update("render_1", progress=50)
    server.stop()
    with pytest.raises(StoreError, match="is not answering"):
        jobs.add(_job("render_2", 2.0))
    with pytest.raises(StoreError, match="is not answering"):
        sessions.get("caption-ab", "http://a.test")
    server.start()
    assert credentials.get("http://a.test") == token
    assert sessions.get("caption-ab", "http://a.test") == session
    assert [j.id for j in jobs.unfinished()] == ["render_1"]
    assert jobs.get("render_1").progress == 50  # type: ignore[union-attr]
    assert jobs.get("render_2") is None
    assert jobs.update("render_1", status="delivered").finished
    assert jobs.unfinished() == []
    server.restart()
    assert jobs.get("render_1").status == "delivered"  # type: ignore[union-attr]


def test_namespaces_and_prefixes_keep_state_apart(redis_server: RedisServer) -> None:
    """Two end users (namespaces) and two deployments (prefixes) never see each other's
    tokens, sessions or jobs."""
    one, other_deployment = redis_server.connection("dep-a"), redis_server.connection("dep-b")
    alice = RedisCredentialStore(one, namespace="alice")
    bob = RedisCredentialStore(one, namespace="bob")
    alice.put("http://a.test", StoredToken("nmv_anon_alice"))
    assert bob.get("http://a.test") is None
    assert RedisCredentialStore(other_deployment, namespace="alice").get("http://a.test") is None
    RedisJobStore(one, namespace="alice").add(_job("render_1", 1.0))
    assert RedisJobStore(one, namespace="bob").recent() == []
    RedisSessionStore(one, namespace="alice").put(SessionRecord("k", "o", "t", "s"))
    assert RedisSessionStore(one, namespace="bob").get("k", "o") is None


def test_damaged_values_read_as_missing(redis_server: RedisServer) -> None:
    """A value that is not the JSON of a record (edited by hand, another version) reads as
    missing rather than breaking the worker."""
    connection = redis_server.connection()
    connection.client.set(connection.key("default", "token", "http://a.test"), b"{broken")
    connection.client.set(connection.key("default", "job", "render_1"), b'{"id": 1}')
    assert RedisCredentialStore(connection).get("http://a.test") is None
    assert RedisJobStore(connection).get("render_1") is None


def test_recorded_job_cannot_be_added_twice(redis_server: RedisServer) -> None:
    """Adding a job id already recorded is a StoreError and keeps the first record."""
    jobs = RedisJobStore(redis_server.connection())
    jobs.add(_job("render_1", 1.0))
    with pytest.raises(StoreError, match="already recorded"):
        jobs.add(_job("render_1", 9.0))
    assert jobs.get("render_1").created == 1.0  # type: ignore[union-attr]
    assert [j.id for j in jobs.recent()] == ["render_1"]


# -- the token lock -----------------------------------------------------------------------


def test_token_lock_is_renewed_while_its_holder_works(redis_server: RedisServer) -> None:
    """A holder inside the lock for several leases keeps it: another worker that waits
    less than that gets the clear "held" StoreError, not the lock."""
    holder = RedisCredentialStore(redis_server.connection(), lease=0.3)
    waiter = RedisCredentialStore(redis_server.connection(), lease=0.3, wait=0.8)
    inside = threading.Event()
    leave = threading.Event()

    def hold() -> None:
        with holder.locked("http://a.test"):
            inside.set()
            leave.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert inside.wait(10)
        with (
            pytest.raises(RedisStoreError, match="held the token lock for http://a"),
            waiter.locked("http://a.test"),
        ):
            pass
    finally:
        leave.set()
        thread.join(10)
    with waiter.locked("http://a.test"):
        pass


def test_token_lock_of_a_dead_holder_frees_itself_when_its_lease_expires(
    redis_server: RedisServer,
) -> None:
    """A lock left by a worker that died (no renewals) is taken once its lease expires."""
    connection = redis_server.connection()
    key = connection.key("default", "token-lock", "http://a.test")
    connection.client.set(key, b"dead-worker", px=400)
    store = RedisCredentialStore(connection, wait=10)
    started = time.monotonic()
    with store.locked("http://a.test"):
        waited = time.monotonic() - started
    assert waited >= 0.2
    assert connection.client.get(key) is None


# -- leases -------------------------------------------------------------------------------


def test_lease_is_held_by_one_owner_renewed_and_released_only_by_it(
    redis_server: RedisServer,
) -> None:
    """One owner at a time; renew extends only the owner's lease; release frees it."""
    connection = redis_server.connection()
    mine = Lease(connection, "job:render_1", ttl=5, owner="worker-a")
    theirs = Lease(connection, "job:render_1", ttl=5, owner="worker-b")
    assert mine.acquire()
    assert not theirs.acquire()
    assert theirs.holder() == "worker-a"
    mine.renew()
    with pytest.raises(LeaseLost):
        theirs.renew()
    with pytest.raises(LeaseLost):
        theirs.release()
    assert mine.holder() == "worker-a"
    mine.release()
    assert mine.holder() is None
    assert theirs.acquire()


def test_an_expired_lease_taken_over_is_lost_to_its_first_owner(
    redis_server: RedisServer,
) -> None:
    """When a lease lapses and another owner takes it, the first can neither renew nor
    release it (LeaseLost, a StoreError), and the new owner's lease is untouched."""
    connection = redis_server.connection()
    first = Lease(connection, "job:render_2", ttl=0.2)
    second = Lease(connection, "job:render_2", ttl=5)
    assert first.acquire()
    time.sleep(0.4)
    assert second.acquire()
    with pytest.raises(LeaseLost, match="no longer ours") as lost:
        first.renew()
    assert isinstance(lost.value, StoreError)
    with pytest.raises(LeaseLost):
        first.release()
    assert second.holder() == second.owner
    ttl = connection.client.pttl(second.key)
    assert 4000 < ttl <= 5000


def test_scale_uses_the_runtime_public_api_only() -> None:
    """skillrt.scale imports nothing private of the runtime (or of other packages), and
    every runtime name it imports is in ``skillrt.runtime.__all__``."""
    import ast

    import skillrt.runtime

    folder = Path(__file__).resolve().parents[1] / "scale"
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                parts = node.module.split(".")
                if parts[0] == "skillrt" and parts[1:2] != ["scale"]:
                    assert not any(p.startswith("_") for p in parts), (path.name, node.module)
                if node.module == "skillrt.runtime":
                    for alias in node.names:
                        assert alias.name in skillrt.runtime.__all__, (path.name, alias.name)


def test_a_token_lock_lost_while_held_lets_another_worker_in_and_ends_quietly(
    redis_server: RedisServer,
) -> None:
    """If the lock's key vanishes while held (its lease ran out, or Redis lost it), another
    worker gets the lock at once; the first leaves without an error (its fetched token
    stands; the last token stored wins)."""
    connection = redis_server.connection()
    first = RedisCredentialStore(connection, lease=5)
    second = RedisCredentialStore(redis_server.connection(), lease=5, wait=0.5)
    with first.locked("http://a.test"):
        connection.client.delete(connection.key("default", "token-lock", "http://a.test"))
        with second.locked("http://a.test"):
            second.put("http://a.test", StoredToken("nmv_anon_second"))
        first.put("http://a.test", StoredToken("nmv_anon_first"))
    assert first.get("http://a.test").token == "nmv_anon_first"  # type: ignore[union-attr]


def test_a_wrong_password_is_a_refusal_that_never_shows_the_password(tmp_path: Path) -> None:
    """A server with a password: the wrong one (or none) is "refused the request", not
    "not answering", and no password appears in the error; the right one works."""
    server = RedisServer(tmp_path / "redis", password="right-pass-123")
    server.start()
    try:
        for url in (
            f"redis://:wrong-pass-456@127.0.0.1:{server.port}/0",
            f"redis://127.0.0.1:{server.port}/0",
        ):
            with pytest.raises(RedisStoreError, match="refused the request") as failed:
                RedisCredentialStore(RedisConnection.from_url(url)).get("http://a.test")
            assert "pass-" not in str(failed.value)
        good = RedisConnection.from_url(f"redis://:right-pass-123@127.0.0.1:{server.port}/0")
        assert RedisCredentialStore(good).get("http://a.test") is None
    finally:
        server.stop()


_FETCH_IN_CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from skillrt.runtime import Authenticator, BackendConfig
    from skillrt.scale import RedisConnection, RedisCredentialStore
    url, home, log = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    config = BackendConfig(api_url="http://api.test", data_dir=home,
                           client_id_path=home / "client_id")
    def fetch(client_id):
        with log.open("a") as handle:
            handle.write(client_id + "\\n")
        time.sleep(0.5)
        return {"token": "nmv_anon_" + str(time.time_ns())}
    store = RedisCredentialStore(RedisConnection.from_url(url), namespace="user-1", lease=0.3)
    print(Authenticator(config, store).token(fetch))
    """
)


def test_two_worker_processes_fetch_one_token_through_redis(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    """Two processes needing a first token through the Redis store: one fetches it (slower
    than the lock's lease, so the lease is renewed), the other waits and reuses it."""
    log = tmp_path / "fetches.log"
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _FETCH_IN_CHILD, redis_server.url, str(tmp_path), str(log)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    tokens = []
    for child in children:
        out, _ = child.communicate(timeout=60)
        assert child.returncode == 0
        tokens.append(out.strip())
    assert len(log.read_text().splitlines()) == 1
    assert tokens[0] == tokens[1]
    assert tokens[0].startswith("nmv_anon_")
