"""The loopback-only admin endpoint under ``/__emulator__/``: faults, tokens, cleanup."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request

from skillrt.emulator._deps import emulator_of
from skillrt.emulator._script import ScriptedTurn
from skillrt.emulator._settings import FaultSwitches
from skillrt.emulator._store import Plan

__all__ = ["ADMIN_PREFIX", "router"]

ADMIN_PREFIX = "/__emulator__"
_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


def _loopback_only(request: Request) -> None:
    host = request.client.host if request.client else ""
    if not emulator_of(request).settings.admin_enabled or host not in _LOOPBACK:
        raise HTTPException(status_code=403, detail="the admin endpoint answers loopback only")


router = APIRouter(prefix=ADMIN_PREFIX, dependencies=[Depends(_loopback_only)])


@router.get("/faults")
async def get_faults(request: Request) -> dict[str, Any]:
    """The fault switches in force."""
    return emulator_of(request).faults().model_dump()


@router.put("/faults")
async def put_faults(request: Request, switches: FaultSwitches) -> dict[str, Any]:
    """Replace every fault switch (switches left out are off)."""
    emulator_of(request).set_faults(switches)
    return switches.model_dump()


@router.delete("/faults")
async def clear_faults(request: Request) -> dict[str, Any]:
    """Turn every fault off."""
    emulator_of(request).set_faults(FaultSwitches())
    return FaultSwitches().model_dump()


@router.put("/script")
async def put_script(request: Request, script: ScriptedTurn) -> dict[str, Any]:
    """Make the next chat turn play ``steps`` (say / work / tool) instead of the agent."""
    emulator_of(request).set_script(script)
    return script.model_dump(exclude_none=True)


@router.post("/expire-tokens")
async def expire_tokens(request: Request) -> dict[str, Any]:
    """Make every issued token expired now (the next call gets 1001)."""
    return {"expired": emulator_of(request).store.expire_tokens()}


@router.post("/lose-sessions")
async def lose_sessions(request: Request) -> dict[str, Any]:
    """Forget every session (the next call about one gets 1002 or 404)."""
    return {"lost": emulator_of(request).store.drop_sessions()}


@router.post("/tokens")
async def mint_token(
    request: Request, credits: int | None = None, plan: Plan = "free"
) -> dict[str, Any]:
    """A token without the anonymous-token limits (for tests and demos), on ``plan``."""
    emulator = emulator_of(request)
    amount = emulator.settings.starting_credits if credits is None else credits
    account = emulator.store.new_account(amount, plan)
    token, expires = emulator.store.new_token(account, emulator.settings.token_ttl_seconds)
    return {"token": token, "user_id": account.user_id, "credits": amount, "plan": plan,
            "expires_at": expires}  # fmt: skip


@router.post("/clean")
async def clean(request: Request) -> dict[str, Any]:
    """Delete uploads and renders and forget sessions."""
    emulator_of(request).clean()
    return {"cleaned": True}


@router.get("/stats")
async def stats(request: Request) -> dict[str, Any]:
    """What the emulator received: chat messages (per session), renders, downloads and the
    faults chaos mode injected; for a soak to compare with what its clients sent."""
    return emulator_of(request).stats.snapshot()


@router.get("/health")
async def health() -> dict[str, Any]:
    """Liveness."""
    return {"ok": True}
