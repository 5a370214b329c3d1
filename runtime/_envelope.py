"""Read every answer shape of contract §3 and map errors (§8) to :mod:`skillrt.errors`.

Pure: bytes and a status in, an :class:`Envelope` or an exception out. Shapes accepted:
``{"code": 0, "data": …}``; ``{"success": true, "data": …}``; a flat object or list;
errors as a non-zero ``code`` (with ``message``/``msg``), ``{"success": false, …}``,
``{"detail": …}``, or a bare HTTP status with any (or no) body.
"""

from __future__ import annotations

import json
from collections.abc import Callable
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
    "ERROR_TABLE",
    "Envelope",
    "ErrorContext",
    "ErrorRule",
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
    #: the id the registration link carries (from a session, state or 2001 answer)
    bind_id: str | None = None
    upload_types: tuple[str, ...] = ()
    upload_limit_mb: int = 500
    rate_limit_wait: float = 30.0
    job_id: str | None = None


Matcher = Callable[[Envelope, ErrorContext], bool]


@dataclass(frozen=True)
class ErrorRule:
    """One row of :data:`ERROR_TABLE`: the answers it matches and the error they become.

    ``message`` and ``hint`` name catalog messages; ``*_args`` the values they are
    rendered with; ``code`` replaces the answer's code on the error when given.
    """

    matches: Matcher
    error: type[BackendError]
    message: str
    hint: str | None
    message_args: tuple[str, ...] = ()
    hint_args: tuple[str, ...] = ()
    code: int | None = None


def _code_or_status(*codes: int) -> Matcher:
    return lambda e, _c: e.code in codes or e.status in codes


def _code(code: int | None, when: Callable[[ErrorContext], bool] = lambda _c: True) -> Matcher:
    return lambda e, c: e.code == code and when(c)


def _not_found(kind: NotFound) -> Matcher:
    return lambda e, c: e.status == 404 and c.not_found == kind


#: Every backend error the runtime knows (contract §8), first match wins.
ERROR_TABLE: tuple[ErrorRule, ...] = (
    ErrorRule(_code_or_status(1001, 401), AuthError, "err_auth", "hint_auth"),
    ErrorRule(lambda e, _c: is_client_id_error(e), AuthError, "err_client_id", "hint_client_id",
              code=400),
    ErrorRule(lambda e, c: e.code == 1002 or _not_found("session")(e, c), SessionNotFoundError,
              "err_session_lost", "hint_session_lost"),
    ErrorRule(_not_found("render"), RenderError, "err_render_unknown", None,
              message_args=("job_id",)),
    ErrorRule(_code(2001, lambda c: c.anonymous and bool(c.bind_link)), CreditsError,
              "err_credits", "hint_credits_anonymous", hint_args=("link",)),
    ErrorRule(_code(2001), CreditsError, "err_credits", "hint_credits_registered"),
    ErrorRule(_code_or_status(402), PlanError, "err_plan", "hint_plan", code=402),
    ErrorRule(_code_or_status(429), RateLimitError, "err_rate_limited", "hint_rate_limited",
              message_args=("seconds",), code=429),
    ErrorRule(_code(4001, lambda c: bool(c.upload_types)), UploadRejectedError,
              "err_upload_rejected", "hint_upload_type", ("detail",), ("types",)),
    ErrorRule(_code(4001), UploadRejectedError, "err_upload_rejected", None, ("detail",)),
    ErrorRule(_code(4002), UploadRejectedError, "err_upload_rejected", "hint_upload_size",
              ("detail",), ("limit_mb",)),
    ErrorRule(_code(None), BackendError, "err_unreadable", "hint_backend", ("status",)),
    ErrorRule(lambda _e, _c: True, BackendError, "err_backend", "hint_backend",
              ("code", "detail")),
)  # fmt: skip


def _detail(envelope: Envelope) -> str | None:
    if not envelope.message:
        return None
    text = redact_text(" ".join(envelope.message.split()))
    return text[:_DETAIL_LIMIT]


def _bind_id_of(data: object) -> str | None:
    if isinstance(data, dict):
        bind = data.get("bind_id", data.get("bindId"))
        if isinstance(bind, (str, int)) and not isinstance(bind, bool) and str(bind):
            return str(bind)
    return None


def error_for(envelope: Envelope, context: ErrorContext) -> BackendError:
    """The error to raise for a failed answer (its row of :data:`ERROR_TABLE`), worded in
    ``context.language``."""
    rule = next(row for row in ERROR_TABLE if row.matches(envelope, context))
    values: dict[str, Any] = {
        "code": envelope.code,
        "status": envelope.status,
        "detail": _detail(envelope),
        "job_id": context.job_id or "?",
        "link": context.bind_link,
        "seconds": round(context.rate_limit_wait),
        "types": list(context.upload_types),
        "limit_mb": context.upload_limit_mb,
    }
    t, lang = messages(), context.language
    message = t.render(rule.message, lang, **{k: values[k] for k in rule.message_args})
    hint = (
        t.render(rule.hint, lang, **{k: values[k] for k in rule.hint_args}) if rule.hint else None
    )
    code = rule.code if rule.code is not None else envelope.code
    if rule.error is CreditsError:
        bind_id = _bind_id_of(envelope.data) or context.bind_id
        return CreditsError(message, code=code, status=envelope.status, hint=hint, bind_id=bind_id)
    return rule.error(message, code=code, status=envelope.status, hint=hint)
