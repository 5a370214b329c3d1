"""Fetch a finished render: from its output URL without credentials, else via /download.

The output URL usually lives on a CDN, another origin: the request carries no
``Authorization`` header at all (and httpx drops it on cross-origin redirects anyway).
Bytes go to a temporary file next to the destination, renamed into place only when the
whole body arrived, so a half-written MP4 never appears under the final name. A process
killed mid-download leaves its ``.NAME.PID.part``; the next download of the same job (its
resume) removes the parts of processes that no longer exist.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from skillrt import __version__
from skillrt.errors import BackendError, RenderError, TransportError
from skillrt.log import get_logger, redact_text
from skillrt.runtime._envelope import messages
from skillrt.runtime._models import DownloadProgress, RenderStatus
from skillrt.runtime._stores import process_alive

if TYPE_CHECKING:
    from skillrt.runtime._client import BackendClient

__all__ = ["download_render", "remove_stale_parts"]

_CHUNK = 1024 * 1024
_log = get_logger(__name__)


class _Incomplete(Exception):
    """The body ended before Content-Length said it would."""


def remove_stale_parts(dest: Path) -> list[Path]:
    """Delete the partial downloads of ``dest`` that a killed process left behind.

    Parts are named ``.NAME.PID.part``: only those of ``dest`` itself (this job) are looked
    at, and only those whose process no longer exists are removed, never another live
    process's download in progress. Returns what was removed.
    """
    removed = []
    prefix = f".{dest.name}."
    try:
        candidates = list(dest.parent.glob(f"{glob.escape(prefix)}*.part"))
    except OSError:
        return []
    for part in candidates:
        pid = part.name[len(prefix) : -len(".part")]
        if not pid.isdigit() or process_alive(int(pid)):
            continue
        try:
            part.unlink()
        except OSError as exc:
            _log.info("download.stale_part_kept", path=str(part), error=type(exc).__name__)
            continue
        _log.info("download.stale_part_removed", path=str(part))
        removed.append(part)
    return removed


def _save(
    response: httpx.Response, dest: Path, on_progress: Callable[[DownloadProgress], None] | None
) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_parts(dest)
    temp = dest.with_name(f".{dest.name}.{os.getpid()}.part")
    length = response.headers.get("content-length")
    total = int(length) if length and length.isdigit() else None
    received = 0
    try:
        with temp.open("wb") as handle:
            for chunk in response.iter_bytes(_CHUNK):
                handle.write(chunk)
                received += len(chunk)
                if on_progress is not None:
                    on_progress(DownloadProgress(received, total))
            handle.flush()
            os.fsync(handle.fileno())
        if (total is not None and received != total) or received == 0:
            raise _Incomplete(f"{received} of {total if total is not None else '?'} bytes")
        os.replace(temp, dest)
    finally:
        temp.unlink(missing_ok=True)
    return dest


def _plain_get(http: httpx.Client, url: str) -> httpx.Response:
    request = http.build_request("GET", url, headers={"User-Agent": f"skillrt/{__version__}"})
    # An injected client may carry default headers; none of them may be a credential.
    for name in ("Authorization", "Cookie", "X-Client-Id"):
        request.headers.pop(name, None)
    return http.send(request, stream=True, follow_redirects=True)


def _from_url(
    client: BackendClient,
    url: str,
    dest: Path,
    on_progress: Callable[[DownloadProgress], None] | None,
) -> Path:
    response = _plain_get(client.http, url)
    try:
        if response.status_code != 200:
            raise _Incomplete(f"HTTP {response.status_code}")
        return _save(response, dest, on_progress)
    finally:
        response.close()


def _from_api(
    client: BackendClient,
    job_id: str,
    dest: Path,
    on_progress: Callable[[DownloadProgress], None] | None,
) -> Path:
    response = client.open_authorized_stream(f"/api/render/proxy/{job_id}/download", job_id=job_id)
    try:
        if response.is_redirect:
            location = response.headers.get("location", "")
            target = str(response.url.join(location))
            return _from_url(client, target, dest, on_progress)
        return _save(response, dest, on_progress)
    finally:
        response.close()


def download_render(
    client: BackendClient,
    job: RenderStatus,
    dest: Path,
    on_progress: Callable[[DownloadProgress], None] | None = None,
) -> Path:
    """Download ``job``'s output to ``dest``; raises :class:`RenderError` if both ways fail."""
    problem = "no output URL"
    if job.output_url:
        try:
            return _from_url(client, job.output_url, dest, on_progress)
        except (httpx.HTTPError, _Incomplete, OSError) as exc:
            problem = redact_text(f"{type(exc).__name__}: {exc}")[:200]
            _log.warning("download.cdn_failed", job=job.id, error=problem)
    try:
        return _from_api(client, job.id, dest, on_progress)
    except (httpx.HTTPError, _Incomplete, OSError, BackendError, TransportError) as exc:
        detail = redact_text(f"{problem}; fallback: {type(exc).__name__}: {exc}")[:300]
        t = messages()
        raise RenderError(
            t.render("err_download", client.language, detail=detail),
            hint=t.render("hint_download", client.language),
        ) from exc
