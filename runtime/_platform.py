"""Which host installed a skill, for the ``X-Skill-Platform`` header (contract §2)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from itertools import pairwise
from pathlib import Path, PurePath

__all__ = ["detect_platform"]

_TOKEN = re.compile(r"^[a-z0-9][a-z0-9_.\-]{0,31}$")


def detect_platform(
    skill_file: PurePath,
    *,
    env: Mapping[str, str],
    home: PurePath,
    exists: Callable[[PurePath], bool] = lambda p: Path(p).exists(),
) -> str:
    """``clawhub``, ``cursor`` or ``unknown`` for the skill whose SKILL.md is ``skill_file``.

    First match wins: the ``SKILL_SOURCE`` variable; a path under ``~/.clawhub`` or a skill
    folder holding ``.clawhub/origin.json`` (what the ClawHub CLI writes); a path under a
    ``.cursor/skills`` folder; otherwise ``unknown``. ``exists`` is the only file-system
    access, injected so the function can be tested on paths alone.
    """
    override = env.get("SKILL_SOURCE", "").strip().lower()
    if override and _TOKEN.match(override):
        return override
    folder = skill_file.parent if skill_file.name == "SKILL.md" else skill_file
    if _is_under(folder, home / ".clawhub") or exists(folder / ".clawhub" / "origin.json"):
        return "clawhub"
    parts = folder.parts
    if any(a == ".cursor" and b == "skills" for a, b in pairwise(parts)):
        return "cursor"
    return "unknown"


def _is_under(path: PurePath, root: PurePath) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True
