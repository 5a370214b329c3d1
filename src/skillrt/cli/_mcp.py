"""``skillrt mcp``: run the MCP server, or add it to a client's config (``mcp install``)."""

from __future__ import annotations

import typer

from skillrt.cli._backend import backend_option, open_backend
from skillrt.cli._install import mcp_install_command
from skillrt.cli._output import fail
from skillrt.errors import InputError, SkillrtError

__all__ = ["app"]

app = typer.Typer(
    help=(
        "The skillrt MCP server (stdio by default). `skillrt mcp install --client …` adds it "
        "to Claude Desktop, Claude Code or Cursor."
    ),
    invoke_without_command=True,
)
app.command("install")(mcp_install_command)


@app.callback()
def serve(
    ctx: typer.Context,
    backend: str = backend_option(),
    transport: str = typer.Option(
        "stdio", "--transport", help="stdio (for a local client) or streamable-http (remote)."
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="streamable-http: address to bind."),
    port: int = typer.Option(8765, "--port", help="streamable-http: port to bind."),
    call_bound: float = typer.Option(
        45.0,
        "--call-bound",
        envvar="SKILLRT_MCP_CALL_BOUND",
        help="Seconds a tool call may wait before it answers 'still running' with a job id.",
    ),
    progress_every: float = typer.Option(
        5.0,
        "--progress-every",
        envvar="SKILLRT_MCP_PROGRESS_EVERY",
        help="Seconds between progress notifications while a call works (at most 10).",
    ),
    time_scale: float = typer.Option(
        1.0,
        "--time-scale",
        envvar="SKILLRT_MCP_TIME_SCALE",
        hidden=True,
        help="Multiply the runtime's waits (render polls, recovery) by this; for tests.",
    ),
) -> None:
    """Serve the skills over MCP: list_skills, send_message, get_credits, export_video, …"""
    if ctx.invoked_subcommand is not None:
        return
    if transport not in ("stdio", "streamable-http"):
        raise typer.BadParameter("use stdio or streamable-http", param_hint="--transport")
    if not 0 < progress_every <= 10:
        raise typer.BadParameter(
            "give a number of seconds in (0, 10]", param_hint="--progress-every"
        )
    if not 0 < time_scale <= 1:
        raise typer.BadParameter("give a factor in (0, 1]", param_hint="--time-scale")
    if call_bound <= 0:
        raise typer.BadParameter("give a positive number of seconds", param_hint="--call-bound")
    try:
        # Imported here: the server needs the optional ``mcp`` extra.
        from skillrt.mcp import ServerOptions, run_server
    except ImportError:
        fail(
            InputError(
                "the MCP server is not installed",
                hint="install it with: pip install 'skillrt[mcp]'",
            )
        )
    options = ServerOptions(
        backend=backend,
        transport="stdio" if transport == "stdio" else "streamable-http",
        host=host,
        port=port,
        call_bound=call_bound,
        progress_every=progress_every,
        time_scale=time_scale,
    )
    try:
        with open_backend(backend) as target:
            # cloud: each skill's own configuration (environment, its apiUrl), as `send` does.
            run_server(options, None if target.kind == "cloud" else target.config)
    except SkillrtError as exc:
        fail(exc)
