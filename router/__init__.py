"""Decide what a user's chat message asks for, before anything is sent (pure, no I/O).

``route("add BGM and then export")`` gives the plan ``("chat", "export")`` with the text
of each step; see ``docs/router.md`` for how the decision is made.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from skillrt.router._actions import KEYWORD_ACTIONS, ROUTE_ACTIONS, RouteAction
    from skillrt.router._route import DEFAULT_MEDIA_TYPES, Route, route
    from skillrt.router._table import (
        DEFAULT_KEYWORDS,
        KeywordTable,
        check_keywords,
        compile_keywords,
    )

__all__ = [
    "DEFAULT_KEYWORDS",
    "DEFAULT_MEDIA_TYPES",
    "KEYWORD_ACTIONS",
    "ROUTE_ACTIONS",
    "KeywordTable",
    "Route",
    "RouteAction",
    "check_keywords",
    "compile_keywords",
    "route",
]

# Imported on first use (PEP 562): importing the package compiles no patterns; the first
# use of a name loads (and compiles) the module behind it.
_LAZY: dict[str, str] = {
    "KEYWORD_ACTIONS": "skillrt.router._actions",
    "ROUTE_ACTIONS": "skillrt.router._actions",
    "RouteAction": "skillrt.router._actions",
    "DEFAULT_MEDIA_TYPES": "skillrt.router._route",
    "Route": "skillrt.router._route",
    "route": "skillrt.router._route",
    "DEFAULT_KEYWORDS": "skillrt.router._table",
    "KeywordTable": "skillrt.router._table",
    "check_keywords": "skillrt.router._table",
    "compile_keywords": "skillrt.router._table",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
