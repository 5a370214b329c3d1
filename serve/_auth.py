"""Who is calling: the API key (``Authorization: Bearer KEY``) and the end user.

Keys come from ``SKILLRT_API_KEYS`` (comma-separated) and/or a file (one per line, ``#``
comments). A key is known by its id (``key_`` + 12 hex digits of its SHA-256), never by
itself, in the store and in logs. With no key configured the service serves loopback
clients only (key id ``local``) and refuses to start on another address.
The end user is the ``X-Skillrt-User`` header or the ``user`` query parameter (default
``default``); with the key it makes the :class:`~skillrt.serve._store.Owner` of a record.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from skillrt.errors import InputError

__all__ = [
    "API_KEYS_ENV",
    "DEFAULT_USER",
    "LOCAL_KEY_ID",
    "ApiKeys",
    "is_loopback",
    "key_id",
]

API_KEYS_ENV = "SKILLRT_API_KEYS"
LOCAL_KEY_ID = "local"
DEFAULT_USER = "default"
#: End-user names longer than this are refused (they are stored with every record).
MAX_USER_CHARS = 200


def key_id(key: str) -> str:
    """The id a key is stored and logged under."""
    return "key_" + hashlib.sha256(key.encode()).hexdigest()[:12]


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or ``localhost``) is this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ApiKeys:
    """The keys the service accepts (empty: loopback only, no key needed)."""

    keys: tuple[str, ...] = ()

    @classmethod
    def load(cls, env: Mapping[str, str], path: Path | None = None) -> ApiKeys:
        """Keys from ``SKILLRT_API_KEYS`` and the file at ``path``."""
        found = [k.strip() for k in env.get(API_KEYS_ENV, "").split(",")]
        if path is not None:
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise InputError(
                    f"cannot read the API keys file {path}: {exc.strerror}",
                    hint="give --api-keys-file a readable file with one key per line",
                ) from exc
            found += [line.strip() for line in lines if not line.strip().startswith("#")]
        return cls(_unique(k for k in found if k))

    @property
    def required(self) -> bool:
        """Whether requests must carry a key."""
        return bool(self.keys)

    def identify(self, presented: str) -> str | None:
        """The id of the key ``presented`` (compared in constant time), or ``None``."""
        match: str | None = None
        given = presented.encode()
        for key in self.keys:
            if hmac.compare_digest(key.encode(), given):
                match = key
        return key_id(match) if match is not None else None


def _unique(keys: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(keys))
