"""Where the CLI writes: data on stdout, messages on stderr, colour only for a terminal."""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from skillrt.errors import SkillrtError
from skillrt.log import redact_text

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["emit_json", "emit_jsonl", "fail", "stderr", "stdout"]


def _console(*, stderr: bool) -> Console:
    from rich.console import Console  # imported when something is printed, not at start-up

    stream = sys.stderr if stderr else sys.stdout
    colour = stream.isatty() and "NO_COLOR" not in os.environ
    return Console(
        file=stream,
        no_color=not colour,
        color_system="auto" if colour else None,
        highlight=False,
        soft_wrap=True,
    )


def stdout() -> Console:
    """A console on stdout (data)."""
    return _console(stderr=False)


def stderr() -> Console:
    """A console on stderr (messages, progress)."""
    return _console(stderr=True)


def emit_json(data: Any) -> None:
    """Write one JSON document to stdout."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


def emit_jsonl(data: Any) -> None:
    """Write one JSON object as one line to stdout."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def fail(error: SkillrtError) -> NoReturn:
    """Report ``error`` on stderr as one readable message and exit with its code."""
    stderr().print(f"error: {redact_text(str(error))}", markup=False)
    raise typer.Exit(error.exit_code)
