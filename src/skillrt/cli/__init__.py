"""The ``skillrt`` command.

Commands are imported when they run (or when ``--help`` lists them), not at start-up:
agent hosts start ``skillrt send …`` once per message and MCP clients start the command
with a time-out, so ``skillrt --version`` must not pay for the runtime, the router or the
emulator.
"""

from __future__ import annotations

import importlib
import warnings
from pathlib import Path
from typing import Any, TextIO

import typer
from typer.core import TyperGroup

from skillrt import __version__

__all__ = ["app", "log_file", "main"]

#: name → (module, attribute): a function becomes a command, a Typer app a command group.
_COMMANDS: dict[str, tuple[str, str]] = {
    "skills": ("skillrt.cli._skills", "app"),
    "emulator": ("skillrt.cli._emulator", "app"),
    "credits": ("skillrt.cli._account", "credits_command"),
    "state": ("skillrt.cli._account", "state_command"),
    "export": ("skillrt.cli._account", "export_command"),
    "jobs": ("skillrt.cli._account", "jobs_command"),
    "chat": ("skillrt.cli._chat", "chat_command"),
    "send": ("skillrt.cli._chat", "send_command"),
    "demo": ("skillrt.cli._demo", "demo_command"),
    "translate": ("skillrt.cli._translate", "translate_command"),
    "route": ("skillrt.cli._route", "route_command"),
    "install": ("skillrt.cli._install", "install_command"),
    "uninstall": ("skillrt.cli._install", "uninstall_command"),
    "mcp": ("skillrt.cli._mcp", "app"),
    "serve": ("skillrt.cli._serve", "serve_command"),
}


def log_file() -> Path:
    """Where the command writes its detailed log: ``skillrt.log`` in the user log dir."""
    import platformdirs

    return platformdirs.user_log_path("skillrt", appauthor=False) / "skillrt.log"


class _LazyGroup(TyperGroup):
    """A command group that imports each command's module only when it is asked for."""

    # ``Any``: recent typers vendor click (``typer._click``), older ones use the click package.
    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *_COMMANDS]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in _COMMANDS:
            return super().get_command(ctx, cmd_name)
        module, attribute = _COMMANDS[cmd_name]
        target = getattr(importlib.import_module(module), attribute)
        if isinstance(target, typer.Typer):
            group = typer.main.get_group(target)
            group.name = cmd_name
            return group
        single = typer.Typer()
        single.command(cmd_name)(target)
        return typer.main.get_command(single)


app = typer.Typer(
    name="skillrt",
    cls=_LazyGroup,
    help="Run NemoVideo agent skills: chat, upload, export, and a local emulator.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"skillrt {__version__}")
        raise typer.Exit(0)


_LOG_HELP = (
    "Also show log lines from this level on stderr: DEBUG, INFO, WARNING, ERROR (JSON when "
    "stderr is not a terminal). Without it stderr shows only messages for people; detailed "
    f"logs always go to {log_file()} (rotated at 1 MB)."
)


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        help="Print the version and exit.",
        callback=_show_version,
        is_eager=True,
    ),
    log_level: str | None = typer.Option(
        None, "--log-level", envvar="SKILLRT_LOG_LEVEL", help=_LOG_HELP
    ),
) -> None:
    """Run NemoVideo agent skills: chat, upload, export, and a local emulator."""
    from skillrt import log

    try:
        log.configure(log_level or None, log_file=log_file())
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--log-level") from exc


def _show_manifest_warnings() -> None:
    """Show each ``ManifestDeprecationWarning`` as one ``deprecated: …`` line on stderr.

    Nothing is imported until a warning is shown (start-up stays cheap): by then the
    loader that raised it is loaded.
    """
    previous = warnings.showwarning

    def show(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        from skillrt.runtime import ManifestDeprecationWarning

        if issubclass(category, ManifestDeprecationWarning):
            from skillrt.cli._output import stderr

            stderr().print(f"deprecated: {message}", markup=False)
            return
        previous(message, category, filename, lineno, file, line)

    warnings.showwarning = show


def main() -> None:
    """Entry point of the ``skillrt`` console script."""
    _show_manifest_warnings()
    app()
