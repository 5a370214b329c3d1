"""`skillrt route`: one message, --json, --jsonl from stdin, and --skill keywords."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from skillrt.cli import app

runner = CliRunner()

BUNDLED = Path(__file__).resolve().parents[1] / "skills" / "caption-ab" / "SKILL.md"


def _skill_dir(tmp_path: Path) -> Path:
    """A copy of a bundled skill renamed ship-demo, with extra export keywords."""
    text = BUNDLED.read_text(encoding="utf-8").replace("name: caption-ab", "name: ship-demo", 1)
    head, keywords, rest = text.partition("    keywords:\n")
    assert keywords, "the bundled manifest has a keywords block"
    extra = '      export:\n        en: ["ship it"]\n        zh: ["出成品"]\n'
    folder = tmp_path / "skills" / "ship-demo"
    folder.mkdir(parents=True)
    (folder / "SKILL.md").write_text(head + keywords + extra + rest, encoding="utf-8")
    return tmp_path / "skills"


def test_route_prints_the_plan() -> None:
    """A message is routed and its plan printed with each step's text."""
    result = runner.invoke(app, ["route", "add", "BGM", "and", "then", "export"])
    assert result.exit_code == 0, result.output
    assert "action: chat" in result.stdout
    assert "1. chat     add BGM" in result.stdout
    assert "2. export   export" in result.stdout


def test_route_json() -> None:
    """--json prints the whole route as one JSON document."""
    result = runner.invoke(app, ["route", "--json", "帮我check一下credits"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["action"] == "credits"
    assert data["plan"] == ["credits"]
    assert data["segments"] == ["帮我check一下credits"]


def test_route_attach_makes_upload_first() -> None:
    """--attach adds a file, so the plan starts with upload."""
    result = runner.invoke(app, ["route", "--json", "--attach", "clip.mp4", "add captions"])
    assert json.loads(result.stdout)["plan"] == ["upload", "chat"]


def test_route_empty_message_is_an_input_error() -> None:
    """No text and no file exits 1 with the reason on stderr."""
    result = runner.invoke(app, ["route", "   "])
    assert result.exit_code == 1
    assert "empty" in result.stderr
    assert result.stdout == ""


def test_route_jsonl_answers_every_line() -> None:
    """--jsonl answers each input line in order; a bad line gets an error object, not a crash."""
    lines = [
        json.dumps({"text": "export"}),
        "not json",
        json.dumps({"text": "上传", "attachments": ["a.mp4"]}),
        json.dumps({"text": ""}),
        json.dumps([1, 2]),
        json.dumps({"text": 5}),
        "",
        json.dumps({"text": "先别导出", "attachments": []}),
    ]
    result = runner.invoke(app, ["route", "--jsonl"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 7
    assert out[0]["action"] == "export"
    assert out[0]["plan"] == ["export"]
    assert 0 < out[0]["confidence"] <= 1
    assert out[1] == {"line": 2, "error": out[1]["error"]}
    assert out[2]["plan"] == ["upload"]
    assert "empty" in out[3]["error"]
    assert out[4]["line"] == 5
    assert "text" in out[5]["error"]
    assert out[6]["action"] == "chat"


def test_route_skill_adds_manifest_keywords(tmp_path: Path) -> None:
    """--skill NAME routes with that skill's extra keywords."""
    skills = _skill_dir(tmp_path)
    plain = runner.invoke(app, ["route", "--json", "ship it"])
    assert json.loads(plain.stdout)["action"] == "chat"
    result = runner.invoke(
        app, ["route", "--json", "--skill", "ship-demo", "-p", str(skills), "ship it"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["action"] == "export"
    lines = json.dumps({"text": "帮我出成品"}) + "\n"
    result = runner.invoke(
        app, ["route", "--jsonl", "--skill", "ship-demo", "-p", str(skills)], input=lines
    )
    assert json.loads(result.stdout)["action"] == "export"


def test_route_unknown_skill_fails_cleanly() -> None:
    """An unknown --skill exits 1 and names the skills it knows."""
    result = runner.invoke(app, ["route", "--skill", "nope", "export"])
    assert result.exit_code == 1
    assert "no skill named 'nope'" in result.stderr
    assert "caption-ab" in result.stderr
