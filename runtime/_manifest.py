"""The SKILL.md frontmatter as a pydantic model: the single source of the manifest schema.

``SKILL_SCHEMA.md`` documents it and ``skills/skill.schema.json`` is generated from it
(``python -m skillrt.runtime.schema``); a test fails when they drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from skillrt.router import KEYWORD_ACTIONS

__all__ = [
    "DEFAULT_MAX_UPLOAD_BYTES",
    "DEFAULT_UPLOAD_TYPES",
    "LEGACY_FIELDS",
    "EnvVarSpec",
    "InstallSpec",
    "Keywords",
    "LocalizedText",
    "Manifest",
    "ManifestMetadata",
    "OpenClawMetadata",
    "OpenClawRequires",
    "RuntimeSettings",
    "UploadPolicy",
    "legacy_fields",
]

DEFAULT_UPLOAD_TYPES: tuple[str, ...] = (
    "mp4",
    "mov",
    "avi",
    "webm",
    "mkv",
    "jpg",
    "png",
    "gif",
    "webp",
    "mp3",
    "wav",
    "m4a",
    "aac",
)
DEFAULT_MAX_UPLOAD_BYTES = 500 * 1024 * 1024

_NAME = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_SEMVER = (
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$"
)
_ORIGIN = r"^https?://[A-Za-z0-9.\-]+(:\d{1,5})?$"


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid", strict=True, populate_by_name=True, frozen=True, str_strip_whitespace=True
    )


class _Open(BaseModel):
    model_config = ConfigDict(
        extra="allow", strict=True, populate_by_name=True, frozen=True, str_strip_whitespace=True
    )


class LocalizedText(_Strict):
    """Phrases in English and Chinese."""

    en: list[str] = Field(default_factory=list, description="English phrases.")
    zh: list[str] = Field(default_factory=list, description="Chinese phrases.")

    def all(self) -> list[str]:
        """Every phrase, English first."""
        return [*self.en, *self.zh]


class Keywords(_Strict):
    """Extra router keywords per action, added to the built-in table."""

    export: LocalizedText = Field(default_factory=LocalizedText)
    credits: LocalizedText = Field(default_factory=LocalizedText)
    state: LocalizedText = Field(default_factory=LocalizedText)
    upload: LocalizedText = Field(default_factory=LocalizedText)

    @model_validator(mode="after")
    def _one_action_per_keyword(self) -> Keywords:
        seen: dict[str, str] = {}
        for action in KEYWORD_ACTIONS:
            for word in getattr(self, action).all():
                key = word.casefold().strip()
                if not key:
                    raise ValueError(f"an empty keyword under '{action}'")
                other = seen.get(key)
                if other is not None and other != action:
                    raise ValueError(
                        f"keyword {word!r} is listed under both '{other}' and '{action}'; "
                        "a keyword must name one action"
                    )
                seen[key] = action
        return self

    def table(self) -> dict[str, list[str]]:
        """``{action: [keyword, ...]}`` for the router."""
        return {action: getattr(self, action).all() for action in KEYWORD_ACTIONS}


class UploadPolicy(_Strict):
    """What the backend accepts for upload; checked before any byte is sent."""

    types: list[str] = Field(
        default_factory=lambda: list(DEFAULT_UPLOAD_TYPES),
        description="Accepted file extensions, lower case, without the dot.",
    )
    max_bytes: int = Field(
        default=DEFAULT_MAX_UPLOAD_BYTES, alias="maxBytes", gt=0, description="Size limit per file."
    )

    @field_validator("types")
    @classmethod
    def _extensions(cls, value: list[str]) -> list[str]:
        for ext in value:
            if not re.fullmatch(r"[a-z0-9]{1,8}", ext):
                raise ValueError(
                    f"{ext!r} is not a lower-case extension without a dot (e.g. 'mp4')"
                )
        return value


class RuntimeSettings(_Strict):
    """``metadata.skillrt``: what the runtime needs from a skill."""

    display_name: str = Field(
        alias="displayName",
        min_length=1,
        max_length=80,
        description="The skill's name as people read it.",
    )
    app: str = Field(
        default="nemo_agent",
        pattern=r"^[a-z0-9_]{1,64}$",
        description="Backend app name used in chat, session, upload and state paths.",
    )
    api_url: str | None = Field(
        default=None,
        alias="apiUrl",
        pattern=_ORIGIN,
        description="API origin for this skill; overrides NEMO_API_URL. Tokens are per origin.",
    )
    greeting: LocalizedText = Field(
        default_factory=LocalizedText, description="What the skill says when a chat starts."
    )
    try_saying: LocalizedText = Field(
        alias="trySaying", description="Example requests shown to users (at least one English)."
    )
    upload: UploadPolicy = Field(default_factory=UploadPolicy)
    keywords: Keywords = Field(default_factory=Keywords)

    @field_validator("try_saying")
    @classmethod
    def _has_examples(cls, value: LocalizedText) -> LocalizedText:
        if not value.en:
            raise ValueError("give at least one English example under trySaying.en")
        return value


class OpenClawRequires(_Open):
    """``metadata.openclaw.requires``: what must exist before OpenClaw shows the skill."""

    bins: list[str] = Field(default_factory=list, description="Commands that must be on PATH.")
    any_bins: list[str] = Field(default_factory=list, alias="anyBins")
    env: list[str] = Field(default_factory=list, description="Variables that must be set.")
    config: list[str] = Field(default_factory=list)

    @field_validator("env")
    @classmethod
    def _token_not_required(cls, value: list[str]) -> list[str]:
        if "NEMO_TOKEN" in value:
            raise ValueError(
                "do not require NEMO_TOKEN: skillrt fetches an anonymous token, and OpenClaw "
                "hides skills whose required variables are unset; name it in primaryEnv instead"
            )
        return value


class InstallSpec(_Open):
    """One entry of ``metadata.openclaw.install``: how a host installs a required command."""

    id: str
    kind: Literal["brew", "node", "go", "uv", "download"]
    package: str | None = None
    formula: str | None = None
    module: str | None = None
    url: str | None = None
    bins: list[str] = Field(default_factory=list)
    label: str | None = None

    @model_validator(mode="after")
    def _kind_has_its_field(self) -> InstallSpec:
        needed = {
            "brew": "formula",
            "node": "package",
            "uv": "package",
            "go": "module",
            "download": "url",
        }[self.kind]
        if getattr(self, needed) is None:
            raise ValueError(f"install kind '{self.kind}' needs '{needed}'")
        return self


class EnvVarSpec(_Open):
    """One entry of ``metadata.openclaw.envVars``: a variable the skill reads (ClawHub format)."""

    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    required: bool = True
    description: str | None = None


class OpenClawMetadata(_Open):
    """``metadata.openclaw``: what OpenClaw and ClawHub read."""

    emoji: str
    homepage: str | None = Field(
        default=None, pattern=r"^https://\S+$", description="Shown as the skill's website."
    )
    primary_env: str = Field(default="NEMO_TOKEN", alias="primaryEnv")
    env_vars: list[EnvVarSpec] = Field(
        default_factory=list,
        alias="envVars",
        description="Variables the skill reads; optional ones with required: false.",
    )
    requires: OpenClawRequires
    install: list[InstallSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _installs_skillrt(self) -> OpenClawMetadata:
        if "skillrt" not in self.requires.bins:
            raise ValueError("requires.bins must list 'skillrt': hosts run the skillrt command")
        if not any("skillrt" in spec.bins for spec in self.install):
            raise ValueError("add an install entry whose bins include 'skillrt'")
        for var in self.env_vars:
            if var.name == "NEMO_TOKEN" and var.required:
                raise ValueError(
                    "declare NEMO_TOKEN with required: false: skillrt fetches an anonymous "
                    "token when it is unset"
                )
        return self


class ManifestMetadata(_Open):
    """``metadata``: one block per host or runtime; other hosts' blocks are kept as they are."""

    version: str = Field(pattern=_SEMVER, description="Quoted semver; sent as X-Skill-Version.")
    openclaw: OpenClawMetadata
    skillrt: RuntimeSettings


#: Fields of the first manifest layout, which the Agent Skills specification does not allow
#: at the top level, and where each lives now. Old manifests still load (with a warning).
LEGACY_FIELDS: dict[str, tuple[str, ...]] = {
    "version": ("metadata", "version"),
    "displayName": ("metadata", "skillrt", "displayName"),
    "homepage": ("metadata", "openclaw", "homepage"),
}


def legacy_fields(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``[(old, new), ...]``: the top-level fields of ``data`` that belong under ``metadata``."""
    return [(old, ".".join(new)) for old, new in LEGACY_FIELDS.items() if old in data]


def _move_legacy_fields(data: Any) -> Any:
    """The frontmatter with each legacy top-level field moved to its place under metadata.

    A field given in both places is left where it is, so validation reports it.
    """
    if not isinstance(data, Mapping) or not any(old in data for old in LEGACY_FIELDS):
        return data
    moved: dict[str, Any] = dict(data)
    for old, new in LEGACY_FIELDS.items():
        if old not in moved:
            continue
        parent: Any = moved
        for key in new[:-1]:
            child = parent.get(key) if isinstance(parent, Mapping) else None
            if not isinstance(child, Mapping):
                break
            child = dict(child)
            parent[key] = child
            parent = child
        else:
            if new[-1] not in parent:
                parent[new[-1]] = moved.pop(old)
    return moved


class Manifest(_Open):
    """The YAML frontmatter of a SKILL.md."""

    name: str = Field(
        max_length=64, pattern=_NAME, description="kebab-case; equal to the skill's folder name."
    )
    description: str = Field(
        min_length=1, max_length=1024, description="What the skill does and when to use it."
    )
    license: str | None = None
    compatibility: str | None = Field(default=None, max_length=500)
    metadata: ManifestMetadata

    @model_validator(mode="before")
    @classmethod
    def _legacy_layout(cls, data: Any) -> Any:
        return _move_legacy_fields(data)

    @model_validator(mode="after")
    def _no_legacy_leftovers(self) -> Manifest:
        extra = self.model_extra or {}
        for old, new in legacy_fields(extra):
            raise ValueError(f"{old!r} is given at the top level and as {new}; keep only {new}")
        return self

    @property
    def runtime(self) -> RuntimeSettings:
        """The ``metadata.skillrt`` block."""
        return self.metadata.skillrt

    @property
    def version(self) -> str:
        """``metadata.version``, sent as ``X-Skill-Version``."""
        return self.metadata.version

    @property
    def display_name(self) -> str:
        """``metadata.skillrt.displayName``."""
        return self.metadata.skillrt.display_name

    @property
    def homepage(self) -> str | None:
        """``metadata.openclaw.homepage``."""
        return self.metadata.openclaw.homepage
