"""A 400 MB upload through BackendClient against ``curl -F`` to the same emulator.

Prints the client's peak memory growth during the upload (target <= 64 MB: the file is
streamed from disk) and its throughput relative to curl's (target >= 0.7x), both measured
in one run. The emulator runs in a child process so only the client's memory is counted.
Run: ``.venv/bin/python benchmarks/upload.py [megabytes]``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import threading
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


def _rss_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * 4096


class PeakMemory:
    """Samples this process's resident memory every few milliseconds."""

    def __init__(self) -> None:
        self.start = _rss_bytes()
        self.peak = self.start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, _rss_bytes())

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def growth(self) -> int:
        """Peak minus the resident size at the start."""
        return self.peak - self.start


def _make_file(folder: Path, megabytes: int) -> Path:
    path = folder / "big.mp4"
    block = bytes(range(256)) * 4096  # 1 MiB, not all zeros
    with path.open("wb") as handle:
        for _ in range(megabytes):
            handle.write(block)
    return path


def main(megabytes: int = 400, rounds: int = 4) -> None:
    """Print memory growth and the throughput ratio."""
    skill = load_skill(bundled_skills_dir() / "caption-ab")
    with tempfile.TemporaryDirectory() as tmp, emulator_process() as (api_url, _), \
            httpx.Client() as http:  # fmt: skip
        folder = Path(tmp)
        path = _make_file(folder, megabytes)
        token = str(http.post(f"{api_url}/__emulator__/tokens").json()["token"])
        store = MemoryCredentialStore()
        config = BackendConfig(api_url=api_url, data_dir=folder,
                               client_id_path=folder / "client_id")  # fmt: skip
        store.put(config.origin, StoredToken(token))
        client = BackendClient(http, skill=skill, config=config, credentials=store)
        session = client.create_session("en")
        url = f"{api_url}/api/upload-video/nemo_agent/me/{session.session_id}"

        curl_command = [
            "curl", "-sS", "-o", "/dev/null", "--fail", "-H", f"Authorization: Bearer {token}",
            "-H", "X-Skill-Source: caption-ab", "-H", f"X-Skill-Version: {skill.version}",
            "-H", "X-Skill-Platform: unknown", "-F", f"files=@{path};type=video/mp4", url,
        ]  # fmt: skip
        # Interleaved rounds in alternating order, best of each: the emulator's disk writes
        # vary a lot from run to run (the client itself spends ~0.1 s of CPU on 400 MB).
        curl_s = client_s = float("inf")
        growth = 0
        for index in range(rounds):
            order = ("curl", "client") if index % 2 == 0 else ("client", "curl")
            for who in order:
                if who == "curl":
                    start = time.perf_counter()
                    subprocess.run(curl_command, check=True)
                    curl_s = min(curl_s, time.perf_counter() - start)
                    continue
                with PeakMemory() as memory:
                    start = time.perf_counter()
                    result = client.upload_files(session.session_id, [path])
                    client_s = min(client_s, time.perf_counter() - start)
                growth = max(growth, memory.growth)
                assert result.files, "the upload answered no file"
    size_mb = megabytes * 1.048576
    ratio = curl_s / client_s
    print(f"upload {megabytes} MiB: curl -F {size_mb / curl_s:.0f} MB/s ({curl_s:.2f} s)  "
          f"BackendClient {size_mb / client_s:.0f} MB/s ({client_s:.2f} s)  "
          f"throughput ratio {ratio:.2f}x (target >= 0.7x)  "
          f"peak memory growth {growth / 2**20:.1f} MiB (target <= 64 MiB)")  # fmt: skip


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 400)
