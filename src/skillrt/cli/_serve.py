"""``skillrt serve``: the skills over HTTP (own API, OpenAI-compatible API; docs/serve.md)."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from skillrt.cli._backend import backend_option, open_backend
from skillrt.cli._output import fail, stderr
from skillrt.errors import InputError, SkillrtError
from skillrt.runtime import Intervals, skillrt_home

__all__ = ["serve_command"]


def serve_command(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8080, "--port", help="Port to listen on."),
    backend: str = backend_option(),
    api_keys_file: Path | None = typer.Option(
        None, "--api-keys-file", help="A file of API keys, one per line (also SKILLRT_API_KEYS)."
    ),
    data_dir: Path | None = typer.Option(
        None, "--data-dir", help="Where the service keeps its state (default: SKILLRT_HOME/serve)."
    ),
    store: str | None = typer.Option(
        None,
        "--store",
        envvar="SKILLRT_STORE",
        help="Where the service's state lives: redis://HOST:PORT/DB for many workers "
        "(also SKILLRT_STORE; default: SQLite files under --data-dir).",
    ),
    max_runs: int = typer.Option(16, "--max-runs", help="Messages running at once.", min=1),
    time_scale: float = typer.Option(
        1.0, "--time-scale", hidden=True, help="Multiply the runtime's waits by this; for tests."
    ),
) -> None:
    """Serve the skills over HTTP: /v1/conversations (SSE), /v1/chat/completions, files."""
    if not 0 < time_scale <= 1:
        raise typer.BadParameter("give a factor in (0, 1]", param_hint="--time-scale")
    try:
        # Imported here: the service needs the optional ``serve`` extra.
        from skillrt.serve import ApiKeys, EngineOptions, ServeSettings, check_bind, run_server
    except ImportError:
        fail(
            InputError(
                "the HTTP service is not installed",
                hint="install it with: pip install 'skillrt[serve]'",
            )
        )
    try:
        keys = ApiKeys.load(os.environ, api_keys_file)
        intervals = Intervals().scaled(time_scale) if time_scale != 1.0 else None
        folder = data_dir if data_dir is not None else skillrt_home() / "serve"
        with open_backend(backend) as target:
            settings = ServeSettings(
                config=target.config, data_dir=folder, keys=keys, store=store,
                engine=EngineOptions(max_runs=max_runs, intervals=intervals),
                webhook_secret=os.environ.get("SKILLRT_WEBHOOK_SECRET", "").strip() or None,
            )  # fmt: skip
            check_bind(settings, host)
            console = stderr()
            run_server(settings, host, port, say=lambda line: console.print(line, markup=False))
    except SkillrtError as exc:
        fail(exc)
