"""``SkillRuntime``: the skills, the configuration and the local stores, in one object.

A host makes one runtime (optionally with its own ``httpx.Client``), then one
conversation per skill and user::

    with SkillRuntime() as runtime:
        conversation = runtime.conversation("free-generation-maker")
        for event in conversation.send("make a 10-second video about coffee"):
            print(event)

Asyncio hosts use :class:`~skillrt.runtime.AsyncSkillRuntime` (the same logic, see
docs/runtime.md "Async API").
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from types import TracebackType

import httpx

from skillrt.router import compile_keywords
from skillrt.runtime._client import DEFAULT_TIMEOUT, BackendClient
from skillrt.runtime._config import BackendConfig, Intervals
from skillrt.runtime._conversation import Conversation, ConversationOptions
from skillrt.runtime._loader import Discovery, Skill, discover_skills
from skillrt.runtime._stores import (
    CredentialStore,
    FileCredentialStore,
    JobStore,
    SessionStore,
    SqliteJobStore,
    SqliteSessionStore,
)

__all__ = ["SkillRuntime"]


class SkillRuntime:
    """Loads skills and runs conversations with them against one backend.

    ``config`` fixes the backend for every skill (tests, ``--backend``); without it each
    skill's configuration comes from the environment and its manifest (``apiUrl``).
    Stores default to files under ``config.data_dir`` (``SKILLRT_HOME`` or the user data
    dir). ``http`` is the caller's to close; without it the runtime makes and closes one.
    """

    def __init__(
        self,
        http: httpx.Client | None = None,
        *,
        config: BackendConfig | None = None,
        skill_paths: Iterable[Path] = (),
        env: Mapping[str, str] | None = None,
        intervals: Intervals | None = None,
        credentials: CredentialStore | None = None,
        sessions: SessionStore | None = None,
        jobs: JobStore | None = None,
        options: ConversationOptions | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._env = os.environ if env is None else env
        self._owns_http = http is None
        self.http = http if http is not None else httpx.Client(timeout=DEFAULT_TIMEOUT)
        self._config = config
        self._intervals = intervals
        found = discover_skills(skill_paths, env=self._env)
        #: every usable skill, by name
        self.skills: dict[str, Skill] = found.skills
        #: manifests that were skipped, with why
        self.problems = found.problems
        self._credentials = credentials
        self._sessions = sessions
        self._jobs = jobs
        self.options = options or ConversationOptions()
        self._clock = clock
        self._sleep = sleep

    # -- lookup ----------------------------------------------------------------------

    def skill(self, name: str | Skill) -> Skill:
        """The skill called ``name`` (or ``name`` itself when it is a :class:`Skill`);
        :class:`~skillrt.errors.SkillNotFoundError` when there is none."""
        if isinstance(name, Skill):
            return name
        return Discovery(self.skills, self.problems).find(name)

    def config_for(self, skill: Skill) -> BackendConfig:
        """The backend configuration a conversation with ``skill`` uses."""
        config = self._config or BackendConfig.from_env(self._env, skill)
        if self._intervals is not None:
            config = replace(config, intervals=self._intervals)
        return config

    def client(self, skill: str | Skill, *, language: str = "en") -> BackendClient:
        """A backend client for ``skill`` (shares this runtime's HTTP client and tokens)."""
        found = self.skill(skill)
        config = self.config_for(found)
        credentials = self._credentials or FileCredentialStore.in_dir(config.data_dir)
        return BackendClient(
            self.http,
            skill=found,
            config=config,
            credentials=credentials,
            language=language,
            sleep=self._sleep,
        )

    def session_store(self, skill: str | Skill) -> SessionStore:
        """Where sessions of ``skill`` are remembered."""
        return self._sessions or SqliteSessionStore.in_dir(
            self.config_for(self.skill(skill)).data_dir
        )

    def job_store(self, skill: str | Skill) -> JobStore:
        """Where render jobs of ``skill`` are recorded."""
        return self._jobs or SqliteJobStore.in_dir(self.config_for(self.skill(skill)).data_dir)

    # -- conversations -----------------------------------------------------------------

    def conversation(self, skill: str | Skill, *, resume: bool = False) -> Conversation:
        """A conversation with ``skill``; ``resume`` continues its stored session (timeline)."""
        found = self.skill(skill)
        client = self.client(found)
        sessions = self.session_store(found)
        record = sessions.get(found.name, client.config.origin) if resume else None
        keywords = compile_keywords(found.manifest.runtime.keywords.table())
        return Conversation(
            skill=found, client=client, sessions=sessions, jobs=self.job_store(found),
            keywords=keywords, options=self.options, clock=self._clock, sleep=self._sleep,
            record=record,
        )  # fmt: skip

    # -- lifetime --------------------------------------------------------------------

    def close(self) -> None:
        """Close the HTTP client if the runtime made it."""
        if self._owns_http:
            self.http.close()

    def __enter__(self) -> SkillRuntime:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
