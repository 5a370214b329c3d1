"""Run the service with uvicorn: :func:`run_server` (what ``skillrt serve`` calls)."""

from __future__ import annotations

from collections.abc import Callable

import uvicorn

from skillrt.errors import InputError
from skillrt.serve._app import create_app
from skillrt.serve._auth import is_loopback
from skillrt.serve._config import ServeSettings
from skillrt.serve._text import text

__all__ = ["check_bind", "run_server"]


def check_bind(settings: ServeSettings, host: str) -> None:
    """Refuse to listen beyond loopback when no API key is configured."""
    if not settings.keys.required and not is_loopback(host):
        raise InputError(text("refuse_open_host", host=host), hint=text("hint_api_keys"))


def run_server(
    settings: ServeSettings, host: str, port: int, *, say: Callable[[str], None] = print
) -> None:
    """Serve until interrupted; ``say`` gets the start-up lines (address, key mode)."""
    check_bind(settings, host)
    app = create_app(settings)
    say(text("listening", url=f"http://{host}:{port}", skills=len(app.state.service.engine.skills)))
    if settings.keys.required:
        say(text("keys_required", count=len(settings.keys.keys)))
    else:
        say(text("loopback_only"))
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
