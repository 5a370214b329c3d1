"""The web chat page: plain HTML/JS/CSS shipped in the package, served at ``/``.

The files live in ``static/`` beside this module (package data, no build step, nothing
from a CDN). The page needs only the service's own API, on the same origin.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse

__all__ = ["STATIC_DIR", "mount_web_chat"]

#: Where the page's files are installed.
STATIC_DIR = Path(__file__).with_name("static")

# The page runs only its own files: no inline script, nothing from another origin.
_PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
        "media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}

# The only files served: a fixed table, so no request path ever reaches the file system.
_ASSETS = {
    "chat.js": "text/javascript; charset=utf-8",
    "chat.css": "text/css; charset=utf-8",
}


def mount_web_chat(app: FastAPI) -> None:
    """Serve the chat page at ``/`` and its files under ``/static/``."""

    @app.get("/", include_in_schema=False)
    async def web_chat_page() -> FileResponse:
        return FileResponse(
            STATIC_DIR / "index.html", media_type="text/html; charset=utf-8", headers=_PAGE_HEADERS
        )

    @app.get("/static/{name}", include_in_schema=False)
    async def web_chat_asset(name: str) -> FileResponse:
        media_type = _ASSETS.get(name)
        if media_type is None:
            raise HTTPException(status_code=404)
        return FileResponse(STATIC_DIR / name, media_type=media_type, headers=_PAGE_HEADERS)
