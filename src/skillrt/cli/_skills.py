"""``skillrt skills``: list, show and validate skill manifests."""

from __future__ import annotations

import warnings
from pathlib import Path

import typer

from skillrt.cli._output import emit_json, fail, stderr, stdout
from skillrt.errors import ManifestError, SkillNotFoundError
from skillrt.hosts import find_installs
from skillrt.runtime import (
    ManifestDeprecationWarning,
    Skill,
    clawhub_problems,
    discover_skills,
    load_skill,
    skill_files,
    spec_problems,
    user_skills_dir,
)

app = typer.Typer(
    help=(
        "Skill manifests. Skills are found, first name wins, in: paths given, "
        "SKILLRT_SKILLS_PATH, the user's skills folder, the bundled skills."
    ),
    no_args_is_help=True,
)


def _report(problems: list[ManifestError]) -> None:
    console = stderr()
    for problem in problems:
        for detail in problem.problems:
            console.print(f"invalid: {detail}", markup=False)


@app.command("list")
def list_skills(
    json_output: bool = typer.Option(False, "--json", help="Print JSON on stdout."),
    path: list[Path] = typer.Option([], "--path", "-p", help="Also look here (first)."),
) -> None:
    """List the skills found; a broken manifest is reported on stderr and skipped."""
    found = discover_skills(path)
    _report(found.problems)
    project = Path.cwd()
    skills = [
        {**skill.summary(), "installed": _installs(skill.name, project)}
        for skill in found.skills.values()
    ]
    if json_output:
        emit_json(skills)
        return
    console = stdout()
    for item in skills:
        hosts = ", ".join(sorted({i["host"] for i in item["installed"]})) or "-"
        console.print(
            f"{item['name']:<24} {item['version']:<10} {item['platform']:<11} "
            f"{hosts:<28} {item['path']}",
            markup=False,
        )
    if not skills:
        stderr().print(f"no skills found (user folder: {user_skills_dir()})", markup=False)


def _installs(name: str, project: Path) -> list[dict[str, str]]:
    """Where a skill of that name is installed for a host (user folders, and this project's)."""
    return [
        {
            "host": place.host,
            "scope": place.scope,
            "path": str(place.path),
            "by": "skillrt" if place.by_skillrt else "other",
        }
        for place in find_installs(name, project=project)
    ]


@app.command("show")
def show_skill(
    name: str = typer.Argument(..., help="The skill's name."),
    json_output: bool = typer.Option(False, "--json", help="Print JSON on stdout."),
    path: list[Path] = typer.Option([], "--path", "-p", help="Also look here (first)."),
) -> None:
    """Show one skill's manifest."""
    found = discover_skills(path)
    try:
        skill = found.find(name)
    except SkillNotFoundError as exc:
        fail(exc)
    if json_output:
        emit_json(_details(skill))
        return
    _print_details(skill)


def _details(skill: Skill) -> dict[str, object]:
    return {
        **skill.summary(),
        "manifest": skill.manifest.model_dump(by_alias=True, mode="json", exclude_none=True),
    }


def _print_details(skill: Skill) -> None:
    console = stdout()
    settings = skill.manifest.runtime
    emoji = skill.manifest.metadata.openclaw.emoji
    console.print(
        f"{emoji} {skill.manifest.display_name} ({skill.name} {skill.version})", markup=False
    )
    console.print(skill.manifest.description, markup=False)
    console.print(
        f"path: {skill.path}  platform: {skill.platform}  source: {skill.source}", markup=False
    )
    console.print("try saying:", markup=False)
    for example in settings.try_saying.all():
        console.print(f"  - {example}", markup=False)
    types = ", ".join(settings.upload.types)
    console.print(
        f"uploads: {types}; at most {settings.upload.max_bytes // 2**20} MB", markup=False
    )


@app.command("validate")
def validate(
    paths: list[Path] = typer.Argument(
        None, help="SKILL.md files, skill folders or folders of skills (default: all found)."
    ),
    spec: bool = typer.Option(
        True,
        "--spec/--no-spec",
        help="Also apply the Agent Skills rules every host applies, and ClawHub's (default on).",
    ),
) -> None:
    """Validate manifests strictly: exit 0 when all are valid, 1 when any is not."""
    problems: list[ManifestError] = []
    valid: list[Skill] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ManifestDeprecationWarning)
        if paths:
            for root in paths:
                if not root.exists():
                    stderr().print(f"error: {root}: no such file or folder", markup=False)
                    raise typer.Exit(2)
                files = list(skill_files(root))
                if not files:
                    problems.append(
                        ManifestError(
                            "no SKILL.md here",
                            path=root,
                            hint="give a SKILL.md or a folder that holds one",
                        )
                    )
                for file in files:
                    try:
                        valid.append(load_skill(file))
                    except ManifestError as exc:
                        problems.append(exc)
        else:
            found = discover_skills()
            valid, problems = list(found.skills.values()), found.problems
    for warning in caught:
        if issubclass(warning.category, ManifestDeprecationWarning):
            stderr().print(f"deprecated: {warning.message}", markup=False)
    good: list[Skill] = []
    for skill in valid:
        found_here = _host_rules(skill) if spec else []
        if found_here:
            first = found_here[0]
            first.problems = found_here
            problems.append(first)
        else:
            good.append(skill)
    for skill in good:
        stdout().print(f"ok: {skill.name} {skill.version} {skill.path}", markup=False)
    _report(problems)
    if problems:
        raise typer.Exit(1)


def _host_rules(skill: Skill) -> list[ManifestError]:
    """The Agent Skills rules and ClawHub's, for a skill skillrt itself accepts."""
    text = skill.path.read_text(encoding="utf-8")
    return [*spec_problems(skill.path, text), *clawhub_problems(skill.path, skill.manifest)]
