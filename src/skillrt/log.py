"""Logging for skillrt: a library logs, the application configures.

Every skillrt module logs through :func:`get_logger`: a private structlog bound logger (no
global structlog configuration is read or written) whose processors redact secrets and
then hand the line to the standard library logger of the same name (``skillrt.…``). So
the host decides where skillrt's lines go, as with httpx: attach a handler to the
``skillrt`` logger (or the root one), or nothing and they go nowhere. Importing skillrt
configures nothing: no ``structlog.configure()``, no root handler, no level.

Each record's message is one readable line (``chat.stream_dropped error=ReadTimeout``);
its ``skillrt`` attribute holds the redacted fields, for structured handlers.

Secrets are redacted in three ways, so that a token cannot reach a log line even by
accident: values registered with :func:`register_secret`, keys that name a secret
(``authorization``, ``token``, ...), and anything shaped like a NemoVideo token or a
bearer header.

:func:`configure` is for applications (the ``skillrt`` command calls it): it gives the
``skillrt`` logger its own handlers — stderr (JSON when not a TTY, readable on a TTY) at
a level, and optionally a log file. :func:`reset` undoes it (tests use it).
"""

from __future__ import annotations

import json as jsonlib
import logging
import logging.handlers
import re
import sys
import time
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any, TextIO

__all__ = [
    "LOGGER_NAME",
    "REDACTED",
    "configure",
    "get_logger",
    "redact_text",
    "register_secret",
    "reset",
]

REDACTED = "[REDACTED]"
#: The standard library logger every skillrt line goes through (``skillrt.runtime._chat``…).
LOGGER_NAME = "skillrt"

_SECRET_KEYS = frozenset(
    {"authorization", "token", "access_token", "bearer", "nemo_token", "claim_token", "password"}
)
_SECRET_PATTERNS = (
    re.compile(r"\bnmv_[A-Za-z]+_[A-Za-z0-9_\-]{6,}"),
    re.compile(r"\bclm_[A-Za-z0-9_\-]{6,}"),
    re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=\-]{6,}"),
)
_LOG_FILE_BYTES = 1_000_000
_LOG_FILE_KEEP = 3
_registered: set[str] = set()
#: handlers :func:`configure` attached to the ``skillrt`` logger (removed by the next call)
_installed: list[logging.Handler] = []


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


def _one_line(event_dict: MutableMapping[str, Any]) -> str:
    words = [str(event_dict.get("event", ""))]
    words += [f"{k}={v!r}" if isinstance(v, str) and " " in v else f"{k}={v}"
              for k, v in event_dict.items() if k not in ("event", "exception")]  # fmt: skip
    text = " ".join(words)
    if "exception" in event_dict:
        text += "\n" + str(event_dict["exception"])
    return redact_text(text)


def _to_stdlib(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    # The last processor: what the standard library logger's method is called with.
    fields = dict(event_dict)
    return (_one_line(fields),), {"extra": {"skillrt": fields}}


def get_logger(name: str) -> Any:
    """skillrt's logger for module ``name`` (use ``__name__``): redacted, stdlib-routed."""
    # Imported here: a command that never logs (``skillrt skills list``) does not pay for it.
    import structlog

    processors: list[Any] = [
        structlog.stdlib.filter_by_level,
        structlog.processors.format_exc_info,
        _redact_processor,
        _to_stdlib,
    ]
    return structlog.stdlib.BoundLogger(logging.getLogger(name), processors=processors, context={})


class _Formatter(logging.Formatter):
    """Renders a record of any logger as JSON or readable text, redacted once more."""

    def __init__(self, *, json: bool) -> None:
        super().__init__()
        self._json = json
        self._console: Any = None

    def format(self, record: logging.LogRecord) -> str:
        given = getattr(record, "skillrt", None) or {"event": record.getMessage()}
        fields = {"event": given.get("event", ""), **given}
        if record.exc_info and "exception" not in fields:
            fields["exception"] = self.formatException(record.exc_info)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        fields.update(
            level=record.levelname.lower(),
            logger=record.name,
            timestamp=f"{stamp}.{int(record.msecs):03d}Z",
        )
        if self._json:
            text = jsonlib.dumps(fields, ensure_ascii=False, default=str)
        else:
            if self._console is None:
                import structlog

                self._console = structlog.dev.ConsoleRenderer(colors=False)
            text = str(self._console(None, record.levelname.lower(), fields))
        # A traceback may quote a secret which no field held on its own.
        return redact_text(text)


def _level(value: str | int) -> int:
    if isinstance(value, int):
        return value
    number = logging.getLevelName(value.strip().upper())
    if not isinstance(number, int):
        raise ValueError(f"unknown log level {value!r} (DEBUG, INFO, WARNING, ERROR)")
    return number


def configure(
    level: str | int | None = "WARNING",
    *,
    stream: TextIO | None = None,
    json: bool | None = None,
    log_file: Path | None = None,
    file_level: str | int = "INFO",
) -> None:
    """For applications: send skillrt's lines to ``stream`` and/or ``log_file``.

    ``level=None`` writes nothing to the stream. ``json=None`` picks JSON unless the
    stream is a TTY. ``log_file`` (rotated at 1 MB) gets JSON lines from ``file_level``
    (or ``level`` when that is more detailed). Calling it again replaces what it set.
    """
    logger = logging.getLogger(LOGGER_NAME)
    _remove_installed(logger)
    wanted: list[int] = []
    if level is not None:
        out = stream if stream is not None else sys.stderr
        use_json = json if json is not None else not (hasattr(out, "isatty") and out.isatty())
        handler: logging.Handler = logging.StreamHandler(out)
        handler.setFormatter(_Formatter(json=use_json))
        handler.setLevel(_level(level))
        _install(logger, handler)
        wanted.append(_level(level))
    if log_file is not None:
        detail = min([_level(file_level), *wanted])
        try:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            handler = logging.handlers.RotatingFileHandler(
                log_file, maxBytes=_LOG_FILE_BYTES, backupCount=_LOG_FILE_KEEP, encoding="utf-8"
            )
        except OSError:
            pass  # a read-only home loses the file log, never the command
        else:
            handler.setFormatter(_Formatter(json=True))
            handler.setLevel(detail)
            _install(logger, handler)
            wanted.append(detail)
    logger.setLevel(min(wanted) if wanted else logging.CRITICAL + 1)
    # The application chose where skillrt's lines go: not to the root logger's handlers too.
    logger.propagate = False


def _install(logger: logging.Logger, handler: logging.Handler) -> None:
    logger.addHandler(handler)
    _installed.append(handler)


def _remove_installed(logger: logging.Logger) -> None:
    for handler in _installed:
        logger.removeHandler(handler)
        handler.close()
    _installed.clear()


# The standard library's advice to libraries: a handler that drops lines, so a host that
# configured no logging at all does not get skillrt's warnings on stderr (lastResort).
logging.getLogger(LOGGER_NAME).addHandler(logging.NullHandler())


def reset() -> None:
    """Forget registered secrets and undo :func:`configure` (the library's defaults)."""
    _registered.clear()
    logger = logging.getLogger(LOGGER_NAME)
    _remove_installed(logger)
    logger.setLevel(logging.NOTSET)
    logger.propagate = True
