"""The router against labelled messages: accuracy, per-action precision/recall, confusion.

Every ``tests/data/router_cases*.jsonl`` file is evaluated the same way (a held-out set
dropped next to ours is picked up), as is the file named by ``SKILLRT_ROUTER_CASES``.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from skillrt.router import ROUTE_ACTIONS, route

DATA = Path(__file__).resolve().parent / "data"
THRESHOLD = 0.98
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]{2,}")


def _case_files() -> list[Path]:
    files = sorted(DATA.glob("router_cases*.jsonl"))
    extra = os.environ.get("SKILLRT_ROUTER_CASES")
    if extra:
        files.append(Path(extra))
    return files


def _load(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _report(cases: list[dict[str, Any]]) -> tuple[float, float, str, list[str]]:
    confusion: Counter[tuple[str, str]] = Counter()
    plans_right = 0
    misses: list[str] = []
    for case in cases:
        result = route(case["text"], case.get("attachments", []))
        want_plan = case.get("plan", [case["action"]])
        confusion[(case["action"], result.action)] += 1
        if list(result.plan) == want_plan:
            plans_right += 1
        else:
            misses.append(f"{case['text']!r}: want {want_plan}, got {list(result.plan)}")
    total = len(cases)
    action_accuracy = sum(n for (want, got), n in confusion.items() if want == got) / total
    plan_accuracy = plans_right / total
    lines = [
        f"{total} cases: action accuracy {action_accuracy:.1%}, plan accuracy {plan_accuracy:.1%}",
        f"{'action':<8} {'precision':>9} {'recall':>7} {'support':>7}",
    ]
    for action in ROUTE_ACTIONS:
        predicted = sum(n for (_, got), n in confusion.items() if got == action)
        actual = sum(n for (want, _), n in confusion.items() if want == action)
        hits = confusion[(action, action)]
        precision = hits / predicted if predicted else 1.0
        recall = hits / actual if actual else 1.0
        lines.append(f"{action:<8} {precision:9.1%} {recall:7.1%} {actual:7d}")
    lines.append("confusion (rows: labelled, columns: routed)")
    lines.append(" " * 8 + "".join(f"{a:>8}" for a in ROUTE_ACTIONS))
    for want in ROUTE_ACTIONS:
        lines.append(
            f"{want:<8}" + "".join(f"{confusion[(want, got)]:8d}" for got in ROUTE_ACTIONS)
        )
    return action_accuracy, plan_accuracy, "\n".join(lines), misses


@pytest.mark.parametrize("path", _case_files(), ids=lambda p: p.name)
def test_labelled_cases_route_correctly(path: Path) -> None:
    """At least 98% of labelled messages get the right action and the right whole plan."""
    action_accuracy, plan_accuracy, table, misses = _report(_load(path))
    print(f"\n{path.name}\n{table}")
    for miss in misses:
        print("  miss:", miss)
    assert action_accuracy >= THRESHOLD, table
    assert plan_accuracy >= THRESHOLD, table + "\n" + "\n".join(misses)


def test_labelled_set_covers_what_it_must() -> None:
    """Our set has 300+ cases: every action in English, Chinese and mixed, plus compounds."""
    cases = _load(DATA / "router_cases.jsonl")
    assert len(cases) >= 300
    seen: set[tuple[str, str]] = set()
    for case in cases:
        assert case["plan"][0] == case["action"], case
        assert set(case["plan"]) <= set(ROUTE_ACTIONS), case
        han, latin = bool(_HAN.search(case["text"])), bool(_LATIN.search(case["text"]))
        script = "mixed" if han and latin else "zh" if han else "en" if latin else "other"
        seen.add((case["action"], script))
    for action in ROUTE_ACTIONS:
        for script in ("en", "zh", "mixed"):
            assert (action, script) in seen, (action, script)
    assert sum(len(c["plan"]) > 1 for c in cases) >= 30
    assert sum(bool(c["attachments"]) for c in cases) >= 10
    assert sum("://" in c["text"] for c in cases) >= 8
