"""`skillrt translate`: text, --json and --jsonl modes over the real console script."""

from __future__ import annotations

import json
import subprocess
import sys


def _run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "skillrt", "translate", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=60,
    )


def test_text_mode_prints_the_rewritten_text_and_the_actions() -> None:
    """Words are joined into one reply; the text and one arrow line per action are printed."""
    result = _run("Drag", "the", "BGM", "track", "so", "it", "starts", "at", "0:05.")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "I'll move the BGM track so it starts at 0:05.",
        "→ edit: Move the BGM track so it starts at 0:05",
    ]


def test_json_mode_prints_text_and_actions() -> None:
    """--json prints {"text", "actions": [{"type", "source"}]}."""
    result = _run("--json", "视频已完成。点击导出按钮下载。")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "text": "视频已完成。我现在就为你导出。",
        "actions": [{"type": "export", "source": "点击导出按钮下载。"}],
    }


def test_jsonl_mode_answers_every_line_and_reports_bad_ones() -> None:
    """--jsonl answers one line per input line; bad lines give an error object, not a crash."""
    lines = [
        json.dumps({"text": "Open the Tracks panel, then click Export."}),
        "not json",
        json.dumps({"words": "no text key"}),
        "",
        json.dumps({"text": "字幕「点击关注」"}, ensure_ascii=False),
    ]
    result = _run("--jsonl", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a.get("error", "")[:6] for a in answers] == ["", "line 2", "line 3", ""]
    assert [action["type"] for action in answers[0]["actions"]] == ["state", "export"]
    assert answers[3] == {"text": "字幕「点击关注」", "actions": []}


def test_no_text_is_a_usage_error() -> None:
    """Without text and without --jsonl the command says what it needs and exits 2."""
    result = _run()
    assert result.returncode == 2
    assert "give the text" in result.stderr
