"""``skillrt serve``: the runtime as an HTTP service (FastAPI + uvicorn, docs/serve.md).

Build the app with :func:`create_app` from :class:`ServeSettings`, or run it with
:func:`run_server`. The storage seams are protocols: :class:`ServeStore` (conversations,
messages, files, jobs by owner), :class:`EventLog` (each message's events, tailed by SSE)
and :class:`ConversationLocks` (one message at a time per conversation); :func:`open_stores`
picks their implementations. :attr:`Engine.on_render` hooks see each finished or failed
render's event (webhooks plug in there).
"""

from __future__ import annotations

from skillrt.serve._app import Service, create_app, service_of
from skillrt.serve._auth import API_KEYS_ENV, DEFAULT_USER, ApiKeys, is_loopback, key_id
from skillrt.serve._config import ServeSettings, Stores, open_stores
from skillrt.serve._engine import (
    BusyError,
    Engine,
    EngineOptions,
    RenderHook,
    RenderOutcome,
    RuntimeStores,
    RuntimeStoresFactory,
    SubmitHook,
    SubmittedRender,
)
from skillrt.serve._eventlog import (
    ConversationLocks,
    EventLog,
    MemoryConversationLocks,
    SqliteEventLog,
)
from skillrt.serve._problems import PROBLEM_TYPE, Problem
from skillrt.serve._run import check_bind, run_server
from skillrt.serve._store import (
    ConversationRecord,
    FileRecord,
    JobLink,
    MemoryServeStore,
    MessageRecord,
    MessageState,
    Owner,
    ServeStore,
    SqliteServeStore,
    new_id,
)

__all__ = [
    "API_KEYS_ENV",
    "DEFAULT_USER",
    "PROBLEM_TYPE",
    "ApiKeys",
    "BusyError",
    "ConversationLocks",
    "ConversationRecord",
    "Engine",
    "EngineOptions",
    "EventLog",
    "FileRecord",
    "JobLink",
    "MemoryConversationLocks",
    "MemoryServeStore",
    "MessageRecord",
    "MessageState",
    "Owner",
    "Problem",
    "RenderHook",
    "RenderOutcome",
    "RuntimeStores",
    "RuntimeStoresFactory",
    "ServeSettings",
    "ServeStore",
    "Service",
    "SqliteEventLog",
    "SqliteServeStore",
    "Stores",
    "SubmitHook",
    "SubmittedRender",
    "check_bind",
    "create_app",
    "is_loopback",
    "key_id",
    "new_id",
    "open_stores",
    "run_server",
    "service_of",
]
