"""Load skills and run conversations with them against the NemoVideo backend.

Every name below is imported on first use (PEP 562), so ``import skillrt.runtime`` is
cheap: a command that only lists skills never loads the HTTP client, the router's
grammar or the translators.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from skillrt.runtime._async import AsyncConversation, AsyncSkillRuntime
    from skillrt.runtime._auth import (
        Authenticator,
        resolve_client_id,
    )
    from skillrt.runtime._client import (
        DEFAULT_TIMEOUT,
        BackendClient,
    )
    from skillrt.runtime._config import (
        CONNECT_TIMEOUT,
        KEEPALIVE_NOTICE_EVERY,
        KEEPALIVE_ONLY_LIMIT,
        READ_TIMEOUT,
        SSE_HARD_LIMIT,
        SSE_READ_TIMEOUT,
        BackendConfig,
        Intervals,
        origin_of,
        skillrt_home,
    )
    from skillrt.runtime._conversation import (
        Conversation,
        ConversationOptions,
    )
    from skillrt.runtime._events import (
        EVENT_ADAPTER,
        DoneEvent,
        ErrorEvent,
        Event,
        LinkEvent,
        MediaEvent,
        ProgressEvent,
        TextEvent,
    )
    from skillrt.runtime._export import (
        ExportFlow,
        ExportProgress,
        ExportResult,
    )
    from skillrt.runtime._loader import (
        MAX_MANIFEST_BYTES,
        Discovery,
        ManifestDeprecationWarning,
        Skill,
        SkillSource,
        bundled_skills_dir,
        discover_skills,
        find_skill,
        load_skill,
        parse_manifest,
        skill_files,
        user_skills_dir,
    )
    from skillrt.runtime._manifest import (
        Manifest,
        RuntimeSettings,
    )
    from skillrt.runtime._models import (
        Credits,
        DownloadProgress,
        RenderJob,
        RenderStatus,
        SessionInfo,
        SessionState,
        UploadedFile,
        UploadProgress,
        UploadResult,
    )
    from skillrt.runtime._platform import (
        detect_platform,
    )
    from skillrt.runtime._replies import (
        say,
    )
    from skillrt.runtime._runtime import (
        SkillRuntime,
    )
    from skillrt.runtime._spec import (
        clawhub_problems,
        spec_problems,
    )
    from skillrt.runtime._stores import (
        CredentialStore,
        FileCredentialStore,
        JobRecord,
        JobStore,
        MemoryCredentialStore,
        MemoryJobStore,
        MemorySessionStore,
        SessionRecord,
        SessionStore,
        SqliteJobStore,
        SqliteSessionStore,
        StoredToken,
    )

__all__ = [
    "CONNECT_TIMEOUT",
    "DEFAULT_TIMEOUT",
    "EVENT_ADAPTER",
    "KEEPALIVE_NOTICE_EVERY",
    "KEEPALIVE_ONLY_LIMIT",
    "MAX_MANIFEST_BYTES",
    "READ_TIMEOUT",
    "SSE_HARD_LIMIT",
    "SSE_READ_TIMEOUT",
    "AsyncConversation",
    "AsyncSkillRuntime",
    "Authenticator",
    "BackendClient",
    "BackendConfig",
    "Conversation",
    "ConversationOptions",
    "CredentialStore",
    "Credits",
    "Discovery",
    "DoneEvent",
    "DownloadProgress",
    "ErrorEvent",
    "Event",
    "ExportFlow",
    "ExportProgress",
    "ExportResult",
    "FileCredentialStore",
    "Intervals",
    "JobRecord",
    "JobStore",
    "LinkEvent",
    "Manifest",
    "ManifestDeprecationWarning",
    "MediaEvent",
    "MemoryCredentialStore",
    "MemoryJobStore",
    "MemorySessionStore",
    "ProgressEvent",
    "RenderJob",
    "RenderStatus",
    "RuntimeSettings",
    "SessionInfo",
    "SessionRecord",
    "SessionState",
    "SessionStore",
    "Skill",
    "SkillRuntime",
    "SkillSource",
    "SqliteJobStore",
    "SqliteSessionStore",
    "StoredToken",
    "TextEvent",
    "UploadProgress",
    "UploadResult",
    "UploadedFile",
    "bundled_skills_dir",
    "clawhub_problems",
    "detect_platform",
    "discover_skills",
    "find_skill",
    "load_skill",
    "origin_of",
    "parse_manifest",
    "resolve_client_id",
    "say",
    "skill_files",
    "skillrt_home",
    "spec_problems",
    "user_skills_dir",
]

#: public name → the private module that defines it
_LAZY: dict[str, str] = {
    "CONNECT_TIMEOUT": "skillrt.runtime._config",
    "DEFAULT_TIMEOUT": "skillrt.runtime._client",
    "EVENT_ADAPTER": "skillrt.runtime._events",
    "KEEPALIVE_NOTICE_EVERY": "skillrt.runtime._config",
    "KEEPALIVE_ONLY_LIMIT": "skillrt.runtime._config",
    "MAX_MANIFEST_BYTES": "skillrt.runtime._loader",
    "READ_TIMEOUT": "skillrt.runtime._config",
    "SSE_HARD_LIMIT": "skillrt.runtime._config",
    "SSE_READ_TIMEOUT": "skillrt.runtime._config",
    "AsyncConversation": "skillrt.runtime._async",
    "AsyncSkillRuntime": "skillrt.runtime._async",
    "Authenticator": "skillrt.runtime._auth",
    "BackendClient": "skillrt.runtime._client",
    "BackendConfig": "skillrt.runtime._config",
    "Conversation": "skillrt.runtime._conversation",
    "ConversationOptions": "skillrt.runtime._conversation",
    "CredentialStore": "skillrt.runtime._stores",
    "Credits": "skillrt.runtime._models",
    "Discovery": "skillrt.runtime._loader",
    "DoneEvent": "skillrt.runtime._events",
    "DownloadProgress": "skillrt.runtime._models",
    "ErrorEvent": "skillrt.runtime._events",
    "Event": "skillrt.runtime._events",
    "ExportFlow": "skillrt.runtime._export",
    "ExportProgress": "skillrt.runtime._export",
    "ExportResult": "skillrt.runtime._export",
    "FileCredentialStore": "skillrt.runtime._stores",
    "Intervals": "skillrt.runtime._config",
    "JobRecord": "skillrt.runtime._stores",
    "JobStore": "skillrt.runtime._stores",
    "LinkEvent": "skillrt.runtime._events",
    "Manifest": "skillrt.runtime._manifest",
    "ManifestDeprecationWarning": "skillrt.runtime._loader",
    "MediaEvent": "skillrt.runtime._events",
    "MemoryCredentialStore": "skillrt.runtime._stores",
    "MemoryJobStore": "skillrt.runtime._stores",
    "MemorySessionStore": "skillrt.runtime._stores",
    "ProgressEvent": "skillrt.runtime._events",
    "RenderJob": "skillrt.runtime._models",
    "RenderStatus": "skillrt.runtime._models",
    "RuntimeSettings": "skillrt.runtime._manifest",
    "SessionInfo": "skillrt.runtime._models",
    "SessionRecord": "skillrt.runtime._stores",
    "SessionState": "skillrt.runtime._models",
    "SessionStore": "skillrt.runtime._stores",
    "Skill": "skillrt.runtime._loader",
    "SkillRuntime": "skillrt.runtime._runtime",
    "SkillSource": "skillrt.runtime._loader",
    "SqliteJobStore": "skillrt.runtime._stores",
    "SqliteSessionStore": "skillrt.runtime._stores",
    "StoredToken": "skillrt.runtime._stores",
    "TextEvent": "skillrt.runtime._events",
    "UploadProgress": "skillrt.runtime._models",
    "UploadResult": "skillrt.runtime._models",
    "UploadedFile": "skillrt.runtime._models",
    "bundled_skills_dir": "skillrt.runtime._loader",
    "clawhub_problems": "skillrt.runtime._spec",
    "detect_platform": "skillrt.runtime._platform",
    "discover_skills": "skillrt.runtime._loader",
    "find_skill": "skillrt.runtime._loader",
    "load_skill": "skillrt.runtime._loader",
    "origin_of": "skillrt.runtime._config",
    "parse_manifest": "skillrt.runtime._loader",
    "resolve_client_id": "skillrt.runtime._auth",
    "say": "skillrt.runtime._replies",
    "skill_files": "skillrt.runtime._loader",
    "skillrt_home": "skillrt.runtime._config",
    "spec_problems": "skillrt.runtime._spec",
    "user_skills_dir": "skillrt.runtime._loader",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
