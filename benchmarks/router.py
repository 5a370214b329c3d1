"""Per-message routing cost over every labelled set, as a ratio to a trivial baseline.

The baseline runs in the same process on the same messages: NFKC + casefold + one
substring test per default keyword (what a naive router would do). Reports p50 and p99 of
each and their ratio; the target is ≤ 20x the baseline at p50 and at p99. Absolute µs are
printed for reference only: they swing 2x between runs on a shared machine, so the verdict
never depends on them. The messages include Traditional Chinese ones, so the OpenCC
conversion is measured too (its one-off dictionary load happens in the warm-up, as it does
once per process). It reports, it does not assert: exit status 0.
Run: ``.venv/bin/python benchmarks/router.py``.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

from skillrt.router import DEFAULT_KEYWORDS, compile_keywords, route

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
ROUNDS = 30
TARGET_RATIO = 20.0


def _load() -> list[tuple[str, list[str]]]:
    messages = []
    for path in sorted(DATA.glob("router_cases*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            case = json.loads(line)
            if case["text"].strip():
                messages.append((case["text"], case["attachments"]))
    return messages


def _baseline_factory() -> Callable[[str, Sequence[str]], object]:
    words = [w.casefold() for ws in DEFAULT_KEYWORDS.values() for w in ws]

    def baseline(text: str, attachments: Sequence[str]) -> object:
        folded = unicodedata.normalize("NFKC", text).casefold()
        return [word for word in words if word in folded]

    return baseline


def _router(text: str, attachments: Sequence[str]) -> object:
    return route(text, attachments)


def _measure(
    fn: Callable[[str, Sequence[str]], object], messages: list[tuple[str, list[str]]]
) -> list[float]:
    """Per-message cost in µs: the best of ROUNDS runs of each message (noise floor)."""
    clock = time.perf_counter_ns
    best = [float("inf")] * len(messages)
    for _ in range(ROUNDS):
        for index, (text, attachments) in enumerate(messages):
            start = clock()
            fn(text, attachments)
            elapsed = (clock() - start) / 1000
            if elapsed < best[index]:
                best[index] = elapsed
    return best


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    """Measure and print the table."""
    messages = _load()
    compile_keywords()  # compile once, outside the measurement
    for text, attachments in messages:  # warm up caches of both paths
        _router(text, attachments)
    baseline = _measure(_baseline_factory(), messages)
    routed = _measure(_router, messages)
    rows = [
        ("baseline (NFKC+casefold+substring)", baseline),
        ("skillrt.router.route", routed),
    ]
    print(f"router benchmark: {len(messages)} messages, best of {ROUNDS} runs each, µs/message")
    print(f"{'':38} {'mean':>8} {'p50':>8} {'p99':>8} {'max':>8}")
    for name, values in rows:
        print(
            f"{name:38} {statistics.fmean(values):8.1f} {_p(values, 0.5):8.1f} "
            f"{_p(values, 0.99):8.1f} {max(values):8.1f}"
        )
    ratio50 = _p(routed, 0.5) / _p(baseline, 0.5)
    ratio99 = _p(routed, 0.99) / _p(baseline, 0.99)
    print(
        f"ratio to baseline: p50 {ratio50:.1f}x, p99 {ratio99:.1f}x (target <= {TARGET_RATIO:.0f}x)"
    )
    met = ratio50 <= TARGET_RATIO and ratio99 <= TARGET_RATIO
    print("targets met" if met else "targets NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
