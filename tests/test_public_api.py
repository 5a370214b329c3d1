"""Each package's public surface is explicit, importable and documented."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

PACKAGES = [
    "skillrt",
    "skillrt.errors",
    "skillrt.log",
    "skillrt.i18n",
    "skillrt.runtime",
    "skillrt.router",
    "skillrt.translators",
    "skillrt.emulator",
    "skillrt.emulator.testing",
    "skillrt.webhooks",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_names_exist_and_are_documented(name: str) -> None:
    """Every name in __all__ is importable, and public classes and functions have docstrings."""
    module = importlib.import_module(name)
    exported = module.__all__
    assert len(exported) == len(set(exported)), "a name is exported twice"
    for attr in exported:
        value = getattr(module, attr)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert (value.__doc__ or "").strip(), f"{name}.{attr} has no docstring"


@pytest.mark.parametrize("name", ["skillrt.runtime", "skillrt.router", "skillrt.translators"])
def test_public_names_come_from_private_modules(name: str) -> None:
    """A package re-exports its names; the modules behind them are private (_name)."""
    package = importlib.import_module(name)
    public_modules = [
        info.name
        for info in pkgutil.iter_modules(package.__path__)
        if not info.name.startswith("_")
    ]
    assert set(public_modules) <= {"schema"}, public_modules


def test_error_tree_has_one_root() -> None:
    """Every exception skillrt exports derives from SkillrtError."""
    errors = importlib.import_module("skillrt.errors")
    for attr in errors.__all__:
        assert issubclass(getattr(errors, attr), errors.SkillrtError)


@pytest.mark.parametrize("name", ["skillrt.runtime", "skillrt.router", "skillrt.translators"])
def test_lazy_exports_match_all(name: str) -> None:
    """A package's lazy table and its __all__ name the same things, each defined in one of
    the package's private modules (a name added to one and not the other fails here)."""
    package = importlib.import_module(name)
    lazy = package._LAZY
    assert set(lazy) == set(package.__all__)
    for attr, module in lazy.items():
        assert module.startswith(f"{name}._"), (attr, module)
        assert getattr(importlib.import_module(module), attr) is getattr(package, attr)
