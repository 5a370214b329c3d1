"""The actions a chat message can be routed to."""

from __future__ import annotations

from typing import Literal, get_args

__all__ = ["KEYWORD_ACTIONS", "ROUTE_ACTIONS", "RouteAction"]

RouteAction = Literal["export", "credits", "state", "upload", "chat"]

#: Every action, in the order the contract's table lists them.
ROUTE_ACTIONS: tuple[RouteAction, ...] = get_args(RouteAction)

#: Actions a skill manifest may add keywords for (``chat`` is what nothing else matches).
KEYWORD_ACTIONS: tuple[RouteAction, ...] = ("export", "credits", "state", "upload")
