"""The service's own API (``/v1/…``) as a FastAPI app: :func:`create_app`.

Routes: create a conversation, send a message (JSON or multipart) and stream its events
over SSE, stream them again after ``Last-Event-ID``, read a conversation, the credits, a
render job, a delivered file (with HTTP range requests). The OpenAI-compatible routes are
in :mod:`skillrt.serve._openai`. Every refusal is a problem (:mod:`skillrt.serve._problems`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.responses import FileResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from skillrt import __version__
from skillrt.errors import InputError
from skillrt.runtime import JobRecord, SkillRuntime
from skillrt.serve._auth import DEFAULT_USER, LOCAL_KEY_ID, MAX_USER_CHARS, is_loopback
from skillrt.serve._config import ServeSettings, Stores, open_stores
from skillrt.serve._engine import BusyError, Engine
from skillrt.serve._problems import Problem, install_problem_handlers
from skillrt.serve._store import ConversationRecord, FileRecord, MessageRecord, Owner, new_id
from skillrt.serve._upload import MessageBody, read_json, read_multipart
from skillrt.serve._web import mount_web_chat
from skillrt.serve._webhooks import check_webhook_url, open_webhooks

__all__ = ["Service", "create_app", "service_of"]

#: seconds a client is told to wait before sending to a busy conversation again
RETRY_AFTER = 5


@dataclass
class Service:
    """What the routes share: settings, stores and the engine."""

    settings: ServeSettings
    stores: Stores
    engine: Engine

    def conversation(self, conversation_id: str, owner: Owner) -> ConversationRecord:
        """The owner's conversation, or 404 (another owner's id is not found either)."""
        found = self.stores.store.get_conversation(conversation_id, owner)
        if found is None:
            raise Problem(404, "unknown_conversation")
        return found

    def skill_names(self) -> list[str]:
        """The skills the service offers."""
        return sorted(self.engine.skills)


def service_of(request: Request) -> Service:
    """The :class:`Service` of the app handling ``request``."""
    found: Service = request.app.state.service
    return found


# -- who is calling ------------------------------------------------------------------


def caller(
    request: Request,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
    x_skillrt_user: Annotated[
        str | None, Header(description="The end user (else the `user` query parameter).")
    ] = None,
    user: Annotated[str | None, Query(description="The end user (default `default`).")] = None,
) -> Owner:
    """The owner of what this request touches: its API key and end user (401 without)."""
    keys = service_of(request).settings.keys
    if keys.required:
        scheme, _, presented = (authorization or "").partition(" ")
        found = keys.identify(presented.strip()) if scheme.lower() == "bearer" else None
        if found is None:
            raise Problem(401, "unauthorized", headers={"WWW-Authenticate": "Bearer"})
        identity = found
    else:
        client = request.client.host if request.client else ""
        if not is_loopback(client):
            raise Problem(401, "loopback_only_refused")
        identity = LOCAL_KEY_ID
    name = (x_skillrt_user or user or DEFAULT_USER).strip() or DEFAULT_USER
    if len(name) > MAX_USER_CHARS or not name.isprintable():
        raise Problem(400, "bad_user", limit=MAX_USER_CHARS)
    return Owner(identity, name)


Caller = Annotated[Owner, Depends(caller)]


# -- models --------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewConversation(_Model):
    """``POST /v1/conversations``."""

    skill: str = Field(description="The skill, e.g. free-generation-maker.", max_length=200)
    user: str | None = Field(
        default=None, description="The end user (else the header or query).", max_length=200
    )
    webhook: str | None = Field(
        default=None,
        description="An http(s) URL that gets each finished or failed render as a signed "
        "POST (docs/serve.md, Webhooks).",
        max_length=2048,
    )


class ConversationOut(_Model):
    """A conversation."""

    id: str
    skill: str
    user: str
    created: float
    session_id: str | None = None


class MessageOut(_Model):
    """A message of a conversation."""

    id: str
    state: str
    created: float
    events_url: str


class NewMessage(_Model):
    """``POST …/messages`` as JSON."""

    text: str = Field(description="What the user said.")


class CreditsOut(_Model):
    """The end user's credit balance."""

    available: float
    frozen: float
    total: float


class JobOut(_Model):
    """A render job."""

    id: str
    conversation_id: str
    status: str
    progress: int
    error: str | None = None


class ConversationDetail(ConversationOut):
    """A conversation with its timeline summary and messages."""

    timeline: str | None = Field(description="A summary of the project's timeline.")
    messages: list[MessageOut]
    jobs: list[JobOut] = Field(description="Render jobs, newest first.")


class SkillOut(_Model):
    """A skill the service offers."""

    name: str
    display_name: str
    description: str


def _conversation_out(record: ConversationRecord) -> ConversationOut:
    return ConversationOut(
        id=record.id, skill=record.skill, user=record.owner.user, created=record.created,
        session_id=record.session_id,
    )  # fmt: skip


def _job_out(job: JobRecord, conversation_id: str) -> JobOut:
    return JobOut(
        id=job.id, conversation_id=conversation_id, status=job.status, progress=job.progress,
        error=job.error,
    )  # fmt: skip


# -- streaming -----------------------------------------------------------------------


def sse_frames(service: Service, message_id: str, after: int) -> AsyncIterator[bytes]:
    """SSE frames (``id:`` + ``data:``) of a message's events after ``after``, with
    keep-alive comments while nothing comes; ends after the message's last event."""
    return _frames(service, message_id, after)


async def _frames(service: Service, message_id: str, after: int) -> AsyncIterator[bytes]:
    queue: asyncio.Queue[tuple[int, str] | None] = asyncio.Queue(maxsize=64)

    async def pump() -> None:
        try:
            async for item in service.stores.events.read(message_id, after):
                await queue.put(item)
        finally:
            await queue.put(None)

    task = asyncio.get_running_loop().create_task(pump())
    try:
        while True:
            try:
                item = await asyncio.wait_for(queue.get(), timeout=service.settings.keepalive)
            except asyncio.TimeoutError:
                yield b": keep-alive\n\n"
                continue
            if item is None:
                return
            seq, data = item
            yield f"id: {seq}\ndata: {data}\n\n".encode()
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task


def sse_response(service: Service, message: MessageRecord, after: int = 0) -> StreamingResponse:
    """The SSE response of ``message``."""
    return StreamingResponse(
        sse_frames(service, message.id, after),
        media_type="text/event-stream",
        headers={"X-Message-Id": message.id, "Cache-Control": "no-store"},
    )


def file_url(request: Request, file: FileRecord) -> str:
    """Where ``file`` is fetched (the user named when it is not the default one)."""
    base = str(request.base_url).rstrip("/")
    suffix = "" if file.owner.user == DEFAULT_USER else "?" + _query(file.owner.user)
    return f"{base}/v1/files/{file.id}{suffix}"


def _query(user: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"user": user})


async def start_message(
    service: Service, request: Request, record: ConversationRecord, body: MessageBody
) -> MessageRecord:
    """Start the message's run (409 when the conversation is busy, 503 when the service is)."""
    if not body.text.strip() and not body.files:
        body.cleanup()
        raise Problem(400, "empty_message")
    try:
        return await service.engine.start(
            record, body.text, body.files,
            file_url=lambda file: file_url(request, file), cleanup=body.cleanup,
        )  # fmt: skip
    except BusyError as exc:
        body.cleanup()
        name = "conversation_busy" if exc.scope == "conversation" else "service_busy"
        status = 409 if exc.scope == "conversation" else 503
        raise Problem(status, name, headers={"Retry-After": str(RETRY_AFTER)}) from None


async def read_message(service: Service, request: Request, skill: str) -> MessageBody:
    """The message body of ``request``: JSON ``{"text"}`` or multipart ``text`` + ``files``."""
    settings = service.settings
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        data = await read_json(request, settings.max_json_bytes)
        try:
            message = NewMessage.model_validate(data)
        except ValueError:
            raise Problem(422, "invalid_message") from None
        if len(message.text.encode()) > settings.max_text_bytes:
            raise Problem(413, "body_too_large", limit=settings.max_text_bytes)
        return MessageBody(text=message.text)
    if kind == "multipart/form-data":
        folder = settings.data_dir / "uploads" / secrets.token_urlsafe(12)
        limit = min(
            service.engine.skills[skill].manifest.runtime.upload.max_bytes,
            settings.max_upload_bytes,
        )
        return await read_multipart(
            request, folder, max_file=limit, max_text=settings.max_text_bytes,
            max_files=settings.max_files,
        )  # fmt: skip
    raise Problem(415, "wrong_content_type", kind=kind or "none")


# -- the app -------------------------------------------------------------------------

_MESSAGE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": NewMessage.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string"},
                        "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                    },
                }
            },
        },
    },
    "responses": {
        "200": {
            "description": "The message's events (the JSON of `skillrt send --json`), each "
            'with an `id:`; the first is `{"type": "message", "id": …}`. The '
            "`X-Message-Id` header names the message.",
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        }
    },
}
_EVENTS: dict[str, Any] = {
    "responses": {
        "200": {
            "description": "The message's events after `Last-Event-ID` (all without it).",
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        }
    }
}


def create_app(settings: ServeSettings, *, stores: Stores | None = None) -> FastAPI:
    """The service's FastAPI app (its stores from :func:`open_stores` unless given)."""
    stores = stores or open_stores(settings)
    with SkillRuntime(config=settings.config, skill_paths=settings.skill_paths) as runtime:
        skills = dict(runtime.skills)
    engine = Engine(
        settings.config, data_dir=settings.data_dir, store=stores.store, events=stores.events,
        locks=stores.locks, options=settings.engine, skills=skills,
        skill_paths=settings.skill_paths, shared=stores.shared,
        runtime_stores=stores.runtime,
    )  # fmt: skip
    service = Service(settings, stores, engine)
    webhooks = open_webhooks(
        settings.data_dir, settings.keys.keys, operator_secret=settings.webhook_secret
    )
    engine.on_render.append(webhooks.on_render)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        side = None if stores.background is None else asyncio.create_task(stores.background(engine))
        yield
        if side is not None:
            side.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await side
        await engine.close()
        await webhooks.aclose()

    app = FastAPI(
        title="skillrt serve",
        version=__version__,
        summary="NemoVideo agent skills over HTTP: conversations, SSE events, files.",
        lifespan=lifespan,
    )
    app.state.service = service
    install_problem_handlers(app)

    @app.get("/v1/skills", summary="The skills this service offers")
    async def list_skills(owner: Caller) -> list[SkillOut]:
        return [
            SkillOut(
                name=name,
                display_name=skill.manifest.display_name,
                description=skill.manifest.description,
            )
            for name, skill in sorted(engine.skills.items())
        ]

    @app.post("/v1/conversations", summary="Start a conversation with a skill", status_code=201)
    async def new_conversation(body: NewConversation, owner: Caller) -> ConversationOut:
        if body.skill not in engine.skills:
            raise Problem(400, "unknown_skill", skill=body.skill[:80])
        if body.user is not None:
            owner = Owner(owner.key_id, body.user.strip() or DEFAULT_USER)
        if body.webhook is not None:
            try:
                check_webhook_url(body.webhook)
            except InputError:
                raise Problem(422, "bad_webhook") from None
            if not webhooks.can_sign_for(owner.key_id):
                raise Problem(422, "webhook_needs_secret")
        record = ConversationRecord(id=new_id("conv"), skill=body.skill, owner=owner)
        stores.store.add_conversation(record)
        if body.webhook is not None:
            webhooks.register(record.id, body.webhook)
        return _conversation_out(record)

    @app.post(
        "/v1/conversations/{conversation_id}/messages",
        summary="Send a message (JSON or multipart with files); stream its events (SSE)",
        openapi_extra=_MESSAGE_BODY,
        response_class=StreamingResponse,
    )
    async def send_message(
        conversation_id: str, request: Request, owner: Caller
    ) -> StreamingResponse:
        record = service.conversation(conversation_id, owner)
        body = await read_message(service, request, record.skill)
        message = await start_message(service, request, record, body)
        return sse_response(service, message)

    @app.get(
        "/v1/conversations/{conversation_id}/messages/{message_id}/events",
        summary="Stream a message's events again, from the start or after Last-Event-ID",
        openapi_extra=_EVENTS,
        response_class=StreamingResponse,
    )
    async def message_events(
        conversation_id: str,
        message_id: str,
        owner: Caller,
        last_event_id: Annotated[str | None, Header()] = None,
    ) -> StreamingResponse:
        record = service.conversation(conversation_id, owner)
        message = stores.store.get_message(message_id, record.id)
        if message is None:
            raise Problem(404, "unknown_message")
        await engine.settle(message)
        after = 0
        if last_event_id:
            try:
                after = max(0, int(last_event_id))
            except ValueError:
                raise Problem(400, "bad_last_event_id") from None
        return sse_response(service, message, after)

    @app.get(
        "/v1/conversations/{conversation_id}",
        summary="A conversation: skill, backend session, timeline and messages",
    )
    async def get_conversation(
        conversation_id: str, request: Request, owner: Caller
    ) -> ConversationDetail:
        record = service.conversation(conversation_id, owner)
        timeline = await engine.timeline(record)
        base = str(request.base_url).rstrip("/")
        messages = [
            MessageOut(
                id=m.id,
                state=m.state,
                created=m.created,
                events_url=f"{base}/v1/conversations/{record.id}/messages/{m.id}/events",
            )
            for m in stores.store.messages(record.id)
        ]
        jobs = [_job_out(job, record.id) for job in await engine.jobs(record)]
        return ConversationDetail(
            **_conversation_out(record).model_dump(),
            timeline=timeline,
            messages=messages,
            jobs=jobs,
        )

    @app.get("/v1/credits", summary="The end user's credit balance on the backend")
    async def get_credits(
        owner: Caller,
        skill: Annotated[str | None, Query(description="Whose backend (default: any).")] = None,
    ) -> CreditsOut:
        name = skill or min(engine.skills)
        if name not in engine.skills:
            raise Problem(400, "unknown_skill", skill=name[:80])
        balance = await engine.credits(owner, name)
        return CreditsOut(
            available=float(balance.available), frozen=float(balance.frozen),
            total=float(balance.total),
        )  # fmt: skip

    @app.get("/v1/jobs/{job_id}", summary="A render job started by one of the user's messages")
    async def get_job(job_id: str, owner: Caller) -> JobOut:
        link = stores.store.get_job(job_id, owner)
        record = stores.store.get_conversation(link.conversation_id, owner) if link else None
        job = await engine.job(link, record) if link and record else None
        if job is None:
            raise Problem(404, "unknown_job")
        return _job_out(job, link.conversation_id if link else "")

    @app.get(
        "/v1/files/{file_id}",
        summary="A delivered MP4 (HTTP range requests: 206, Content-Range, 416)",
        response_class=FileResponse,
        responses={
            206: {"description": "The range asked for."},
            416: {"description": "No such range."},
        },
    )
    async def get_file(file_id: str, owner: Caller) -> FileResponse:
        file = stores.store.get_file(file_id, owner)
        if file is None or not Path(file.path).is_file():
            raise Problem(404, "unknown_file")
        return FileResponse(file.path, media_type=file.media_type, filename=file.name)

    @app.get("/healthz", summary="Liveness", include_in_schema=True)
    async def health() -> dict[str, Any]:
        return {"ok": True, "skills": len(engine.skills)}

    from skillrt.serve._openai import add_openai_routes

    add_openai_routes(app, service)
    mount_web_chat(app)
    return app


def event_json(data: str) -> dict[str, Any]:
    """One recorded event as an object."""
    found: dict[str, Any] = json.loads(data)
    return found
