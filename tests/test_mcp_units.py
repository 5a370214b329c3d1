"""The MCP server's catalog, its command-line checks, and the streamable-http transport."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import anyio
import pytest
from mcp_helpers import server_env, skillrt_command
from typer.testing import CliRunner

from skillrt.cli import app
from skillrt.i18n import Catalog

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
