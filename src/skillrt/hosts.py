"""Put skills and the MCP server where agent hosts look for them.

Two jobs, both plain file work:

- :func:`install_skill` / :func:`uninstall_skill` copy a skill folder into a host's skills
  folder (:func:`skills_dir`), and remove only what they wrote: every install leaves an
  :data:`INSTALL_RECORD` file naming each file it wrote with its SHA-256. Files another
  installer owns (ClawHub's ``.clawhub/``) are never written or removed.
- :func:`add_mcp_server` merges the ``skillrt`` entry into an MCP client's JSON config
  (:func:`mcp_config_path`), keeping every other key, writing a backup first, and changing
  nothing when the entry is already there. No token is ever written: ``NEMO_TOKEN`` stays
  in the environment.

Where each host looks is documented, with sources, in ``docs/hosts/``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import platformdirs

from skillrt import __version__
from skillrt.errors import InputError, StoreError
from skillrt.i18n import Catalog
from skillrt.runtime import Skill

__all__ = [
    "HOSTS",
    "INSTALL_RECORD",
    "MCP_CLIENTS",
    "SERVER_NAME",
    "Host",
    "InstallResult",
    "Installed",
    "McpClient",
    "McpResult",
    "add_mcp_server",
    "claude_mcp_add_command",
    "find_installs",
    "install_skill",
    "mcp_config_path",
    "say",
    "server_entry",
    "skills_dir",
    "uninstall_skill",
]

Host = Literal["claude-code", "cursor", "openclaw", "agents"]
HOSTS: tuple[Host, ...] = ("claude-code", "cursor", "openclaw", "agents")
McpClient = Literal["claude-desktop", "claude-code", "cursor"]
MCP_CLIENTS: tuple[McpClient, ...] = ("claude-desktop", "claude-code", "cursor")

#: The file ``skillrt install`` writes into each skill folder it installs.
INSTALL_RECORD = ".skillrt-install.json"
#: The MCP server's name in client configs.
SERVER_NAME = "skillrt"
#: Folders inside a skill that belong to another installer and are never touched.
_FOREIGN = (".clawhub", ".clawdhub")
_TEXT = Catalog("skillrt")


def say(name: str, language: str = "en", /, **context: Any) -> str:
    """Message ``name`` of skillrt's own catalog (installing into hosts) in ``language``."""
    return _TEXT.render(name, language, **context)


def skills_dir(
    host: Host,
    *,
    project: Path | None = None,
    home: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Path:
    """The folder ``host`` loads skills from: the project's (``project``) or the user's."""
    env = os.environ if env is None else env
    if project is not None:
        sub = {
            "claude-code": Path(".claude", "skills"),
            "cursor": Path(".cursor", "skills"),
            "openclaw": Path("skills"),
            "agents": Path(".agents", "skills"),
        }[host]
        return project / sub
    home = Path.home() if home is None else home
    if host == "openclaw":
        state = env.get("OPENCLAW_STATE_DIR", "").strip()
        return (Path(state).expanduser() if state else home / ".openclaw") / "skills"
    return (
        home / {"claude-code": ".claude", "cursor": ".cursor", "agents": ".agents"}[host] / "skills"
    )


@dataclass(frozen=True)
class InstallResult:
    """What :func:`install_skill` or :func:`uninstall_skill` did, and where."""

    name: str
    host: Host
    path: Path
    status: Literal["installed", "updated", "unchanged", "removed", "absent"]
    version: str = ""


@dataclass(frozen=True)
class Installed:
    """One place a skill is installed (``skillrt skills list``)."""

    host: Host
    scope: Literal["user", "project"]
    path: Path
    by_skillrt: bool


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _source_files(folder: Path) -> Iterator[Path]:
    """The skill's own files, relative: files (copied by content), no hidden paths."""
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") or part == "__pycache__" for part in relative.parts):
            continue
        if path.is_file():
            yield relative


def _read_record(folder: Path, language: str) -> dict[str, Any] | None:
    path = folder / INSTALL_RECORD
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise StoreError(
            say("err_record", language, path=path, problem=exc),
            hint=say("hint_record", language),
        ) from exc
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        raise StoreError(
            say("err_record", language, path=path, problem="not an install record"),
            hint=say("hint_record", language),
        )
    return data


def _local_changes(folder: Path, record: Mapping[str, Any]) -> list[str]:
    """Files the record lists that were edited or deleted since the install."""
    changed = []
    for name, digest in record["files"].items():
        path = folder / name
        if not path.is_file() or _sha256(path) != digest:
            changed.append(str(name))
    return changed


def _foreign(folder: Path) -> str | None:
    for name in _FOREIGN:
        if (folder / name).exists():
            return name
    return None


def install_skill(
    skill: Skill,
    host: Host,
    *,
    project: Path | None = None,
    home: Path | None = None,
    env: Mapping[str, str] | None = None,
    force: bool = False,
    language: str = "en",
) -> InstallResult:
    """Copy ``skill``'s folder into ``host``'s skills folder; idempotent.

    Same content already there → ``unchanged``. A folder of that name that skillrt did not
    install, or whose files were edited since, is replaced only with ``force``; one that
    ClawHub installed (``.clawhub/`` inside) never is.
    """
    source = skill.path.parent
    dest = skills_dir(host, project=project, home=home, env=env) / skill.name
    files = {str(rel.as_posix()): _sha256(source / rel) for rel in _source_files(source)}
    result = InstallResult(skill.name, host, dest, "installed", skill.version)
    if dest.exists() and not dest.is_dir():
        raise InputError(
            say("err_not_folder", language, path=dest), hint=say("hint_move_away", language)
        )
    if dest.is_dir():
        owner = _foreign(dest)
        if owner is not None:
            raise InputError(
                say("err_clawhub_owned", language, path=dest, owner=owner),
                hint=say("hint_clawhub_uninstall", language, name=skill.name),
            )
        record = _read_record(dest, language) if not force else None
        if record is None and not force:
            raise InputError(
                say("err_not_ours", language, path=dest), hint=say("hint_force_replace", language)
            )
        if record is not None:
            changed = _local_changes(dest, record)
            if changed:
                raise InputError(
                    say("err_changed", language, path=dest, files=", ".join(changed)),
                    hint=say("hint_force_replace_changes", language),
                )
            if record["files"] == files:
                return InstallResult(skill.name, host, dest, "unchanged", skill.version)
            _remove_recorded(dest, record)
        result = InstallResult(skill.name, host, dest, "updated", skill.version)
    _copy(source, dest, files, language)
    _write_json(
        dest / INSTALL_RECORD,
        {
            "installer": "skillrt",
            "installerVersion": __version__,
            "skill": skill.name,
            "skillVersion": skill.version,
            "files": files,
        },
        backup=False,
        language=language,
    )
    return result


def _copy(source: Path, dest: Path, files: Mapping[str, str], language: str) -> None:
    try:
        for name in files:
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / name, target)
    except OSError as exc:
        raise StoreError(say("err_write", language, path=dest, problem=exc.strerror)) from exc


def _remove_recorded(folder: Path, record: Mapping[str, Any]) -> None:
    """Delete the files the record lists, the record, then folders left empty."""
    for name in record["files"]:
        (folder / name).unlink(missing_ok=True)
    (folder / INSTALL_RECORD).unlink(missing_ok=True)
    for sub in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
        if not any(sub.iterdir()):
            sub.rmdir()


def uninstall_skill(
    name: str,
    host: Host,
    *,
    project: Path | None = None,
    home: Path | None = None,
    env: Mapping[str, str] | None = None,
    force: bool = False,
    language: str = "en",
) -> InstallResult:
    """Remove what :func:`install_skill` wrote for ``name``; anything else stays."""
    dest = skills_dir(host, project=project, home=home, env=env) / name
    if not dest.is_dir():
        return InstallResult(name, host, dest, "absent")
    record = _read_record(dest, language)
    if record is None:
        raise InputError(
            say("err_not_installed_by_us", language, path=dest),
            hint=say("hint_remove_by_hand", language),
        )
    changed = _local_changes(dest, record)
    if changed and not force:
        raise InputError(
            say("err_changed", language, path=dest, files=", ".join(changed)),
            hint=say("hint_force_remove", language),
        )
    version = str(record.get("skillVersion", ""))
    _remove_recorded(dest, record)
    if not any(dest.iterdir()):
        dest.rmdir()
    return InstallResult(name, host, dest, "removed", version)


def find_installs(
    name: str,
    *,
    project: Path | None = None,
    home: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> list[Installed]:
    """Every host folder (the user's, and ``project``'s) holding a skill called ``name``."""
    found = []
    scopes: list[tuple[Literal["user", "project"], Path | None]] = [("user", None)]
    if project is not None:
        scopes.append(("project", project))
    for scope, root in scopes:
        for host in HOSTS:
            folder = skills_dir(host, project=root, home=home, env=env) / name
            if not (folder / "SKILL.md").is_file():
                continue
            by_skillrt = (folder / INSTALL_RECORD).is_file()
            # Any project may have a skills/ folder; it is OpenClaw's only in a workspace
            # OpenClaw set up (.openclaw/ inside) or when skillrt installed it there.
            workspace = root is None or by_skillrt or (root / ".openclaw").is_dir()
            if host == "openclaw" and not workspace:
                continue
            found.append(Installed(host, scope, folder, by_skillrt))
    return found


# --- MCP client configs -------------------------------------------------------------------


def mcp_config_path(
    client: McpClient,
    *,
    project: Path | None = None,
    home: Path | None = None,
    platform: str | None = None,
    language: str = "en",
) -> Path:
    """The JSON file where ``client`` reads its MCP servers (project or user scope)."""
    home = Path.home() if home is None else home
    if client == "claude-desktop":
        if project is not None:
            raise InputError(
                say("err_no_desktop_project", language), hint=say("hint_drop_project", language)
            )
        return _claude_desktop_dir(home, platform or sys.platform) / "claude_desktop_config.json"
    if client == "claude-code":
        return project / ".mcp.json" if project is not None else home / ".claude.json"
    return (project if project is not None else home) / ".cursor" / "mcp.json"


def _claude_desktop_dir(home: Path, platform: str) -> Path:
    """``Claude`` under the OS's per-user config folder (``%APPDATA%`` on Windows)."""
    if platform == "darwin":
        return home / "Library" / "Application Support" / "Claude"
    if platform.startswith("win"):
        appdata = os.environ.get("APPDATA")
        base = Path(appdata) if appdata else home / "AppData" / "Roaming"
        return base / "Claude"
    if platform == sys.platform:
        return platformdirs.user_config_path("Claude", appauthor=False, roaming=True)
    return home / ".config" / "Claude"


def server_entry(command: list[str] | None = None, *, backend: str | None = None) -> dict[str, Any]:
    """The ``mcpServers.skillrt`` entry: how a client starts ``skillrt mcp`` (no token, no env)."""
    argv = list(command) if command else _own_command()
    args = [*argv[1:], "mcp"]
    if backend:
        args += ["--backend", backend]
    return {"command": argv[0], "args": args}


def _own_command() -> list[str]:
    """The skillrt executable by absolute path (GUI clients do not inherit the shell's PATH)."""
    found = shutil.which("skillrt")
    if found:
        return [str(Path(found).resolve())]
    return [sys.executable, "-m", "skillrt"]


def claude_mcp_add_command(entry: Mapping[str, Any], *, project: Path | None) -> str:
    """The ``claude mcp add …`` line that registers ``entry`` with Claude Code."""
    scope = "project" if project is not None else "user"
    argv = ["claude", "mcp", "add", "--scope", scope, SERVER_NAME, "--", entry["command"]]
    return shlex.join([*argv, *entry["args"]])


@dataclass(frozen=True)
class McpResult:
    """What :func:`add_mcp_server` did to one config file."""

    path: Path
    status: Literal["added", "updated", "unchanged"]
    backup: Path | None = None
    entry: dict[str, Any] = field(default_factory=dict)


def add_mcp_server(path: Path, entry: Mapping[str, Any], *, language: str = "en") -> McpResult:
    """Merge ``{"mcpServers": {"skillrt": entry}}`` into the JSON file at ``path``.

    Every other key and server is kept. An existing file is copied to ``<name>.bak``
    before it changes; a file that already holds the same entry is not touched.
    """
    data: dict[str, Any] = {}
    if path.exists():
        try:
            loaded = json.loads(path.read_text(encoding="utf-8") or "{}")
        except ValueError as exc:
            raise InputError(
                say("err_bad_json", language, path=path, problem=exc),
                hint=say("hint_fix_json", language),
            ) from exc
        except OSError as exc:
            raise StoreError(say("err_record", language, path=path, problem=exc.strerror)) from exc
        if not isinstance(loaded, dict):
            raise InputError(say("err_not_object", language, path=path))
        data = loaded
    servers = data.get("mcpServers")
    if servers is None:
        servers = {}
    if not isinstance(servers, dict):
        raise InputError(say("err_servers_not_object", language, path=path))
    previous = servers.get(SERVER_NAME)
    if previous == dict(entry):
        return McpResult(path, "unchanged", entry=dict(entry))
    data["mcpServers"] = {**servers, SERVER_NAME: dict(entry)}
    backup = _write_json(path, data, backup=True, language=language)
    return McpResult(path, "added" if previous is None else "updated", backup, dict(entry))


def _write_json(path: Path, data: Any, *, backup: bool, language: str = "en") -> Path | None:
    """Write ``data`` atomically; with ``backup``, copy an existing file to ``<name>.bak``."""
    saved: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if backup and path.exists():
            saved = path.with_name(path.name + ".bak")
            shutil.copy2(path, saved)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        if path.exists():
            shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except OSError as exc:
        raise StoreError(say("err_write", language, path=path, problem=exc.strerror)) from exc
    return saved
