"""How ``skillrt serve`` runs (:class:`ServeSettings`) and where it keeps its state.

:func:`open_stores` is the one place that chooses the storage: the embedded default is
SQLite files under the data dir (``serve.db``, ``events.db``) and in-process conversation
locks; ``settings.store`` names another (i14: ``redis://…``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from skillrt.errors import InputError
from skillrt.runtime import BackendConfig
from skillrt.serve._auth import ApiKeys
from skillrt.serve._engine import EngineOptions
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
    #: seconds a finished message's events stay readable
    event_retention: float = 7 * 24 * 3600.0
    #: seconds between SSE keep-alive comments
    keepalive: float = 15.0


@dataclass(frozen=True)
class Stores:
    """The three storage seams of the service."""

    store: ServeStore
    events: EventLog
    locks: ConversationLocks


def open_stores(settings: ServeSettings) -> Stores:
    """The stores ``settings.store`` names (embedded SQLite when ``None``)."""
    if settings.store not in (None, "", "embedded"):
        raise InputError(
            f"unknown store {settings.store!r}",
            hint="leave --store out to keep the state in SQLite files under --data-dir",
        )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return Stores(
        store=SqliteServeStore.in_dir(settings.data_dir),
        events=SqliteEventLog.in_dir(settings.data_dir, retention=settings.event_retention),
        locks=MemoryConversationLocks(),
    )
