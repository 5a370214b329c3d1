"""The emulator's memory: tokens, accounts, sessions and render jobs, behind one lock.

Renders run in worker threads while the API runs on an event loop, so every read and
write goes through :class:`Store` methods holding ``lock``. Sizes are bounded: the oldest
sessions are forgotten beyond ``max_sessions``.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["Account", "MediaFile", "Plan", "RenderJob", "Session", "Store", "TokenRecord"]

RenderStatus = Literal["pending", "processing", "completed", "failed", "cancelled"]
#: An account's plan: ``free`` (every anonymous account) or ``paid``.
Plan = Literal["free", "paid"]


@dataclass
class Account:
    """Credits of one (anonymous) user."""

    user_id: str
    bind_id: str
    available: int
    frozen: int = 0
    plan: Plan = "free"

    @property
    def total(self) -> int:
        """Available plus frozen."""
        return self.available + self.frozen


@dataclass
class TokenRecord:
    """One issued bearer token."""

    user_id: str
    expires_at: float


@dataclass
class MediaFile:
    """An uploaded file and what probing it found."""

    filename: str
    file_type: str
    path: str
    cdn_url: str
    size: int
    hash: str
    duration: float | None = None
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    has_audio: bool = False
    has_video: bool = False

    def public(self) -> dict[str, Any]:
        """The fields the upload endpoint and the state show."""
        return {
            "filename": self.filename,
            "file_type": self.file_type,
            "cdn_url": self.cdn_url,
            "duration": self.duration,
            "width": self.width,
            "height": self.height,
            "fps": self.fps,
            "hash": self.hash,
            "size": self.size,
        }


@dataclass
class Session:
    """One chat session and its timeline."""

    session_id: str
    task_id: str
    user_id: str
    language: str
    skill: str = ""
    draft: dict[str, Any] = field(default_factory=dict)
    draft_version: int = 0
    uploads: list[MediaFile] = field(default_factory=list)
    generated_media: list[dict[str, Any]] = field(default_factory=list)
    video_analyses: list[dict[str, Any]] = field(default_factory=list)
    edit_charged: bool = False
    turns: int = 0
    prompt: str = ""


@dataclass
class RenderJob:
    """One export."""

    render_id: str
    user_id: str
    session_id: str
    draft: dict[str, Any]
    status: RenderStatus = "pending"
    progress: int = 0
    created_at: float = field(default_factory=time.time)
    completed_at: float | None = None
    error: str | None = None
    output_path: str | None = None
    #: what the render left out and why (a missing font): shown in its status, not in chat
    warning: str | None = None
    cancel: threading.Event = field(default_factory=threading.Event)


class Store:
    """All mutable state of one emulator."""

    def __init__(self, max_sessions: int) -> None:
        self.lock = threading.RLock()
        self.tokens: dict[str, TokenRecord] = {}
        self.accounts: dict[str, Account] = {}
        #: client id -> (when its token was issued, its account, the token)
        self.client_ids: dict[str, tuple[float, str, str]] = {}
        self.ip_tokens: dict[str, list[float]] = {}
        self.sessions: OrderedDict[str, Session] = OrderedDict()
        self.renders: OrderedDict[str, RenderJob] = OrderedDict()
        self._max_sessions = max_sessions

    def new_account(self, credits: int, plan: Plan = "free") -> Account:
        """Create a user with ``credits`` on ``plan``."""
        with self.lock:
            user_id = f"anon_{secrets.token_hex(8)}"
            account = Account(user_id=user_id, bind_id=secrets.token_hex(6), available=credits,
                              plan=plan)  # fmt: skip
            self.accounts[user_id] = account
            return account

    def new_token(self, account: Account, ttl: float) -> tuple[str, float]:
        """Issue a bearer token for ``account``; returns it and its expiry time."""
        with self.lock:
            self._forget_expired()
            token = f"nmv_usr_{secrets.token_urlsafe(24)}"
            expires = time.time() + ttl
            self.tokens[token] = TokenRecord(account.user_id, expires)
            return token, expires

    def _forget_expired(self) -> None:
        """Drop expired tokens now and then, so memory stays bounded in long runs."""
        if len(self.tokens) < 1024 or len(self.tokens) % 256:
            return
        now = time.time()
        for token in [t for t, r in self.tokens.items() if r.expires_at <= now]:
            del self.tokens[token]

    def forget_old_limits(self, window: float) -> None:
        """Drop anonymous-token records older than the rate-limit window."""
        now = time.time()
        with self.lock:
            for client_id in [c for c, r in self.client_ids.items() if now - r[0] >= window]:
                del self.client_ids[client_id]
            for ip in list(self.ip_tokens):
                kept = [t for t in self.ip_tokens[ip] if now - t < window]
                if kept:
                    self.ip_tokens[ip] = kept
                else:
                    del self.ip_tokens[ip]

    def account_for(self, token: str | None) -> Account | None:
        """The account of a valid, unexpired token."""
        if not token:
            return None
        with self.lock:
            record = self.tokens.get(token)
            if record is None or record.expires_at <= time.time():
                return None
            return self.accounts.get(record.user_id)

    def expire_tokens(self) -> int:
        """Make every token expired now (a fault switch)."""
        with self.lock:
            now = time.time()
            for record in self.tokens.values():
                record.expires_at = now
            return len(self.tokens)

    def add_session(self, session: Session) -> None:
        """Keep ``session``; forget the oldest beyond the bound."""
        with self.lock:
            self.sessions[session.session_id] = session
            while len(self.sessions) > self._max_sessions:
                self.sessions.popitem(last=False)

    def session(self, session_id: str, user_id: str) -> Session | None:
        """The session if it exists and belongs to ``user_id``."""
        with self.lock:
            found = self.sessions.get(session_id)
            if found is None or found.user_id != user_id:
                return None
            self.sessions.move_to_end(session_id)
            return found

    def drop_sessions(self) -> int:
        """Forget every session (a fault switch)."""
        with self.lock:
            count = len(self.sessions)
            self.sessions.clear()
            return count

    def freeze(self, account: Account, amount: int) -> bool:
        """Reserve ``amount`` credits; False when there are not enough."""
        with self.lock:
            if account.available < amount:
                return False
            account.available -= amount
            account.frozen += amount
            return True

    def settle(self, account: Account, amount: int, *, spend: bool) -> None:
        """Release a reservation: spend it, or give it back."""
        with self.lock:
            account.frozen -= amount
            if not spend:
                account.available += amount
