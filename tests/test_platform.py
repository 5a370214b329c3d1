"""X-Skill-Platform detection is a pure function of the skill's path, its files and the env."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

import pytest

from skillrt.runtime import detect_platform, load_skill

HOME = PurePosixPath("/home/ana")


def _nothing_exists(_path: PurePosixPath) -> bool:
    return False


def _detect(path: str, **kwargs: object) -> str:
    return detect_platform(
        PurePosixPath(path),
        env=kwargs.pop("env", {}),  # type: ignore[arg-type]
        home=HOME,
        exists=kwargs.pop("exists", _nothing_exists),  # type: ignore[arg-type]
        read_text=kwargs.pop("read_text", lambda _p: None),  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/home/ana/.claude/skills/caption-ab/SKILL.md", "claude-code"),
        ("/work/project/.claude/skills/caption-ab/SKILL.md", "claude-code"),
        ("/home/ana/.cursor/skills/caption-ab/SKILL.md", "cursor"),
        ("/work/project/.cursor/skills/caption-ab/SKILL.md", "cursor"),
        ("/home/ana/.openclaw/skills/caption-ab/SKILL.md", "openclaw"),
        ("/home/ana/.openclaw/workspace/skills/caption-ab/SKILL.md", "openclaw"),
        ("/home/ana/.agents/skills/caption-ab/SKILL.md", "agents"),
        ("/work/project/.agents/skills/caption-ab/SKILL.md", "agents"),
        ("/home/ana/skills/caption-ab/SKILL.md", "unknown"),
        ("/usr/lib/python3/site-packages/skillrt/skills/caption-ab/SKILL.md", "unknown"),
        ("/home/ana/.cursor/caption-ab/SKILL.md", "unknown"),
        ("/home/ana/.clawhub/skills/caption-ab/SKILL.md", "unknown"),
        ("/home/bob/.openclaw/skills/caption-ab/SKILL.md", "unknown"),
    ],
)
def test_platform_from_install_path(path: str, expected: str) -> None:
    """Each host's skill folders are recognised; ~/.clawhub (no installer writes it) is not."""
    assert _detect(path) == expected


@pytest.mark.parametrize("dot", [".clawhub", ".clawdhub"])
def test_clawhub_origin_file_marks_a_clawhub_install(dot: str) -> None:
    """A skill folder holding .clawhub/origin.json (or the legacy name) came from ClawHub."""
    skill = PurePosixPath("/home/ana/.cursor/skills/caption-ab/SKILL.md")
    origin = skill.parent / dot / "origin.json"
    assert _detect(str(skill), exists=lambda p: p == origin) == "clawhub"


def test_clawhub_workdir_lock_lists_the_skill() -> None:
    """A workdir whose .clawhub/lock.json lists the skill marks it as ClawHub's."""
    skill = PurePosixPath("/work/agent/skills/caption-ab/SKILL.md")
    lock = PurePosixPath("/work/agent/.clawhub/lock.json")
    text = json.dumps({"version": 1, "skills": {"caption-ab": {"version": "1.0.0"}}})
    got = _detect(str(skill), exists=lambda p: p == lock, read_text=lambda p: text)
    assert got == "clawhub"
    other = json.dumps({"version": 1, "skills": {"video-meta-ai": {"version": "1.0.0"}}})
    assert _detect(str(skill), exists=lambda p: p == lock, read_text=lambda p: other) == "unknown"
    broken = _detect(str(skill), exists=lambda p: p == lock, read_text=lambda p: "{not json")
    assert broken == "unknown"


def test_openclaw_workspace_is_recognised_by_its_marker() -> None:
    """<ws>/skills and <ws>/.agents/skills are OpenClaw's where <ws>/.openclaw/ exists."""
    marker = PurePosixPath("/srv/bot/.openclaw")
    seen = {marker}
    assert _detect("/srv/bot/skills/caption-ab/SKILL.md", exists=seen.__contains__) == "openclaw"
    got = _detect("/srv/bot/.agents/skills/caption-ab/SKILL.md", exists=seen.__contains__)
    assert got == "openclaw"
    assert _detect("/srv/other/skills/caption-ab/SKILL.md", exists=seen.__contains__) == "unknown"


def test_openclaw_state_dir_variable() -> None:
    """A skill under $OPENCLAW_STATE_DIR is OpenClaw's."""
    env = {"OPENCLAW_STATE_DIR": "/data/openclaw"}
    assert _detect("/data/openclaw/skills/caption-ab/SKILL.md", env=env) == "openclaw"


def test_skill_source_variable_wins() -> None:
    """SKILL_SOURCE overrides whatever the path says."""
    got = _detect("/home/ana/.cursor/skills/caption-ab/SKILL.md", env={"SKILL_SOURCE": "ClawHub"})
    assert got == "clawhub"


def test_malformed_skill_source_is_ignored() -> None:
    """A SKILL_SOURCE that could not be a header token falls back to detection."""
    env = {"SKILL_SOURCE": "bad value\r\nX-Injected: 1"}
    assert _detect("/home/ana/.cursor/skills/caption-ab/SKILL.md", env=env) == "cursor"


def test_folder_path_works_like_the_file() -> None:
    """Giving the skill folder instead of its SKILL.md detects the same platform."""
    assert _detect("/home/ana/.claude/skills/caption-ab") == "claude-code"


def test_real_clawhub_install_on_disk(tmp_path: Path) -> None:
    """load_skill reads a real origin.json written where the ClawHub CLI writes it."""
    from skillrt.runtime import bundled_skills_dir

    folder = tmp_path / "skills" / "caption-ab"
    (folder / ".clawhub").mkdir(parents=True)
    source = bundled_skills_dir() / "caption-ab" / "SKILL.md"
    (folder / "SKILL.md").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / ".clawhub" / "origin.json").write_text(
        json.dumps({"version": 1, "registry": "https://clawhub.ai", "slug": "caption-ab"}),
        encoding="utf-8",
    )
    assert load_skill(folder, env={}).platform == "clawhub"
