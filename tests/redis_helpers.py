"""A real ``redis-server`` on a free 127.0.0.1 port with its own temporary folder.

``RedisServer.start()`` waits until PING answers; ``stop()`` ends it; ``restart()`` stops it
and starts it again on the same port and folder (with ``appendonly=True`` the data
written before survives, as on a real deployment with AOF). Tests that need one skip with
the hint "apt-get install redis-server" when the binary is missing.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

pytest.importorskip("redis", reason="redis-py: pip install -e '.[redis]'")

from skillrt.scale import RedisConnection

INSTALL_HINT = "redis-server is not installed (apt-get install redis-server)"
_START_TIMEOUT = 20.0


def redis_binary() -> str:
    """The path of ``redis-server``, or skip the test with the install hint."""
    found = shutil.which("redis-server")
    if found is None:
        pytest.skip(INSTALL_HINT)
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            # a server with a password answers -NOAUTH: up all the same
            return sock.recv(16).startswith((b"+PONG", b"-NOAUTH"))
    except OSError:
        return False


class RedisServer:
    """One redis-server process owned by a test."""

    def __init__(
        self, folder: Path, *, appendonly: bool = False, password: str | None = None
    ) -> None:
        self.binary = redis_binary()
        self.password = password
        self.folder = folder
        self.appendonly = appendonly
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None
        folder.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        """``redis://127.0.0.1:PORT/0``."""
        return f"redis://127.0.0.1:{self.port}/0"

    def connection(self, prefix: str = "skillrt-test") -> RedisConnection:
        """A fresh connection to this server."""
        return RedisConnection.from_url(self.url, prefix=prefix)

    def start(self) -> None:
        """Start redis-server and wait until PING answers."""
        args = [
            self.binary,
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--dir", str(self.folder),
            "--save", "",
            "--appendonly", "yes" if self.appendonly else "no",
            "--appendfsync", "always",
            "--logfile", str(self.folder / "redis.log"),
        ]  # fmt: skip
        if self.password is not None:
            args += ["--requirepass", self.password]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + _START_TIMEOUT
        while not _answers(self.port):
            if self.process.poll() is not None:
                log = (self.folder / "redis.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"redis-server exited ({self.process.returncode}): {log}")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"redis-server on port {self.port} did not answer PING")
            time.sleep(0.02)

    def stop(self) -> None:
        """Stop redis-server (SIGTERM, then SIGKILL) and wait until it has exited."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def restart(self) -> None:
        """Stop and start again on the same port and folder."""
        self.stop()
        self.start()
