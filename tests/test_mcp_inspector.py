"""The same smoke through the MCP Inspector's CLI (npm @modelcontextprotocol/inspector)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Where .ci/run installs the pinned Inspector (npm install --prefix .ci/node ...).
LOCAL = ROOT / ".ci" / "node" / "node_modules" / ".bin" / "mcp-inspector"
HINT = (
    "the MCP Inspector is not installed: npm install --prefix .ci/node --save-exact "
    "@modelcontextprotocol/inspector@2.12.0 (.ci/run does this)"
)

pytestmark = pytest.mark.slow


def _inspector() -> list[str]:
    if shutil.which("node") is None:
        pytest.skip("node is missing: apt-get install nodejs npm")
    if LOCAL.exists():
        return [str(LOCAL)]
    pytest.skip(HINT)


def _run(tmp_path: Path, *method: str) -> dict[str, object]:
    skillrt = str(Path(sys.executable).with_name("skillrt"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEMO_", "SKILLRT_"))}
    env.update(HOME=str(tmp_path), SKILLRT_HOME=str(tmp_path / "data"))
    done = subprocess.run(
        [*_inspector(), "--cli", skillrt, "mcp", "--backend", "local", *method],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    data = json.loads(done.stdout)
    assert isinstance(data, dict)
    return data


def test_inspector_lists_the_tools(tmp_path: Path) -> None:
    """`inspector --cli skillrt mcp --backend local --method tools/list` names every tool."""
    data = _run(tmp_path, "--method", "tools/list")
    tools = data["tools"]
    assert isinstance(tools, list)
    names = {tool["name"] for tool in tools}
    assert names == {
        "list_skills",
        "send_message",
        "get_credits",
        "get_timeline",
        "export_video",
        "export_status",
        "list_jobs",
    }
    assert all("outputSchema" in tool for tool in tools)


def test_inspector_calls_get_credits(tmp_path: Path) -> None:
    """`--method tools/call --tool-name get_credits` returns the structured balance."""
    data = _run(tmp_path, "--method", "tools/call", "--tool-name", "get_credits")
    assert data["isError"] is False
    balance = data["structuredContent"]
    assert isinstance(balance, dict)
    assert balance["available"] == balance["total"] > 0
    for secret in _tokens(tmp_path / "data" / "credentials.json"):
        assert secret not in json.dumps(data)


def _tokens(path: Path) -> list[str]:
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        entry["token"] for entry in data.values() if isinstance(entry, dict) and "token" in entry
    ]
