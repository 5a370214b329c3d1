"""Uploads: multipart bodies streamed straight to disk, and URL uploads with a size cap."""

from __future__ import annotations

import hashlib
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any
from urllib.parse import unquote, urlparse

import httpx
from python_multipart.multipart import MultipartParser, parse_options_header

from skillrt.emulator._http import Rejected
from skillrt.emulator._settings import EmulatorSettings

__all__ = ["Received", "receive_multipart", "receive_urls", "safe_name"]

_CHUNK = 64 * 1024


@dataclass
class Received:
    """A file written to disk."""

    filename: str
    path: Path
    size: int
    sha256: str


def safe_name(name: str, taken: set[str]) -> str:
    """A file name without folders or odd characters, unique among ``taken``."""
    base = PurePosixPath(name.replace("\\", "/")).name
    base = re.sub(r"[^\w.\-]+", "_", base).strip("._") or "file"
    stem, dot, ext = base.rpartition(".")
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}-{n}.{ext}" if dot else f"{base}-{n}"
    taken.add(candidate)
    return candidate


def _check_type(filename: str, settings: EmulatorSettings) -> None:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext not in settings.upload_types:
        raise Rejected(
            f"Unsupported file type: .{ext or '?'}",
            code=4001,
            data={"supported": list(settings.upload_types)},
        )


def _too_large(settings: EmulatorSettings) -> Rejected:
    limit = settings.max_upload_bytes
    return Rejected(f"File too large (limit {limit} bytes)", code=4002, data={"max_bytes": limit})


@dataclass
class _Writer:
    folder: Path
    settings: EmulatorSettings
    taken: set[str]
    files: list[Received] = field(default_factory=list)
    header_field: bytes = b""
    headers: dict[str, bytes] = field(default_factory=dict)
    handle: IO[bytes] | None = None
    digest: Any = None
    current: Received | None = None

    def header(self, name: bytes, value: bytes) -> None:
        self.headers[name.lower().decode("latin-1")] = value

    def begin(self) -> None:
        _, options = parse_options_header(self.headers.get("content-disposition", b""))
        raw = options.get(b"filename")
        if raw is None:
            return  # a plain form field: ignored
        filename = raw.decode("utf-8", "replace")
        _check_type(filename, self.settings)
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / safe_name(filename, self.taken)
        self.current = Received(filename, path, 0, "")
        self.handle = path.open("wb")
        self.digest = hashlib.sha256()

    def data(self, chunk: bytes) -> None:
        if self.handle is None or self.current is None:
            return
        self.current.size += len(chunk)
        if self.current.size > self.settings.max_upload_bytes:
            raise _too_large(self.settings)
        self.handle.write(chunk)
        self.digest.update(chunk)

    def end(self) -> None:
        if self.handle is not None and self.current is not None:
            self.handle.close()
            self.current.sha256 = self.digest.hexdigest()
            self.files.append(self.current)
        self.handle, self.current, self.headers = None, None, {}

    def abort(self) -> None:
        if self.handle is not None:
            self.handle.close()
        for received in [*self.files, *([self.current] if self.current else [])]:
            received.path.unlink(missing_ok=True)


async def receive_multipart(
    content_type: str, body: AsyncIterator[bytes], folder: Path, settings: EmulatorSettings,
    taken: set[str],
) -> list[Received]:  # fmt: skip
    """Write every file part of a multipart body to ``folder`` as it arrives."""
    _, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if not boundary:
        raise Rejected("multipart body without a boundary", code=400, status=400)
    writer = _Writer(folder, settings, taken)
    parser = MultipartParser(
        boundary,
        {
            "on_header_field": lambda d, s, e: setattr(writer, "header_field", d[s:e]),
            "on_header_value": lambda d, s, e: writer.header(writer.header_field, d[s:e]),
            "on_headers_finished": writer.begin,
            "on_part_data": lambda d, s, e: writer.data(d[s:e]),
            "on_part_end": writer.end,
        },
    )
    try:
        async for chunk in body:
            parser.write(chunk)
        parser.finalize()
    except Rejected:
        writer.abort()
        raise
    except Exception as exc:  # python-multipart raises its own errors on a broken body
        writer.abort()
        raise Rejected(f"malformed multipart body: {exc}", code=400, status=400) from exc
    return writer.files


async def receive_urls(
    urls: list[str], folder: Path, settings: EmulatorSettings, taken: set[str]
) -> list[Received]:
    """Fetch each URL to ``folder`` (streamed, capped at the upload size limit)."""
    received: list[Received] = []
    timeout = httpx.Timeout(settings.url_upload_timeout_seconds)
    async with httpx.AsyncClient(timeout=timeout, follow_redirects=True) as client:
        for url in urls:
            name = unquote(PurePosixPath(urlparse(url).path).name) or "download"
            _check_type(name, settings)
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / safe_name(name, taken)
            try:
                received.append(await _fetch(client, url, name, path, settings))
            except httpx.HTTPError as exc:
                path.unlink(missing_ok=True)
                raise Rejected(f"could not fetch {url}: {exc}", code=400, status=400) from exc
            except Rejected:
                path.unlink(missing_ok=True)
                raise
    return received


async def _fetch(
    client: httpx.AsyncClient, url: str, name: str, path: Path, settings: EmulatorSettings
) -> Received:
    digest, size = hashlib.sha256(), 0
    async with client.stream("GET", url) as response:
        response.raise_for_status()
        with path.open("wb") as handle:
            async for chunk in response.aiter_bytes(_CHUNK):
                size += len(chunk)
                if size > settings.max_upload_bytes:
                    raise _too_large(settings)
                handle.write(chunk)
                digest.update(chunk)
    return Received(name, path, size, digest.hexdigest())
