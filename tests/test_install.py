"""`skillrt install` / `uninstall` / `mcp install` in temporary homes and projects, per host."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from skillrt.cli import app
from skillrt.hosts import (
    HOSTS,
    INSTALL_RECORD,
    add_mcp_server,
    mcp_config_path,
    server_entry,
    skills_dir,
)
from skillrt.runtime import bundled_skills_dir, load_skill

TOKEN = "nmv_usr_install-test-secret-0001"
SOURCE = (bundled_skills_dir() / "caption-ab" / "SKILL.md").read_text(encoding="utf-8")

#: host → (user folder under HOME, project folder under the project)
WHERE = {
    "claude-code": (".claude/skills", ".claude/skills"),
    "cursor": (".cursor/skills", ".cursor/skills"),
    "openclaw": (".openclaw/skills", "skills"),
    "agents": (".agents/skills", ".agents/skills"),
}


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh HOME (and XDG config folder) with NEMO_TOKEN set, as a user would have it."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder / ".config"))
    monkeypatch.setenv("NEMO_TOKEN", TOKEN)
    monkeypatch.delenv("OPENCLAW_STATE_DIR", raising=False)
    return folder


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_every_host_has_a_documented_folder() -> None:
    """The table above covers every host install accepts."""
    assert set(WHERE) == set(HOSTS)


@pytest.mark.parametrize("scope", ["user", "project"])
@pytest.mark.parametrize("host", HOSTS)
def test_install_list_uninstall_round_trip(
    host: str, scope: str, home: Path, tmp_path: Path
) -> None:
    """install copies the skill where the host looks, is idempotent, shows in list, uninstalls."""
    project = tmp_path / "project"
    project.mkdir()
    flags = ["--project", str(project)] if scope == "project" else ["--user"]
    base = home / WHERE[host][0] if scope == "user" else project / WHERE[host][1]
    code, out, err = _run("install", "caption-ab", "--host", host, *flags)
    assert code == 0, err
    dest = base / "caption-ab"
    assert out.strip() == f"installed: caption-ab 1.0.0 → {dest}"
    assert (dest / "SKILL.md").read_text(encoding="utf-8") == SOURCE
    assert load_skill(dest, env={}).name == "caption-ab"
    record = json.loads((dest / INSTALL_RECORD).read_text(encoding="utf-8"))
    assert set(record["files"]) == {"SKILL.md"}

    code, out, _ = _run("install", "caption-ab", "--host", host, *flags)
    assert code == 0
    assert out.startswith("already installed: caption-ab")

    listing = CliRunner().invoke(app, ["skills", "list", "--json"], catch_exceptions=False)
    if scope == "user":
        item = next(s for s in json.loads(listing.stdout) if s["name"] == "caption-ab")
        assert {"host": host, "scope": "user", "path": str(dest), "by": "skillrt"} in item[
            "installed"
        ]

    code, out, _ = _run("uninstall", "caption-ab", "--host", host, *flags)
    assert code == 0
    assert out.startswith("removed: caption-ab")
    assert not dest.exists()
    code, out, _ = _run("uninstall", "caption-ab", "--host", host, *flags)
    assert out.startswith("not installed: caption-ab")


def test_project_installs_show_in_list_from_the_project(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """skills list, run inside a project, names the hosts the skill is installed for there."""
    project = tmp_path / "project"
    project.mkdir()
    for host in ("claude-code", "cursor"):
        assert _run("install", "caption-ab", "--host", host, "--project", str(project))[0] == 0
    monkeypatch.chdir(project)
    code, out, _ = _run("skills", "list")
    assert code == 0
    line = next(row for row in out.splitlines() if row.startswith("caption-ab"))
    assert "claude-code, cursor" in line


def test_a_plain_skills_folder_is_not_reported_as_openclaw(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A project's own skills/ folder counts as OpenClaw's only in an OpenClaw workspace."""
    project = tmp_path / "repo"
    (project / "skills" / "caption-ab").mkdir(parents=True)
    (project / "skills" / "caption-ab" / "SKILL.md").write_text(SOURCE, encoding="utf-8")
    monkeypatch.chdir(project)
    item = next(
        s for s in json.loads(_run("skills", "list", "--json")[1]) if s["name"] == "caption-ab"
    )
    assert item["installed"] == []
    (project / ".openclaw").mkdir()
    item = next(
        s for s in json.loads(_run("skills", "list", "--json")[1]) if s["name"] == "caption-ab"
    )
    assert [i["host"] for i in item["installed"]] == ["openclaw"]


def test_install_all_and_openclaw_state_dir(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--all installs every skill found; OpenClaw's user folder follows OPENCLAW_STATE_DIR."""
    state = home / "state"
    monkeypatch.setenv("OPENCLAW_STATE_DIR", str(state))
    code, out, err = _run("install", "--all", "--host", "openclaw", "--json")
    assert code == 0, err
    names = {item["name"] for item in json.loads(out)}
    assert names == {"caption-ab", "free-generation-maker", "video-meta-ai"}
    assert (state / "skills" / "video-meta-ai" / "SKILL.md").is_file()


def test_refuses_to_overwrite_another_skill_without_force(home: Path) -> None:
    """A same-named folder skillrt did not write is replaced only with --force."""
    dest = home / ".claude" / "skills" / "caption-ab"
    dest.mkdir(parents=True)
    (dest / "SKILL.md").write_text("---\nname: caption-ab\n---\nsomeone else's\n", "utf-8")
    code, _, err = _run("install", "caption-ab", "--host", "claude-code")
    assert code == 1
    assert "did not install" in err
    assert "--force" in err
    assert "someone else's" in (dest / "SKILL.md").read_text(encoding="utf-8")
    code, _, err = _run("install", "caption-ab", "--host", "claude-code", "--force")
    assert code == 0, err
    assert (dest / "SKILL.md").read_text(encoding="utf-8") == SOURCE


def test_local_edits_are_not_overwritten_or_deleted(home: Path) -> None:
    """A file edited after install blocks both reinstall and uninstall unless --force."""
    assert _run("install", "caption-ab", "--host", "cursor")[0] == 0
    skill_md = home / ".cursor" / "skills" / "caption-ab" / "SKILL.md"
    skill_md.write_text(SOURCE + "\nmy notes\n", encoding="utf-8")
    code, _, err = _run("install", "caption-ab", "--host", "cursor")
    assert code == 1
    assert "SKILL.md changed since skillrt installed it" in err
    code, _, err = _run("uninstall", "caption-ab", "--host", "cursor")
    assert code == 1
    assert skill_md.exists()
    assert _run("uninstall", "caption-ab", "--host", "cursor", "--force")[0] == 0
    assert not skill_md.exists()


def test_clawhub_installs_are_never_touched(home: Path) -> None:
    """A folder holding ClawHub's .clawhub/ is refused even with --force, and left as it was."""
    dest = home / ".openclaw" / "skills" / "caption-ab"
    (dest / ".clawhub").mkdir(parents=True)
    origin = dest / ".clawhub" / "origin.json"
    origin.write_text('{"version": 1, "slug": "caption-ab"}', encoding="utf-8")
    (dest / "SKILL.md").write_text("clawhub's copy", encoding="utf-8")
    for extra in ([], ["--force"]):
        code, _, err = _run("install", "caption-ab", "--host", "openclaw", *extra)
        assert code == 1
        assert "installed by ClawHub" in err
        assert "clawhub uninstall caption-ab" in err
    code, _, err = _run("uninstall", "caption-ab", "--host", "openclaw")
    assert code == 1
    assert "not installed by skillrt" in err
    assert origin.read_text(encoding="utf-8") == '{"version": 1, "slug": "caption-ab"}'
    assert (dest / "SKILL.md").read_text(encoding="utf-8") == "clawhub's copy"


def test_uninstall_removes_only_what_install_wrote(home: Path) -> None:
    """A file the user added next to the installed skill survives uninstall, with its folder."""
    assert _run("install", "caption-ab", "--host", "agents")[0] == 0
    dest = home / ".agents" / "skills" / "caption-ab"
    (dest / "notes.txt").write_text("mine", encoding="utf-8")
    assert _run("uninstall", "caption-ab", "--host", "agents")[0] == 0
    assert sorted(p.name for p in dest.iterdir()) == ["notes.txt"]


def test_bad_arguments_are_refused_clearly(home: Path, tmp_path: Path) -> None:
    """Unknown host or skill, both scopes, neither names nor --all: each a specific error."""
    code, _, err = _run("install", "caption-ab", "--host", "vscode")
    assert code == 2
    assert "'vscode' is not one of" in " ".join(err.replace("│", " ").split())
    code, _, err = _run("install", "nope", "--host", "cursor")
    assert code == 1
    assert "no skill named 'nope'" in err
    code, _, err = _run("install", "--host", "cursor")
    assert code == 2
    assert "--all" in err
    code, _, err = _run("install", "caption-ab", "--host", "cursor", "--user", "--project", ".")
    assert code == 2


# --- mcp install --------------------------------------------------------------------------

CLIENT_FILES = {
    ("claude-desktop", "user"): ".config/Claude/claude_desktop_config.json",
    ("claude-code", "user"): ".claude.json",
    ("claude-code", "project"): ".mcp.json",
    ("cursor", "user"): ".cursor/mcp.json",
    ("cursor", "project"): ".cursor/mcp.json",
}


@pytest.mark.parametrize(("client", "scope"), sorted(CLIENT_FILES))
def test_mcp_install_merges_into_an_existing_config(
    client: str, scope: str, home: Path, tmp_path: Path
) -> None:
    """Other servers and keys are kept, a backup is written, a second run changes nothing."""
    project = tmp_path / "project"
    project.mkdir()
    root = home if scope == "user" else project
    config = root / CLIENT_FILES[(client, scope)]
    config.parent.mkdir(parents=True, exist_ok=True)
    original = {
        "theme": "dark",
        "mcpServers": {"github": {"command": "gh-mcp", "args": ["--stdio"], "env": {"X": "1"}}},
    }
    config.write_text(json.dumps(original), encoding="utf-8")
    flags = ["--project", str(project)] if scope == "project" else []
    code, out, err = _run("mcp", "install", "--client", client, *flags)
    assert code == 0, err
    assert out.strip() == f"added: skillrt MCP server → {config}"
    data = json.loads(config.read_text(encoding="utf-8"))
    assert data["theme"] == "dark"
    assert data["mcpServers"]["github"] == original["mcpServers"]["github"]
    entry = data["mcpServers"]["skillrt"]
    assert entry["args"][-1] == "mcp"
    assert "env" not in entry
    backup = config.with_name(config.name + ".bak")
    assert json.loads(backup.read_text(encoding="utf-8")) == original
    assert TOKEN not in config.read_text(encoding="utf-8")

    before = config.read_bytes()
    backup.unlink()
    code, out, _ = _run("mcp", "install", "--client", client, *flags)
    assert code == 0
    assert out.startswith("already configured")
    assert config.read_bytes() == before
    assert not backup.exists()


def test_mcp_install_creates_a_missing_config(home: Path) -> None:
    """With no config yet, the file and its folder are created holding only our server."""
    code, _, err = _run("mcp", "install", "--client", "cursor", "--backend", "local")
    assert code == 0, err
    data = json.loads((home / ".cursor" / "mcp.json").read_text(encoding="utf-8"))
    assert list(data["mcpServers"]) == ["skillrt"]
    assert data["mcpServers"]["skillrt"]["args"][-3:] == ["mcp", "--backend", "local"]


def test_mcp_install_refuses_a_broken_config(home: Path) -> None:
    """A config that is not JSON is reported and left exactly as it was."""
    config = home / ".cursor" / "mcp.json"
    config.parent.mkdir(parents=True)
    config.write_text("{ not json", encoding="utf-8")
    code, _, err = _run("mcp", "install", "--client", "cursor")
    assert code == 1
    assert "not valid JSON" in err
    assert config.read_text(encoding="utf-8") == "{ not json"


def test_mcp_install_print(home: Path, tmp_path: Path) -> None:
    """--print shows `claude mcp add …` for Claude Code and the JSON entry otherwise; no file."""
    code, out, _ = _run("mcp", "install", "--client", "claude-code", "--print")
    assert code == 0
    assert out.startswith("claude mcp add --scope user skillrt -- ")
    assert out.strip().endswith(" mcp")
    code, out, _ = _run("mcp", "install", "--client", "claude-code", "--print", "--project", ".")
    assert "--scope project" in out
    code, out, _ = _run("mcp", "install", "--client", "claude-desktop", "--print")
    assert json.loads(out)["mcpServers"]["skillrt"]["args"][-1] == "mcp"
    assert TOKEN not in out
    assert not (home / ".claude.json").exists()
    code, _, err = _run("mcp", "install", "--client", "claude-desktop", "--project", ".")
    assert code == 1
    assert "no project config" in err


def test_claude_desktop_config_path_per_os(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """claude_desktop_config.json: Application Support on macOS, %APPDATA% on Windows."""
    home = tmp_path
    mac = mcp_config_path("claude-desktop", home=home, platform="darwin")
    assert mac == home / "Library" / "Application Support" / "Claude" / "claude_desktop_config.json"
    monkeypatch.setenv("APPDATA", str(tmp_path / "Roaming"))
    win = mcp_config_path("claude-desktop", home=home, platform="win32")
    assert win == tmp_path / "Roaming" / "Claude" / "claude_desktop_config.json"
    other = mcp_config_path("claude-desktop", home=home, platform="freebsd14")
    assert other == home / ".config" / "Claude" / "claude_desktop_config.json"


def test_merge_updates_a_stale_entry_of_ours(tmp_path: Path) -> None:
    """An older skillrt entry (another path) is replaced, the rest kept, a backup written."""
    config = tmp_path / "mcp.json"
    config.write_text(
        json.dumps({"mcpServers": {"skillrt": {"command": "/old/skillrt", "args": ["mcp"]}}}),
        encoding="utf-8",
    )
    entry = server_entry(["/new/skillrt"])
    result = add_mcp_server(config, entry)
    assert result.status == "updated"
    assert result.backup is not None
    assert json.loads(config.read_text(encoding="utf-8"))["mcpServers"]["skillrt"] == entry


def test_skills_dir_matches_the_table(tmp_path: Path) -> None:
    """skills_dir gives the documented folder for each host and scope."""
    for host, (user, project) in WHERE.items():
        assert skills_dir(host, home=tmp_path, env={}) == tmp_path / user  # type: ignore[arg-type]
        got = skills_dir(host, project=tmp_path / "p", env={})  # type: ignore[arg-type]
        assert got == tmp_path / "p" / project


def test_messages_follow_the_terminal_language(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With LANG=zh_CN the install lines and errors are Chinese; both catalogs match."""
    from skillrt.i18n import Catalog

    catalog = Catalog("skillrt")
    assert catalog.names("en") == catalog.names("zh")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    code, out, _ = _run("install", "caption-ab", "--host", "cursor")
    assert code == 0
    assert out.startswith("已安装：caption-ab 1.0.0 → ")
    (home / ".cursor" / "skills" / "caption-ab" / "SKILL.md").write_text("edited", "utf-8")
    code, _, err = _run("install", "caption-ab", "--host", "cursor")
    assert code == 1
    assert "在 skillrt 安装后被修改过" in err
