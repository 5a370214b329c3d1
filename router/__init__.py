"""Decide what a user's chat message asks for, before anything is sent (pure, no I/O).

``route("add BGM and then export")`` gives the plan ``("chat", "export")`` with the text
of each step; see ``docs/router.md`` for how the decision is made.
"""

from skillrt.router._actions import KEYWORD_ACTIONS, ROUTE_ACTIONS, RouteAction
from skillrt.router._route import DEFAULT_MEDIA_TYPES, Route, route
from skillrt.router._table import DEFAULT_KEYWORDS, KeywordTable, compile_keywords

__all__ = [
    "DEFAULT_KEYWORDS",
    "DEFAULT_MEDIA_TYPES",
    "KEYWORD_ACTIONS",
    "ROUTE_ACTIONS",
    "KeywordTable",
    "Route",
    "RouteAction",
    "compile_keywords",
    "route",
]
