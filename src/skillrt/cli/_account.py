"""``skillrt credits``, ``state``, ``export [--resume]`` and ``jobs``: the non-chat actions."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

from skillrt.cli._backend import Backend, backend_option, open_backend
from skillrt.cli._output import emit_json, fail, stderr, stdout
from skillrt.errors import InputError, SkillrtError
from skillrt.runtime import (
    DEFAULT_TIMEOUT,
    BackendClient,
    BackendConfig,
    ExportFlow,
    ExportProgress,
    ExportResult,
    FileCredentialStore,
    JobRecord,
    SessionRecord,
    Skill,
    SqliteJobStore,
    SqliteSessionStore,
    discover_skills,
    find_skill,
    origin_of,
    say,
    skillrt_home,
)
from skillrt.translators import summarize_timeline

__all__ = ["credits_command", "export_command", "jobs_command", "state_command"]

_SKILL_HELP = "The skill (default: the one of the most recent conversation)."


def _skill(name: str | None, backend: str | None = None) -> Skill:
    if name is not None:
        return find_skill(name)
    found = discover_skills()
    if not found.skills:
        raise InputError("no skills found", hint="see `skillrt skills list`")
    recent = _most_recent_skill(found.skills, backend)
    return recent or found.skills[sorted(found.skills)[0]]


def _most_recent_skill(skills: dict[str, Skill], backend: str | None) -> Skill | None:
    """The skill whose conversation a message was last sent on, on the origin that
    ``--backend`` gives that skill (a local emulator keeps no conversations)."""
    try:
        sessions = SqliteSessionStore.in_dir(skillrt_home()).recent()
    except SkillrtError:
        return None  # unreadable state: fall back to the first skill, as without any
    choice = (backend or "cloud").strip()
    for record in sessions:
        skill = skills.get(record.skill)
        if skill is None:
            continue
        if choice == "cloud":
            origin = BackendConfig.from_env(skill=skill).origin
        elif choice.lower().startswith(("http://", "https://")):
            origin = origin_of(choice)
        else:
            return None
        if record.origin == origin:
            return skill
    return None


@contextmanager
def _client(backend: Backend, skill: Skill, language: str = "en") -> Iterator[BackendClient]:
    with httpx.Client(timeout=DEFAULT_TIMEOUT) as http:
        yield BackendClient(
            http,
            skill=skill,
            config=backend.config,
            credentials=FileCredentialStore.in_dir(backend.config.data_dir),
            language=language,
        )


def _session(backend: Backend, skill: Skill) -> SessionRecord:
    record = SqliteSessionStore.in_dir(backend.config.data_dir).get(
        skill.name, backend.config.origin
    )
    if record is None:
        raise InputError(say("no_session", "en"), hint=say("hint_no_session", "en"))
    return record


def credits_command(
    skill_name: str | None = typer.Option(None, "--skill", "-s", help=_SKILL_HELP),
    backend: str = backend_option(),
    json_output: bool = typer.Option(False, "--json", help="Print JSON on stdout."),
) -> None:
    """Show the credit balance: available, frozen (reserved by running work), total."""
    try:
        skill = _skill(skill_name, backend)
        with open_backend(backend, skill) as target, _client(target, skill) as client:
            balance = client.credits()
    except SkillrtError as exc:
        fail(exc)
    if json_output:
        emit_json(dataclasses.asdict(balance))
        return
    stdout().print(say("credits_summary", "en", **dataclasses.asdict(balance)), markup=False)


def state_command(
    skill_name: str | None = typer.Argument(None, help=_SKILL_HELP),
    backend: str = backend_option(),
    json_output: bool = typer.Option(False, "--json", help="Print the raw state as JSON."),
) -> None:
    """Show the timeline of the skill's current project."""
    try:
        skill = _skill(skill_name, backend)
        with open_backend(backend, skill) as target:
            record = _session(target, skill)
            with _client(target, skill, record.language) as client:
                state = client.state(record.session_id)
    except SkillrtError as exc:
        fail(exc)
    if json_output:
        emit_json({"session_id": record.session_id, "task_id": record.task_id, "state": state.raw})
        return
    stdout().print(summarize_timeline(state.draft, record.language), markup=False)


@contextmanager
def _progress_bar() -> Iterator[Any]:
    console = stderr()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task("export", total=100)

        def show(item: ExportProgress) -> None:
            if item.stage == "downloading" and item.total:
                progress.update(
                    task, description="download", completed=item.received, total=item.total
                )
            elif item.stage in ("submitted", "rendering"):
                progress.update(
                    task, description=f"render {item.percent}%", completed=item.percent, total=100
                )

        yield show


def _result_data(result: ExportResult) -> dict[str, Any]:
    return {
        "job_id": result.job_id,
        "path": str(result.path),
        "size": result.size,
        "duration_s": result.duration_s,
        "url": result.url,
        "task_link": result.task_link,
    }


def _report(result: ExportResult, language: str, json_output: bool) -> None:
    if json_output:
        emit_json(_result_data(result))
        return
    stderr().print(
        say(
            "export_done",
            language,
            path=str(result.path),
            size_mb=f"{result.size / 2**20:.1f}",
            duration=result.duration_s,
        ),
        markup=False,
    )
    if result.task_link:
        stderr().print(say("task_link", language, link=result.task_link), markup=False)
    stdout().print(str(result.path), markup=False)


def export_command(
    skill_name: str | None = typer.Argument(None, help=_SKILL_HELP),
    output: Path | None = typer.Option(None, "--output", "-o", help="Where to write the MP4."),
    resume: bool = typer.Option(False, "--resume", help="Finish unfinished exports instead."),
    backend: str = backend_option(),
    json_output: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Export the current project to an MP4 (or, with --resume, finish earlier exports)."""
    if resume:
        _resume(skill_name, json_output)
        return
    try:
        skill = _skill(skill_name, backend)
        with open_backend(backend, skill) as target:
            record = _session(target, skill)
            with _client(target, skill, record.language) as client, _progress_bar() as show:
                flow = ExportFlow(
                    client, SqliteJobStore.in_dir(target.config.data_dir), on_progress=show
                )
                dest = output.resolve() if output is not None else None
                result = flow.run(record.session_id, task_id=record.task_id, dest=dest)
    except SkillrtError as exc:
        fail(exc)
    _report(result, record.language, json_output)


def _resume(skill_name: str | None, json_output: bool) -> None:
    """Finish every unfinished job, each on the origin it was submitted to."""
    failure: SkillrtError | None = None
    try:
        base = BackendConfig.from_env()
        jobs = SqliteJobStore.in_dir(base.data_dir)
        pending = [j for j in jobs.unfinished() if skill_name in (None, j.skill)]
    except SkillrtError as exc:
        fail(exc)
    if not pending:
        stderr().print(say("no_unfinished_jobs", "en"), markup=False)
        return
    for job in pending:
        outcome = _resume_one(base, jobs, job)
        if isinstance(outcome, SkillrtError):
            stderr().print(f"{job.id}: {outcome}", markup=False)
            failure = failure or outcome
        else:
            _report(outcome, job.language, json_output)
    if failure is not None:
        fail(failure)


def _resume_one(
    base: BackendConfig, jobs: SqliteJobStore, job: JobRecord
) -> ExportResult | SkillrtError:
    try:
        skill = _skill(job.skill)
        # The job's own origin: its token is stored (and only ever sent) there.
        target = Backend(dataclasses.replace(base, api_url=job.origin), "url")
        stderr().print(say("resuming", job.language, job_id=job.id), markup=False)
        with _client(target, skill, job.language) as client, _progress_bar() as show:
            return ExportFlow(client, jobs, on_progress=show).resume(job)
    except SkillrtError as exc:
        return exc


def _age(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(seconds))


def jobs_command(
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="How many jobs to show."),
    json_output: bool = typer.Option(False, "--json", help="Print JSON on stdout."),
) -> None:
    """List recorded exports, newest first (unfinished ones resume with `export --resume`)."""
    try:
        jobs = SqliteJobStore.in_dir(skillrt_home()).recent(limit)
    except SkillrtError as exc:
        fail(exc)
    if json_output:
        emit_json([dataclasses.asdict(job) for job in jobs])
        return
    if not jobs:
        stderr().print(say("no_jobs", "en"), markup=False)
        return
    console = stdout()
    for job in jobs:
        console.print(
            f"{job.id:<22} {job.status:<11} {job.progress:>3}% {job.skill:<22} "
            f"{_age(job.created)}  {job.path or ''}",
            markup=False,
        )
