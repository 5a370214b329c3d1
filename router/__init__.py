"""Decide what a user's chat message asks for, before anything is sent (pure, no I/O)."""

from skillrt.router._actions import KEYWORD_ACTIONS, ROUTE_ACTIONS, RouteAction

__all__ = ["KEYWORD_ACTIONS", "ROUTE_ACTIONS", "RouteAction"]
