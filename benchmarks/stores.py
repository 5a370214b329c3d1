"""Per-operation cost of the Redis stores against the SQLite/file stores, in one run.

Starts its own redis-server (``--save '' --appendonly no``, and again with
``--appendonly yes --appendfsync everysec``, Redis's usual durable setting) on a free
127.0.0.1 port and a temporary folder; the SQLite stores use another temporary folder.
Each operation runs ``calls`` times per round, interleaved over the stores so drift hits
all alike; the best round's cost per call is kept, and each Redis figure is printed as a
ratio to the SQLite one (below 1: Redis is cheaper). Reported, not gated. "jobs unfinished"
lists every job still open, and "job add" keeps adding some, so that list grows over the run
(the same for every store).
Run: ``.venv/bin/python benchmarks/stores.py [calls]`` (needs ``skillrt[redis]`` and
``redis-server``: ``apt-get install redis-server``).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from skillrt.runtime import (
    CredentialStore,
    FileCredentialStore,
    JobRecord,
    JobStore,
    SessionRecord,
    SessionStore,
    SqliteJobStore,
    SqliteSessionStore,
    StoredToken,
)
from skillrt.scale import RedisConnection, RedisCredentialStore, RedisJobStore, RedisSessionStore

ORIGIN = "http://api.test"


@dataclass
class Stores:
    name: str
    credentials: CredentialStore
    sessions: SessionStore
    jobs: JobStore


@contextmanager
def redis_server(folder: Path, *, appendonly: bool) -> Iterator[str]:
    """A redis-server on a free port; yields its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("benchmarks/stores.py needs redis-server (apt-get install redis-server)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
            "--save", "", "--appendonly", "yes" if appendonly else "no",
            "--appendfsync", "everysec", "--logfile", str(folder / "redis.log")]  # fmt: skip
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        connection = RedisConnection.from_url(url)
        deadline = time.monotonic() + 20
        while True:
            try:
                connection.ping()
                break
            except Exception:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.05)
        connection.close()
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def operations(stores: Stores, counter: list[int]) -> dict[str, Callable[[], object]]:
    """One callable per store operation (jobs get fresh ids from ``counter``)."""
    token = StoredToken("nmv_anon_benchmark")
    session = SessionRecord("caption-ab", ORIGIN, "task", "session")

    def token_fetch_path() -> None:
        with stores.credentials.locked(ORIGIN):
            stores.credentials.get(ORIGIN)

    def job_add() -> None:
        counter[0] += 1
        stores.jobs.add(JobRecord(f"render_{stores.name}_{counter[0]}", "s", "k", ORIGIN))

    def job_update() -> None:
        stores.jobs.update("render_fixed", progress=counter[0] % 100)

    return {
        "token get": lambda: stores.credentials.get(ORIGIN),
        "token put": lambda: stores.credentials.put(ORIGIN, token),
        "token lock + get": token_fetch_path,
        "session put": lambda: stores.sessions.put(session),
        "session get": lambda: stores.sessions.get("caption-ab", ORIGIN),
        "job add": job_add,
        "job update": job_update,
        "job get": lambda: stores.jobs.get("render_fixed"),
        "jobs unfinished": stores.jobs.unfinished,
    }


def best_per_call(work: Callable[[], object], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        work()
    return (time.perf_counter() - start) / calls


def main(calls: int = 200, rounds: int = 5) -> dict[str, dict[str, float]]:
    """Print and return ``{operation: {store: ratio to SQLite}}``."""
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        for name in ("sqlite", "redis", "redis-aof"):
            (root / name).mkdir()
        with redis_server(root / "redis", appendonly=False) as plain, \
                redis_server(root / "redis-aof", appendonly=True) as durable:  # fmt: skip
            all_stores = [Stores("sqlite", FileCredentialStore.in_dir(root / "sqlite"),
                                 SqliteSessionStore.in_dir(root / "sqlite"),
                                 SqliteJobStore.in_dir(root / "sqlite"))]  # fmt: skip
            for name, url in (("redis", plain), ("redis-aof", durable)):
                connection = RedisConnection.from_url(url, prefix="bench")
                all_stores.append(Stores(name, RedisCredentialStore(connection),
                                         RedisSessionStore(connection),
                                         RedisJobStore(connection)))  # fmt: skip
            counter = [0]
            for stores in all_stores:
                stores.jobs.add(JobRecord("render_fixed", "s", "k", ORIGIN))
                for index in range(20):  # a few unfinished jobs to list
                    stores.jobs.add(JobRecord(f"render_open_{index}", "s", "k", ORIGIN))
            table = {stores.name: operations(stores, counter) for stores in all_stores}
            best: dict[str, dict[str, float]] = {}
            for operation in table["sqlite"]:
                for stores in all_stores:  # warm-up
                    best_per_call(table[stores.name][operation], 10)
                for _ in range(rounds):
                    for stores in all_stores:
                        cost = best_per_call(table[stores.name][operation], calls)
                        slot = best.setdefault(operation, {})
                        slot[stores.name] = min(slot.get(stores.name, float("inf")), cost)
    ratios: dict[str, dict[str, float]] = {}
    print(f"stores: best of {rounds} rounds of {calls} calls; µs per call, ratio to SQLite")
    print(f"{'operation':<18}{'sqlite':>10}{'redis':>10}{'ratio':>8}{'redis-aof':>11}{'ratio':>8}")
    for operation, costs in best.items():
        base = costs["sqlite"]
        ratios[operation] = {name: cost / base for name, cost in costs.items() if name != "sqlite"}
        print(f"{operation:<18}{base * 1e6:>10.0f}{costs['redis'] * 1e6:>10.0f}"
              f"{ratios[operation]['redis']:>7.2f}x{costs['redis-aof'] * 1e6:>11.0f}"
              f"{ratios[operation]['redis-aof']:>7.2f}x")  # fmt: skip
    return ratios


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
