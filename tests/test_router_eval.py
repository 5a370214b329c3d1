"""The router against labelled messages: every case exactly, per-action precision/recall.

Every ``tests/data/router_cases*.jsonl`` file is evaluated the same way (a held-out set
dropped next to ours is picked up), as is the file named by ``SKILLRT_ROUTER_CASES``.
Each case must get exactly its labelled plan, unless it is listed, with the plan the
router gives and the reason, in ``tests/data/router_known_misses.jsonl``: a listed case must
still give exactly that plan (so a change is noticed either way), and a listed case that
now routes right must be taken off the list.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from skillrt._text import HAN
from skillrt.router import ROUTE_ACTIONS, route

DATA = Path(__file__).resolve().parent / "data"
KNOWN_MISSES = DATA / "router_known_misses.jsonl"
_LATIN_WORD = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]{2,}")


def _case_files() -> list[Path]:
    files = sorted(DATA.glob("router_cases*.jsonl"))
    extra = os.environ.get("SKILLRT_ROUTER_CASES")
    if extra:
        files.append(Path(extra))
    return files


def _load(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _known_misses() -> dict[tuple[str, str], dict[str, Any]]:
    return {(miss["file"], miss["text"]): miss for miss in _load(KNOWN_MISSES)}


def _report(cases: list[dict[str, Any]]) -> tuple[str, list[tuple[dict[str, Any], list[str]]]]:
    confusion: Counter[tuple[str, str]] = Counter()
    wrong: list[tuple[dict[str, Any], list[str]]] = []
    for case in cases:
        result = route(case["text"], case.get("attachments", []))
        confusion[(case["action"], result.action)] += 1
        if list(result.plan) != case.get("plan", [case["action"]]):
            wrong.append((case, list(result.plan)))
    total = len(cases)
    right = total - len(wrong)
    lines = [
        f"{total} cases: plan exact {right}/{total} ({right / total:.1%})",
        f"{'action':<8} {'precision':>9} {'recall':>7} {'support':>7}",
    ]
    for action in ROUTE_ACTIONS:
        predicted = sum(n for (_, got), n in confusion.items() if got == action)
        actual = sum(n for (want, _), n in confusion.items() if want == action)
        hits = confusion[(action, action)]
        precision = hits / predicted if predicted else 1.0
        recall = hits / actual if actual else 1.0
        lines.append(f"{action:<8} {precision:9.1%} {recall:7.1%} {actual:7d}")
    return "\n".join(lines), wrong


@pytest.mark.parametrize("path", _case_files(), ids=lambda p: p.name)
def test_labelled_cases_route_exactly(path: Path) -> None:
    """Every labelled message gets exactly its plan, or exactly the plan its known miss says."""
    known = _known_misses()
    table, wrong = _report(_load(path))
    print(f"\n{path.name}\n{table}")
    unexpected = []
    for case, got in wrong:
        miss = known.get((path.name, case["text"]))
        if miss is None or miss["got"] != got:
            unexpected.append(f"{case['text']!r}: want {case['plan']}, got {got}")
    fixed = [
        text
        for (file, text), _ in known.items()
        if file == path.name and all(case["text"] != text for case, _ in wrong)
    ]
    assert unexpected == [], table + "\n" + "\n".join(unexpected)
    assert fixed == [], f"now routed as labelled: take these off {KNOWN_MISSES.name}"


def test_no_case_gets_an_export_or_upload_it_does_not_ask_for() -> None:
    """On every labelled set, no plan has an export or upload step the label lacks."""
    false_actions = []
    for path in _case_files():
        for case in _load(path):
            plan = route(case["text"], case.get("attachments", [])).plan
            for action in ("export", "upload"):
                if action in plan and action not in case["plan"]:
                    false_actions.append(f"{path.name}: {case['text']!r} -> {list(plan)}")
    assert false_actions == []


def test_known_misses_are_reviewed_entries_of_real_cases() -> None:
    """Each known miss names a labelled case, its label, the plan it gets and a reason."""
    labelled = {
        (path.name, case["text"]): case
        for path in sorted(DATA.glob("router_cases*.jsonl"))
        for case in _load(path)
    }
    for (file, text), miss in _known_misses().items():
        case = labelled.get((file, text))
        assert case is not None, (file, text)
        assert miss["want"] == case["plan"], (file, text)
        assert miss["got"] != miss["want"], (file, text)
        assert len(miss["reason"]) > 40, (file, text)


def test_labelled_set_covers_what_it_must() -> None:
    """Our set has 300+ cases: every action in English, Chinese and mixed, plus compounds."""
    cases = _load(DATA / "router_cases.jsonl")
    assert len(cases) >= 300
    seen: set[tuple[str, str]] = set()
    for case in cases:
        assert case["plan"][0] == case["action"], case
        assert set(case["plan"]) <= set(ROUTE_ACTIONS), case
        han, latin = bool(HAN.search(case["text"])), bool(_LATIN_WORD.search(case["text"]))
        script = "mixed" if han and latin else "zh" if han else "en" if latin else "other"
        seen.add((case["action"], script))
    for action in ROUTE_ACTIONS:
        for script in ("en", "zh", "mixed"):
            assert (action, script) in seen, (action, script)
    assert sum(len(c["plan"]) > 1 for c in cases) >= 30
    assert sum(bool(c["attachments"]) for c in cases) >= 10
    assert sum("://" in c["text"] for c in cases) >= 8


def test_no_chat_step_sends_empty_text() -> None:
    """A chat step always carries the user's text ("https://…/page" and "？？？" alone too)."""
    empty = []
    for path in _case_files():
        for case in _load(path):
            if not case["text"].strip():
                continue
            result = route(case["text"], case.get("attachments", []))
            for action, segment in zip(result.plan, result.segments, strict=True):
                if action == "chat" and not segment.strip():
                    empty.append(f"{path.name}: {case['text']!r}")
    assert empty == []
