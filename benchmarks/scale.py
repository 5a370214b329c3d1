"""1 vs 2 ``skillrt serve`` workers on one Redis, and Redis against the embedded stores.

Starts a redis-server (free port, temporary folder, appendonly off), an emulator in a child
process (fast test timings; a fresh one per setup), and ``skillrt serve`` workers as
subprocesses on one shared ``--data-dir``. N concurrent users each start a conversation
and send ``turns`` short scripted chat turns (text replies, no render; one untimed turn
first gives each user its backend identity and session; the runtime's waits run at
``--time-scale 0.05``); every turn goes to the next worker in turn (with two workers a
conversation alternates). Three setups run in the same process, one after another, each
on a fresh emulator:

- ``embedded``: 1 worker, SQLite under its data dir (the default);
- ``redis x1``: 1 worker with ``--store redis://…``;
- ``redis x2``: 2 workers on that Redis.

Reported as ratios in the same run (not gated): throughput (turns per second) and p99
latency (POST to the ``done`` event) of 2 workers against 1, and Redis's per-message
overhead against the embedded stores (median turn latency ratio). On a shared 2-core
machine two workers compete with the emulator for the cores; the ratio says how much a
second worker buys there, not on a real deployment.

Run: ``.venv/bin/python benchmarks/scale.py [users] [turns]`` (needs ``skillrt[serve,redis]``
and redis-server).
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from _emulator_process import emulator_process
from stores import redis_server

SKILL = "free-generation-maker"
TURNS = ("hello, what can you do?", "which styles do you know?", "thanks, that helps")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def workers(count: int, backend: str, store: str | None, folder: Path) -> Iterator[list[str]]:
    """``count`` serve workers sharing ``folder``; yields their base URLs."""
    processes: list[subprocess.Popen[bytes]] = []
    urls: list[str] = []
    env = {**os.environ, "SKILLRT_HOME": str(folder / "home")}
    try:
        for _ in range(count):
            port = _free_port()
            command = [
                sys.executable, "-m", "skillrt", "serve", "--port", str(port),
                "--backend", backend, "--data-dir", str(folder / "data"), "--max-runs", "64",
                "--time-scale", "0.05",
            ]  # fmt: skip
            if store is not None:
                command += ["--store", store]
            processes.append(
                subprocess.Popen(
                    command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        for url in urls:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{url}/v1/skills", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit(f"worker {url} did not start")
                time.sleep(0.1)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


async def _turn(
    client: httpx.AsyncClient, url: str, conversation: str, text: str, user: str
) -> float:
    started = time.perf_counter()
    async with client.stream(
        "POST", f"{url}/v1/conversations/{conversation}/messages", json={"text": text},
        headers={"X-Skillrt-User": user},
    ) as response:  # fmt: skip
        if response.status_code != 200:
            raise SystemExit(f"turn refused: {response.status_code} {await response.aread()!r}")
        async for line in response.aiter_lines():
            if line.startswith("data:") and json.loads(line[5:])["type"] == "done":
                break
    return time.perf_counter() - started


async def _conversation(client: httpx.AsyncClient, urls: list[str], user: int) -> str:
    """A user's conversation, after one untimed turn (its backend identity and session)."""
    answer = await client.post(
        f"{urls[user % len(urls)]}/v1/conversations", json={"skill": SKILL, "user": f"u{user}"}
    )
    conversation = str(answer.json()["id"])
    await _turn(client, urls[user % len(urls)], conversation, TURNS[0], f"u{user}")
    return conversation


async def _user(
    client: httpx.AsyncClient, urls: list[str], user: int, conversation: str, turns: int
) -> list[float]:
    latencies = []
    for n in range(turns):
        url = urls[(user + n) % len(urls)]
        text = TURNS[n % len(TURNS)]
        latencies.append(await _turn(client, url, conversation, text, f"u{user}"))
    return latencies


async def _load(urls: list[str], users: int, turns: int) -> tuple[float, list[float]]:
    limits = httpx.Limits(max_connections=users * 2)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        # Warm-up, untimed: each user's token (the emulator rate-limits new identities) and
        # session, so the timed turns measure the message path only.
        conversations = await asyncio.gather(
            *(_conversation(client, urls, u) for u in range(users))
        )
        started = time.perf_counter()
        results = await asyncio.gather(
            *(_user(client, urls, u, conversations[u], turns) for u in range(users))
        )
        elapsed = time.perf_counter() - started
    latencies = [value for result in results for value in result]
    return len(latencies) / elapsed, latencies


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def main() -> None:
    users = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    turns = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    figures: dict[str, tuple[float, list[float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "redis").mkdir()
        with redis_server(root / "redis", appendonly=False) as redis_url:
            setups = (("embedded", 1, None), ("redis x1", 1, redis_url), ("redis x2", 2, redis_url))
            for name, count, store in setups:
                # A fresh emulator per setup: one that served a setup already answers the
                # next one's turns much later (seen as a 1.6 s median for whichever ran
                # second), which would make the order, not the stores, the result.
                folder = root / name.replace(" ", "-")
                with (
                    emulator_process() as (api_url, _cdn),
                    workers(count, api_url, store, folder) as urls,
                ):
                    figures[name] = asyncio.run(_load(urls, users, turns))
    print(f"{users} users x {turns} turns, a fresh emulator per setup")
    for name, (rate, latencies) in figures.items():
        print(
            f"  {name:9} {rate:7.1f} turns/s  median {statistics.median(latencies) * 1000:7.1f} ms"
            f"  p99 {_p99(latencies) * 1000:7.1f} ms"
        )
    one, two, embedded = figures["redis x1"], figures["redis x2"], figures["embedded"]
    print(f"  throughput, 2 workers / 1 worker: {two[0] / one[0]:.2f}")
    print(f"  p99 latency, 2 workers / 1 worker: {_p99(two[1]) / _p99(one[1]):.2f}")
    ratio = statistics.median(one[1]) / statistics.median(embedded[1])
    print(f"  per-message latency, Redis / embedded (1 worker, median): {ratio:.2f}")


if __name__ == "__main__":
    main()
