"""``skillrt route``: show where messages would go, one at a time or as JSON lines."""

from __future__ import annotations

import json
import sys
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

import typer

from skillrt import runtime
from skillrt.cli._output import emit_json, emit_jsonl, fail, stdout
from skillrt.errors import InputError, SkillrtError
from skillrt.router import DEFAULT_MEDIA_TYPES, KeywordTable, Route, compile_keywords, route

__all__ = ["route_command"]


def route_command(
    text: list[str] = typer.Argument(None, help="The message (words are joined by spaces)."),
    skill: str | None = typer.Option(
        None, "--skill", "-s", help="Add this skill's manifest keywords and upload types."
    ),
    attach: list[Path] = typer.Option(
        [], "--attach", "-a", help="An attached file (only its name is used; repeatable)."
    ),
    json_output: bool = typer.Option(False, "--json", help="Print the whole route as JSON."),
    jsonl: bool = typer.Option(
        False,
        "--jsonl",
        help='Read {"text": ..., "attachments": [...]} lines on stdin, write one result each.',
    ),
    path: list[Path] = typer.Option([], "--path", "-p", help="Also look for skills here."),
) -> None:
    """Route a message to export, credits, state, upload or chat, without sending anything."""
    try:
        table, media_types = _settings(skill, path)
    except SkillrtError as exc:
        fail(exc)
    if jsonl:
        _route_lines(sys.stdin, table, media_types)
        return
    message = " ".join(text or [])
    try:
        result = route(message, [str(p) for p in attach], table, media_types=media_types)
    except InputError as exc:
        fail(exc)
    if json_output:
        emit_json(result.as_dict())
    else:
        _print(result)


def _settings(skill: str | None, paths: list[Path]) -> tuple[KeywordTable, Collection[str]]:
    if skill is None:
        return compile_keywords(), DEFAULT_MEDIA_TYPES
    chosen = runtime.find_skill(skill, paths)
    settings = chosen.manifest.runtime
    return compile_keywords(settings.keywords.table()), frozenset(settings.upload.types)


def _route_lines(lines: Iterable[str], table: KeywordTable, media_types: Collection[str]) -> None:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        emit_jsonl(_route_line(number, line, table, media_types))


def _route_line(
    number: int, line: str, table: KeywordTable, media_types: Collection[str]
) -> dict[str, Any]:
    try:
        case = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"line": number, "error": f"not JSON: {exc.msg}"}
    if not isinstance(case, dict):
        return {"line": number, "error": "expected a JSON object"}
    text, attachments = case.get("text", ""), case.get("attachments", [])
    if not isinstance(text, str):
        return {"line": number, "error": "'text' must be a string"}
    if not isinstance(attachments, list) or not all(isinstance(a, str) for a in attachments):
        return {"line": number, "error": "'attachments' must be a list of strings"}
    try:
        result = route(text, attachments, table, media_types=media_types)
    except InputError as exc:
        return {"line": number, "error": str(exc)}
    return {
        "action": result.action,
        "plan": list(result.plan),
        "confidence": result.confidence,
        "segments": list(result.segments),
        "urls": list(result.urls),
    }


def _print(result: Route) -> None:
    console = stdout()
    console.print(f"action: {result.action}  (confidence {result.confidence:.2f})", markup=False)
    for number, (action, segment) in enumerate(
        zip(result.plan, result.segments, strict=True), start=1
    ):
        console.print(f"  {number}. {action:<8} {segment}", markup=False)
    if result.urls:
        console.print("urls: " + " ".join(result.urls), markup=False)
    if result.matched:
        console.print("matched: " + "; ".join(result.matched), markup=False)
