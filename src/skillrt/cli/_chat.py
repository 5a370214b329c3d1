"""``skillrt chat`` (interactive), ``skillrt send`` (one message) and ``skillrt demo``.

``chat`` never prompts when stdin is not a terminal: it then reads one message per line
from stdin. ``send`` continues the skill's stored project unless ``--new``; with
``--json`` it prints one JSON event per line for scripts and agent hosts.
"""

from __future__ import annotations

import io
import shlex
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from skillrt.cli._backend import backend_option, open_backend
from skillrt.cli._output import fail, stderr
from skillrt.cli._view import EventView
from skillrt.errors import SkillrtError
from skillrt.runtime import SkillRuntime, find_skill, say

__all__ = ["chat_command", "parse_chat_line", "send_command"]

_QUIT = {"/quit", "/exit", "/q", "/退出"}


@contextmanager
def _runtime(skill_name: str, backend: str) -> Iterator[SkillRuntime]:
    skill = find_skill(skill_name)
    with open_backend(backend, skill) as target, SkillRuntime(config=target.config) as runtime:
        yield runtime


def send_command(
    skill: str = typer.Argument(..., help="The skill, e.g. free-generation-maker."),
    text: str = typer.Argument("", help="The message (may be empty when --file is given)."),
    files: list[Path] = typer.Option([], "--file", "-f", help="Attach a file (repeatable)."),
    json_output: bool = typer.Option(False, "--json", help="One JSON event per line on stdout."),
    new: bool = typer.Option(False, "--new", help="Start a new project instead of continuing."),
    backend: str = backend_option(),
) -> None:
    """Send one message to a skill and show what comes back (continues the last project)."""
    view = EventView(json_lines=json_output)
    try:
        with _runtime(skill, backend) as runtime:
            conversation = runtime.conversation(skill, resume=not new)
            view.show(conversation.send(text, [str(f) for f in files]))
    except SkillrtError as exc:
        fail(exc)
    raise typer.Exit(view.exit_code)


def parse_chat_line(line: str) -> tuple[str, list[str]]:
    """``(text, attachments)`` of a chat line: ``/file PATH [text]`` or a pasted file path."""
    stripped = line.strip()
    if stripped.startswith("/file"):
        try:
            words = shlex.split(stripped[len("/file") :])
        except ValueError:
            words = stripped[len("/file") :].split()
        if not words:
            return "", []
        return " ".join(words[1:]), [words[0]]
    candidate = stripped.strip("'\"")
    if candidate and len(candidate) < 4096 and "\n" not in candidate:
        path = Path(candidate).expanduser()
        try:
            if path.is_file():
                return "", [str(path)]
        except OSError:
            pass
    return line.strip(), []


def _lines(interactive: bool) -> Iterator[str]:
    if not interactive:
        if isinstance(sys.stdin, io.TextIOWrapper):
            # Bytes that are not UTF-8 reach the conversation, which refuses that one
            # message with a sentence, instead of ending the whole chat in a traceback.
            sys.stdin.reconfigure(errors="surrogateescape")
        for line in sys.stdin:
            if line.strip():
                yield line.rstrip("\n")
        return
    console = stderr()
    while True:
        try:
            line = console.input("[bold]› [/bold]")
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
        if line.strip():
            yield line


def chat_command(
    skill: str = typer.Argument(..., help="The skill, e.g. free-generation-maker."),
    resume: bool = typer.Option(False, "--resume", help="Continue the last project (timeline)."),
    backend: str = backend_option(),
) -> None:
    """Chat with a skill. Attach files with /file PATH or by pasting a path; /quit ends."""
    interactive = sys.stdin.isatty()
    view = EventView()
    try:
        with _runtime(skill, backend) as runtime:
            conversation = runtime.conversation(skill, resume=resume)
            if interactive:
                _greet(runtime, skill, resumed=conversation.session_id is not None)
            # A render a closed terminal left behind is delivered before anything else.
            view.show(conversation.resume_exports())
            for line in _lines(interactive):
                if line.strip() in _QUIT:
                    break
                text, attachments = parse_chat_line(line)
                view.waiting("…")
                try:
                    view.show(conversation.send(text, attachments))
                except KeyboardInterrupt:
                    # The message is not sent again; the next one continues the project.
                    stderr().print("interrupted", markup=False)
                    if not interactive:
                        raise
    except SkillrtError as exc:
        fail(exc)
    raise typer.Exit(0 if interactive else view.exit_code)


def _greet(runtime: SkillRuntime, name: str, *, resumed: bool) -> None:
    skill = runtime.skill(name)
    settings = skill.manifest.runtime
    console = stderr()
    emoji = skill.manifest.metadata.openclaw.emoji
    console.print(f"{emoji} {skill.manifest.display_name}", markup=False)
    if resumed:
        console.print(say("conv_resumed", "en"), markup=False)
    for line in settings.greeting.en[:1]:
        console.print(line, markup=False)
    for example in settings.try_saying.en[:3]:
        console.print(f"  · {example}", markup=False)
    console.print("/file PATH · /quit", markup=False)
