"""``POST /run_sse``: Google ADK's run body in, an SSE stream out (contract §5)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from skillrt.emulator._agent import plan_turn, reply_language
from skillrt.emulator._chat import stream_turn
from skillrt.emulator._deps import account_of, chaos_of, emulator_of
from skillrt.emulator._http import Rejected
from skillrt.emulator._sse import Encoder

__all__ = ["router"]

router = APIRouter()


def _field(body: dict[str, Any], snake: str, camel: str) -> Any:
    return body.get(snake, body.get(camel))


def _message_text(body: dict[str, Any]) -> str:
    message = _field(body, "new_message", "newMessage") or {}
    parts = message.get("parts") if isinstance(message, dict) else None
    texts = [p.get("text") for p in parts or [] if isinstance(p, dict)]
    return "\n".join(t for t in texts if isinstance(t, str))


@router.post("/run_sse")
async def run_sse(request: Request) -> Response:
    """Answer one message as a stream of events; the stream ends when the server closes it."""
    emulator = emulator_of(request)
    settings, store = emulator.settings, emulator.store
    account = account_of(request)
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError as exc:
        raise Rejected("the body is not JSON", code=400, status=400) from exc
    if not isinstance(body, dict):
        raise Rejected("the body must be a JSON object", code=400, status=400)
    session_id = str(_field(body, "session_id", "sessionId") or "")
    session = store.session(session_id, account.user_id)
    if session is None:
        if settings.missing_session_style == "http404":
            return JSONResponse({"detail": f"Session not found: {session_id}"}, status_code=404)
        raise Rejected(f"Session not found: {session_id}", code=1002)
    text = _message_text(body)
    scripted = emulator.take_script()
    if scripted is not None:
        turn = scripted.turn(reply_language(session.language, text))
    else:
        turn = plan_turn(session, text, settings, store.lock)
    if turn.cost and not store.freeze(account, turn.cost):
        raise Rejected(
            "Insufficient credits",
            code=2001,
            data={"bind_id": account.bind_id, "required": turn.cost,
                  "available": account.available},
        )  # fmt: skip
    if turn.edit_charge:
        session.edit_charged = True

    def settle(succeeded: bool) -> None:
        if turn.cost:
            store.settle(account, turn.cost, spend=succeeded)
        if turn.edit_charge and not succeeded:
            session.edit_charged = False

    emulator.stats.message(session_id)
    queue = emulator.runner.start(turn, settings, settle)
    encoder = Encoder(settings.event_family)
    drawn = chaos_of(request)
    stream = stream_turn(
        queue,
        encoder,
        (lambda: drawn) if drawn is not None else emulator.faults,
        streaming=bool(body.get("streaming")),
        chunk=settings.partial_chunk_chars,
    )
    return StreamingResponse(stream, media_type="text/event-stream")
