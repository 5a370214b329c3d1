"""A corpus of broken manifests: each is rejected with its own message naming file and field."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillrt.cli import app
from skillrt.errors import ManifestError
from skillrt.runtime import MAX_MANIFEST_BYTES, bundled_skills_dir, load_skill

GOOD = (bundled_skills_dir() / "caption-ab" / "SKILL.md").read_text(encoding="utf-8")


def _replace(old: str, new: str) -> Callable[[str], str]:
    def mutate(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return mutate


@dataclass(frozen=True)
class Broken:
    """One kind of broken manifest and what its error must say."""

    mutate: Callable[[str], str] | bytes
    field: str | None
    message: str
    folder: str = "caption-ab"
    line: int | None = None


CORPUS: dict[str, Broken] = {
    "bad-yaml": Broken(
        _replace("license: MIT", "license: [MIT"),
        None,
        "flow sequence at line 9",
        line=10,
    ),
    "no-frontmatter": Broken(lambda t: t.split("---", 2)[2], None, "no YAML frontmatter", line=1),
    "unclosed-frontmatter": Broken(
        lambda t: t.replace("\n---\n\n# Caption AB", "\n\n# Caption AB"),
        None,
        "never closed",
    ),
    "frontmatter-not-mapping": Broken(
        lambda t: "---\n- just\n- a list\n---\nbody\n", None, "not a mapping"
    ),
    "missing-description": Broken(
        lambda t: re.sub(r"description: >-\n(  .*\n)+", "", t), "description", "Field required"
    ),
    "version-not-quoted": Broken(
        _replace('version: "1.0.0"', "version: 1.0"), "metadata.version", "quote it", line=12
    ),
    "version-not-semver": Broken(
        _replace('version: "1.0.0"', 'version: "v1"'), "metadata.version", "semantic versioning"
    ),
    "name-not-folder": Broken(
        _replace("name: caption-ab", "name: caption-test"),
        "name",
        "differs from the folder",
        line=2,
    ),
    "name-not-kebab": Broken(
        _replace("name: caption-ab", "name: Caption_AB"),
        "name",
        "lower-case words",
        folder="Caption_AB",
    ),
    "description-too-long": Broken(
        _replace("description: >-\n", "description: >-\n  " + "x" * 1100 + "\n"),
        "description",
        "at most 1024",
    ),
    "unknown-keyword-action": Broken(
        _replace("    keywords:\n", '    keywords:\n      publish:\n        en: ["publish it"]\n'),
        "metadata.skillrt.keywords.publish",
        "export, credits, state and upload only",
    ),
    "keyword-under-two-actions": Broken(
        _replace(
            "    keywords:\n", '    keywords:\n      export:\n        en: ["show both variants"]\n'
        ),
        "metadata.skillrt.keywords",
        "listed under both 'export' and 'state'",
    ),
    "keyword-of-another-built-in-action": Broken(
        _replace(
            '          - "show both variants"\n',
            '          - "show both variants"\n          - download\n',
        ),
        "metadata.skillrt.keywords",
        "listed under both 'export' and 'state'",
    ),
    "wrong-type-try-saying": Broken(
        _replace("    trySaying:\n      en:\n", "    trySaying:\n      en: oops\n      xx:\n"),
        "metadata.skillrt.trySaying.en",
        "write it as a YAML list",
    ),
    "token-required": Broken(
        _replace(
            "      bins:\n        - skillrt\n    install:",
            "      bins:\n        - skillrt\n      env:\n        - NEMO_TOKEN\n    install:",
        ),
        "metadata.openclaw.requires.env",
        "do not require NEMO_TOKEN",
    ),
    "no-skillrt-bin": Broken(
        _replace(
            "      bins:\n        - skillrt\n    install:",
            "      bins:\n        - ffmpeg\n    install:",
        ),
        "metadata.openclaw",
        "must list 'skillrt'",
    ),
    "upload-type-with-dot": Broken(
        _replace("types:\n        - mp4\n", "types:\n        - .mp4\n"),
        "metadata.skillrt.upload.types",
        "without a dot",
    ),
    "upload-limit-not-number": Broken(
        _replace("maxBytes: 524288000", "maxBytes: 500MB"),
        "metadata.skillrt.upload.maxBytes",
        "whole number",
    ),
    "typo-in-runtime-block": Broken(
        _replace("    app: nemo_agent\n", "    app: nemo_agent\n    greetng: hi\n"),
        "metadata.skillrt.greetng",
        "remove it or check its spelling",
    ),
    "nemo-token-declared-required": Broken(
        _replace("        required: false\n", "        required: true\n"),
        "metadata.openclaw",
        "declare NEMO_TOKEN with required: false",
    ),
    "version-in-both-layouts": Broken(
        _replace("license: MIT\n", 'license: MIT\nversion: "1.0.0"\n'),
        None,
        "given at the top level and as metadata.version",
    ),
    "empty-body": Broken(lambda t: t.split("\n---\n", 1)[0] + "\n---\n\n", None, "instructions"),
    "oversized": Broken(lambda t: t + "x" * MAX_MANIFEST_BYTES, None, "the limit is"),
    "not-utf8": Broken(
        GOOD.encode("utf-8").replace(b"Caption AB\n", b"Caption \xff\n", 1), None, "not UTF-8"
    ),
}


def _write(tmp_path: Path, case: Broken) -> Path:
    folder = tmp_path / case.folder
    folder.mkdir()
    file = folder / "SKILL.md"
    if isinstance(case.mutate, bytes):
        file.write_bytes(case.mutate)
    else:
        file.write_text(case.mutate(GOOD), encoding="utf-8")
    return file


def test_the_corpus_is_large_enough() -> None:
    """The issue asks for at least ten kinds of broken manifest."""
    assert len(CORPUS) >= 10


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_broken_manifest_is_rejected_precisely(name: str, tmp_path: Path) -> None:
    """load_skill raises a ManifestError naming the file, the field and the problem."""
    case = CORPUS[name]
    file = _write(tmp_path, case)
    with pytest.raises(ManifestError) as caught:
        load_skill(file)
    error = caught.value
    text = "\n".join(str(p) for p in error.problems)
    assert str(file) in text
    assert case.message in text
    if case.field is not None:
        assert any(p.field == case.field for p in error.problems), text
    if case.line is not None:
        assert error.line == case.line, text


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_validate_command_exits_1_with_the_message(name: str, tmp_path: Path) -> None:
    """`skillrt skills validate PATH` exits 1 and prints file, field and message on stderr."""
    case = CORPUS[name]
    file = _write(tmp_path, case)
    result = CliRunner().invoke(app, ["skills", "validate", str(file.parent)])
    assert result.exit_code == 1, result.output
    assert str(file) in result.stderr
    assert case.message in result.stderr
    if case.field is not None:
        assert f"field '{case.field}'" in result.stderr
    assert result.stdout == ""


def test_all_problems_of_one_manifest_are_reported(tmp_path: Path) -> None:
    """Several wrong fields in one manifest are all named, not only the first."""
    text = GOOD.replace('version: "1.0.0"', "version: 1").replace(
        "    displayName: Caption AB\n", ""
    )
    folder = tmp_path / "caption-ab"
    folder.mkdir()
    (folder / "SKILL.md").write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError) as caught:
        load_skill(folder)
    fields = {p.field for p in caught.value.problems}
    assert {"metadata.version", "metadata.skillrt.displayName"} <= fields
