"""The checked-in JSON Schema and SKILL_SCHEMA.md follow the pydantic model."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from skillrt.runtime import bundled_skills_dir
from skillrt.runtime._manifest import Manifest
from skillrt.runtime.schema import manifest_json_schema, render_schema

ROOT = Path(__file__).resolve().parents[1]


def test_checked_in_schema_matches_the_model() -> None:
    """skills/skill.schema.json is exactly what the model generates (regenerate on change)."""
    checked_in = (ROOT / "skills" / "skill.schema.json").read_text(encoding="utf-8")
    assert checked_in == render_schema(), (
        "skills/skill.schema.json is stale: run "
        "`.venv/bin/python -m skillrt.runtime.schema > skills/skill.schema.json`"
    )


def test_schema_ships_with_the_package() -> None:
    """The installed package carries the same schema file."""
    shipped = (bundled_skills_dir() / "skill.schema.json").read_text(encoding="utf-8")
    assert json.loads(shipped) == manifest_json_schema()


def _leaf_fields(schema: dict[str, object]) -> set[str]:
    defs = schema["$defs"]
    assert isinstance(defs, dict)
    names: set[str] = set()
    for node in [schema, *defs.values()]:
        assert isinstance(node, dict)
        names.update(node.get("properties", {}))
    return names


def test_schema_doc_mentions_every_field() -> None:
    """SKILL_SCHEMA.md documents every field name the model accepts."""
    doc = (ROOT / "SKILL_SCHEMA.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`(?:[\w\[\]]+\.)*(\w+)`", doc))
    missing = sorted(_leaf_fields(manifest_json_schema()) - documented)
    assert not missing, f"SKILL_SCHEMA.md does not document: {missing}"


@pytest.mark.parametrize("name", ["free-generation-maker", "video-meta-ai", "caption-ab"])
def test_bundled_manifest_validates_against_json_schema(name: str) -> None:
    """Each bundled frontmatter is valid for the model (the schema's source)."""
    import yaml

    text = (bundled_skills_dir() / name / "SKILL.md").read_text(encoding="utf-8")
    data = yaml.safe_load(text.split("---", 2)[1])
    assert Manifest.model_validate(data).name == name
