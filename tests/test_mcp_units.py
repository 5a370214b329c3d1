"""The MCP server's catalog, its command-line checks, and the streamable-http transport."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import anyio
import pytest
from mcp_helpers import server_env, skillrt_command
from typer.testing import CliRunner

from skillrt.cli import app
from skillrt.i18n import Catalog
from skillrt.runtime import DoneEvent, Event, TextEvent

pytest.importorskip("mcp", reason="the MCP SDK: pip install -e '.[mcp]'")


def test_catalog_languages_define_the_same_messages() -> None:
    """messages.en.j2 and messages.zh.j2 of skillrt.mcp define the same macro names."""
    catalog = Catalog("skillrt.mcp")
    assert catalog.names("en") == catalog.names("zh")
    assert "still_running" in catalog.names("en")
    assert "export_status" in catalog.render("still_running", "zh", job_id="work_1")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--progress-every", "20"], "--progress-every"),
        (["--call-bound", "0"], "--call-bound"),
        (["--transport", "sse"], "--transport"),
        (["--time-scale", "3"], "--time-scale"),
    ],
)
def test_bad_server_options_are_usage_errors(args: list[str], words: str) -> None:
    """Out-of-range options stop `skillrt mcp` before it serves, naming the option."""
    result = CliRunner().invoke(app, ["mcp", *args])
    assert result.exit_code == 2
    assert words in result.stderr


def test_unknown_backend_is_reported_in_words() -> None:
    """`skillrt mcp --backend ftp://x` exits 1 with the backend hint, not a traceback."""
    result = CliRunner().invoke(app, ["mcp", "--backend", "ftp://x"])
    assert result.exit_code == 1
    assert "unknown backend" in result.stderr
    assert "Traceback" not in result.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_streamable_http_transport_serves_the_tools(tmp_path: Path) -> None:
    """`skillrt mcp --transport streamable-http` answers the SDK's HTTP client at /mcp."""
    from mcp import ClientSession
    from mcp.client.streamable_http import streamable_http_client

    port = _free_port()
    args = [skillrt_command(), "mcp", "--backend", "local"]
    args += ["--transport", "streamable-http", "--port", str(port)]
    env = server_env(tmp_path / "home")
    with (
        (tmp_path / "stderr.log").open("w") as errlog,
        subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=errlog) as server,
    ):
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                with socket.socket() as probe:
                    if probe.connect_ex(("127.0.0.1", port)) == 0:
                        break
                time.sleep(0.1)

            async def main() -> set[str]:
                url = f"http://127.0.0.1:{port}/mcp"
                async with (
                    streamable_http_client(url) as (read, write, *_),
                    ClientSession(read, write) as client,
                ):
                    await client.initialize()
                    credits = await client.call_tool("get_credits", {})
                    assert not credits.is_error
                    listed = await client.list_tools()
                    return {tool.name for tool in listed.tools}

            names = anyio.run(main)
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert {"send_message", "export_video", "export_status"} <= names


class _Notes:
    """Stands in for the MCP request context: records each progress notification."""

    def __init__(self) -> None:
        self.notes: list[tuple[float, float, str | None]] = []

    async def report_progress(
        self, progress: float, total: float | None = None, message: str | None = None
    ) -> None:
        self.notes.append((time.monotonic(), progress, message))


def _slow_reply(seconds: float) -> Iterator[Event]:
    time.sleep(seconds)
    yield TextEvent(text="done thinking")
    yield DoneEvent(ok=True, session_id="s1")


def test_progress_comes_at_least_every_interval_and_the_bound_answers_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While work runs, notes come every progress_every (increasing); past the bound: running."""
    from skillrt.mcp import ServerOptions, SkillrtMCP
    from skillrt.mcp._server import _Work
    from skillrt.runtime import SkillRuntime

    monkeypatch.setenv("SKILLRT_HOME", str(tmp_path))
    options = ServerOptions(call_bound=0.3, progress_every=0.1)
    with SkillRuntime() as runtime:
        server = SkillrtMCP(runtime, options)
        work = _Work("caption-ab", "message", "en", lambda: _slow_reply(0.9), set()).start()
        ctx = _Notes()
        first = anyio.run(server.wait, work, ctx)  # type: ignore[arg-type]
        assert first.status == "running"
        assert first.job_id == work.id
        assert first.message is not None
        assert "export_status" in first.message
        final = first
        for _ in range(10):
            final = anyio.run(server.wait, work, ctx)  # type: ignore[arg-type]
            if final.status == "done":
                break
    assert final.status == "done"
    assert final.replies == ["done thinking"]
    assert final.session_id == "s1"
    stamps = [stamp for stamp, _, _ in ctx.notes]
    assert len(stamps) >= 4
    gaps = [b - a for a, b in pairwise(stamps)]
    assert max(gaps) < 1.0, gaps  # 0.1 s asked; generous for a loaded machine
    values = [value for _, value, _ in ctx.notes]
    assert values[0] == 1
    assert all(message and message.startswith("Still working") for _, _, message in ctx.notes)
