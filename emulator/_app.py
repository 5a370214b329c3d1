"""The API origin as a FastAPI app."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from skillrt.emulator import _admin, _api_account, _api_chat, _api_render
from skillrt.emulator._cdn import cdn_router
from skillrt.emulator._chat import quiet_dropped_streams
from skillrt.emulator._core import Emulator
from skillrt.emulator._deps import CHAOS_KEY
from skillrt.emulator._http import Rejected, rejected_response
from skillrt.emulator._settings import EmulatorSettings

__all__ = ["create_app"]


def create_app(
    settings: EmulatorSettings | None = None, *, emulator: Emulator | None = None
) -> FastAPI:
    """The API origin. Pass ``emulator`` to share state with a CDN app; else one is made.

    The caller owns the emulator's lifetime: ``app.state.emulator.close()`` stops its
    render workers and removes a temporary data folder.
    """
    core = emulator or Emulator(settings)
    quiet_dropped_streams()
    app = FastAPI(
        title="skillrt NemoVideo emulator",
        description="A local NemoVideo-compatible backend (see docs/emulator.md).",
        docs_url="/__emulator__/docs",
        redoc_url=None,
        openapi_url="/__emulator__/openapi.json",
    )
    app.state.emulator = core

    @app.exception_handler(Rejected)
    async def _rejected(_request: Request, error: Rejected) -> Response:
        return rejected_response(error, core.settings)

    app.add_middleware(_HttpFaults, emulator=core)
    app.include_router(_api_account.router)
    app.include_router(_api_chat.router)
    app.include_router(_api_render.router)
    app.include_router(_admin.router)
    app.include_router(cdn_router(core), prefix="/cdn")
    return app


class _HttpFaults:
    """Answers API requests with the injected HTTP status (never admin or CDN paths).

    A plain ASGI middleware: Starlette's ``BaseHTTPMiddleware`` would buffer and wrap the
    SSE streams this app sends.
    """

    def __init__(self, app: ASGIApp, emulator: Emulator) -> None:
        self._app = app
        self._emulator = emulator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] == "http" and not path.startswith((_admin.ADMIN_PREFIX, "/cdn/")):
            status = self._emulator.take_http_fault(path)
            drawn = self._emulator.draw_chaos(str(scope.get("method", "")), path)
            if drawn is not None:
                # A stream or render fault is for the endpoint to play (see chaos_of).
                scope.setdefault("state", {})[CHAOS_KEY] = drawn.switches
                status = drawn.http_status or status
            if status is not None:
                headers = {"Retry-After": "30"} if status == 429 else None
                body = {"code": status, "message": "fault injected by the emulator"}
                response = JSONResponse(body, status_code=status, headers=headers)
                await response(scope, receive, send)
                return
        await self._app(scope, receive, send)
