"""Signing and checking the webhooks ``skillrt serve`` posts when a render finishes or fails.

A delivery is a POST of JSON with the header::

    X-Skillrt-Signature: t=1767225600,v1=5257a869e7ec...(64 hex digits)

where ``t`` is the Unix time of the attempt and ``v1`` the hex HMAC-SHA256, keyed with the
webhook secret, of ``f"{t}.{body}"`` (the raw request body, as bytes). This is the scheme
Stripe uses; a receiver checks it with :func:`verify_signature`, which needs nothing but the
standard library, so a bot can import it without the ``serve`` extra::

    from skillrt.webhooks import verify_signature

    if not verify_signature(secret, request.headers["X-Skillrt-Signature"], raw_body):
        return 400

The secret is the operator's ``SKILLRT_WEBHOOK_SECRET`` when one is configured, otherwise
it is derived from the API key the conversation was created with
(:func:`webhook_secret_for_key`), so a host that holds its key can compute it.
"""

from __future__ import annotations

import hashlib
import hmac
import time

__all__ = [
    "SIGNATURE_HEADER",
    "sign_payload",
    "verify_signature",
    "webhook_secret_for_key",
]

#: The request header that carries ``t=<unix time>,v1=<hex HMAC-SHA256>``.
SIGNATURE_HEADER = "X-Skillrt-Signature"

#: Seconds a signature stays acceptable by default: a replay older than this is refused.
DEFAULT_TOLERANCE_S = 300

# Domain separation: the derived secret is not the API key itself, and is useless as one.
_KEY_DERIVATION_LABEL = b"skillrt webhook secret v1"


def webhook_secret_for_key(api_key: str) -> str:
    """The webhook secret for deliveries of conversations created with ``api_key``."""
    return hmac.new(api_key.encode(), _KEY_DERIVATION_LABEL, hashlib.sha256).hexdigest()


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def sign_payload(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    """The ``X-Skillrt-Signature`` value for ``body`` sent at ``timestamp`` (default now)."""
    when = int(time.time()) if timestamp is None else timestamp
    return f"t={when},v1={_digest(secret, when, body)}"


def _parse_header(header: str) -> tuple[int, list[str]] | None:
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        name, sep, value = part.strip().partition("=")
        if not sep:
            continue
        if name == "t" and value.isdigit():
            timestamp = int(value)
        elif name == "v1":
            signatures.append(value)
    if timestamp is None or not signatures:
        return None
    return timestamp, signatures


def verify_signature(
    secret: str,
    header: str,
    body: bytes | str,
    tolerance: int = DEFAULT_TOLERANCE_S,
    *,
    now: float | None = None,
) -> bool:
    """True when ``header`` signs exactly ``body`` with ``secret`` within ``tolerance`` s.

    False for a malformed header, a changed body or timestamp, another secret, or a
    timestamp further than ``tolerance`` seconds from ``now`` (default: the current time),
    which stops an old delivery from being replayed. Compares in constant time.
    """
    parsed = _parse_header(header)
    if parsed is None:
        return False
    timestamp, signatures = parsed
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        return False
    raw = body.encode() if isinstance(body, str) else body
    expected = _digest(secret, timestamp, raw)
    return any(hmac.compare_digest(expected, candidate) for candidate in signatures)
