"""OpenAI-compatible routes: ``POST /v1/chat/completions`` and ``GET /v1/models``.

A model is a skill. The conversation is the one named by the ``X-Skillrt-Conversation``
header, else the newest of the request's ``user`` with that skill (a new one the first
time). Only the last user message is sent (the service keeps the history itself).
Replies become the assistant's content; progress appears as short lines (one per stage
and tenth of the way), a finished video as a Markdown link to ``GET /v1/files/{id}``.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import FastAPI, Header, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

# _app imports this module only once it is loaded itself (in create_app)
from skillrt.serve._app import Caller, Service, start_message
from skillrt.serve._auth import DEFAULT_USER
from skillrt.serve._problems import Problem
from skillrt.serve._store import ConversationRecord, MessageRecord, Owner, new_id
from skillrt.serve._upload import MessageBody

__all__ = ["add_openai_routes", "event_lines"]

CONVERSATION_HEADER = "X-Skillrt-Conversation"


class ChatMessage(BaseModel):
    """One message of the request (only the last ``user`` one is sent)."""

    model_config = ConfigDict(extra="allow")

    role: str
    content: str | list[dict[str, Any]] | None = None


class ChatRequest(BaseModel):
    """The fields of an OpenAI chat completion request that the service reads."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(description="A skill name (see GET /v1/models).")
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    user: str | None = Field(default=None, max_length=200)


def _last_user_text(messages: list[ChatMessage]) -> str:
    for message in reversed(messages):
        if message.role != "user":
            continue
        if isinstance(message.content, str):
            return message.content
        parts = message.content or []
        return "\n".join(str(p.get("text", "")) for p in parts if p.get("type") == "text")
    return ""


class _Lines:
    """Turns a message's events into short lines of assistant text."""

    def __init__(self) -> None:
        self._progress: tuple[str, int] | None = None

    def line(self, event: dict[str, Any]) -> str | None:
        kind = event.get("type")
        if kind == "text" and not event.get("partial"):
            return str(event.get("text", ""))
        if kind == "progress":
            percent = event.get("percent")
            step = (str(event.get("stage")), int(percent // 10) if percent is not None else -1)
            if step == self._progress:
                return None
            self._progress = step
            return str(event.get("message", ""))
        if kind == "media":
            return f"[{event.get('path', 'video.mp4')}]({event.get('url', '')})"
        if kind == "link":
            return str(event.get("message") or event.get("url", ""))
        if kind == "error":
            hint = event.get("hint")
            return f"{event.get('message', '')} {hint}".strip() if hint else str(event["message"])
        return None


def event_lines(events: list[dict[str, Any]]) -> list[str]:
    """The lines a chat client shows for ``events``."""
    lines = _Lines()
    return [line for event in events if (line := lines.line(event))]


def add_openai_routes(app: FastAPI, service: Service) -> None:
    """Add the OpenAI-compatible routes to ``app``."""

    @app.get("/v1/models", summary="OpenAI-compatible: one model per skill")
    async def list_models(owner: Caller) -> dict[str, Any]:
        return {
            "object": "list",
            "data": [
                {"id": name, "object": "model", "created": 0, "owned_by": "skillrt"}
                for name in service.skill_names()
            ],
        }

    @app.post(
        "/v1/chat/completions",
        summary="OpenAI-compatible chat completion (streaming and not) with a skill",
        response_model=None,
    )
    async def chat_completions(
        body: ChatRequest,
        request: Request,
        owner: Caller,
        x_skillrt_conversation: Annotated[
            str | None, Header(description="The conversation to continue.")
        ] = None,
    ) -> JSONResponse | StreamingResponse:
        if body.model not in service.engine.skills:
            raise Problem(400, "unknown_skill", skill=body.model[:80])
        if body.user:
            owner = Owner(owner.key_id, body.user.strip() or DEFAULT_USER)
        text = _last_user_text(body.messages)
        if not text.strip():
            raise Problem(400, "empty_message")
        record = _conversation(service, owner, body.model, x_skillrt_conversation)
        message = await start_message(service, request, record, MessageBody(text=text))
        headers = {"X-Message-Id": message.id, CONVERSATION_HEADER: record.id}
        if body.stream:
            return StreamingResponse(
                _chunks(service, message, body.model),
                media_type="text/event-stream",
                headers=headers,
            )
        content = "\n\n".join(event_lines([e async for e in _events(service, message)]))
        return JSONResponse(
            {
                "id": "chatcmpl-" + message.id,
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.model,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
            },
            headers=headers,
        )


def _conversation(
    service: Service, owner: Owner, skill: str, named: str | None
) -> ConversationRecord:
    if named:
        record = service.conversation(named, owner)
        if record.skill != skill:
            raise Problem(400, "wrong_skill", skill=record.skill)
        return record
    found = service.stores.store.latest_conversation(owner, skill)
    if found is not None:
        return found
    record = ConversationRecord(id=new_id("conv"), skill=skill, owner=owner)
    service.stores.store.add_conversation(record)
    return record


async def _events(service: Service, message: MessageRecord) -> AsyncIterator[dict[str, Any]]:
    async for _, data in service.stores.events.read(message.id):
        event: dict[str, Any] = json.loads(data)
        yield event


async def _chunks(service: Service, message: MessageRecord, model: str) -> AsyncIterator[bytes]:
    created = int(time.time())
    lines = _Lines()
    first = True

    def chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
        data = {
            "id": "chatcmpl-" + message.id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        return f"data: {json.dumps(data, ensure_ascii=False)}\n\n".encode()

    yield chunk({"role": "assistant", "content": ""})
    async for event in _events(service, message):
        line = lines.line(event)
        if not line:
            continue
        yield chunk({"content": line if first else "\n\n" + line})
        first = False
    yield chunk({}, "stop")
    yield b"data: [DONE]\n\n"
