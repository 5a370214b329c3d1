"""The `skillrt` command: version, skills list/show/validate, output conventions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from skillrt import __version__
from skillrt.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def test_version() -> None:
    """--version prints the one version of the package."""
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"skillrt {__version__}"


def test_list_json_has_the_three_skills() -> None:
    """skills list --json gives name, version, displayName, platform and path of each skill."""
    result = runner.invoke(app, ["skills", "list", "--json"])
    assert result.exit_code == 0, result.output
    skills = json.loads(result.stdout)
    assert [s["name"] for s in skills] == ["caption-ab", "free-generation-maker", "video-meta-ai"]
    for skill in skills:
        assert {"name", "version", "displayName", "platform", "path"} <= set(skill)
        assert Path(skill["path"]).name == "SKILL.md"
        assert skill["platform"] == "unknown"


def test_list_reports_broken_skills_on_stderr(tmp_path: Path) -> None:
    """A broken manifest is named on stderr while stdout still lists the good ones."""
    bad = tmp_path / "bad-skill"
    bad.mkdir()
    (bad / "SKILL.md").write_text("no frontmatter\n", encoding="utf-8")
    result = runner.invoke(app, ["skills", "list", "--json", "--path", str(tmp_path)])
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 3
    assert str(bad / "SKILL.md") in result.stderr


def test_show_json() -> None:
    """skills show NAME --json includes the manifest with its field names as written."""
    result = runner.invoke(app, ["skills", "show", "caption-ab", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["manifest"]["metadata"]["skillrt"]["displayName"] == "Caption AB"
    assert data["manifest"]["metadata"]["openclaw"]["requires"]["bins"] == ["skillrt"]


def test_show_text_and_unknown_skill() -> None:
    """skills show prints a readable page; an unknown name exits 1 naming the known ones."""
    result = runner.invoke(app, ["skills", "show", "video-meta-ai"])
    assert result.exit_code == 0
    assert "Video Meta AI" in result.stdout
    missing = runner.invoke(app, ["skills", "show", "nope"])
    assert missing.exit_code == 1
    assert "caption-ab" in missing.stderr


def test_validate_bundled_skills_folder() -> None:
    """skills validate skills/ exits 0 with one ok line per skill on stdout."""
    result = runner.invoke(app, ["skills", "validate", str(ROOT / "skills")])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("ok: ") == 3


def test_validate_usage_errors_exit_2(tmp_path: Path) -> None:
    """A path that does not exist, or an unknown option, is a usage error (exit 2)."""
    assert runner.invoke(app, ["skills", "validate", str(tmp_path / "nope")]).exit_code == 2
    assert runner.invoke(app, ["skills", "validate", "--bogus"]).exit_code == 2


def test_validate_folder_without_skills_exits_1(tmp_path: Path) -> None:
    """An existing folder without any SKILL.md is invalid input, not silently fine."""
    result = runner.invoke(app, ["skills", "validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "no SKILL.md" in result.stderr


def test_console_script_without_tty_has_no_colour() -> None:
    """The installed command writes plain text (no ANSI escapes) when not on a terminal."""
    env = {**os.environ, "NO_COLOR": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "skillrt", "skills", "list"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert "\x1b[" not in result.stdout + result.stderr
    assert "free-generation-maker" in result.stdout
