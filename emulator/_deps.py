"""Small helpers the API routes share: the emulator, the caller's account, URLs."""

from __future__ import annotations

import copy
from typing import Any

from fastapi import Request

from skillrt.emulator._core import Emulator
from skillrt.emulator._http import Rejected, bearer_token
from skillrt.emulator._settings import FaultSwitches
from skillrt.emulator._store import Account, Session

__all__ = [
    "CHAOS_KEY",
    "account_of",
    "cdn_base",
    "chaos_of",
    "emulator_of",
    "session_of",
    "snapshot_state",
]

#: Where the app's middleware leaves chaos mode's fault for the endpoint (request state).
CHAOS_KEY = "skillrt_chaos"


def emulator_of(request: Request) -> Emulator:
    """The emulator serving ``request``."""
    emulator = request.app.state.emulator
    assert isinstance(emulator, Emulator)
    return emulator


def chaos_of(request: Request) -> FaultSwitches | None:
    """The fault chaos mode drew for this request (a stream or render fault), if any."""
    switches = getattr(request.state, CHAOS_KEY, None)
    return switches if isinstance(switches, FaultSwitches) else None


def account_of(request: Request) -> Account:
    """The caller's account; 1001 when the token is missing, unknown or expired."""
    account = emulator_of(request).store.account_for(bearer_token(request))
    if account is None:
        raise Rejected("Invalid or expired token", code=1001)
    return account


def session_of(request: Request, session_id: str, account: Account) -> Session:
    """The caller's session; 1002 when it does not exist."""
    session = emulator_of(request).store.session(session_id, account.user_id)
    if session is None:
        raise Rejected(f"Session not found: {session_id}", code=1002)
    return session


def cdn_base(request: Request) -> str:
    """Base URL of the CDN origin (the API origin's ``/cdn`` when none is configured)."""
    configured = emulator_of(request).settings.cdn_base_url
    if configured:
        return configured.rstrip("/")
    return str(request.base_url).rstrip("/") + "/cdn"


def snapshot_state(session: Session) -> dict[str, Any]:
    """A copy of the session's state as the state endpoint shows it."""
    draft = copy.deepcopy(session.draft)
    meta = draft.get("m") or {}
    return {
        "draft": draft,
        "video_infos": [m.public() for m in session.uploads],
        "canvas_config": {
            "width": meta.get("width"),
            "height": meta.get("height"),
            "aspect": meta.get("aspect"),
        },
        "generated_media": copy.deepcopy(session.generated_media),
        "video_analyses": copy.deepcopy(session.video_analyses),
    }
