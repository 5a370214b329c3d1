"""Which bearer token a request to the API origin carries, and how a new one is obtained.

Order (contract §1): ``NEMO_TOKEN`` when it belongs to this origin; else the token stored
for this origin; else an anonymous token from ``POST /api/auth/anonymous-token`` with the
persisted client id. Fetching happens under the credential store's lock, and the store is
read again once the lock is held, so concurrent processes fetch one token between them.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from pathlib import Path

from skillrt.errors import AuthError, StoreError
from skillrt.log import get_logger, register_secret
from skillrt.runtime._config import BackendConfig
from skillrt.runtime._stores import CredentialStore, StoredToken, _write_private

__all__ = ["ANONYMOUS_TOKEN_PATH", "Authenticator", "resolve_client_id"]

ANONYMOUS_TOKEN_PATH = "/api/auth/anonymous-token"  # noqa: S105 - a path, not a secret

_log = get_logger(__name__)


def _valid_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def resolve_client_id(config: BackendConfig, *, create: bool = True) -> str | None:
    """``NEMO_CLIENT_ID``, else the persisted id, else (``create``) a new UUID saved there.

    Re-using the id matters: the backend gives one anonymous token per client id per week.
    """
    if config.env_client_id:
        return config.env_client_id
    path: Path = config.client_id_path
    try:
        existing = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        existing = ""
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror}") from exc
    if existing and _valid_uuid(existing):
        return existing
    if not create:
        return None
    new_id = str(uuid.uuid4())
    try:
        _write_private(path, new_id + "\n")
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {exc.strerror}") from exc
    _log.info("client_id.created", path=str(path))
    return new_id


#: Asks the backend for an anonymous token: ``(client_id) -> data`` of the answer; the
#: backend client supplies it (it maps errors and retries 400/429 itself).
TokenFetcher = Callable[[str], object]


class Authenticator:
    """Hands out the bearer token of one API origin and replaces it when it is refused."""

    def __init__(self, config: BackendConfig, store: CredentialStore) -> None:
        self.config = config
        self.store = store
        self._env_rejected = False
        self._current: StoredToken | None = None

    @property
    def anonymous(self) -> bool:
        """Whether the current token is an anonymous one (for the 2001 bind link)."""
        return self._current.anonymous if self._current is not None else True

    def token(self, fetch: TokenFetcher) -> str:
        """The token to send now, fetching an anonymous one when there is none."""
        env_token = self.config.token_from_env()
        if env_token and not self._env_rejected:
            register_secret(env_token)
            self._current = StoredToken(env_token, anonymous=False)
            return env_token
        stored = self.store.get(self.config.origin)
        if stored is None or _expired(stored):
            stored = self._fetch_locked(fetch, refused=None)
        register_secret(stored.token)
        self._current = stored
        return stored.token

    def refresh(self, refused: str, fetch: TokenFetcher) -> str:
        """A new token after the backend refused ``refused`` (1001); another process's
        fresh token is taken instead of fetching a second one."""
        if refused == self.config.token_from_env():
            self._env_rejected = True
        stored = self._fetch_locked(fetch, refused=refused)
        register_secret(stored.token)
        self._current = stored
        return stored.token

    def _fetch_locked(self, fetch: TokenFetcher, *, refused: str | None) -> StoredToken:
        origin = self.config.origin
        with self.store.locked(origin):
            stored = self.store.get(origin)
            if stored is not None and stored.token != refused and not _expired(stored):
                return stored
            client_id = resolve_client_id(self.config)
            assert client_id is not None
            fresh = _parse_token(fetch(client_id))
            self.store.put(origin, fresh)
            _log.info("token.anonymous_obtained", origin=origin)
            return fresh


def _expired(token: StoredToken) -> bool:
    # A minute of margin: a token that expires mid-request gets a 1001 anyway.
    return token.expires_at is not None and token.expires_at < time.time() + 60


def _parse_token(data: object) -> StoredToken:
    """Read ``token`` and its details from the answer's data."""
    if not isinstance(data, dict):
        data = {}
    token = data.get("token") or data.get("access_token")
    if not isinstance(token, str) or not token:
        raise AuthError("the backend gave no token")
    register_secret(token)
    expires = data.get("expires_at") or data.get("expiresAt")
    user = data.get("user_id") or data.get("userId")
    return StoredToken(
        token=token,
        anonymous=True,
        expires_at=_epoch(expires),
        user_id=str(user) if user is not None else None,
    )


def _epoch(value: object) -> float | None:
    """Seconds since the epoch from seconds, milliseconds or an ISO date; else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) / 1000.0 if value > 1e11 else float(value)
    if isinstance(value, str) and value:
        from datetime import datetime

        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
        except ValueError:
            return None
    return None
