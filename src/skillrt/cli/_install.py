"""``skillrt install`` / ``uninstall`` (skills into hosts) and ``skillrt mcp install``."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from skillrt.cli._output import emit_json, fail, stderr, stdout
from skillrt.errors import InputError, SkillrtError
from skillrt.hosts import (
    HOSTS,
    MCP_CLIENTS,
    Host,
    InstallResult,
    McpClient,
    add_mcp_server,
    claude_mcp_add_command,
    install_skill,
    mcp_config_path,
    say,
    server_entry,
    uninstall_skill,
)
from skillrt.i18n import normalize_language
from skillrt.runtime import Skill, discover_skills

__all__ = ["install_command", "mcp_install_command", "uninstall_command"]

_HOST_HELP = f"Where to install: {', '.join(HOSTS)}."
_SCOPE_HELP = "Install into this project folder (default: the user's folder, --user)."


def _host(value: str) -> Host:
    for host in HOSTS:
        if value == host:
            return host
    raise typer.BadParameter(f"{value!r} is not one of {', '.join(HOSTS)}", param_hint="--host")


def _client(value: str) -> McpClient:
    for client in MCP_CLIENTS:
        if value == client:
            return client
    raise typer.BadParameter(
        f"{value!r} is not one of {', '.join(MCP_CLIENTS)}", param_hint="--client"
    )


def _scope(project: Path | None, user: bool) -> Path | None:
    if project is not None and user:
        raise typer.BadParameter("give --project DIR or --user, not both", param_hint="--user")
    if project is not None and not project.is_dir():
        raise typer.BadParameter(f"{project} is not a folder", param_hint="--project")
    return project.resolve() if project is not None else None


def _language() -> str:
    """The terminal's language (``LANG``, e.g. ``zh_CN.UTF-8``), English by default."""
    return normalize_language(os.environ.get("LC_ALL") or os.environ.get("LANG"))


def _selected(names: list[str], every: bool, paths: list[Path]) -> list[Skill]:
    if bool(names) == every:
        raise typer.BadParameter("name one or more skills, or give --all", param_hint="SKILL")
    found = discover_skills(paths)
    if every:
        return list(found.skills.values())
    unknown = [name for name in names if name not in found.skills]
    if unknown:
        known = ", ".join(sorted(found.skills)) or "none"
        names_text = ", ".join(map(repr, unknown))
        raise InputError(say("err_unknown_skills", _language(), names=names_text, known=known))
    return [found.skills[name] for name in names]


def _print(results: list[InstallResult], json_output: bool) -> None:
    if json_output:
        emit_json(
            [
                {
                    "name": r.name,
                    "host": r.host,
                    "path": str(r.path),
                    "status": r.status,
                    "version": r.version,
                }
                for r in results
            ]
        )
        return
    console = stdout()
    language = _language()
    for r in results:
        line = say(r.status, language, name=r.name, version=r.version, path=r.path)
        console.print(line, markup=False)


def install_command(
    skills: list[str] = typer.Argument(None, help="Skill names (or --all)."),
    every: bool = typer.Option(False, "--all", help="Every skill skillrt finds."),
    host: str = typer.Option(..., "--host", help=_HOST_HELP),
    project: Path | None = typer.Option(None, "--project", help=_SCOPE_HELP),
    user: bool = typer.Option(False, "--user", help="Install for the user (the default)."),
    force: bool = typer.Option(False, "--force", help="Replace a skill skillrt did not install."),
    path: list[Path] = typer.Option([], "--path", "-p", help="Also look for skills here."),
    json_output: bool = typer.Option(False, "--json", help="Print JSON on stdout."),
) -> None:
    """Copy skills to where an agent host loads them; prints where. Idempotent."""
    target = _host(host)
    root = _scope(project, user)
    try:
        chosen = _selected(skills or [], every, path)
        language = _language()
        results = [
            install_skill(s, target, project=root, force=force, language=language) for s in chosen
        ]
    except SkillrtError as exc:
        fail(exc)
    _print(results, json_output)


def uninstall_command(
    skills: list[str] = typer.Argument(..., help="Skill names."),
    host: str = typer.Option(..., "--host", help=_HOST_HELP),
    project: Path | None = typer.Option(None, "--project", help=_SCOPE_HELP),
    user: bool = typer.Option(False, "--user", help="The user's folder (the default)."),
    force: bool = typer.Option(False, "--force", help="Remove even locally edited files."),
    json_output: bool = typer.Option(False, "--json", help="Print JSON on stdout."),
) -> None:
    """Remove what `skillrt install` wrote; files it did not write stay."""
    target = _host(host)
    root = _scope(project, user)
    try:
        language = _language()
        results = [
            uninstall_skill(n, target, project=root, force=force, language=language) for n in skills
        ]
    except SkillrtError as exc:
        fail(exc)
    _print(results, json_output)


def mcp_install_command(
    client: str = typer.Option(..., "--client", help=f"One of {', '.join(MCP_CLIENTS)}."),
    project: Path | None = typer.Option(
        None, "--project", help="The project's config (.mcp.json, .cursor/mcp.json)."
    ),
    print_only: bool = typer.Option(
        False, "--print", help="Print the config entry (or `claude mcp add …`); write nothing."
    ),
    backend: str | None = typer.Option(
        None, "--backend", help="Pass --backend to the server: local, cloud or a URL."
    ),
    json_output: bool = typer.Option(False, "--json", help="Print JSON on stdout."),
) -> None:
    """Add the skillrt MCP server to a client's config: others kept, backup written."""
    target = _client(client)
    root = _scope(project, False)
    entry = server_entry(backend=backend)
    language = _language()
    try:
        config = mcp_config_path(target, project=root, language=language)
        if print_only:
            if target == "claude-code" and not json_output:
                stdout().print(claude_mcp_add_command(entry, project=root), markup=False)
            else:
                emit_json({"path": str(config), "mcpServers": {"skillrt": entry}})
            return
        result = add_mcp_server(config, entry, language=language)
    except SkillrtError as exc:
        fail(exc)
    if json_output:
        emit_json(
            {
                "path": str(result.path),
                "status": result.status,
                "backup": str(result.backup) if result.backup else None,
                "entry": result.entry,
            }
        )
        return
    stdout().print(say(f"mcp_{result.status}", language, path=result.path), markup=False)
    if result.backup is not None:
        stderr().print(say("mcp_backup", language, path=result.backup), markup=False)
    stderr().print(say("mcp_restart", language, client=target), markup=False)
