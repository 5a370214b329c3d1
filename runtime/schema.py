"""The JSON Schema of a SKILL.md frontmatter, generated from :class:`Manifest`.

``python -m skillrt.runtime.schema > skills/skill.schema.json`` regenerates the checked-in
copy; ``tests/test_schema.py`` fails when the two drift apart.
"""

from __future__ import annotations

import json
from typing import Any

from skillrt.runtime._manifest import Manifest

__all__ = ["SCHEMA_ID", "manifest_json_schema", "render_schema"]

SCHEMA_ID = "https://skillrt.dev/schemas/skill.schema.json"


def manifest_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the frontmatter, with field names as written."""
    schema = Manifest.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }


def render_schema() -> str:
    """The schema as the exact text of ``skills/skill.schema.json``."""
    return json.dumps(manifest_json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


if __name__ == "__main__":
    print(render_schema(), end="")
