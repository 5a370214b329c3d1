"""Running the two origins under uvicorn: in threads (tests) or in the foreground (CLI)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable

import uvicorn
from fastapi import FastAPI

from skillrt.emulator._app import create_app
from skillrt.emulator._cdn import create_cdn_app
from skillrt.emulator._core import Emulator
from skillrt.emulator._settings import EmulatorSettings
from skillrt.errors import TransportError

__all__ = ["ServerThread", "bind", "serve_forever", "url_of"]

_START_TIMEOUT = 20.0


def bind(host: str, port: int = 0) -> socket.socket:
    """A listening-ready TCP socket on ``host:port`` (port 0: the OS picks)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit this. Without it h11 writes a response's head and body
    # separately, Nagle holds the body for the client's delayed ACK, and every request on
    # a kept-alive connection waits ~40 ms.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise TransportError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    return sock


def _config(app: FastAPI) -> uvicorn.Config:
    return uvicorn.Config(
        app, log_level="warning", lifespan="off", timeout_keep_alive=5,
        timeout_graceful_shutdown=2,
    )  # fmt: skip


def url_of(sock: socket.socket) -> str:
    """``http://host:port`` of a bound socket."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class ServerThread:
    """One uvicorn server on a socket we bound, in a daemon thread."""

    def __init__(self, app: FastAPI, sock: socket.socket) -> None:
        self.socket = sock
        self.server = uvicorn.Server(_config(app))
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [sock]}, daemon=True
        )

    def start(self) -> None:
        """Start and wait until it accepts connections."""
        self.thread.start()
        deadline = time.monotonic() + _START_TIMEOUT
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise TransportError("the emulator did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        """Ask it to exit, wait, and close the socket."""
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.socket.close()


def serve_forever(
    settings: EmulatorSettings,
    host: str,
    port: int,
    cdn_port: int,
    on_ready: Callable[[str, str, Emulator], None],
) -> None:
    """Serve both origins until interrupted (Ctrl-C), then stop cleanly."""
    api_socket = bind(host, port)
    cdn_socket = bind(host, cdn_port)
    cdn_url = settings.cdn_base_url or url_of(cdn_socket)
    emulator = Emulator(settings.model_copy(update={"cdn_base_url": cdn_url}))
    cdn = ServerThread(create_cdn_app(emulator), cdn_socket)
    try:
        cdn.start()
        server = uvicorn.Server(_config(create_app(emulator=emulator)))
        on_ready(url_of(api_socket), cdn_url, emulator)
        server.run(sockets=[api_socket])
    finally:
        cdn.stop()
        api_socket.close()
        emulator.close()
