"""What a host gets from the library: cheap imports, one skill lookup with one error, the
configuration's defaults and the refusal to send a token elsewhere."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from skillrt.errors import ConfigError, InputError, RoutingError, SkillNotFoundError
from skillrt.runtime import (
    BackendClient,
    BackendConfig,
    MemoryCredentialStore,
    SkillRuntime,
    bundled_skills_dir,
    find_skill,
    load_skill,
)
from skillrt.runtime._client import _Call


def _modules_after(code: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    return list(json.loads(done.stdout.splitlines()[-1]))


def test_importing_the_packages_loads_none_of_their_modules() -> None:
    """`import skillrt.runtime, skillrt.router, skillrt.translators` loads no private
    module (nothing compiled, no HTTP client, no pydantic) until a name is used."""
    loaded = _modules_after("import skillrt.runtime, skillrt.router, skillrt.translators")
    private = [m for m in loaded if m.startswith("skillrt.") and "._" in m]
    assert private == []
    assert not {"httpx", "pydantic", "yaml", "fastapi", "uvicorn"} & set(loaded)


def test_the_command_starts_without_the_runtime_or_the_emulator() -> None:
    """Importing the CLI (what `skillrt --version` pays) loads no command, no runtime
    module, no emulator, FastAPI, uvicorn, httpx or structlog."""
    loaded = set(_modules_after("import skillrt.cli"))
    assert not {m for m in loaded if m.startswith(("skillrt.runtime.", "skillrt.emulator"))}
    assert not {m for m in loaded if m.startswith("skillrt.cli._")}
    assert not {"fastapi", "uvicorn", "httpx", "structlog", "skillrt.log"} & loaded


def test_route_loads_no_emulator_and_no_http_client() -> None:
    """The route command needs the router only: no emulator, FastAPI, uvicorn or httpx."""
    loaded = set(_modules_after(
        "from skillrt.cli import app\n"
        "try:\n    app(['route', 'export', '--json'])\nexcept SystemExit:\n    pass"
    ))  # fmt: skip
    assert "skillrt.router._route" in loaded
    assert not {"fastapi", "uvicorn", "httpx", "skillrt.emulator"} & loaded


def test_unknown_skill_is_one_error_everywhere(tmp_path: Path) -> None:
    """find_skill, Discovery.find and SkillRuntime.skill raise SkillNotFoundError (an input
    error naming the known skills), never a RoutingError."""
    with pytest.raises(SkillNotFoundError) as found:
        find_skill("nope")
    assert isinstance(found.value, InputError)
    assert not isinstance(found.value, RoutingError)
    assert found.value.known == ("caption-ab", "free-generation-maker", "video-meta-ai")
    assert "caption-ab" in (found.value.hint or "")
    config = BackendConfig(data_dir=tmp_path, client_id_path=tmp_path / "client_id")
    with SkillRuntime(config=config, env={}) as runtime, pytest.raises(SkillNotFoundError):
        runtime.skill("nope")


def test_a_broken_manifest_is_named_when_its_skill_is_asked_for(tmp_path: Path) -> None:
    """Asking for a skill whose manifest was skipped says why, in the error's hint."""
    folder = tmp_path / "broken-skill"
    folder.mkdir()
    (folder / "SKILL.md").write_text("---\nname: broken-skill\n---\nno description\n")
    with pytest.raises(SkillNotFoundError) as found:
        find_skill("broken-skill", [tmp_path])
    assert "invalid" in (found.value.hint or "")
    assert "SKILL.md" in (found.value.hint or "")


def test_default_client_id_path_honours_skillrt_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """BackendConfig() keeps the client id under SKILLRT_HOME, exactly as from_env does."""
    monkeypatch.setenv("SKILLRT_HOME", str(tmp_path))
    assert BackendConfig().client_id_path == tmp_path / "nemovideo" / "client_id"
    assert BackendConfig().client_id_path == BackendConfig.from_env().client_id_path
    monkeypatch.delenv("SKILLRT_HOME")
    assert BackendConfig().client_id_path == Path.home() / ".config" / "nemovideo" / "client_id"


def test_a_token_is_never_built_into_a_request_for_another_origin(tmp_path: Path) -> None:
    """A path that would move the request to another host is refused as a configuration
    (security) error, not as the user's input, and nothing is sent."""
    skill = load_skill(bundled_skills_dir() / "caption-ab")
    config = BackendConfig(api_url="http://api.test", data_dir=tmp_path,
                           client_id_path=tmp_path / "client_id")  # fmt: skip
    sent: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(200, json={}))
    with httpx.Client(transport=transport) as http:
        client = BackendClient(http, skill=skill, config=config,
                               credentials=MemoryCredentialStore())  # fmt: skip
        with pytest.raises(ConfigError) as refused:
            client._build(_Call("GET", "@evil.test/steal"), "nmv_usr_secret123")
    assert not isinstance(refused.value, InputError)
    assert "evil.test" in str(refused.value)
    assert "nmv_usr_secret123" not in str(refused.value)
    assert sent == []
