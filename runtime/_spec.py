"""The Agent Skills specification's rules for a SKILL.md, as every host applies them.

skillrt's own model (:mod:`skillrt.runtime._manifest`) is more lenient in two ways hosts
are not: it reads full YAML (flow-style ``[a, b]`` lists, anchors, tags), and it keeps
unknown top-level fields. The reference validator (``agentskills validate``, PyPI
``skills-ref``) reads the frontmatter with StrictYAML and allows only the specification's
top-level fields; this module gives the same verdicts, as :class:`ManifestError` s with a
line and a hint, so ``skillrt skills validate`` shows what a host would refuse.

Only YAML *events* are read here (no object is built, no alias is expanded).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import yaml

from skillrt.errors import ManifestError
from skillrt.runtime._manifest import LEGACY_FIELDS, Manifest

__all__ = ["SPEC_FIELDS", "clawhub_problems", "spec_problems"]

#: The top-level fields the specification allows.
SPEC_FIELDS = frozenset(
    {"name", "description", "license", "compatibility", "metadata", "allowed-tools"}
)
_MAX_NAME = 64
_MAX_DESCRIPTION = 1024
_MAX_COMPATIBILITY = 500
_SPEC = "Agent Skills rule"


def spec_problems(file: Path, text: str) -> list[ManifestError]:
    """Every Agent Skills rule the SKILL.md ``text`` (read from ``file``) breaks."""
    yaml_text, offset = _frontmatter(text)
    if yaml_text is None:
        return [_problem(file, "the file must start with a '---' line (YAML frontmatter)", 1)]
    try:
        events = list(yaml.parse(yaml_text, Loader=yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + offset if mark is not None else None
        return [_problem(file, f"invalid YAML: {getattr(exc, 'problem', exc)}", line)]
    problems = _style_problems(file, events, offset)
    top = _top_level(events)
    if top is None:
        return [*problems, _problem(file, "the frontmatter must be a YAML mapping", offset)]
    extra = sorted(set(top) - SPEC_FIELDS)
    for key in extra:
        problems.append(
            _problem(
                file,
                f"top-level field {key!r} is not in the specification "
                f"(allowed: {', '.join(sorted(SPEC_FIELDS))})",
                top[key][1] + offset,
                field=key,
                hint=f"move it to {'.'.join(LEGACY_FIELDS[key])}"
                if key in LEGACY_FIELDS
                else "move it under metadata",
            )
        )
    problems += _name_problems(file, top, offset)
    problems += _length_problem(file, top, "description", _MAX_DESCRIPTION, offset, required=True)
    problems += _length_problem(file, top, "compatibility", _MAX_COMPATIBILITY, offset)
    return problems


def _frontmatter(text: str) -> tuple[str | None, int]:
    """The frontmatter as the reference validator cuts it: between the first two ``---``."""
    text = text.removeprefix("\ufeff")
    if not text.startswith("---"):
        return None, 1
    parts = text.split("---", 2)
    if len(parts) < 3:
        return None, 1
    return parts[1], 1


def _problem(
    file: Path, message: str, line: int | None, *, field: str | None = None, hint: str | None = None
) -> ManifestError:
    return ManifestError(f"{_SPEC}: {message}", path=file, field=field, line=line, hint=hint)


def _style_problems(file: Path, events: list[yaml.Event], offset: int) -> list[ManifestError]:
    """StrictYAML refuses flow collections, anchors and aliases, and explicit tags."""
    problems: list[ManifestError] = []
    for event in events:
        line = event.start_mark.line + offset if event.start_mark is not None else None
        if isinstance(event, yaml.CollectionStartEvent) and event.flow_style:
            kind = "list" if isinstance(event, yaml.SequenceStartEvent) else "mapping"
            problems.append(
                _problem(
                    file,
                    f"a flow-style {kind} ({'[…]' if kind == 'list' else '{…}'}) is refused "
                    "by the strict YAML hosts read",
                    line,
                    hint="write one '- item' per line (block style)",
                )
            )
        elif isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            problems.append(
                _problem(
                    file, "YAML anchors and aliases are refused", line, hint="write values out"
                )
            )
        elif isinstance(event, yaml.NodeEvent) and _explicit_tag(event):
            tag = getattr(event, "tag", None)
            problems.append(
                _problem(file, f"YAML tag {tag!r} is refused", line, hint="remove the tag")
            )
    return problems


def _explicit_tag(event: yaml.NodeEvent) -> bool:
    tag = getattr(event, "tag", None)
    if tag is None:
        return False
    implicit = getattr(event, "implicit", True)
    if isinstance(implicit, tuple):
        return not any(implicit)
    return not implicit


def _top_level(events: list[yaml.Event]) -> dict[str, tuple[str | None, int]] | None:
    """``{key: (scalar value or None, 0-based line)}`` of the top-level mapping."""
    index = 0
    while index < len(events) and not isinstance(events[index], yaml.NodeEvent):
        index += 1
    if index >= len(events) or not isinstance(events[index], yaml.MappingStartEvent):
        return None
    found: dict[str, tuple[str | None, int]] = {}
    index += 1
    while index < len(events) and not isinstance(events[index], yaml.MappingEndEvent):
        key_event = events[index]
        index += 1
        key = key_event.value if isinstance(key_event, yaml.ScalarEvent) else str(key_event)
        value_event = events[index]
        value = value_event.value if isinstance(value_event, yaml.ScalarEvent) else None
        index = _skip_node(events, index)
        mark = key_event.start_mark
        found.setdefault(str(key), (value, mark.line if mark is not None else 0))
    return found


def _skip_node(events: list[yaml.Event], index: int) -> int:
    """The index after the node starting at ``index``."""
    depth = 0
    while True:
        event = events[index]
        index += 1
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        if depth == 0:
            return index


def _name_problems(
    file: Path, top: dict[str, tuple[str | None, int]], offset: int
) -> list[ManifestError]:
    if "name" not in top or not (top["name"][0] or "").strip():
        return [_problem(file, "'name' must be a non-empty string", offset, field="name")]
    raw, line0 = top["name"]
    assert raw is not None
    name = unicodedata.normalize("NFKC", raw.strip())
    line = line0 + offset
    messages = []
    if len(name) > _MAX_NAME:
        messages.append(f"name {name!r} is longer than {_MAX_NAME} characters")
    if name != name.lower():
        messages.append(f"name {name!r} must be lower case")
    if name.startswith("-") or name.endswith("-"):
        messages.append("name must not start or end with a hyphen")
    if "--" in name:
        messages.append("name must not hold two hyphens in a row")
    if not all(c.isalnum() or c == "-" for c in name):
        messages.append(f"name {name!r} may hold only letters, digits and hyphens")
    folder = unicodedata.normalize("NFKC", file.parent.name)
    if folder != name:
        messages.append(f"the folder name {file.parent.name!r} must equal the name {name!r}")
    return [_problem(file, message, line, field="name") for message in messages]


def _length_problem(
    file: Path,
    top: dict[str, tuple[str | None, int]],
    key: str,
    limit: int,
    offset: int,
    *,
    required: bool = False,
) -> list[ManifestError]:
    if key not in top:
        if required:
            return [_problem(file, f"{key!r} is required", offset, field=key, hint="add it")]
        return []
    value, line0 = top[key]
    if value is None or (required and not value.strip()):
        return [_problem(file, f"{key!r} must be a non-empty string", line0 + offset, field=key)]
    if len(value) > limit:
        return [
            _problem(
                file,
                f"{key!r} is {len(value)} characters; the limit is {limit}",
                line0 + offset,
                field=key,
            )
        ]
    return []


def clawhub_problems(file: Path, manifest: Manifest) -> list[ManifestError]:
    """What ClawHub's skill format asks of a skillrt skill beyond the specification.

    ClawHub's review compares the variables a skill reads with what it declares; skillrt
    reads ``NEMO_TOKEN`` when set, so it must be declared as an optional ``envVars`` entry.
    """
    declared = {var.name: var for var in manifest.metadata.openclaw.env_vars}
    token = declared.get("NEMO_TOKEN")
    if token is None or not (token.description or "").strip():
        return [
            ManifestError(
                "ClawHub rule: declare NEMO_TOKEN as an optional variable with a description",
                path=file,
                field="metadata.openclaw.envVars",
                hint="add '- name: NEMO_TOKEN', 'required: false' and a 'description' line",
            )
        ]
    return []
