"""Uploads: files checked against the skill's policy, then streamed from disk as multipart.

The checks are local, so a refusal is the user's input (exit 1), never a backend error:
a folder, an empty file, a type the skill does not take, bytes that are not the media
their extension claims (:mod:`skillrt.runtime._media`), or a file over the size limit.

The body is a generator that reads each file in :data:`CHUNK_SIZE` pieces, so memory stays
flat whatever the file size; ``Content-Length`` is computed up front (no chunked encoding).
Every file is checked before the first byte of any is sent.
"""

from __future__ import annotations

import mimetypes
import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from skillrt.errors import FileRejectedError, InputError
from skillrt.runtime._envelope import messages
from skillrt.runtime._manifest import UploadPolicy
from skillrt.runtime._media import SNIFF_BYTES, expected_kind, sniff
from skillrt.runtime._models import UploadProgress

if TYPE_CHECKING:
    from skillrt.runtime._client import Body

__all__ = ["CHUNK_SIZE", "CheckedFile", "check_files", "check_urls", "multipart_body"]

#: Bytes read from disk per piece of the upload body.
CHUNK_SIZE = 1024 * 1024


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the policy: its path, size (fixed now) and content type."""

    path: Path
    size: int
    content_type: str


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f}"


def check_files(
    paths: Sequence[str | os.PathLike[str]], policy: UploadPolicy, language: str = "en"
) -> list[CheckedFile]:
    """Every file exists, is not empty, has an accepted type, holds what its extension
    says (its container's magic bytes) and fits the size limit; else raise."""
    t = messages()
    if not paths:
        raise InputError(
            t.render("err_upload_missing", language, name="(none)"),
            hint=t.render("hint_upload_missing", language),
        )
    return [_check_file(Path(raw).expanduser(), policy, language) for raw in paths]


def _shown(text: str) -> str:
    # A path that is not UTF-8 (argv bytes as surrogates) is shown, not crashed on.
    return text.encode("utf-8", "replace").decode("utf-8")


def _check_file(path: Path, policy: UploadPolicy, language: str) -> CheckedFile:
    t = messages()
    raw, name = _shown(str(path)), _shown(path.name)
    if path.is_dir():
        raise FileRejectedError(
            t.render("err_upload_directory", language, name=raw),
            hint=t.render("hint_upload_directory", language),
        )
    if not path.is_file():
        raise InputError(
            t.render("err_upload_missing", language, name=raw),
            hint=t.render("hint_upload_missing", language),
        )
    ext = path.suffix.lower().lstrip(".")
    if ext not in policy.types:
        raise FileRejectedError(
            t.render("err_upload_type", language, name=name, ext=ext or "?"),
            code=4001,
            hint=t.render("hint_upload_type", language, types=policy.types),
        )
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise InputError(
            t.render("err_upload_unreadable", language, name=name, detail=exc.strerror),
            hint=t.render("hint_upload_missing", language),
        ) from exc
    if size == 0 or not head:
        raise FileRejectedError(
            t.render("err_upload_empty", language, name=name),
            code=4001,
            hint=t.render("hint_upload_empty", language),
        )
    kind = expected_kind(ext)
    if kind is not None and not kind.matches(head):
        raise FileRejectedError(
            t.render("err_upload_not_media", language, name=name, kind=kind.name,
                     found=sniff(head)),
            code=4001,
            hint=t.render("hint_upload_not_media", language),
        )  # fmt: skip
    if size > policy.max_bytes:
        limit = policy.max_bytes // 2**20
        raise FileRejectedError(
            t.render("err_upload_size", language, name=name, size_mb=_mb(size), limit_mb=limit),
            code=4002,
            hint=t.render("hint_upload_size", language, limit_mb=limit),
        )
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return CheckedFile(path=path, size=size, content_type=content_type)


def check_urls(urls: Sequence[str], language: str = "en") -> list[str]:
    """Every URL is an absolute http(s) address; else raise."""
    t = messages()
    checked = []
    for url in urls:
        parts = urlsplit(url.strip())
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise InputError(
                t.render("err_upload_missing", language, name=url),
                hint=t.render("hint_upload_missing", language),
            )
        checked.append(url.strip())
    if not checked:
        raise InputError(t.render("err_upload_missing", language, name="(none)"))
    return checked


def _quote(name: str) -> str:
    # HTML's multipart rule: percent-encode only the quote and line breaks, keep UTF-8.
    return name.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def _part_head(boundary: str, file: CheckedFile) -> bytes:
    name = _quote(_shown(file.path.name))
    return (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="files"; filename="{name}"\r\n'
        f"Content-Type: {file.content_type}\r\n\r\n"
    ).encode()


def _read_file(file: CheckedFile) -> Iterator[bytes]:
    remaining = file.size
    with file.path.open("rb") as handle:
        while remaining > 0:
            chunk = handle.read(min(CHUNK_SIZE, remaining))
            if not chunk:
                return
            remaining -= len(chunk)
            yield chunk


def multipart_body(
    files: Sequence[CheckedFile],
    on_progress: Callable[[UploadProgress], None] | None = None,
) -> Body:
    """A :class:`Body` that streams ``files`` as ``multipart/form-data`` (one ``files`` part
    each), made afresh for each attempt, reporting bytes sent through ``on_progress``."""
    from skillrt.runtime._client import Body

    boundary = f"skillrt-{uuid.uuid4().hex}"
    heads = [_part_head(boundary, file) for file in files]
    tail = f"--{boundary}--\r\n".encode()
    length = sum(len(h) + f.size + 2 for h, f in zip(heads, files, strict=True)) + len(tail)

    def produce() -> Iterator[bytes]:
        for index, (head, file) in enumerate(zip(heads, files, strict=True)):
            yield head
            sent = 0
            for chunk in _read_file(file):
                yield chunk
                sent += len(chunk)
                if on_progress is not None:
                    on_progress(UploadProgress(file.path, sent, file.size, index, len(files)))
            yield b"\r\n"
        yield tail

    headers = (
        ("Content-Type", f"multipart/form-data; boundary={boundary}"),
        ("Content-Length", str(length)),
    )
    return Body(content=produce, headers=headers)
