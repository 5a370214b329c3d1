"""Drive `skillrt mcp` with the MCP SDK's own client over stdio, recording all it receives."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

mcp = pytest.importorskip("mcp", reason="the MCP SDK: pip install -e '.[mcp]'")

from mcp import ClientSession, StdioServerParameters, stdio_client  # noqa: E402
from mcp.types import CallToolResult  # noqa: E402


def skillrt_command() -> str:
    """The skillrt console script of this environment."""
    script = Path(sys.executable).with_name("skillrt")
    assert script.exists(), "run scripts/dev-install first"
    return str(script)


def server_env(home: Path, **extra: str) -> dict[str, str]:
    """The server's environment: its own home and data folder, fast progress, no user vars."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("NEMO_", "SKILLRT_", "SKILL_SOURCE"))
    }
    env.update(HOME=str(home), SKILLRT_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / ".c"))
    env.update(SKILLRT_MCP_TIME_SCALE="0.05", SKILLRT_MCP_PROGRESS_EVERY="0.2")
    env.update(extra)
    return env


@dataclass
class Recorder:
    """Everything the client received: results, progress notes, log messages."""

    received: list[str] = field(default_factory=list)
    progress: list[tuple[float, str | None]] = field(default_factory=list)

    async def on_progress(self, value: float, total: float | None, message: str | None) -> None:
        self.progress.append((value, message))
        self.received.append(f"progress {value} {total} {message}")

    def keep(self, result: Any) -> None:
        dump = result.model_dump(mode="json") if hasattr(result, "model_dump") else result
        self.received.append(json.dumps(dump, ensure_ascii=False))


@dataclass
class Session:
    """A live client session on a spawned server."""

    client: ClientSession
    record: Recorder

    async def call(self, tool: str, arguments: dict[str, Any] | None = None) -> CallToolResult:
        result = await self.client.call_tool(
            tool, arguments or {}, progress_callback=self.record.on_progress
        )
        assert isinstance(result, CallToolResult)
        self.record.keep(result)
        return result

    async def ok(self, tool: str, arguments: dict[str, Any] | None = None) -> dict[str, Any]:
        result = await self.call(tool, arguments)
        assert not result.is_error, result.content
        assert result.structured_content is not None
        return result.structured_content


@asynccontextmanager
async def open_session(args: list[str], env: dict[str, str], cwd: Path) -> AsyncIterator[Session]:
    """Spawn `skillrt mcp ARGS` and yield an initialized client session on its stdio."""
    params = StdioServerParameters(
        command=skillrt_command(), args=["mcp", *args], env=env, cwd=str(cwd)
    )
    record = Recorder()
    with (cwd / "server-stderr.log").open("w", encoding="utf-8") as errlog:
        async with (
            stdio_client(params, errlog=errlog) as (read, write),
            ClientSession(read, write) as client,
        ):
            record.keep(await client.initialize())
            yield Session(client, record)


def tokens_in(data_dir: Path) -> set[str]:
    """Every token the server stored (credentials.json), to look for in what was received."""
    path = data_dir / "credentials.json"
    if not path.exists():
        return set()
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in {"token", "access_token"} and isinstance(value, str) and value:
                    found.add(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(json.loads(path.read_text(encoding="utf-8")))
    return found
