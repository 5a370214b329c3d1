"""Errors as RFC 9457 problem details: ``application/problem+json`` with type, title,
status and detail. Every refusal of the service is a :class:`Problem`; FastAPI's own
validation errors and HTTP errors are mapped to the same shape, so no client sees a 500
for bad input."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from skillrt.errors import StoreError
from skillrt.log import get_logger
from skillrt.serve._text import text

__all__ = [
    "PROBLEM_TYPE",
    "Problem",
    "install_problem_handlers",
    "problem_response",
    "request_language",
]

#: Problem ``type`` URIs are this plus a short name (documented in docs/serve.md).
PROBLEM_TYPE = "https://skillrt.dev/problems/"
_MEDIA = "application/problem+json"
_log = get_logger(__name__)


class Problem(Exception):
    """A refusal: HTTP ``status`` and a short ``name``: the type's tail, and the catalog
    message that words the detail (given ``params``)."""

    def __init__(
        self,
        status: int,
        name: str,
        /,
        *,
        headers: dict[str, str] | None = None,
        detail: str | None = None,
        **params: object,
    ) -> None:
        super().__init__(name)
        self.status = status
        self.name = name
        self.params = params
        self.headers = headers or {}
        self._detail = detail

    def detail(self, language: str) -> str:
        """The sentence, in ``language``."""
        if self._detail is not None:
            return self._detail
        return text(self.name, language, **self.params)


_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    416: "Range Not Satisfiable",
    422: "Unprocessable Content",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def request_language(request: Request) -> str:
    """``zh`` when the client's Accept-Language prefers Chinese, else ``en``."""
    accepted = request.headers.get("accept-language", "").strip().lower()
    return "zh" if accepted.startswith("zh") else "en"


def problem_response(problem: Problem, language: str = "en") -> JSONResponse:
    """The problem as a response."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE + problem.name,
        "title": _TITLES.get(problem.status, "Error"),
        "status": problem.status,
        "detail": problem.detail(language),
    }
    return JSONResponse(
        body, status_code=problem.status, headers=problem.headers, media_type=_MEDIA
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Answer every error of ``app`` as a problem."""

    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Problem)
        return problem_response(exc, request_language(request))

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = exc.errors()
        if any(error.get("type") == "json_invalid" for error in errors):
            return problem_response(Problem(400, "malformed_json"), request_language(request))
        where = ", ".join(
            ".".join(str(part) for part in error.get("loc", ()))
            + f": {error.get('msg', 'invalid')}"
            for error in errors[:5]
        )
        return problem_response(
            Problem(422, "invalid_request", where=where), request_language(request)
        )

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        name = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        found = Problem(exc.status_code, name, headers=dict(exc.headers or {}))
        return problem_response(found, request_language(request))

    async def on_store(request: Request, exc: Exception) -> JSONResponse:
        # The state store (Redis, files) did not answer: nothing was taken for done, and
        # the same request works again once it is back.
        _log.error(
            "serve.store_unavailable", error=type(exc).__name__, reason=str(exc),
            path=request.url.path,
        )  # fmt: skip
        found = Problem(503, "store_unavailable", headers={"Retry-After": "5"})
        return problem_response(found, request_language(request))

    async def on_crash(request: Request, exc: Exception) -> JSONResponse:
        _log.error("serve.unexpected_error", error=type(exc).__name__, path=request.url.path)
        return problem_response(Problem(500, "internal"), request_language(request))

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(StoreError, on_store)
    app.add_exception_handler(Exception, on_crash)
