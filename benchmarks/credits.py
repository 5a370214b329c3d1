"""A credits call through BackendClient against a bare httpx GET of the same endpoint.

Both use one httpx.Client and the same token against the emulator (in a child process);
the ratio (client time / bare time, target <= 1.3) is measured in one run and printed.
Run: ``.venv/bin/python benchmarks/credits.py [calls]``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import httpx

from skillrt.runtime import (
    BackendClient,
    BackendConfig,
    MemoryCredentialStore,
    StoredToken,
    bundled_skills_dir,
    load_skill,
)

sys.path.insert(0, str(Path(__file__).parent))
from _emulator_process import emulator_process


def _best_of(rounds: int, calls: int, work: object) -> float:
    assert callable(work)
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            work()
        best = min(best, time.perf_counter() - start)
    return best


def main(calls: int = 100) -> float:
    """Print and return the ratio."""
    skill = load_skill(bundled_skills_dir() / "caption-ab")
    with emulator_process() as (api_url, _), httpx.Client() as http, \
            tempfile.TemporaryDirectory() as home:  # fmt: skip
        token = str(http.post(f"{api_url}/__emulator__/tokens").json()["token"])
        store = MemoryCredentialStore()
        config = BackendConfig(api_url=api_url, data_dir=Path(home),
                               client_id_path=Path(home) / "client_id")  # fmt: skip
        store.put(config.origin, StoredToken(token))
        client = BackendClient(http, skill=skill, config=config, credentials=store)
        headers = {"Authorization": f"Bearer {token}"}
        url = f"{api_url}/api/credits/balance/simple"

        def bare() -> None:
            http.get(url, headers=headers).json()

        for _ in range(50):  # warm both paths and the connection
            bare()
            client.credits()
        # Interleaved rounds, best of each, so drift in the emulator affects both alike.
        bare_s = client_s = float("inf")
        for _ in range(5):
            bare_s = min(bare_s, _best_of(1, calls, bare))
            client_s = min(client_s, _best_of(1, calls, client.credits))
    ratio = client_s / bare_s
    print(f"credits: {calls} calls  bare httpx GET {bare_s * 1000 / calls:.2f} ms/call  "
          f"BackendClient.credits {client_s * 1000 / calls:.2f} ms/call  "
          f"ratio {ratio:.2f}x (target <= 1.3x)")  # fmt: skip
    return ratio


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
