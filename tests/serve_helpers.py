"""Helpers for the ``skillrt serve`` tests: the service on a real socket, SSE reading."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from runtime_helpers import FAST

from skillrt.emulator._serve import ServerThread, bind, url_of
from skillrt.emulator.testing import RunningEmulator, run_emulator
from skillrt.runtime import BackendConfig
from skillrt.serve import ApiKeys, EngineOptions, RenderOutcome, ServeSettings, Service, create_app

SKILL = "free-generation-maker"


@dataclass
class Served:
    """A running service and the emulator behind it."""

    url: str
    emulator: RunningEmulator
    settings: ServeSettings
    service: Service

    def client(self, key: str | None = None, user: str = "alice", **kwargs: Any) -> httpx.Client:
        """An HTTP client for the service as end user ``user`` (``key`` as its bearer)."""
        headers = {"X-Skillrt-User": user}
        if key:
            headers["Authorization"] = f"Bearer {key}"
        return httpx.Client(base_url=self.url, headers=headers, timeout=60, **kwargs)

    def stats(self) -> dict[str, Any]:
        """The emulator's counts."""
        found: dict[str, Any] = httpx.get(f"{self.emulator.base_url}/__emulator__/stats").json()
        return found


@contextmanager
def serve(
    tmp_path: Path,
    *,
    keys: tuple[str, ...] = (),
    emulator_options: dict[str, Any] | None = None,
    **options: Any,
) -> Iterator[Served]:
    """The service on 127.0.0.1 (a free port) in front of an in-process emulator."""
    with run_emulator(**(emulator_options or {})) as emulator:
        config = replace(BackendConfig(api_url=str(emulator.base_url)), data_dir=tmp_path / "home")
        settings = ServeSettings(
            config=config, data_dir=tmp_path / "serve", keys=ApiKeys(keys),
            **{"engine": EngineOptions(intervals=FAST), **options},
        )  # fmt: skip
        sock = bind("127.0.0.1")
        app = create_app(settings)
        server = ServerThread(app, sock)
        server.server.config.lifespan = "on"
        server.start()
        try:
            yield Served(url_of(sock), emulator, settings, service_of_app(app))
        finally:
            server.stop()


def service_of_app(app: FastAPI) -> Service:
    """The service behind ``app``."""
    found: Service = app.state.service
    return found


class RenderLog:
    """An ``on_render`` hook that keeps what it is given."""

    def __init__(self) -> None:
        self.outcomes: list[RenderOutcome] = []

    async def __call__(self, outcome: RenderOutcome) -> None:
        self.outcomes.append(outcome)


@dataclass(frozen=True)
class Frame:
    """One SSE event: its id and its JSON."""

    id: int
    data: dict[str, Any]


def frames(response: httpx.Response) -> Iterator[Frame]:
    """The SSE events of a streamed response, as they come."""
    seq: int | None = None
    data: list[str] = []
    for line in response.iter_lines():
        if line.startswith("id:"):
            seq = int(line[3:].strip())
        elif line.startswith("data:"):
            data.append(line[5:].strip())
        elif not line and data:
            assert seq is not None, "an event without an id"
            yield Frame(seq, json.loads("\n".join(data)))
            seq, data = None, []


def send(client: httpx.Client, conversation_id: str, text: str) -> tuple[str, list[Frame]]:
    """POST a JSON message and read its whole stream: (message id, events)."""
    with client.stream(
        "POST", f"/v1/conversations/{conversation_id}/messages", json={"text": text}
    ) as response:
        assert response.status_code == 200, response.read()
        return response.headers["x-message-id"], list(frames(response))


def new_conversation(client: httpx.Client) -> str:
    """Create a conversation with the test skill (for the client's user); its id."""
    response = client.post("/v1/conversations", json={"skill": SKILL})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])
