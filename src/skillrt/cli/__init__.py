"""The ``skillrt`` command."""

from __future__ import annotations

import typer

from skillrt import __version__, log
from skillrt.cli import (
    _account,
    _chat,
    _demo,
    _emulator,
    _install,
    _mcp,
    _route,
    _skills,
    _translate,
)

__all__ = ["app", "main"]

app = typer.Typer(
    name="skillrt",
    help="Run NemoVideo agent skills: chat, upload, export, and a local emulator.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"skillrt {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        help="Print the version and exit.",
        callback=_show_version,
        is_eager=True,
    ),
    log_level: str = typer.Option(
        "WARNING", "--log-level", envvar="SKILLRT_LOG_LEVEL", help="DEBUG, INFO, WARNING, ERROR."
    ),
) -> None:
    """Run NemoVideo agent skills: chat, upload, export, and a local emulator."""
    log.configure(log_level)


app.add_typer(_skills.app, name="skills")
app.add_typer(_emulator.app, name="emulator")
app.command("credits")(_account.credits_command)
app.command("state")(_account.state_command)
app.command("export")(_account.export_command)
app.command("jobs")(_account.jobs_command)
app.command("chat")(_chat.chat_command)
app.command("send")(_chat.send_command)
app.command("demo")(_demo.demo_command)
app.command("translate")(_translate.translate_command)
app.command("route")(_route.route_command)
app.command("install")(_install.install_command)
app.command("uninstall")(_install.uninstall_command)
app.add_typer(_mcp.app, name="mcp")


def main() -> None:
    """Entry point of the ``skillrt`` console script."""
    _skills.show_manifest_warnings()
    app()
