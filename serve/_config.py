"""How ``skillrt serve`` runs (:class:`ServeSettings`) and where it keeps its state.

:func:`open_stores` is the one place that chooses the storage: the embedded default is
SQLite files under the data dir (``serve.db``, ``events.db``) and in-process conversation
locks; ``settings.store`` names another (i14: ``redis://…``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillrt.errors import InputError
from skillrt.runtime import BackendConfig
from skillrt.serve._auth import ApiKeys
from skillrt.serve._engine import Engine, EngineOptions, RuntimeStoresFactory
from skillrt.serve._eventlog import (
    ConversationLocks,
    EventLog,
    MemoryConversationLocks,
    SqliteEventLog,
)
from skillrt.serve._store import ServeStore, SqliteServeStore

__all__ = ["ServeSettings", "Stores", "open_stores"]


@dataclass(frozen=True)
class ServeSettings:
    """Everything the service needs; the CLI builds one from its options."""

    config: BackendConfig
    data_dir: Path
    keys: ApiKeys = field(default_factory=ApiKeys)
    skill_paths: tuple[Path, ...] = ()
    #: ``None``: embedded (SQLite under ``data_dir``)
    store: str | None = None
    engine: EngineOptions = field(default_factory=EngineOptions)
    #: bytes of a JSON request body
    max_json_bytes: int = 64 * 1024
    #: bytes of a message's text (JSON or multipart)
    max_text_bytes: int = 32 * 1024
    #: files per message
    max_files: int = 5
    #: bytes of one uploaded file, at most (a skill's own limit may be lower)
    max_upload_bytes: int = 2 * 1024**3
    #: seconds a finished message's events stay readable
    event_retention: float = 7 * 24 * 3600.0
    #: seconds between SSE keep-alive comments
    keepalive: float = 15.0
    #: signs every webhook delivery (``SKILLRT_WEBHOOK_SECRET``); ``None``: per API key
    webhook_secret: str | None = None


@dataclass(frozen=True)
class Stores:
    """The three storage seams of the service."""

    store: ServeStore
    events: EventLog
    locks: ConversationLocks
    #: work the app runs beside the engine while it serves (e.g. taking over the renders
    #: of a dead worker); cancelled at shutdown
    background: Callable[[Engine], Coroutine[Any, Any, None]] | None = None
    #: whether other processes run messages on these stores (then a message that is
    #: "running" here may be running there; embedded stores are this process's alone)
    shared: bool = False
    #: the runtime's own stores (token per end user, sessions, render jobs) when they are
    #: shared too; None keeps them in files and SQLite under the data dir
    runtime: RuntimeStoresFactory | None = None


#: variables that shorten or lengthen the Redis leases (docs/scale.md), in seconds
LEASE_VARIABLES = {"SKILLRT_LOCK_TTL": "lock_ttl", "SKILLRT_WATCH_TTL": "watch_ttl"}


def _lease_timings(environ: Mapping[str, str]) -> dict[str, float]:
    found: dict[str, float] = {}
    for variable, name in LEASE_VARIABLES.items():
        if environ.get(variable):
            try:
                found[name] = float(environ[variable])
            except ValueError:
                raise InputError(
                    f"{variable} must be a number of seconds, not {environ[variable]!r}"
                ) from None
            if found[name] <= 0:
                raise InputError(f"{variable} must be a positive number of seconds")
    return found


def open_stores(settings: ServeSettings) -> Stores:
    """The stores ``settings.store`` names (embedded SQLite when ``None``)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if settings.store is not None and settings.store.startswith(("redis://", "rediss://")):
        try:
            from skillrt.scale import redis_serve_stores
        except ImportError:
            raise InputError(
                "the Redis stores are not installed",
                hint="install them with: pip install 'skillrt[redis]'",
            ) from None
        timings = _lease_timings(os.environ)
        return redis_serve_stores(
            settings.store,
            retention=settings.event_retention,
            lock_ttl=timings.get("lock_ttl", 30.0),
            watch_ttl=timings.get("watch_ttl", 15.0),
        )
    if settings.store not in (None, "", "embedded"):
        raise InputError(
            f"unknown store {settings.store!r}",
            hint="give redis://HOST:PORT/DB, or leave --store out to keep the state in SQLite "
            "files under --data-dir",
        )
    return Stores(
        store=SqliteServeStore.in_dir(settings.data_dir),
        events=SqliteEventLog.in_dir(settings.data_dir, retention=settings.event_retention),
        locks=MemoryConversationLocks(),
    )
