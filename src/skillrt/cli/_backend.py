"""``--backend local|cloud|URL``: which API origin a command talks to (shared by commands).

- ``cloud`` (default): ``NEMO_API_URL`` or the production origin, unless the skill's
  manifest names its own ``apiUrl``.
- ``local``: the emulator started in-process for the command's lifetime (needs the
  ``skillrt[local]`` extra).
- a URL: that origin (an emulator started with ``skillrt emulator serve``, a staging host).

``NEMO_TOKEN`` stays bound to the origin of ``NEMO_API_URL``: choosing another backend
never sends it there.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

import typer

from skillrt.errors import InputError
from skillrt.runtime import BackendConfig

if TYPE_CHECKING:
    from skillrt.runtime import Skill

__all__ = ["BACKEND_ENV", "Backend", "backend_option", "open_backend"]

#: The variable that gives ``--backend`` its default.
BACKEND_ENV = "SKILLRT_BACKEND"

BackendKind = Literal["cloud", "local", "url"]


@dataclass(frozen=True)
class Backend:
    """The configuration a command uses, and what kind of backend it points at."""

    config: BackendConfig
    kind: BackendKind


def backend_option() -> str:
    """The ``--backend`` typer option (use as a parameter default)."""
    value: str = typer.Option(
        "cloud",
        "--backend",
        envvar=BACKEND_ENV,
        help="cloud (NEMO_API_URL or NemoVideo), local (in-process emulator), or an http(s) URL.",
    )
    return value


@contextmanager
def open_backend(
    choice: str | None,
    skill: Skill | None = None,
    *,
    env: Mapping[str, str] | None = None,
) -> Iterator[Backend]:
    """Yield the :class:`Backend` for ``choice``; a local emulator stops on exit."""
    env = os.environ if env is None else env
    base = BackendConfig.from_env(env, skill)
    value = (choice or "cloud").strip()
    if value == "cloud":
        yield Backend(base, "cloud")
        return
    if value == "local":
        with _local_emulator() as api_url:
            yield Backend(replace(base, api_url=api_url), "local")
        return
    if not value.lower().startswith(("http://", "https://")):
        raise InputError(
            f"unknown backend {value!r}",
            hint="use --backend cloud, --backend local or --backend http://host:port",
        )
    yield Backend(replace(base, api_url=value), "url")  # BackendConfig keeps its origin


@contextmanager
def _local_emulator() -> Iterator[str]:
    try:
        # Imported here: the emulator's dependencies are the optional ``local`` extra.
        from skillrt.emulator.testing import run_emulator
    except ImportError as exc:
        raise InputError(
            "the local emulator is not installed",
            hint="install it with: pip install 'skillrt[local]'",
        ) from exc
    with run_emulator() as emulator:
        yield str(emulator.base_url)
