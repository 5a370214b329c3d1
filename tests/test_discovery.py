"""Skill discovery: precedence, leniency, and the bundled skills."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from skillrt.runtime import bundled_skills_dir, discover_skills, user_skills_dir

BUNDLED = ("caption-ab", "free-generation-maker", "video-meta-ai")


def _copy_skill(name: str, dest: Path, *, version: str | None = None) -> Path:
    target = dest / name
    shutil.copytree(bundled_skills_dir() / name, target)
    if version:
        file = target / "SKILL.md"
        file.write_text(
            file.read_text(encoding="utf-8").replace('version: "1.0.0"', f'version: "{version}"'),
            encoding="utf-8",
        )
    return target


def test_bundled_skills_are_found() -> None:
    """With nothing else configured, the three bundled skills load."""
    found = discover_skills()
    assert sorted(found.skills) == list(BUNDLED)
    assert found.problems == []
    assert {s.source for s in found.skills.values()} == {"bundled"}


def test_precedence_explicit_env_user_bundled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first place that has a name wins: explicit, SKILLRT_SKILLS_PATH, user folder, bundled."""
    explicit, env_dir = tmp_path / "explicit", tmp_path / "env"
    user = user_skills_dir()
    for folder in (explicit, env_dir, user):
        folder.mkdir(parents=True)
    _copy_skill("caption-ab", explicit, version="9.0.0")
    _copy_skill("caption-ab", env_dir, version="8.0.0")
    _copy_skill("video-meta-ai", env_dir, version="8.0.0")
    _copy_skill("video-meta-ai", user, version="7.0.0")
    _copy_skill("free-generation-maker", user, version="7.0.0")
    monkeypatch.setenv("SKILLRT_SKILLS_PATH", str(env_dir))
    found = discover_skills([explicit])
    versions = {name: (s.version, s.source) for name, s in found.skills.items()}
    assert versions == {
        "caption-ab": ("9.0.0", "explicit"),
        "video-meta-ai": ("8.0.0", "env"),
        "free-generation-maker": ("7.0.0", "user"),
    }


def test_listing_is_lenient(tmp_path: Path) -> None:
    """A broken manifest is reported and skipped; the other skills still load."""
    good = _copy_skill("caption-ab", tmp_path, version="2.0.0")
    broken = tmp_path / "broken-skill"
    broken.mkdir()
    (broken / "SKILL.md").write_text("---\nname: [\n---\nbody\n", encoding="utf-8")
    found = discover_skills([tmp_path])
    assert found.skills["caption-ab"].path == good / "SKILL.md"
    assert [p.path for p in found.problems] == [broken / "SKILL.md"]
    assert sorted(found.skills) == list(BUNDLED)


def test_env_path_holds_several_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SKILLRT_SKILLS_PATH is split on the path separator; the first folder wins."""
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    _copy_skill("caption-ab", first, version="3.0.0")
    _copy_skill("caption-ab", second, version="4.0.0")
    monkeypatch.setenv("SKILLRT_SKILLS_PATH", f"{first}:{second}")
    assert discover_skills().skills["caption-ab"].version == "3.0.0"


def test_clawhub_install_is_detected_through_the_loader(tmp_path: Path) -> None:
    """A skill folder with .clawhub/origin.json reports platform clawhub."""
    folder = _copy_skill("caption-ab", tmp_path)
    (folder / ".clawhub").mkdir()
    (folder / ".clawhub" / "origin.json").write_text("{}", encoding="utf-8")
    assert discover_skills([tmp_path]).skills["caption-ab"].platform == "clawhub"


def test_a_manifest_never_imports_code(tmp_path: Path) -> None:
    """YAML tags that would construct Python objects are refused, not executed."""
    folder = _copy_skill("caption-ab", tmp_path)
    file = folder / "SKILL.md"
    file.write_text(
        file.read_text(encoding="utf-8").replace(
            "license: MIT", "license: !!python/object/apply:os.system ['echo pwned']"
        ),
        encoding="utf-8",
    )
    found = discover_skills([tmp_path])
    assert found.problems
    assert "invalid YAML" in str(found.problems[0])
