"""Which host installed a skill, for the ``X-Skill-Platform`` header (contract §2).

Each rule is where that host's own installer or loader puts skills (sources cited in
``SKILL_SCHEMA.md``, "X-Skill-Platform"):

- ClawHub: ``clawhub install`` writes ``<skill>/.clawhub/origin.json`` and records the
  skill in ``<workdir>/.clawhub/lock.json`` (legacy folder name ``.clawdhub``).
- Claude Code: ``~/.claude/skills/<name>`` and ``<project>/.claude/skills/<name>``.
- Cursor: ``~/.cursor/skills/<name>`` and ``<project>/.cursor/skills/<name>``.
- OpenClaw: its state folder (``~/.openclaw`` or ``$OPENCLAW_STATE_DIR``: the managed
  ``skills/`` and the default workspace), and ``<workspace>/skills`` or
  ``<workspace>/.agents/skills`` of a workspace OpenClaw set up (``.openclaw/`` inside).
- ``agents``: ``~/.agents/skills`` and ``<project>/.agents/skills``, the folders several
  hosts read (OpenClaw, Cursor, Codex), so no single host can be named.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from itertools import pairwise
from pathlib import Path, PurePath

__all__ = ["PLATFORMS", "detect_platform"]

#: Every value detection can give (``SKILL_SOURCE`` may name any other token).
PLATFORMS = ("clawhub", "claude-code", "cursor", "openclaw", "agents", "unknown")

_TOKEN = re.compile(r"^[a-z0-9][a-z0-9_.\-]{0,31}$")
_CLAWHUB_DIRS = (".clawhub", ".clawdhub")
#: How far above a skill folder a ClawHub workdir may be (``--dir skills`` is one level).
_LOCK_DEPTH = 3


def _exists(path: PurePath) -> bool:
    return Path(path).exists()


def _read_text(path: PurePath) -> str | None:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def detect_platform(
    skill_file: PurePath,
    *,
    env: Mapping[str, str],
    home: PurePath,
    exists: Callable[[PurePath], bool] = _exists,
    read_text: Callable[[PurePath], str | None] = _read_text,
) -> str:
    """The host of the skill whose SKILL.md (or folder) is ``skill_file``; see :data:`PLATFORMS`.

    First match wins: the ``SKILL_SOURCE`` variable; a ClawHub install; a Claude Code, a
    Cursor, an OpenClaw folder; a shared ``.agents/skills`` folder; otherwise ``unknown``.
    ``exists`` and ``read_text`` are the only file-system access, injected so the function
    can be tested on paths alone.
    """
    override = env.get("SKILL_SOURCE", "").strip().lower()
    if override and _TOKEN.match(override):
        return override
    folder = skill_file.parent if skill_file.name == "SKILL.md" else skill_file
    if _clawhub_installed(folder, exists, read_text):
        return "clawhub"
    if _under_pair(folder, ".claude", "skills"):
        return "claude-code"
    if _under_pair(folder, ".cursor", "skills"):
        return "cursor"
    if _openclaw(folder, env, home, exists):
        return "openclaw"
    if _under_pair(folder, ".agents", "skills"):
        return "agents"
    return "unknown"


def _clawhub_installed(
    folder: PurePath,
    exists: Callable[[PurePath], bool],
    read_text: Callable[[PurePath], str | None],
) -> bool:
    if any(exists(folder / name / "origin.json") for name in _CLAWHUB_DIRS):
        return True
    for workdir in list(folder.parents)[1 : _LOCK_DEPTH + 1]:
        for name in _CLAWHUB_DIRS:
            lock = workdir / name / "lock.json"
            if exists(lock) and _lock_lists(read_text(lock), folder.name):
                return True
    return False


def _lock_lists(text: str | None, slug: str) -> bool:
    """Whether a ClawHub lock file (``{"version": 1, "skills": {slug: …}}``) lists ``slug``."""
    if not text:
        return False
    try:
        data = json.loads(text)
    except ValueError:
        return False
    skills = data.get("skills") if isinstance(data, dict) else None
    return isinstance(skills, dict) and slug in skills


def _under_pair(folder: PurePath, first: str, second: str) -> bool:
    """Whether ``folder`` lies inside a ``<first>/<second>/`` folder (a skill root)."""
    parts = folder.parts[:-1]
    return any(a == first and b == second for a, b in pairwise(parts))


def _openclaw(
    folder: PurePath, env: Mapping[str, str], home: PurePath, exists: Callable[[PurePath], bool]
) -> bool:
    state = env.get("OPENCLAW_STATE_DIR", "").strip()
    roots = [home / ".openclaw"] + ([PurePath(state)] if state else [])
    if any(_is_under(folder, root) for root in roots):
        return True
    parent = folder.parent
    if parent.name == "skills":
        workspace = parent.parent
        if workspace.name == ".agents":
            workspace = workspace.parent
        return exists(workspace / ".openclaw")
    return False


def _is_under(path: PurePath, root: PurePath) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return path != root
