"""Load skills and run conversations with them against the NemoVideo backend."""

from skillrt.runtime._loader import (
    MAX_MANIFEST_BYTES,
    Discovery,
    Skill,
    SkillSource,
    bundled_skills_dir,
    discover_skills,
    load_skill,
    parse_manifest,
    user_skills_dir,
)
from skillrt.runtime._manifest import Manifest, RuntimeSettings
from skillrt.runtime._platform import detect_platform

__all__ = [
    "MAX_MANIFEST_BYTES",
    "Discovery",
    "Manifest",
    "RuntimeSettings",
    "Skill",
    "SkillSource",
    "bundled_skills_dir",
    "detect_platform",
    "discover_skills",
    "load_skill",
    "parse_manifest",
    "user_skills_dir",
]
