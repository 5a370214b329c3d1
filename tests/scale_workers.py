"""Real ``skillrt serve`` worker processes for the multi-worker tests, and an SSE reader."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

SKILL = "free-generation-maker"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Worker:
    """One ``skillrt serve --store redis://…`` subprocess on a free port."""

    def __init__(
        self, name: str, *, backend: str, store: str, data_dir: Path, env: dict[str, str]
    ) -> None:
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = data_dir.parent / f"worker-{name}.log"
        command = [
            sys.executable, "-m", "skillrt", "serve", "--host", "127.0.0.1",
            "--port", str(self.port), "--backend", backend, "--store", store,
            "--data-dir", str(data_dir), "--time-scale", "0.05",
        ]  # fmt: skip
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                command, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **env}
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{self.url}/v1/skills", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"worker {name} did not start:\n{self.log.read_text()}")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no cleanup, leases left to lapse."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """Stop it if it still runs."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


@dataclass
class Stream:
    """The events of one SSE response, as ``(id, event)``."""

    message_id: str = ""
    events: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    @property
    def last_id(self) -> int:
        """The last event id seen (0: none)."""
        return self.events[-1][0] if self.events else 0

    def types(self) -> list[str]:
        """The events' types."""
        return [str(event["type"]) for _, event in self.events]

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        """The events of one type."""
        return [event for _, event in self.events if event["type"] == kind]


def frames(response: httpx.Response) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(id, data)`` of each SSE frame (comments skipped)."""
    event_id, data = 0, ""
    for line in response.iter_lines():
        if line.startswith("id:"):
            event_id = int(line[3:].strip())
        elif line.startswith("data:"):
            data += line[5:].strip()
        elif not line and data:
            yield event_id, json.loads(data)
            event_id, data = 0, ""


def read_into(stream: Stream, response: httpx.Response) -> Stream:
    """Read a response's frames into ``stream`` until ``done`` or the connection drops."""
    stream.message_id = response.headers.get("x-message-id", stream.message_id)
    try:
        for item in frames(response):
            stream.events.append(item)
            if item[1]["type"] == "done":
                break
    except httpx.TransportError:
        pass  # the worker went away mid-stream
    return stream


def say(worker: Worker, conversation: str, text: str) -> Stream:
    """Send one message to ``worker`` and read its events to the end."""
    with httpx.stream(
        "POST", f"{worker.url}/v1/conversations/{conversation}/messages",
        json={"text": text}, timeout=120,
    ) as response:  # fmt: skip
        assert response.status_code == 200, response.read()
        return read_into(Stream(), response)
