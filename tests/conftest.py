"""Shared fixtures: every test runs with its own home, config and data folders."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from skillrt import log

if TYPE_CHECKING:
    from redis_helpers import RedisServer

_USER_VARIABLES = (
    "NEMO_TOKEN",
    "NEMO_API_URL",
    "NEMO_WEB_URL",
    "NEMO_CLIENT_ID",
    "SKILL_SOURCE",
    "SKILLRT_SKILLS_PATH",
    "SKILLRT_HOME",
    "SKILLRT_LOG_LEVEL",
    "NO_COLOR",
)


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Point HOME and the XDG folders at a fresh directory and clear skillrt's variables."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    for name in _USER_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    yield home
    log.reset()


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A real redis-server on a free port with its own folder (skipped when not installed)."""
    pytest.importorskip("redis", reason="redis-py is missing (pip install 'skillrt[redis]')")
    from redis_helpers import RedisServer as Server

    server = Server(tmp_path / "redis")
    server.start()
    yield server
    server.stop()
