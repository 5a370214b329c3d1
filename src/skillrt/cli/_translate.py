"""``skillrt translate``: turn backend replies into chat text and runtime actions."""

from __future__ import annotations

import json
import sys
from typing import TextIO

import typer

from skillrt.cli._output import emit_json, emit_jsonl, stderr, stdout
from skillrt.translators import translate

__all__ = ["translate_command"]


def translate_command(
    text: list[str] = typer.Argument(None, help="The backend's reply (words are joined)."),
    json_output: bool = typer.Option(False, "--json", help="Print one JSON object."),
    jsonl: bool = typer.Option(
        False, "--jsonl", help='Read {"text": …} lines on stdin, write one JSON line each.'
    ),
    language: str | None = typer.Option(
        None, "--language", "-l", help="en or zh for the rewritten sentences (default: detect)."
    ),
) -> None:
    """Rewrite GUI directions ("click Export", "点击导出") and list the actions they ask for."""
    if jsonl:
        # A line of bad bytes is one bad line, not a crash of the whole stream.
        if hasattr(sys.stdin, "reconfigure"):
            sys.stdin.reconfigure(errors="replace")
        _stream(sys.stdin, language)
        return
    if not text:
        stderr().print("error: give the text to translate, or use --jsonl", markup=False)
        raise typer.Exit(2)
    result = translate(" ".join(text), language)
    if json_output:
        emit_json(result.to_dict())
        return
    console = stdout()
    console.print(result.text, markup=False)
    for action in result.actions:
        extra = f": {action.message}" if action.message else ""
        console.print(f"→ {action.type}{extra}", markup=False)


def _stream(lines: TextIO, language: str | None) -> None:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        emit_jsonl(_one(line, number, language))


def _one(line: str, number: int, language: str | None) -> dict[str, object]:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"error": f"line {number}: not JSON ({exc.msg})", "line": number}
    except RecursionError:
        return {"error": f"line {number}: JSON nested too deeply", "line": number}
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        return {"error": f'line {number}: expected {{"text": "…"}}', "line": number}
    wanted = item.get("language", language)
    result = translate(item["text"], wanted if isinstance(wanted, str) else language)
    return result.to_dict()
