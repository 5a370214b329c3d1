"""``skillrt mcp``: skillrt's skills served over the Model Context Protocol.

Needs the ``mcp`` extra (``pip install 'skillrt[mcp]'``, the official MCP Python SDK).
This folder is installed as ``skillrt.mcp``; the SDK's own top-level package is also
called ``mcp``, so everything here imports with absolute names only.
"""

from __future__ import annotations

if __name__ == "mcp":  # pragma: no cover - only when this folder shadows the SDK
    raise ImportError(
        "the repository's mcp/ folder was imported as the MCP SDK: run Python from another "
        "folder (or .venv/bin/pytest), not `python -m` from the repository root"
    )

from skillrt.mcp._models import (
    CreditsResult,
    JobInfo,
    JobsResult,
    MessageResult,
    SkillInfo,
    SkillsResult,
    TimelineResult,
)
from skillrt.mcp._server import ServerOptions, SkillrtMCP, build_server, run_server

__all__ = [
    "CreditsResult",
    "JobInfo",
    "JobsResult",
    "MessageResult",
    "ServerOptions",
    "SkillInfo",
    "SkillrtMCP",
    "SkillsResult",
    "TimelineResult",
    "build_server",
    "run_server",
]
