"""Read every answer shape of contract §3 and map errors (§8) to :mod:`skillrt.errors`.

Pure: bytes and a status in, an :class:`Envelope` or an exception out. Shapes accepted:
``{"code": 0, "data": …}``; ``{"success": true, "data": …}``; a flat object or list;
errors as a non-zero ``code`` (with ``message``/``msg``), ``{"success": false, …}``,
``{"detail": …}``, or a bare HTTP status with any (or no) body.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from skillrt.errors import (
    AuthError,
    BackendError,
    CreditsError,
    PlanError,
    RateLimitError,
    RenderError,
    SessionNotFoundError,
    UploadRejectedError,
)
from skillrt.i18n import Catalog
from skillrt.log import redact_text

__all__ = [
    "Envelope",
    "ErrorContext",
    "error_for",
    "is_client_id_error",
    "messages",
    "parse_envelope",
]

_CODE_KEYS = ("code", "error_code", "errorCode")
_MESSAGE_KEYS = ("message", "msg", "error", "detail", "errorMessage", "error_message")
_DETAIL_LIMIT = 200

_catalog: Catalog | None = None


def messages() -> Catalog:
    """The runtime's message catalog (loaded once)."""
    global _catalog
    if _catalog is None:
        _catalog = Catalog("skillrt.runtime")
    return _catalog


@dataclass(frozen=True)
class Envelope:
    """One answer: ``ok`` with ``data``, or an error ``code`` (envelope code or HTTP status)."""

    ok: bool
    status: int
    data: Any = None
    code: int | str | None = None
    message: str | None = None


def _as_code(value: object) -> int | str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip():
        text = value.strip()
        return int(text) if text.lstrip("-").isdigit() else text
    return None


def _message_of(body: dict[str, Any]) -> str | None:
    for key in _MESSAGE_KEYS:
        value = body.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, dict):
            inner = _message_of(value)
            if inner:
                return inner
    return None


def _decode(body: bytes) -> tuple[bool, Any]:
    if not body.strip():
        return True, None
    try:
        return True, json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False, None


def parse_envelope(status: int, body: bytes) -> Envelope:
    """Read one answer; never raises (an unreadable 2xx body is an error with code ``None``)."""
    readable, payload = _decode(body)
    success = 200 <= status < 300
    if not isinstance(payload, dict):
        if success and readable:
            return Envelope(ok=True, status=status, data=payload)
        return Envelope(ok=False, status=status, code=None if success else status)
    code = next((_as_code(payload[k]) for k in _CODE_KEYS if k in payload), None)
    message = _message_of(payload)
    flag = payload.get("success")
    if success and flag is not False and code in (None, 0, 200):
        wrapped = "data" in payload and (
            code is not None or flag is True or set(payload) <= {"data", "message", "msg"}
        )
        return Envelope(
            ok=True, status=status, data=payload["data"] if wrapped else payload, message=message
        )
    if code in (None, 0, 200):
        code = status
    return Envelope(ok=False, status=status, data=payload.get("data"), code=code, message=message)


def is_client_id_error(envelope: Envelope) -> bool:
    """400 about a missing client id (a 400 naming something else is a plain error)."""
    if envelope.code != 400 and not (envelope.status == 400 and envelope.code in (None, 400)):
        return False
    return not envelope.message or "client" in envelope.message.lower()


NotFound = Literal["session", "render", "other"]


@dataclass(frozen=True)
class ErrorContext:
    """What an error message needs beyond the answer itself."""

    language: str = "en"
    not_found: NotFound = "other"
    anonymous: bool = True
    bind_link: str | None = None
    upload_types: tuple[str, ...] = ()
    upload_limit_mb: int = 500
    rate_limit_wait: float = 30.0
    job_id: str | None = None


def _detail(envelope: Envelope) -> str | None:
    if not envelope.message:
        return None
    text = redact_text(" ".join(envelope.message.split()))
    return text[:_DETAIL_LIMIT]


def error_for(envelope: Envelope, context: ErrorContext) -> BackendError:
    """The error to raise for a failed answer, worded in ``context.language``."""
    t = messages()
    lang = context.language
    code, status = envelope.code, envelope.status
    detail = _detail(envelope)
    if code == 1001 or status == 401:
        return AuthError(
            t.render("err_auth", lang), code=code, status=status, hint=t.render("hint_auth", lang)
        )
    if is_client_id_error(envelope):
        return AuthError(
            t.render("err_client_id", lang),
            code=400,
            status=status,
            hint=t.render("hint_client_id", lang),
        )
    if code == 1002 or (status == 404 and context.not_found == "session"):
        return SessionNotFoundError(
            t.render("err_session_lost", lang),
            code=code,
            status=status,
            hint=t.render("hint_session_lost", lang),
        )
    if status == 404 and context.not_found == "render":
        return RenderError(
            t.render("err_render_unknown", lang, job_id=context.job_id or "?"),
            code=code,
            status=status,
        )
    if code == 2001:
        hint = (
            t.render("hint_credits_anonymous", lang, link=context.bind_link)
            if context.anonymous and context.bind_link
            else t.render("hint_credits_registered", lang)
        )
        bind_id = context.bind_link.rsplit("bind=", 1)[-1] if context.bind_link else None
        return CreditsError(
            t.render("err_credits", lang), code=code, status=status, hint=hint, bind_id=bind_id
        )
    if code == 402 or status == 402:
        return PlanError(
            t.render("err_plan", lang), code=402, status=status, hint=t.render("hint_plan", lang)
        )
    if code == 429 or status == 429:
        return RateLimitError(
            t.render("err_rate_limited", lang, seconds=round(context.rate_limit_wait)),
            code=429,
            status=status,
            hint=t.render("hint_rate_limited", lang),
        )
    if code == 4001:
        types = list(context.upload_types)
        return UploadRejectedError(
            t.render("err_upload_rejected", lang, detail=detail),
            code=code,
            status=status,
            hint=t.render("hint_upload_type", lang, types=types) if types else None,
        )
    if code == 4002:
        limit = context.upload_limit_mb
        return UploadRejectedError(
            t.render("err_upload_rejected", lang, detail=detail),
            code=code,
            status=status,
            hint=t.render("hint_upload_size", lang, limit_mb=limit),
        )
    if code is None:
        return BackendError(
            t.render("err_unreadable", lang, status=status),
            status=status,
            hint=t.render("hint_backend", lang),
        )
    return BackendError(
        t.render("err_backend", lang, code=code, detail=detail),
        code=code,
        status=status,
        hint=t.render("hint_backend", lang),
    )
