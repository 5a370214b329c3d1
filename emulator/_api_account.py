"""Tokens, sessions, claim links, credits, state and uploads (contract §4)."""

from __future__ import annotations

import json
import secrets
import time
from datetime import datetime, timezone
from typing import Any

import anyio
from fastapi import APIRouter, Request

from skillrt.emulator import _draft
from skillrt.emulator._deps import (
    account_of,
    cdn_base,
    emulator_of,
    session_of,
    snapshot_state,
)
from skillrt.emulator._http import Rejected, ok
from skillrt.emulator._probe import probe
from skillrt.emulator._store import MediaFile, Session
from skillrt.emulator._upload import Received, receive_multipart, receive_urls
from skillrt.i18n import normalize_language

__all__ = ["router"]

router = APIRouter()
_IMAGE_TYPES = frozenset({"jpg", "png", "gif", "webp"})


@router.post("/api/auth/anonymous-token")
async def anonymous_token(request: Request) -> dict[str, Any]:
    """A new anonymous token: one per client id and about ten per IP in 7 days."""
    emulator = emulator_of(request)
    settings, store = emulator.settings, emulator.store
    client_id = request.headers.get("x-client-id", "").strip()
    if not client_id:
        raise Rejected("X-Client-Id header is required", code=400, status=400)
    ip = request.client.host if request.client else "?"
    now = time.time()
    window = settings.client_id_window_seconds
    store.forget_old_limits(window)
    with store.lock:
        issued = store.client_ids.get(client_id)
        recent_ip = [t for t in store.ip_tokens.get(ip, []) if now - t < window]
        # One live token per client id: a client whose token expired or was revoked gets a
        # fresh one for the same account (contract §8, 1001), so its sessions survive.
        previous = store.accounts.get(issued[1]) if issued and now - issued[0] < window else None
        if previous is not None and store.account_for(issued[2] if issued else None):
            raise _rate_limited("An anonymous token was already issued to this client id")
        if previous is None and len(recent_ip) >= settings.tokens_per_ip:
            raise _rate_limited("Too many anonymous tokens from this address")
        account = previous or store.new_account(settings.starting_credits)
        token, expires = store.new_token(account, settings.token_ttl_seconds)
        store.client_ids[client_id] = (now, account.user_id, token)
        store.ip_tokens[ip] = [*recent_ip, now]
    emulator.stats.token()
    return ok({
        "token": token,
        "credits": account.available,
        "user_id": account.user_id,
        "expires_at": datetime.fromtimestamp(expires, timezone.utc).isoformat(timespec="seconds"),
    })  # fmt: skip


def _rate_limited(message: str) -> Rejected:
    return Rejected(message, code=429, status=429, headers={"Retry-After": "30"})


@router.post("/api/tasks/me/with-session/nemo_agent")
async def new_session(request: Request) -> dict[str, Any]:
    """A new chat session with an empty timeline."""
    account = account_of(request)
    body = await _json(request)
    session = Session(
        session_id=str(secrets.randbelow(9 * 10**18) + 10**18),
        task_id=f"task_{secrets.token_hex(8)}",
        user_id=account.user_id,
        language=normalize_language(str(body.get("language") or "en")),
        skill=request.headers.get("x-skill-source", ""),
    )
    emulator_of(request).store.add_session(session)
    return ok({"task_id": session.task_id, "session_id": session.session_id,
               "bind_id": account.bind_id})  # fmt: skip


@router.post("/api/auth/claim-token")
async def claim_token(request: Request) -> dict[str, Any]:
    """A claim token that lets the web app take over the session."""
    account = account_of(request)
    body = await _json(request)
    session_of(request, str(body.get("session_id") or ""), account)
    return ok({"claim_token": f"clm_{secrets.token_urlsafe(18)}", "expires_in": 3600})


@router.get("/api/credits/balance/simple")
async def credits(request: Request) -> dict[str, Any]:
    """Available, frozen (reserved by running work) and total credits."""
    account = account_of(request)
    with emulator_of(request).store.lock:
        return ok({"available": account.available, "frozen": account.frozen,
                   "total": account.total})  # fmt: skip


@router.get("/api/state/nemo_agent/me/{session_id}/latest")
async def state(request: Request, session_id: str) -> dict[str, Any]:
    """The session's timeline and media."""
    account = account_of(request)
    session = session_of(request, session_id, account)
    with emulator_of(request).store.lock:
        snapshot = snapshot_state(session)
        version = session.draft_version
    return ok({"state": snapshot, "draft_version": version, "bind_id": account.bind_id})


@router.post("/api/upload-video/nemo_agent/me/{session_id}")
async def upload(request: Request, session_id: str) -> dict[str, Any]:
    """Multipart files (one ``files`` part each) or JSON ``{"urls": [...]}``."""
    emulator = emulator_of(request)
    account = account_of(request)
    session = session_of(request, session_id, account)
    folder = emulator.uploads_dir / session.session_id
    taken = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/"):
        received = await receive_multipart(
            content_type, request.stream(), folder, emulator.settings, taken
        )
    else:
        body = await _json(request)
        urls = body.get("urls")
        if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
            raise Rejected('expected multipart files or {"urls": [...]}', code=400, status=400)
        received = await receive_urls(urls, folder, emulator.settings, taken)
    if not received:
        raise Rejected("no file in the request", code=400, status=400)
    base = cdn_base(request)
    media = [await anyio.to_thread.run_sync(_media, r, base, session.session_id)
             for r in received]  # fmt: skip
    with emulator.store.lock:
        for item in media:
            session.uploads.append(item)
            if item.has_video:
                _draft.add_clip(session.draft, item.public(), emulator.settings.generated_long_side)
                session.draft_version += 1
    return ok({"files": [m.public() for m in media], "session_state_applied": True})


def _media(received: Received, base: str, session_id: str) -> MediaFile:
    info = probe(received.path)
    ext = received.path.suffix.lstrip(".").lower()
    kind = "image" if ext in _IMAGE_TYPES else "video" if info.has_video else "audio"
    return MediaFile(
        filename=received.filename,
        file_type=kind,
        path=str(received.path),
        cdn_url=f"{base}/uploads/{session_id}/{received.path.name}",
        size=received.size,
        hash=received.sha256,
        duration=info.duration if kind != "image" else 3.0,
        width=info.width,
        height=info.height,
        fps=info.fps,
        has_audio=info.has_audio,
        has_video=info.has_video,
    )


async def _json(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise Rejected("the body is not JSON", code=400, status=400) from exc
    if not isinstance(data, dict):
        raise Rejected("the body must be a JSON object", code=400, status=400)
    return data
