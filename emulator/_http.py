"""Envelopes and error answers, shaped as the contract (§3, §8) describes them."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from skillrt.emulator._settings import EmulatorSettings
from skillrt.errors import BackendError

__all__ = ["Rejected", "bearer_token", "ok", "rejected_response"]

# The HTTP status that goes with each envelope code when statuses are "mapped".
_MAPPED_STATUS = {1001: 401, 1002: 404, 2001: 403, 4001: 415, 4002: 413}


class Rejected(BackendError):
    """The emulator refuses a request; turned into an HTTP answer by the app."""

    def __init__(
        self,
        message: str,
        *,
        code: int,
        status: int | None = None,
        data: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message, code=code, status=status)
        self.data = data
        self.headers = headers
        self.body = body


def ok(data: Any) -> dict[str, Any]:
    """The success envelope."""
    return {"code": 0, "data": data}


def rejected_response(error: Rejected, settings: EmulatorSettings) -> JSONResponse:
    """The HTTP answer for ``error``: an envelope code or a plain HTTP status."""
    if error.body is not None:
        return JSONResponse(error.body, status_code=error.status or 400, headers=error.headers)
    code = int(error.code) if error.code is not None else 500
    body: dict[str, Any] = {"code": code, "message": error.message, "msg": error.message}
    if error.data is not None:
        body["data"] = error.data
    status = error.status
    if status is None:
        if code in _MAPPED_STATUS:
            mapped = settings.envelope_error_status == "mapped"
            status = _MAPPED_STATUS[code] if mapped else 200
        else:
            status = code if 400 <= code < 600 else 400
    return JSONResponse(body, status_code=status, headers=error.headers)


def bearer_token(request: Request) -> str | None:
    """The token of ``Authorization: Bearer …``, if any."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()
