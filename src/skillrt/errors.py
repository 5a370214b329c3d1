"""The one exception tree of skillrt.

Every error skillrt raises on purpose is a :class:`SkillrtError`; third-party errors
(httpx, yaml, pydantic) are mapped at the seam where they occur (``raise X(...) from exc``)
and never leak to a host::

    SkillrtError                      root; ``exit_code`` for the CLI, ``hint`` says what to do
    ├── ManifestError                 a SKILL.md that cannot be used (file, line, field)
    ├── RoutingError                  a keyword table the router cannot use
    ├── InputError                    the user's own input is wrong (empty text, bad file)
    │   ├── FileRejectedError         a file refused before upload (4001 type, 4002 size)
    │   └── SkillNotFoundError        no skill of that name (``name``, ``known``)
    ├── ConfigError                   the configuration is unsafe or unusable (a token for
    │                                 another origin is never sent there)
    ├── BackendError                  the backend answered with an error (``code``, ``status``)
    │   ├── AuthError                 1001 bad or expired token, 400 missing client id
    │   ├── SessionNotFoundError      1002 (or HTTP 404 on the chat endpoint)
    │   ├── CreditsError              2001 no credits
    │   ├── PlanError                 402 the plan cannot export
    │   ├── RateLimitError            429
    │   ├── UploadRejectedError       4001 unsupported file, 4002 file too large
    │   ├── RenderError               a render that failed or never finished
    │   └── StreamError               an error reported inside a 200 SSE stream
    ├── TransportError                the network failed: connection, timeout, dropped stream
    └── StoreError                    local state (tokens, sessions, jobs) cannot be read or written

Exit codes (the CLI's contract with scripts): 1 invalid manifest, input or configuration,
2 usage (click), 3 auth, 4 credits or plan, 5 backend, 6 network, 7 local store.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "AuthError",
    "BackendError",
    "ConfigError",
    "CreditsError",
    "FileRejectedError",
    "InputError",
    "ManifestError",
    "PlanError",
    "RateLimitError",
    "RenderError",
    "RoutingError",
    "SessionNotFoundError",
    "SkillNotFoundError",
    "SkillrtError",
    "StoreError",
    "StreamError",
    "TransportError",
    "UploadRejectedError",
]


class SkillrtError(Exception):
    """Root of every error skillrt raises on purpose."""

    exit_code: int = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message} ({self.hint})"
        return self.message


class ManifestError(SkillrtError):
    """A skill manifest that cannot be loaded: names the file, the line and the field."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        field: str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.path = Path(path) if path is not None else None
        self.field = field
        self.line = line
        #: every problem found in the same manifest, this one first
        self.problems: list[ManifestError] = [self]

    def __str__(self) -> str:
        where = str(self.path) if self.path is not None else "<manifest>"
        if self.line is not None:
            where += f":{self.line}"
        text = f"{where}: "
        if self.field:
            text += f"field '{self.field}': "
        text += self.message
        if self.hint:
            text += f" — {self.hint}"
        return text


class RoutingError(SkillrtError):
    """A router keyword table that cannot be used (unknown action, one keyword twice)."""


class InputError(SkillrtError):
    """The user's input cannot be acted on as given (empty message, unusable file)."""


class FileRejectedError(InputError):
    """A file refused before any byte is sent: a folder, empty, of a type the skill does not
    take, not what its extension says, or too large. ``code`` is the backend's code for the
    same refusal (4001 unsupported, 4002 too large) so scripts can treat both alike."""

    def __init__(self, message: str, *, code: int | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.code = code


class SkillNotFoundError(InputError):
    """No skill of that name was found; ``known`` lists the names that were."""

    def __init__(self, name: str, known: list[str] | tuple[str, ...] = (), *,
                 hint: str | None = None) -> None:  # fmt: skip
        known_names = ", ".join(sorted(known))
        default = f"known skills: {known_names}" if known else "see `skillrt skills list`"
        super().__init__(f"no skill named {name!r}", hint=hint or default)
        self.name = name
        self.known = tuple(sorted(known))


class ConfigError(SkillrtError):
    """The configuration is unsafe or unusable (credentials that would go to another origin)."""


class BackendError(SkillrtError):
    """The backend answered with an error; ``code`` is its envelope code or HTTP status."""

    exit_code = 5

    def __init__(
        self,
        message: str,
        *,
        code: int | str | None = None,
        status: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.code = code
        self.status = status


class AuthError(BackendError):
    """1001 (bad or expired token) or 400 (missing client id) that a retry did not cure."""

    exit_code = 3


class SessionNotFoundError(BackendError):
    """1002, or 404 on the chat endpoint: the backend no longer knows the session."""


class CreditsError(BackendError):
    """2001: not enough credits for the work asked for."""

    exit_code = 4

    def __init__(
        self,
        message: str,
        *,
        code: int | str | None = 2001,
        status: int | None = None,
        hint: str | None = None,
        bind_id: str | None = None,
    ) -> None:
        super().__init__(message, code=code, status=status, hint=hint)
        self.bind_id = bind_id


class PlanError(BackendError):
    """402: the plan does not allow export (a subscription matter, not credits)."""

    exit_code = 4


class RateLimitError(BackendError):
    """429 that one retry did not cure."""


class UploadRejectedError(BackendError):
    """4001 unsupported file type or 4002 file too large."""


class RenderError(BackendError):
    """A render that failed, was cancelled or did not finish within its deadline."""


class StreamError(BackendError):
    """An error reported inside a 200 event stream (three formats, or ``errorCode``)."""


class TransportError(SkillrtError):
    """The network failed: could not connect, timed out, or the stream dropped."""

    exit_code = 6


class StoreError(SkillrtError):
    """Local state (credentials, sessions, render jobs) cannot be read or written."""

    exit_code = 7
