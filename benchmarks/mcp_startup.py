"""`skillrt mcp` start-up: spawn to the answer of ``initialize``, against ``skillrt --version``.

MCP clients give a server a few seconds to answer ``initialize`` (Claude Desktop and
Claude Code about 30 s, some stricter). Both commands start the same Python and import
the CLI; the ratio (server to initialized / CLI to exit, best of N, target <= 3) is
measured in one run and printed with the absolute times. Run:
``.venv/bin/python benchmarks/mcp_startup.py [rounds]``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SKILLRT = str(Path(sys.executable).with_name("skillrt"))
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "bench", "version": "0"},
    },
}


def _env(home: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEMO_", "SKILLRT_"))}
    env.update(HOME=home, SKILLRT_HOME=str(Path(home) / "data"))
    return env


def _version(home: str) -> float:
    start = time.perf_counter()
    subprocess.run([SKILLRT, "--version"], env=_env(home), capture_output=True, check=True)
    return time.perf_counter() - start


def _initialize(home: str) -> float:
    start = time.perf_counter()
    with subprocess.Popen(
        [SKILLRT, "mcp"],
        env=_env(home),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as server:
        assert server.stdin is not None
        assert server.stdout is not None
        server.stdin.write(json.dumps(INITIALIZE) + "\n")
        server.stdin.flush()
        answer = json.loads(server.stdout.readline())
        took = time.perf_counter() - start
        assert answer.get("id") == 1, answer
        server.stdin.close()
        server.wait(timeout=30)
    return took


def main(rounds: int = 5) -> float:
    """Print and return the ratio."""
    with tempfile.TemporaryDirectory() as home:
        _version(home)  # warm the file cache
        _initialize(home)
        cli = min(_version(home) for _ in range(rounds))
        server = min(_initialize(home) for _ in range(rounds))
    ratio = server / cli
    print(f"skillrt --version: {cli * 1000:.0f} ms (best of {rounds})")
    print(f"skillrt mcp to initialized: {server * 1000:.0f} ms (best of {rounds})")
    print(f"ratio server/cli: {ratio:.2f} (target <= 3)")
    return ratio


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
