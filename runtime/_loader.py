"""Find, read and validate skill manifests (SKILL.md: YAML frontmatter, then Markdown).

Discovery order, first name found wins: paths given explicitly, ``SKILLRT_SKILLS_PATH``
(``os.pathsep``-separated), the user's skills folder, the skills bundled with skillrt.
YAML is read with ``safe_load`` semantics only and a manifest never names code to import;
aliases and deep nesting are refused (:mod:`skillrt.runtime._manifest_yaml`), and discovery
turns any problem with one file into a :class:`ManifestError` for that file.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import platformdirs
import yaml
from pydantic import ValidationError

from skillrt.errors import ManifestError, RoutingError, SkillNotFoundError
from skillrt.log import get_logger
from skillrt.router import check_keywords
from skillrt.runtime._envelope import messages
from skillrt.runtime._manifest import Manifest, legacy_fields
from skillrt.runtime._manifest_yaml import load_frontmatter
from skillrt.runtime._platform import detect_platform

__all__ = [
    "MAX_MANIFEST_BYTES",
    "Discovery",
    "ManifestDeprecationWarning",
    "Skill",
    "SkillSource",
    "bundled_skills_dir",
    "discover_skills",
    "find_skill",
    "load_skill",
    "parse_manifest",
    "skill_files",
    "user_skills_dir",
]

#: A SKILL.md larger than this is refused before it is parsed.
MAX_MANIFEST_BYTES = 256 * 1024

SkillSource = Literal["explicit", "env", "user", "bundled"]

_log = get_logger(__name__)


class ManifestDeprecationWarning(FutureWarning):
    """A manifest uses the first layout: a field that now lives under ``metadata``.

    A :class:`FutureWarning`, so that people running skillrt see it by default.
    """


@dataclass(frozen=True)
class Skill:
    """A validated skill: its manifest, its instructions and where it was found."""

    manifest: Manifest
    body: str
    path: Path
    source: SkillSource = "explicit"
    platform: str = "unknown"

    @property
    def name(self) -> str:
        """The skill's name (``X-Skill-Source``)."""
        return self.manifest.name

    @property
    def version(self) -> str:
        """The skill's version (``X-Skill-Version``)."""
        return self.manifest.version

    def summary(self) -> dict[str, Any]:
        """What ``skillrt skills list --json`` shows of the skill."""
        return {
            "name": self.name,
            "version": self.version,
            "displayName": self.manifest.display_name,
            "description": self.manifest.description,
            "platform": self.platform,
            "source": self.source,
            "path": str(self.path),
        }


@dataclass
class Discovery:
    """What discovery found: the usable skills by name, and every manifest it had to skip."""

    skills: dict[str, Skill] = field(default_factory=dict)
    problems: list[ManifestError] = field(default_factory=list)

    def find(self, name: str) -> Skill:
        """The skill called ``name``; :class:`SkillNotFoundError` (naming the known skills,
        or why a manifest of that name was skipped) when there is none."""
        skill = self.skills.get(name)
        if skill is not None:
            return skill
        broken = [p for p in self.problems if p.path is not None and p.path.parent.name == name]
        hint = f"its manifest is invalid: {broken[0]}" if broken else None
        raise SkillNotFoundError(name, list(self.skills), hint=hint)


def user_skills_dir() -> Path:
    """The user's own skills folder (``skillrt skills list`` shows it in its help)."""
    return platformdirs.user_data_path("skillrt", appauthor=False) / "skills"


def bundled_skills_dir() -> Path:
    """The folder of skills shipped inside the skillrt package."""
    return Path(str(resources.files("skillrt.skills")))


def _split_frontmatter(text: str, path: Path) -> tuple[str, str, int]:
    """``(yaml_text, body, first_yaml_line)``; raises when there is no frontmatter."""
    text = text.removeprefix("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise ManifestError(
            "no YAML frontmatter",
            path=path,
            line=1,
            hint="start the file with a line '---', the YAML fields, then another '---'",
        )
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), 2
    raise ManifestError(
        "the frontmatter is never closed",
        path=path,
        line=1,
        hint="end the YAML fields with a line '---'",
    )


def _key_lines(
    node: yaml.Node, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], int]]:
    """Every key path of a composed YAML mapping with its 0-based line."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            path = (*prefix, str(key.value))
            yield path, key.start_mark.line
            yield from _key_lines(value, path)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield (*prefix, str(index)), item.start_mark.line
            yield from _key_lines(item, (*prefix, str(index)))


def _line_for(lines: Mapping[tuple[str, ...], int], loc: Sequence[str], offset: int) -> int | None:
    for end in range(len(loc), 0, -1):
        line = lines.get(tuple(loc[:end]))
        if line is not None:
            return line + offset
    return None


_TYPE_HINTS = {
    "string_type": "write it as a quoted string",
    "list_type": "write it as a YAML list",
    "dict_type": "write it as a YAML mapping",
    "int_type": "write it as a whole number",
    "missing": "add it",
    "extra_forbidden": "remove it or check its spelling",
}


_VERSION_LOC = ["metadata", "version"]


def _field_errors(
    exc: ValidationError, path: Path, lines: Mapping[tuple[str, ...], int], offset: int
) -> list[ManifestError]:
    problems = []
    for error in exc.errors(include_url=False):
        loc = [str(part) for part in error["loc"]]
        dotted = ".".join(loc) or "(frontmatter)"
        message = error["msg"].removeprefix("Value error, ")
        hint: str | None
        if error["type"] == "string_pattern_mismatch":
            message = f"{error.get('input')!r} is not in the required form"
        if error["type"] == "string_type" and loc == _VERSION_LOC:
            message += f" (got {error.get('input')!r})"
            hint = 'quote it, e.g. version: "1.0.0"'
        elif error["type"] == "string_pattern_mismatch" and loc == ["name"]:
            hint = "use lower-case words joined by hyphens, e.g. caption-ab"
        elif error["type"] == "string_pattern_mismatch" and loc == _VERSION_LOC:
            hint = 'use semantic versioning, e.g. "1.2.0"'
        elif error["type"] == "string_pattern_mismatch":
            hint = f"it must match {error.get('ctx', {}).get('pattern')}"
        elif error["type"] == "extra_forbidden" and "keywords" in loc:
            hint = "keywords may be given for export, credits, state and upload only"
        else:
            hint = _TYPE_HINTS.get(error["type"])
        problems.append(
            ManifestError(
                message,
                path=path,
                field=dotted,
                line=_line_for(lines, loc, offset),
                hint=hint,
            )
        )
    return problems


def parse_manifest(text: str, path: Path) -> tuple[Manifest, str]:
    """Validate the SKILL.md ``text`` read from ``path``; returns ``(manifest, body)``.

    Raises :class:`ManifestError` for the first problem, with all of them in ``problems``.
    """
    yaml_text, body, offset = _split_frontmatter(text, path)
    try:
        node, data = load_frontmatter(yaml_text, path, offset)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + offset if mark is not None else None
        problem = exc.problem or str(exc)
        context = exc.context_mark
        if exc.context and context is not None and context.line + offset != line:
            problem += f" ({exc.context} at line {context.line + offset})"
        raise ManifestError(
            f"invalid YAML: {problem}",
            path=path,
            line=line,
            hint="fix the YAML syntax (quote strings holding ':' or '#')",
        ) from exc
    except yaml.YAMLError as exc:
        raise ManifestError(f"invalid YAML: {exc}", path=path) from exc
    if not isinstance(data, dict) or node is None:
        raise ManifestError(
            "the frontmatter is not a mapping of fields",
            path=path,
            line=offset,
            hint="write 'name: …', 'description: …' and the other fields as 'key: value'",
        )
    lines = dict(_key_lines(node))
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as exc:
        problems = _field_errors(exc, path, lines, offset)
        first = problems[0]
        first.problems = problems
        raise first from None
    _warn_legacy_layout(data, path, lines, offset)
    try:
        check_keywords(manifest.runtime.keywords.table())
    except RoutingError as exc:
        raise ManifestError(
            f"{exc.message}, counting the router's built-in keywords",
            path=path,
            field="metadata.skillrt.keywords",
            line=_line_for(lines, ["metadata", "skillrt", "keywords"], offset),
            hint="remove the keyword, or keep it under the action the built-in table gives it",
        ) from None
    if not body.strip():
        raise ManifestError(
            "the instructions after the frontmatter are empty",
            path=path,
            hint="write what the skill does and how a host agent uses it",
        )
    return manifest, body


def _warn_legacy_layout(
    data: Mapping[str, Any], path: Path, lines: Mapping[tuple[str, ...], int], offset: int
) -> None:
    """One :class:`ManifestDeprecationWarning` per top-level field of the first layout."""
    for old, new in legacy_fields(data):
        line = _line_for(lines, [old], offset)
        where = f"{path}:{line}" if line is not None else str(path)
        warnings.warn(
            ManifestDeprecationWarning(
                f"{where}: top-level {old!r} is deprecated (Agent Skills hosts refuse it); "
                f"move it to {new}"
            ),
            stacklevel=2,
        )


def load_skill(
    path: Path,
    *,
    source: SkillSource = "explicit",
    env: Mapping[str, str] | None = None,
) -> Skill:
    """Read and validate one skill, given its SKILL.md or its folder.

    Raises :class:`ManifestError` for anything wrong with it, and only that: whatever else
    goes wrong while reading one file is that file's problem, not the caller's crash.
    """
    env = os.environ if env is None else env
    file = path / "SKILL.md" if _is_dir(path) else path
    try:
        return _load_file(file, source, env)
    except ManifestError:
        raise
    except Exception as exc:
        raise _unexpected_problem(file, exc) from exc


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def _load_file(file: Path, source: SkillSource, env: Mapping[str, str]) -> Skill:
    try:
        size = file.stat().st_size
    except FileNotFoundError:
        raise ManifestError(
            "no such file", path=file, hint="give a SKILL.md or a folder that holds one"
        ) from None
    except OSError as exc:
        raise ManifestError(f"cannot read the file: {exc.strerror}", path=file) from exc
    if size > MAX_MANIFEST_BYTES:
        raise ManifestError(
            f"the file is {size} bytes; the limit is {MAX_MANIFEST_BYTES}",
            path=file,
            hint="move long reference material out of SKILL.md",
        )
    try:
        with file.open("rb") as handle:
            # At most one byte past the limit: a file that grew since stat() is still refused.
            raw = handle.read(MAX_MANIFEST_BYTES + 1)
    except OSError as exc:
        t = messages()
        detail = exc.strerror or type(exc).__name__
        message = t.render("err_manifest_unreadable", "en", detail=detail)
        raise ManifestError(message, path=file) from exc
    if len(raw) > MAX_MANIFEST_BYTES:
        raise ManifestError(
            f"the file is over {MAX_MANIFEST_BYTES} bytes",
            path=file,
            hint="move long reference material out of SKILL.md",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ManifestError(
            f"not UTF-8 text (byte {exc.start})", path=file, hint="save the file as UTF-8"
        ) from exc
    manifest, body = parse_manifest(text, file)
    if manifest.name != file.parent.name:
        raise ManifestError(
            f"name {manifest.name!r} differs from the folder name {file.parent.name!r}",
            path=file,
            field="name",
            line=_name_line(text),
            hint="rename the folder or the skill so that they match",
        )
    platform = detect_platform(file.resolve(), env=env, home=Path.home().resolve())
    return Skill(manifest=manifest, body=body, path=file, source=source, platform=platform)


def _name_line(text: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("name:"):
            return number
    return None


def _is_file(path: Path) -> bool:
    # A child folder without read permission holds no skill we can use; never raise.
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def skill_files(root: Path) -> Iterator[Path]:
    """SKILL.md files at ``root``: a file, a skill folder, or a folder of skill folders."""
    if _is_file(root):
        yield root
    elif _is_file(root / "SKILL.md"):
        yield root / "SKILL.md"
    elif root.is_dir():
        for child in sorted(root.iterdir()):
            if _is_file(child / "SKILL.md"):
                yield child / "SKILL.md"


def _expand(entry: str) -> Path:
    try:
        return Path(entry).expanduser()
    except RuntimeError:  # "~someone" with no such user: the entry names no folder
        return Path(entry)


def _roots(
    paths: Iterable[Path], env: Mapping[str, str], user_dir: Path | None, bundled: bool
) -> Iterator[tuple[Path, SkillSource]]:
    for path in paths:
        yield path, "explicit"
    for entry in env.get("SKILLRT_SKILLS_PATH", "").split(os.pathsep):
        if entry.strip():
            yield _expand(entry), "env"
    yield (user_dir if user_dir is not None else user_skills_dir()), "user"
    if bundled:
        yield bundled_skills_dir(), "bundled"


def discover_skills(
    paths: Iterable[Path] = (),
    *,
    env: Mapping[str, str] | None = None,
    user_dir: Path | None = None,
    bundled: bool = True,
) -> Discovery:
    """Find every skill, leniently: a broken manifest is reported and skipped."""
    env = os.environ if env is None else env
    found = Discovery()
    for root, source in _roots(paths, env, user_dir, bundled):
        try:
            files = list(skill_files(root))
        except (OSError, ValueError) as exc:
            found.problems.append(_unreadable_folder(root, exc))
            continue
        for file in files:
            try:
                skill = load_skill(file, source=source, env=env)
            except ManifestError as exc:  # the only error load_skill raises
                found.problems.append(exc)
                continue
            found.skills.setdefault(skill.name, skill)
    return found


def _unreadable_folder(root: Path, exc: Exception) -> ManifestError:
    t = messages()
    detail = getattr(exc, "strerror", None) or type(exc).__name__
    return ManifestError(
        t.render("err_skills_folder_unreadable", "en", detail=detail),
        path=root,
        hint=t.render("hint_skills_folder_unreadable", "en"),
    )


def _unexpected_problem(file: Path, exc: Exception) -> ManifestError:
    _log.info("discovery.unexpected_error", path=str(file), error=type(exc).__name__)
    t = messages()
    return ManifestError(
        t.render("err_manifest_unexpected", "en", kind=type(exc).__name__),
        path=file,
        hint=t.render("hint_manifest_unexpected", "en"),
    )


def find_skill(
    name: str, paths: Iterable[Path] = (), *, env: Mapping[str, str] | None = None
) -> Skill:
    """Discover skills (as :func:`discover_skills`) and return the one called ``name``.

    Raises :class:`~skillrt.errors.SkillNotFoundError` when there is none.
    """
    return discover_skills(paths, env=env).find(name)
