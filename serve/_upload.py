"""Request bodies read as they arrive: JSON with a size bound, multipart streamed to disk.

A file part is written to the message's upload folder chunk by chunk and refused (413)
the moment it passes the skill's limit, before the rest is read. A file name that is a
path (``../../x``, ``a/b``, ``.hidden``) is refused (400): the name given is the name kept.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

from skillrt.serve._problems import Problem

__all__ = ["MessageBody", "is_safe_name", "read_json", "read_multipart"]

#: Characters of a file name the service keeps (longer ones are refused).
MAX_NAME_CHARS = 200


@dataclass
class MessageBody:
    """A message as received: its text and the files saved for it."""

    text: str = ""
    files: list[Path] = field(default_factory=list)
    folder: Path | None = None

    def cleanup(self) -> None:
        """Remove the saved files (after the message ran)."""
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


def is_safe_name(name: str) -> bool:
    """Whether ``name`` is a plain file name (no folder part, not hidden, printable)."""
    return (
        bool(name)
        and len(name) <= MAX_NAME_CHARS
        and "/" not in name
        and "\\" not in name
        and not name.startswith(".")
        and name.isprintable()
    )


async def read_json(request: Request, limit: int) -> Any:
    """The request's JSON body (413 past ``limit`` bytes, 400 when it is not JSON)."""
    raw = bytearray()
    try:
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > limit:
                raise Problem(413, "body_too_large", limit=limit)
    except ClientDisconnect:
        raise Problem(400, "client_disconnected") from None
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise Problem(400, "malformed_json") from None


class _Parts:
    """The multipart callbacks: headers of each part, then its data to a file or text."""

    def __init__(self, folder: Path, max_file: int, max_text: int, max_files: int) -> None:
        self.folder = folder
        self.max_file = max_file
        self.max_text = max_text
        self.max_files = max_files
        self.body = MessageBody(folder=folder)
        self._headers: dict[str, bytes] = {}
        self._field = b""
        self._value = b""
        self._text = bytearray()
        self._name = ""
        self._file: IO[bytes] | None = None
        self._size = 0

    def callbacks(self) -> dict[str, Any]:
        return {
            "on_part_begin": self.part_begin,
            "on_header_field": self.header_field,
            "on_header_value": self.header_value,
            "on_header_end": self.header_end,
            "on_headers_finished": self.headers_finished,
            "on_part_data": self.part_data,
            "on_part_end": self.part_end,
        }

    def part_begin(self) -> None:
        self._headers = {}
        self._file = None
        self._size = 0
        self._name = ""

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def header_end(self) -> None:
        self._headers[self._field.decode("latin-1").lower()] = self._value
        self._field, self._value = b"", b""

    def headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get("content-disposition", b""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        if self._name == "files" and filename is not None:
            name = filename.decode("utf-8", "replace")
            if not is_safe_name(name):
                raise Problem(400, "bad_file_name", name=name[:80])
            if len(self.body.files) >= self.max_files:
                raise Problem(413, "too_many_files", limit=self.max_files)
            target = self.folder / name
            if target in self.body.files:
                raise Problem(400, "duplicate_file_name", name=name)
            self.folder.mkdir(parents=True, exist_ok=True)
            self._file = target.open("wb")
            self.body.files.append(target)
        elif self._name != "text":
            raise Problem(400, "unexpected_field", name=self._name[:80])

    def part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if self._file is not None:
            self._size += len(chunk)
            if self._size > self.max_file:
                raise Problem(413, "file_too_large", limit=self.max_file)
            self._file.write(chunk)
        else:
            self._text += chunk
            if len(self._text) > self.max_text:
                raise Problem(413, "body_too_large", limit=self.max_text)

    def part_end(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        elif self._name == "text":
            self.body.text = self._text.decode("utf-8", "replace")

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


async def read_multipart(
    request: Request, folder: Path, *, max_file: int, max_text: int, max_files: int
) -> MessageBody:
    """``text`` and ``files`` of a multipart body, the files saved under ``folder``."""
    _, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if not boundary:
        raise Problem(400, "bad_multipart")
    parts = _Parts(folder, max_file, max_text, max_files)
    parser = MultipartParser(boundary, parts.callbacks())  # type: ignore[arg-type]
    try:
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except ClientDisconnect:
        parts.close()
        parts.body.cleanup()
        raise Problem(400, "client_disconnected") from None
    except Problem:
        parts.close()
        parts.body.cleanup()
        raise
    except Exception:  # python-multipart's own parse errors
        parts.close()
        parts.body.cleanup()
        raise Problem(400, "bad_multipart") from None
    return parts.body
