"""X-Skill-Platform detection is a pure function of the skill's path and the environment."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest

from skillrt.runtime import detect_platform

HOME = PurePosixPath("/home/ana")


def _nothing_exists(_path: PurePosixPath) -> bool:
    return False


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/home/ana/.clawhub/skills/caption-ab/SKILL.md", "clawhub"),
        ("/home/ana/.cursor/skills/caption-ab/SKILL.md", "cursor"),
        ("/work/project/.cursor/skills/caption-ab/SKILL.md", "cursor"),
        ("/home/ana/skills/caption-ab/SKILL.md", "unknown"),
        ("/usr/lib/python3/site-packages/skillrt/skills/caption-ab/SKILL.md", "unknown"),
        ("/home/ana/.cursor/caption-ab/SKILL.md", "unknown"),
        ("/home/bob/.clawhub/skills/caption-ab/SKILL.md", "unknown"),
    ],
)
def test_platform_from_install_path(path: str, expected: str) -> None:
    """ClawHub's and Cursor's install folders are recognised; anything else is unknown."""
    got = detect_platform(PurePosixPath(path), env={}, home=HOME, exists=_nothing_exists)
    assert got == expected


def test_clawhub_origin_file_marks_a_clawhub_install() -> None:
    """A skill folder holding .clawhub/origin.json was installed by the ClawHub CLI."""
    skill = PurePosixPath("/work/agent/skills/caption-ab/SKILL.md")
    origin = skill.parent / ".clawhub" / "origin.json"
    got = detect_platform(skill, env={}, home=HOME, exists=lambda p: p == origin)
    assert got == "clawhub"


def test_skill_source_variable_wins() -> None:
    """SKILL_SOURCE overrides whatever the path says."""
    skill = PurePosixPath("/home/ana/.cursor/skills/caption-ab/SKILL.md")
    got = detect_platform(skill, env={"SKILL_SOURCE": "ClawHub"}, home=HOME, exists=_nothing_exists)
    assert got == "clawhub"


def test_malformed_skill_source_is_ignored() -> None:
    """A SKILL_SOURCE that could not be a header token falls back to detection."""
    skill = PurePosixPath("/home/ana/.cursor/skills/caption-ab/SKILL.md")
    env = {"SKILL_SOURCE": "bad value\r\nX-Injected: 1"}
    assert detect_platform(skill, env=env, home=HOME, exists=_nothing_exists) == "cursor"


def test_folder_path_works_like_the_file() -> None:
    """Giving the skill folder instead of its SKILL.md detects the same platform."""
    folder = PurePosixPath("/home/ana/.clawhub/skills/caption-ab")
    assert detect_platform(folder, env={}, home=HOME, exists=_nothing_exists) == "clawhub"
