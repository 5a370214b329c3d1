"""Cost of the translators, as ratios to trivial baselines measured in the same run.

- a typical backend reply through ``translate`` vs one regex substitution pass over it;
- a 20-track summary through ``summarize_timeline`` vs a plain walk over the draft's JSON.

Prints a table and exits 0. Target: p99 under 200 µs per reply.
Run: ``.venv/bin/python benchmarks/translators.py``
"""

from __future__ import annotations

import gc
import re
import statistics
import time
from collections.abc import Callable

from skillrt.translators import describe_changes, summarize_timeline, translate

REPLIES = [
    'Your video "Urban Dreams" is ready: 10 seconds, with Lo-fi background music at 35% and the '
    "title at the top for the first 3 seconds. Preview it in the timeline, open the Tracks panel "
    "to fine-tune anything, and click the Export button when you're happy.",
    "I added Upbeat as background music at 35% volume, across the whole video. Open the Tracks "
    "panel to adjust the volume, or click Export when you're ready.",
    "Got it! I'm generating a 10-second 9:16 video about a coffee brand in 3 scenes. This takes "
    "a little while.",
    "视频「城市之光」已完成：时长10秒，背景音乐 Lo-fi（音量35%），标题在顶部显示前3秒。"
    "可以在时间线中预览，打开轨道面板微调，满意后点击导出按钮。",
    "已在顶部添加标题「夏日促销」，从0秒到3秒。可以在时间线上拖拽它来调整时间。",
]
_BASELINE = re.compile(r"\b(?:click|open|drag)\b|点击|打开|拖拽", re.IGNORECASE)
P99_TARGET_US = 200.0


def _draft(tracks: int) -> dict[str, object]:
    kinds = [(0, "main"), (1, "bgm"), (7, "title"), (7, "caption")]
    return {
        "d": 20000,
        "m": {"aspect": "9:16", "width": 1080, "height": 1920, "activeVariant": "A"},
        "t": [
            {
                "id": f"t{i}",
                "tt": kinds[i % 4][0],
                "role": kinds[i % 4][1],
                "sg": [
                    {
                        "id": f"s{i}-{j}",
                        "start": j * 2000,
                        "d": 2000,
                        "label": f"part {j}",
                        "text": f"line {j}",
                        "music": "Lo-fi",
                        "volume": 0.35,
                    }
                    for j in range(4)
                ],
            }
            for i in range(tracks)
        ],
    }


def _walk(value: object) -> int:
    if isinstance(value, dict):
        return sum(_walk(item) for item in value.values()) + 1
    if isinstance(value, list):
        return sum(_walk(item) for item in value) + 1
    return 1


def _timings(work: Callable[[], object], rounds: int) -> list[float]:
    for _ in range(50):
        work()
    samples = []
    gc.disable()  # as timeit does: a collection pause is not the translator's cost
    try:
        for _ in range(rounds):
            start = time.perf_counter_ns()
            work()
            samples.append((time.perf_counter_ns() - start) / 1000)
    finally:
        gc.enable()
    return sorted(samples)


def _p(samples: list[float], fraction: float) -> float:
    return samples[min(len(samples) - 1, int(len(samples) * fraction))]


def main() -> int:
    """Measure, print the table, return 0."""
    draft, edited = _draft(20), _draft(20)
    edited["d"] = 18000
    rows: list[tuple[str, list[float], list[float]]] = []
    for index, reply in enumerate(REPLIES):
        rows.append(
            (
                f"reply {index + 1} ({len(reply)} chars)",
                _timings(lambda reply=reply: translate(reply), 2000),
                _timings(lambda reply=reply: _BASELINE.sub("", reply), 2000),
            )
        )
    rows.append(
        (
            "summary, 20 tracks",
            _timings(lambda: summarize_timeline(draft), 500),
            _timings(lambda: _walk(draft), 500),
        )
    )
    rows.append(
        (
            "change report, 20 tracks",
            _timings(lambda: describe_changes(draft, edited), 300),
            _timings(lambda: (_walk(draft), _walk(edited)), 300),
        )
    )
    print(f"{'case':<28} {'median µs':>10} {'p99 µs':>9} {'baseline µs':>12} {'ratio':>7}")
    for name, samples, baseline in rows:
        median, base = statistics.median(samples), statistics.median(baseline)
        print(
            f"{name:<28} {median:>10.1f} {_p(samples, 0.99):>9.1f} {base:>12.2f} "
            f"{median / base:>6.0f}x"
        )
    reply_p99 = max(_p(samples, 0.99) for name, samples, _ in rows if name.startswith("reply"))
    verdict = "meets" if reply_p99 < P99_TARGET_US else "MISSES"
    print(f"\nworst reply p99: {reply_p99:.1f} µs — {verdict} the {P99_TARGET_US:.0f} µs target")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
