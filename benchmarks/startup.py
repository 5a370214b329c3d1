"""Start-up time of the ``skillrt`` command against ``python -c "import httpx"``.

Agent hosts start ``skillrt send …`` once per message and MCP clients start the command
with a time-out, so every run pays for start-up. Each round starts, in a fresh process
each: the baseline, ``skillrt --version``, ``skillrt route export --json`` and ``skillrt
skills list --json`` (interleaved, so load on the machine hits all alike). The median of
each over the rounds is printed as a ratio to the baseline's median.
Targets: ≤ 1.5×, ≤ 3×, ≤ 3×. Run: ``.venv/bin/python benchmarks/startup.py [rounds]``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_BIN = Path(sys.executable).parent
_SKILLRT = str(_BIN / "skillrt")

#: label → (argv, target ratio; None for the baseline)
CASES: dict[str, tuple[list[str], float | None]] = {
    'python -c "import httpx"': ([sys.executable, "-c", "import httpx"], None),
    "skillrt --version": ([_SKILLRT, "--version"], 1.5),
    "skillrt route export --json": ([_SKILLRT, "route", "export", "--json"], 3.0),
    "skillrt skills list --json": ([_SKILLRT, "skills", "list", "--json"], 3.0),
}


def _run(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(rounds: int = 15) -> dict[str, float]:
    """Print and return each command's ratio to the baseline (medians of ``rounds``)."""
    with tempfile.TemporaryDirectory(prefix="skillrt-startup-") as home:
        # Own state and log folders: the numbers do not depend on the user's skills or logs.
        env = {**os.environ, "SKILLRT_HOME": home, "XDG_DATA_HOME": home,
               "XDG_STATE_HOME": home}  # fmt: skip
        env.pop("SKILLRT_LOG_LEVEL", None)
        times: dict[str, list[float]] = {label: [] for label in CASES}
        for argv, _ in CASES.values():  # warm the file cache and the bytecode
            _run(argv, env)
        for _ in range(rounds):
            for label, (argv, _) in CASES.items():
                times[label].append(_run(argv, env))
    medians = {label: statistics.median(values) for label, values in times.items()}
    base_label = next(iter(CASES))
    base = medians[base_label]
    print(f"startup: median of {rounds} cold runs each")
    print(f"  {base_label:<30} {base * 1000:7.1f} ms  (baseline)")
    ratios: dict[str, float] = {}
    for label, (_, target) in CASES.items():
        if target is None:
            continue
        ratios[label] = medians[label] / base
        verdict = "ok" if ratios[label] <= target else "OVER"
        print(f"  {label:<30} {medians[label] * 1000:7.1f} ms  {ratios[label]:5.2f}x  "
              f"(target <= {target:g}x: {verdict})")  # fmt: skip
    return ratios


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
