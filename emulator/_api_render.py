"""Export: submit, status (two shapes), cancel and download (contract §4)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from skillrt.emulator._compose import Source
from skillrt.emulator._core import Emulator
from skillrt.emulator._deps import account_of, cdn_base, chaos_of, emulator_of
from skillrt.emulator._http import Rejected
from skillrt.emulator._probe import MediaInfo
from skillrt.emulator._store import Account, RenderJob

__all__ = ["router"]

router = APIRouter()
_ATTRIBUTION = ("x-skill-source", "x-skill-version", "x-skill-platform")


def _answer(emulator: Emulator, data: dict[str, Any], status: int = 200) -> JSONResponse:
    if emulator.settings.render_status_shape == "envelope":
        return JSONResponse({"success": status < 400, "data": data}, status_code=status)
    return JSONResponse(data, status_code=status)


def _refuse(emulator: Emulator, message: str, status: int) -> Rejected:
    if emulator.settings.render_status_shape == "envelope":
        body: dict[str, Any] = {"success": False, "error": message}
    else:
        body = {"error": message}
    return Rejected(message, code=status, status=status, body=body)


def _exportable(draft: object) -> bool:
    if not isinstance(draft, dict) or not isinstance(draft.get("t"), list):
        return False
    return any(isinstance(t, dict) and t.get("sg") for t in draft["t"])


def _sources(emulator: Emulator, account: Account) -> dict[str, Source]:
    with emulator.store.lock:
        uploads = [u for s in emulator.store.sessions.values() if s.user_id == account.user_id
                   for u in s.uploads]  # fmt: skip
    sources = {}
    for upload in uploads:
        info = MediaInfo(upload.duration, upload.width, upload.height, upload.fps,
                         "video" if upload.has_video else None,
                         "audio" if upload.has_audio else None)  # fmt: skip
        source = Source(Path(upload.path), info, upload.file_type == "image")
        sources[upload.cdn_url] = source
        sources[upload.cdn_url.rsplit("/uploads/", 1)[-1]] = source
    return sources


@router.post("/api/render/proxy/lambda")
async def submit(request: Request) -> Response:
    """Start a render of the posted draft; needs the three attribution headers."""
    emulator = emulator_of(request)
    account = account_of(request)
    if not all(request.headers.get(h, "").strip() for h in _ATTRIBUTION):
        raise Rejected(
            "Export requires a plan that allows it (missing X-Skill-Source, X-Skill-Version "
            "or X-Skill-Platform)",
            code=402,
            status=402,
        )
    if account.plan == "free" and not emulator.settings.free_plan_export:
        raise Rejected(
            "Export is not included in the free plan: register or upgrade to unlock export",
            code=402,
            status=402,
        )
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError as exc:
        raise _refuse(emulator, "the body is not JSON", 400) from exc
    render_id = str(body.get("id") or "") if isinstance(body, dict) else ""
    if not render_id:
        raise _refuse(emulator, "a render id is required", 400)
    draft = body.get("draft")
    if not _exportable(draft):
        raise _refuse(emulator, "the draft has no segments to render", 400)
    assert isinstance(draft, dict)
    with emulator.store.lock:
        if render_id in emulator.store.renders:
            raise _refuse(emulator, f"render id already used: {render_id}", 409)
        job = RenderJob(render_id, account.user_id, str(body.get("sessionId") or ""),
                        copy.deepcopy(draft))  # fmt: skip
        emulator.renders.submit(job, _sources(emulator, account), faults=chaos_of(request))
    emulator.stats.render()
    return _answer(emulator, {"id": render_id, "status": "pending", "progress": 0})


def _job(request: Request, render_id: str) -> tuple[Emulator, RenderJob]:
    emulator = emulator_of(request)
    account = account_of(request)
    with emulator.store.lock:
        job = emulator.store.renders.get(render_id)
    if job is None or job.user_id != account.user_id:
        raise _refuse(emulator, f"render not found: {render_id}", 404)
    return emulator, job


@router.get("/api/render/proxy/lambda/{render_id}")
async def status(request: Request, render_id: str) -> Response:
    """Where a render is: pending, processing (progress), completed or failed."""
    emulator, job = _job(request, render_id)
    with emulator.store.lock:
        state, progress, error = job.status, job.progress, job.error
        completed_at, warning = job.completed_at, job.warning
    url = f"{cdn_base(request)}/renders/{job.render_id}.mp4" if state == "completed" else None
    shown = "failed" if state == "cancelled" else state
    if emulator.settings.render_status_shape == "flat":
        flat: dict[str, Any] = {"id": job.render_id, "status": shown, "progress": progress}
        if url:
            flat["output"] = {"url": url}
        if error:
            flat["error"] = error
        if warning:
            flat["warning"] = warning
        return JSONResponse(flat)
    data: dict[str, Any] = {"id": job.render_id, "status": shown, "progress": progress,
                            "createdAt": int(job.created_at * 1000)}  # fmt: skip
    if url:
        data["outputUrl"] = url
    if completed_at:
        data["completedAt"] = int(completed_at * 1000)
    if error:
        data["error"] = error
    if warning:
        data["warning"] = warning
    return JSONResponse({"success": True, "data": data})


@router.post("/api/render/proxy/lambda/{render_id}/cancel")
async def cancel(request: Request, render_id: str) -> Response:
    """Stop a render."""
    emulator, job = _job(request, render_id)
    emulator.renders.cancel(job)
    return _answer(emulator, {"id": job.render_id, "status": job.status})


@router.get("/api/render/proxy/{render_id}/download")
async def download(request: Request, render_id: str) -> Response:
    """The finished MP4 (with the bearer token; Range requests work)."""
    emulator, job = _job(request, render_id)
    if job.status != "completed" or not job.output_path:
        raise _refuse(emulator, f"render {render_id} is {job.status}", 409)
    emulator.stats.download()
    return FileResponse(job.output_path, media_type="video/mp4", filename=f"{render_id}.mp4")
