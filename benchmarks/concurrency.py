"""Many conversations in one process: ``AsyncSkillRuntime`` with N at once on one loop.

For each N (default 50, 200, 500) a fresh child process (so memory is measured cleanly)
opens N conversations on one ``AsyncSkillRuntime`` against one emulator (its own process,
so its memory and CPU are not the client's) and runs short scripted turns on all of them
at once: a greeting (which creates the session), then ``hello again``. Reported per N:

- errors: every turn must end with a successful ``DoneEvent`` (target: 0 errors);
- peak RSS growth over the idle runtime, per conversation (target <= 0.5 MB);
- the event latency skillrt adds: for the second turn, time from ``send`` to the reply's
  text event and to ``DoneEvent``, against a raw ``httpx.AsyncClient`` POST of the same
  message to the same ``/run_sse`` endpoint of the same sessions, N at once, timed to its
  first text frame and to the end of the stream. Ratios of the medians (skillrt / raw).
- whether the emulator is the bottleneck: raw time-to-text at N over raw at N = 1 (near
  1x: the emulator keeps up; the ratio above then measures skillrt). When it does not,
  skillrt's own cost shows in its CPU per turn in this process, against the raw stream's
  (a turn also reads the session state, so it asks more of a loaded emulator).

Run: ``.venv/bin/python benchmarks/concurrency.py [N ...]``.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from _emulator_process import emulator_process

from skillrt.runtime import (
    AsyncConversation,
    AsyncSkillRuntime,
    BackendConfig,
    ConversationOptions,
    DoneEvent,
    FileCredentialStore,
    TextEvent,
)

SKILL = "free-generation-maker"
#: what the emulator takes to answer a greeting (seconds): short, so skillrt's share shows
REPLY_SECONDS = 0.2
RSS_TARGET_MB = 0.5


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


async def _sample_rss(peak: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], _rss_mb())
        try:
            await asyncio.wait_for(stop.wait(), timeout=0.02)
        except asyncio.TimeoutError:
            continue


async def _turn(conversation: AsyncConversation, text: str) -> tuple[bool, float, float]:
    """(ok, seconds to the reply text, seconds to the DoneEvent) of one message."""
    start = time.perf_counter()
    first_text = 0.0
    ok = False
    async for event in conversation.send(text):
        if isinstance(event, TextEvent) and event.kind == "reply" and not first_text:
            first_text = time.perf_counter() - start
        if isinstance(event, DoneEvent):
            ok = event.ok
    return ok, first_text, time.perf_counter() - start


async def _raw_turn(
    http: httpx.AsyncClient, api_url: str, token: str, app: str, session_id: str
) -> tuple[float, float]:
    """(seconds to the first text frame, seconds to the end) of a bare httpx SSE POST."""
    payload = {"app_name": app, "user_id": "me", "session_id": session_id,
               "new_message": {"role": "user", "parts": [{"text": "hello again"}]}}  # fmt: skip
    headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
    start = time.perf_counter()
    first_text = 0.0
    async with http.stream("POST", f"{api_url}/run_sse", json=payload, headers=headers) as r:
        async for line in r.aiter_lines():
            if not first_text and line.startswith("data:") and '"text"' in line:
                first_text = time.perf_counter() - start
    return first_text, time.perf_counter() - start


async def _child(n: int, api_url: str) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=n)
    with tempfile.TemporaryDirectory() as home:
        config = BackendConfig(
            api_url=api_url, data_dir=Path(home), client_id_path=Path(home) / "client_id"
        )
        options = ConversationOptions(output_dir=Path(home) / "out", gui_export=False)
        async with (
            httpx.AsyncClient(limits=limits, timeout=120) as http,
            AsyncSkillRuntime(http, config=config, env={}, options=options) as runtime,
        ):
            warm = runtime.conversation(SKILL)  # imports, token, first connection
            await _turn(warm, "hello")
            await _turn(warm, "hello again")
            idle = _rss_mb()
            peak = [idle]
            stop = asyncio.Event()
            sampler = asyncio.create_task(_sample_rss(peak, stop))
            conversations = [runtime.conversation(SKILL) for _ in range(n)]
            first = await asyncio.gather(*(_turn(c, "hello") for c in conversations))
            cpu = time.process_time()
            second = await asyncio.gather(*(_turn(c, "hello again") for c in conversations))
            cpu_skillrt = time.process_time() - cpu
            stop.set()
            await sampler
            token = FileCredentialStore.in_dir(Path(home)).get(config.origin)
            assert token is not None
            app = runtime.skill(SKILL).manifest.runtime.app
            sessions = [c.session_id or "" for c in conversations]
            cpu = time.process_time()
            raw = await asyncio.gather(
                *(_raw_turn(http, api_url, token.token, app, s) for s in sessions)
            )
            cpu_raw = time.process_time() - cpu
            raw_one = [await _raw_turn(http, api_url, token.token, app, sessions[0])]
    errors = sum(not ok for ok, _, _ in (*first, *second))
    return {
        "n": n,
        "errors": errors,
        "rss_per_conversation_mb": (peak[0] - idle) / n,
        "text_s": statistics.median(t for _, t, _ in second),
        "done_s": statistics.median(d for _, _, d in second),
        "raw_text_s": statistics.median(t for t, _ in raw),
        "raw_done_s": statistics.median(d for _, d in raw),
        "raw_text_one_s": raw_one[0][0],
        "cpu_ms": cpu_skillrt / n * 1000,
        "cpu_raw_ms": cpu_raw / n * 1000,
    }


def _run_child(n: int, api_url: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(n), api_url],
        capture_output=True, text=True, check=False, timeout=1800,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"N={n} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(counts: list[int]) -> bool:
    """Print the table; whether every N met the targets."""
    ok = True
    with emulator_process(reply_seconds=REPLY_SECONDS, silent_edit_ratio=0.0) as (api_url, _):
        print(f"{'N':>5} {'errors':>6} {'MB/conv':>8} {'text x raw':>11} {'done x raw':>11}"
              f" {'skillrt text':>13} {'raw text':>9} {'emulator':>9}"
              f" {'CPU/turn':>9} {'x raw':>6}")  # fmt: skip
        for n in counts:
            r = _run_child(n, api_url)
            text_ratio = r["text_s"] / r["raw_text_s"]
            done_ratio = r["done_s"] / r["raw_done_s"]
            emulator = r["raw_text_s"] / r["raw_text_one_s"]
            print(f"{n:>5} {r['errors']:>6} {r['rss_per_conversation_mb']:>8.3f}"
                  f" {text_ratio:>10.2f}x {done_ratio:>10.2f}x {r['text_s'] * 1000:>10.0f} ms"
                  f" {r['raw_text_s'] * 1000:>6.0f} ms {emulator:>8.2f}x"
                  f" {r['cpu_ms']:>6.1f} ms {r['cpu_ms'] / r['cpu_raw_ms']:>5.1f}x",
                  flush=True)  # fmt: skip
            ok = ok and r["errors"] == 0 and r["rss_per_conversation_mb"] <= RSS_TARGET_MB
    print("text/done x raw: medians of the second turn, skillrt over a bare httpx stream of "
          "the same endpoint; emulator: raw time-to-text at N over at 1 (near 1x: not the "
          "bottleneck); CPU/turn: this process's CPU per second turn (x raw: over the bare "
          f"stream's). Targets: 0 errors, <= {RSS_TARGET_MB} MB per conversation.")  # fmt: skip
    return ok


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(asyncio.run(_child(int(sys.argv[2]), sys.argv[3]))))
    else:
        sys.exit(0 if main([int(a) for a in sys.argv[1:]] or [50, 200, 500]) else 1)
