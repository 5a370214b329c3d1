"""Logging for skillrt: structlog, JSON when not a TTY, readable on a TTY, secrets redacted.

All global logging state lives here and :func:`reset` restores it (tests use it).
Secrets are redacted in three ways, so that a token cannot reach a log line even by
accident: values registered with :func:`register_secret`, keys that name a secret
(``authorization``, ``token``, ...), and anything shaped like a NemoVideo token or a
bearer header.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any, TextIO

import structlog

__all__ = [
    "REDACTED",
    "configure",
    "get_logger",
    "redact_text",
    "register_secret",
    "reset",
]

REDACTED = "[REDACTED]"

_SECRET_KEYS = frozenset(
    {"authorization", "token", "access_token", "bearer", "nemo_token", "claim_token", "password"}
)
_SECRET_PATTERNS = (
    re.compile(r"\bnmv_[A-Za-z]+_[A-Za-z0-9_\-]{6,}"),
    re.compile(r"\bclm_[A-Za-z0-9_\-]{6,}"),
    re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=\-]{6,}"),
)
_registered: set[str] = set()


def register_secret(value: str | None) -> None:
    """Make ``value`` redacted wherever it appears in a log line from now on."""
    if value and len(value) >= 6:
        _registered.add(value)


def redact_text(text: str) -> str:
    """Return ``text`` with every registered or token-shaped secret replaced."""
    for secret in sorted(_registered, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, REDACTED)
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(REDACTED, text)
    return text


def _redact_value(key: str, value: Any) -> Any:
    if key.lower() in _SECRET_KEYS and value:
        return REDACTED
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {k: _redact_value(str(k), v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_redact_value("", v) for v in value)
    return value


def _redact_processor(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    for key in list(event_dict):
        event_dict[key] = _redact_value(key, event_dict[key])
    return event_dict


def _render_redacted(renderer: Any) -> Any:
    # The final string is scanned once more: a renderer may add a traceback that quotes
    # a secret which no field held on its own.
    def render(logger: Any, method: str, event_dict: MutableMapping[str, Any]) -> str:
        return redact_text(str(renderer(logger, method, event_dict)))

    return render


def configure(
    level: str | int = "WARNING", *, stream: TextIO | None = None, json: bool | None = None
) -> None:
    """Configure skillrt's logging; ``json=None`` picks JSON unless ``stream`` is a TTY."""
    out = stream if stream is not None else sys.stderr
    if json is None:
        json = not (hasattr(out, "isatty") and out.isatty())
    renderer: Any = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if json
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    numeric = logging.getLevelName(level.upper()) if isinstance(level, str) else level
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            _redact_processor,
            _render_redacted(renderer),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(file=out),
        cache_logger_on_first_use=False,
    )


def reset() -> None:
    """Forget registered secrets and restore the default configuration."""
    _registered.clear()
    structlog.reset_defaults()
    configure()


def get_logger(name: str) -> Any:
    """A structlog logger bound to ``name`` (use ``__name__``)."""
    # "logger" is wrap_logger's own parameter name; bind the name under another key.
    return structlog.get_logger(logger_name=name)


configure()
