"""Run an emulator in-process for tests and host authors: ``with run_emulator() as emu: ...``.

Both origins (API and CDN) run under uvicorn on 127.0.0.1, on ports the OS picks, in
background threads; leaving the ``with`` block stops them and removes a temporary data
folder. ``emu.faults(...)`` and friends go through the loopback-only admin endpoint, just
as a host author's own tooling would.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from skillrt.emulator._app import create_app
from skillrt.emulator._cdn import create_cdn_app
from skillrt.emulator._core import Emulator
from skillrt.emulator._serve import ServerThread, bind, url_of
from skillrt.emulator._settings import EmulatorSettings, FaultSwitches

__all__ = ["RunningEmulator", "run_emulator"]


class RunningEmulator:
    """A started emulator: its URLs, settings, and admin shortcuts."""

    def __init__(self, base_url: str, cdn_url: str, emulator: Emulator) -> None:
        #: the API origin, e.g. ``http://127.0.0.1:54321``
        self.base_url = base_url
        #: the CDN origin that output URLs point at
        self.cdn_url = cdn_url
        #: the settings in force (with ``cdn_base_url`` filled in)
        self.settings = emulator.settings
        #: the in-process core (store, data folder) for white-box checks
        self.emulator = emulator

    def _admin(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        with httpx.Client(base_url=self.base_url, timeout=10) as client:
            response = client.request(method, f"/__emulator__/{path}", **kwargs)
            response.raise_for_status()
            data = response.json()
        assert isinstance(data, dict)
        return data

    def faults(self, **switches: Any) -> FaultSwitches:
        """Set fault switches (every switch not named is turned off)."""
        return FaultSwitches.model_validate(self._admin("PUT", "faults", json=switches))

    def clear_faults(self) -> None:
        """Turn every fault off."""
        self._admin("DELETE", "faults")

    def issue_token(self, credits: int | None = None, plan: str = "free") -> str:
        """A fresh bearer token (no anonymous-token limits), with ``credits`` if given, on
        ``plan`` (``free`` or ``paid``; a free plan exports unless ``free_plan_export`` is off)."""
        params: dict[str, Any] = {"plan": plan}
        if credits is not None:
            params["credits"] = credits
        return str(self._admin("POST", "tokens", params=params)["token"])

    def script(self, *steps: dict[str, Any]) -> None:
        """Make the next chat turn play ``steps`` instead of the agent's answer, e.g.
        ``emu.script({"say": "Click Export."}, {"work": 0.2}, {"tool": "add_bgm"})``."""
        self._admin("PUT", "script", json={"steps": list(steps)})

    def expire_tokens(self) -> int:
        """Expire every token now."""
        return int(self._admin("POST", "expire-tokens")["expired"])

    def lose_sessions(self) -> int:
        """Forget every session."""
        return int(self._admin("POST", "lose-sessions")["lost"])

    def clean(self) -> None:
        """Delete uploads and renders and forget sessions."""
        self._admin("POST", "clean")


@contextmanager
def run_emulator(
    settings: EmulatorSettings | None = None, **overrides: Any
) -> Iterator[RunningEmulator]:
    """Start an emulator (API + CDN origins) on 127.0.0.1 port 0; stop it on exit.

    ``settings`` defaults to :meth:`EmulatorSettings.for_tests` (fast timings, small
    canvas); ``overrides`` change single settings, e.g. ``event_family="simple"``.
    """
    base = settings if settings is not None else EmulatorSettings.for_tests()
    host = "127.0.0.1"
    cdn_socket, api_socket = bind(host), bind(host)
    cdn_url = url_of(cdn_socket)
    values = {**base.model_dump(), **overrides, "cdn_base_url": cdn_url}
    emulator = Emulator(EmulatorSettings.model_validate(values))
    cdn = ServerThread(create_cdn_app(emulator), cdn_socket)
    api = ServerThread(create_app(emulator=emulator), api_socket)
    try:
        cdn.start()
        api.start()
        yield RunningEmulator(url_of(api_socket), cdn_url, emulator)
    finally:
        api.stop()
        cdn.stop()
        emulator.close()
