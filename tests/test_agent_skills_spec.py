"""Manifests every host accepts: the reference validator, our spec rules, the old layout."""

from __future__ import annotations

import shutil
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillrt.cli import app
from skillrt.runtime import ManifestDeprecationWarning, bundled_skills_dir, load_skill
from skillrt.runtime._spec import spec_problems

skills_ref = pytest.importorskip(
    "skills_ref.validator", reason="the reference validator: pip install -e '.[dev]'"
)

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = sorted(p.parent.name for p in bundled_skills_dir().glob("*/SKILL.md"))
LEGACY = ROOT / "tests" / "data" / "legacy-layout" / "caption-ab"
GOOD = (bundled_skills_dir() / "caption-ab" / "SKILL.md").read_text(encoding="utf-8")


def _agentskills() -> list[str]:
    script = Path(sys.executable).with_name("agentskills")
    found = str(script) if script.exists() else shutil.which("agentskills")
    if found is None:
        pytest.skip("the agentskills command is missing: pip install -e '.[dev]'")
    return [found]


def test_three_skills_are_bundled() -> None:
    """The parametrized checks below cover every bundled skill."""
    assert BUNDLED == ["caption-ab", "free-generation-maker", "video-meta-ai"]


@pytest.mark.parametrize("name", BUNDLED)
def test_reference_validator_accepts_each_bundled_skill(name: str) -> None:
    """`agentskills validate DIR` (PyPI skills-ref) exits 0 for each bundled skill."""
    folder = bundled_skills_dir() / name
    result = subprocess.run(
        [*_agentskills(), "validate", str(folder)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Valid skill" in result.stdout


def test_reference_validator_refuses_the_old_layout() -> None:
    """The first layout fails the reference validator: that is why it moved."""
    result = subprocess.run(
        [*_agentskills(), "validate", str(LEGACY)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1


def _edit(old: str, new: str) -> Callable[[str], str]:
    def mutate(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return mutate


#: name → (mutation of the good manifest, folder name); both validators must agree on each.
VARIANTS: dict[str, tuple[Callable[[str], str], str]] = {
    "good": (lambda t: t, "caption-ab"),
    "flow-list": (
        _edit("      bins:\n        - skillrt\n", '      bins: ["skillrt"]\n'),
        "caption-ab",
    ),
    "flow-mapping": (
        _edit('      en:\n        - "Send', '      {en: x}\n      xx:\n        - "Send'),
        "caption-ab",
    ),
    "anchor": (_edit("license: MIT", "license: &lic MIT"), "caption-ab"),
    "top-level-version": (
        _edit("license: MIT\n", 'license: MIT\nversion: "1.0.0"\n'),
        "caption-ab",
    ),
    "unknown-top-level": (_edit("license: MIT\n", "license: MIT\ntags: video\n"), "caption-ab"),
    "folder-mismatch": (lambda t: t, "caption-xy"),
    "upper-case-name": (_edit("name: caption-ab", "name: Caption-ab"), "Caption-ab"),
    "double-hyphen": (_edit("name: caption-ab", "name: caption--ab"), "caption--ab"),
    "long-description": (
        _edit("description: >-\n", "description: >-\n  " + "x" * 1030 + "\n"),
        "caption-ab",
    ),
    "long-compatibility": (
        _edit("compatibility: Needs", "compatibility: " + "y" * 501 + " Needs"),
        "caption-ab",
    ),
    "no-description": (_edit("description: >-\n", "summary: >-\n"), "caption-ab"),
    "tag": (_edit("license: MIT", "license: !!str MIT"), "caption-ab"),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_our_spec_rules_agree_with_the_reference_validator(variant: str, tmp_path: Path) -> None:
    """skillrt's Agent Skills rules accept exactly what the reference validator accepts."""
    mutate, folder_name = VARIANTS[variant]
    folder = tmp_path / folder_name
    folder.mkdir()
    text = mutate(GOOD)
    (folder / "SKILL.md").write_text(text, encoding="utf-8")
    reference = skills_ref.validate(folder)
    ours = spec_problems(folder / "SKILL.md", text)
    assert (not reference) == (not ours), (reference, [str(p) for p in ours])


def test_old_layout_loads_with_a_deprecation_warning_per_field() -> None:
    """An old-layout manifest loads; each moved field is named with its file and new place."""
    with pytest.warns(ManifestDeprecationWarning) as record:
        skill = load_skill(LEGACY, env={})
    messages = [str(w.message) for w in record]
    assert len(messages) == 3
    file = str(LEGACY / "SKILL.md")
    assert all(m.startswith(file + ":") for m in messages)
    assert any("'version'" in m and "metadata.version" in m for m in messages)
    assert any("'displayName'" in m and "metadata.skillrt.displayName" in m for m in messages)
    assert any("'homepage'" in m and "metadata.openclaw.homepage" in m for m in messages)
    assert skill.version == "1.0.0"
    assert skill.manifest.display_name == "Caption AB"
    assert skill.manifest.homepage == "https://nemovideo.com"


@pytest.mark.parametrize("name", BUNDLED)
def test_new_layout_loads_without_warnings(name: str) -> None:
    """The bundled skills use the new layout: version, displayName, homepage under metadata."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        skill = load_skill(bundled_skills_dir() / name, env={})
    assert skill.version == "1.0.0"
    assert skill.manifest.metadata.version == skill.version
    assert skill.manifest.display_name
    assert skill.manifest.homepage == "https://nemovideo.com"
    token = {v.name: v for v in skill.manifest.metadata.openclaw.env_vars}["NEMO_TOKEN"]
    assert token.required is False
    assert token.description


def test_validate_applies_the_spec_rules_by_default() -> None:
    """`skills validate` fails the old layout on the hosts' rules; --no-spec only warns."""
    runner = CliRunner()
    strict = runner.invoke(app, ["skills", "validate", str(LEGACY)])
    assert strict.exit_code == 1
    assert "flow-style list" in strict.stderr
    assert "field 'version'" in strict.stderr
    assert "move it to metadata.version" in strict.stderr
    assert "ClawHub rule: declare NEMO_TOKEN" in strict.stderr
    lenient = runner.invoke(app, ["skills", "validate", "--no-spec", str(LEGACY)])
    assert lenient.exit_code == 0, lenient.output
    assert "deprecated:" in lenient.stderr
    assert "metadata.skillrt.displayName" in lenient.stderr
    bundled = runner.invoke(app, ["skills", "validate", str(bundled_skills_dir())])
    assert bundled.exit_code == 0, bundled.output
    assert bundled.stdout.count("ok: ") == 3
