"""The CDN origin: uploaded files and finished renders, no bearer token, Range requests."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import FileResponse

from skillrt.emulator._core import Emulator

__all__ = ["cdn_router", "create_cdn_app"]


def _inside(folder: Path, *parts: str) -> Path:
    """``folder/parts`` when it is a file inside ``folder``; 404 otherwise."""
    root = folder.resolve()
    target = root.joinpath(*parts).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        raise HTTPException(status_code=404, detail="Not Found")
    return target


def cdn_router(emulator: Emulator) -> APIRouter:
    """The CDN routes, for the CDN app and the API origin's ``/cdn`` fallback."""
    router = APIRouter()

    @router.api_route("/renders/{name}", methods=["GET", "HEAD"], include_in_schema=False)
    async def render_file(name: str, request: Request) -> FileResponse:
        """A finished render."""
        emulator.stats.cdn_request(authorized="authorization" in request.headers)
        if not name.endswith(".mp4") or name.endswith(".part.mp4"):
            raise HTTPException(status_code=404, detail="Not Found")
        path = _inside(emulator.data_dir / "renders", name)
        if request.method == "GET":
            emulator.stats.download()
        return FileResponse(path, media_type="video/mp4")

    @router.api_route(
        "/uploads/{session_id}/{name}", methods=["GET", "HEAD"], include_in_schema=False
    )
    async def upload_file(session_id: str, name: str, request: Request) -> FileResponse:
        """An uploaded file."""
        emulator.stats.cdn_request(authorized="authorization" in request.headers)
        return FileResponse(_inside(emulator.uploads_dir, session_id, name))

    return router


def create_cdn_app(emulator: Emulator) -> FastAPI:
    """The second origin that serves output URLs (fetch them without the bearer token)."""
    app = FastAPI(title="skillrt emulator CDN", docs_url=None, redoc_url=None, openapi_url=None)
    app.include_router(cdn_router(emulator))
    return app
