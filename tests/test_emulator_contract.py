"""The emulator's public surface: OpenAPI paths of the contract, catalogs, exports, CLI."""

from __future__ import annotations

import subprocess
import sys

import httpx

import skillrt.emulator
from skillrt.emulator import Emulator, EmulatorSettings
from skillrt.emulator._context import CATALOG
from skillrt.emulator.testing import run_emulator

CONTRACT_PATHS = {
    ("post", "/api/auth/anonymous-token"),
    ("post", "/api/tasks/me/with-session/nemo_agent"),
    ("post", "/api/auth/claim-token"),
    ("post", "/run_sse"),
    ("post", "/api/upload-video/nemo_agent/me/{session_id}"),
    ("get", "/api/credits/balance/simple"),
    ("get", "/api/state/nemo_agent/me/{session_id}/latest"),
    ("post", "/api/render/proxy/lambda"),
    ("get", "/api/render/proxy/lambda/{render_id}"),
    ("post", "/api/render/proxy/lambda/{render_id}/cancel"),
    ("get", "/api/render/proxy/{render_id}/download"),
}


def test_openapi_lists_every_contract_endpoint() -> None:
    """The OpenAPI document of the API origin has each endpoint of contract §4."""
    with run_emulator() as emu:
        document = httpx.get(f"{emu.base_url}/__emulator__/openapi.json").json()
    found = {(method, path) for path, item in document["paths"].items() for method in item}
    assert found >= CONTRACT_PATHS


def test_cdn_origin_serves_files_only() -> None:
    """The CDN origin has no API and refuses paths outside its folders."""
    with run_emulator() as emu:
        assert httpx.get(f"{emu.cdn_url}/api/credits/balance/simple").status_code == 404
        escaped = httpx.get(f"{emu.cdn_url}/uploads/..%2F..%2F..%2Fetc/passwd")
        assert escaped.status_code == 404


def test_catalogs_define_the_same_messages() -> None:
    """messages.en.j2 and messages.zh.j2 of the emulator define the same macro names."""
    assert CATALOG.names("en") == CATALOG.names("zh")
    assert "gen_done" in CATALOG.names("en")


def test_exported_names_are_public_and_documented() -> None:
    """Every name in skillrt.emulator.__all__ exists and has a docstring."""
    for name in skillrt.emulator.__all__:
        value = getattr(skillrt.emulator, name)
        assert not name.startswith("_")
        if callable(value) and name != "StreamErrorFormat":
            assert value.__doc__, name


def test_temporary_data_dir_is_removed_on_close() -> None:
    """An emulator without data_dir uses a temporary folder and removes it on close."""
    emulator = Emulator(EmulatorSettings.for_tests())
    folder = emulator.data_dir
    assert folder.is_dir()
    emulator.close()
    assert not folder.exists()


def test_cli_serve_help_lists_the_fault_flags() -> None:
    """`skillrt emulator serve --help` documents host, port, data dir and fault flags."""
    done = subprocess.run(
        [sys.executable, "-m", "skillrt", "emulator", "serve", "--help"],
        capture_output=True, text=True, check=True, env={"COLUMNS": "200", "PATH": ""},
    )  # fmt: skip
    flags = ("--host", "--port", "--data-dir", "--clean", "--drop-after-events",
             "--stall-seconds", "--http-status", "--stream-error", "--render-hang")  # fmt: skip
    for flag in flags:
        assert flag in done.stdout
