"""The CLI is a host like any other: it uses only the public names of the packages."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

CLI = Path(__file__).resolve().parents[1] / "src" / "skillrt" / "cli"
_PACKAGES = ("runtime", "router", "translators", "emulator")
_PRIVATE_MODULE = re.compile(rf"^skillrt\.(?:{'|'.join(_PACKAGES)})\._")


def private_imports(source: str) -> list[str]:
    """Every private module or name of the packages that ``source`` imports (or names)."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if _PRIVATE_MODULE.match(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if _PRIVATE_MODULE.match(node.module):
                found.append(node.module)
            elif node.module in {f"skillrt.{p}" for p in _PACKAGES}:
                found += [f"{node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            # importlib.import_module("skillrt.runtime._x") is an import too
            found += [node.value] if _PRIVATE_MODULE.match(node.value) else []
    return found


@pytest.mark.parametrize("path", sorted(CLI.glob("*.py")), ids=lambda p: p.name)
def test_cli_imports_no_private_module(path: Path) -> None:
    """No CLI module imports skillrt.{runtime,router,translators,emulator}._* or a _name."""
    assert private_imports(path.read_text(encoding="utf-8")) == []


def test_the_check_finds_each_kind_of_private_import() -> None:
    """The checker itself: plain, from-module, from-package-underscore and by-string imports."""
    source = (
        "import skillrt.runtime._chat\n"
        "from skillrt.router._grammar import judge\n"
        "from skillrt.translators import _rules_en\n"
        "importlib.import_module('skillrt.emulator._serve')\n"
        "from skillrt.runtime import SkillRuntime\n"
    )
    assert sorted(private_imports(source)) == [
        "skillrt.emulator._serve",
        "skillrt.router._grammar",
        "skillrt.runtime._chat",
        "skillrt.translators._rules_en",
    ]
