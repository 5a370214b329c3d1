"""What a file's first bytes say it is: container signatures of the media skills upload.

A text file renamed ``clip.mp4`` used to be uploaded, accepted and turned into an empty
timeline. Before an upload the runtime reads the first :data:`SNIFF_BYTES` of each file
and compares the container's magic bytes with the family its extension claims. An
extension without a signature here (a manifest may allow more types) is not checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["SNIFF_BYTES", "MediaKind", "expected_kind", "sniff"]

#: Bytes read from the start of a file to recognise it.
SNIFF_BYTES = 64

# ISO base media (MP4, MOV, M4A, 3GP, HEIC): a box whose type is at bytes 4-8. Files made
# by old QuickTime versions may start with another top-level box than ``ftyp``.
_ISO_BOXES = frozenset({b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot", b"uuid"})


def _iso(head: bytes) -> bool:
    return len(head) >= 8 and head[4:8] in _ISO_BOXES


def _riff(form: bytes) -> Callable[[bytes], bool]:
    return lambda head: head[:4] == b"RIFF" and head[8:12] == form


def _mpeg_audio(head: bytes) -> bool:
    # An ID3 tag, or an MPEG audio frame sync (11 set bits) with a valid layer.
    return head[:3] == b"ID3" or (
        len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06 != 0
    )


def _adts(head: bytes) -> bool:
    # ADTS: 12 sync bits, layer 00; or an ADIF header; often after an ID3 tag.
    sync = len(head) >= 2 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0
    return sync or head[:4] == b"ADIF" or head[:3] == b"ID3"


@dataclass(frozen=True)
class MediaKind:
    """A container family: its name for messages and how its first bytes look."""

    name: str
    matches: Callable[[bytes], bool]


_MP4 = MediaKind("MP4/QuickTime", _iso)
_EBML = MediaKind("Matroska/WebM", lambda head: head[:4] == b"\x1a\x45\xdf\xa3")
_KINDS: dict[str, MediaKind] = {
    "mp4": _MP4,
    "m4v": _MP4,
    "mov": _MP4,
    "3gp": _MP4,
    "m4a": MediaKind("MPEG-4 audio", _iso),
    "heic": MediaKind("HEIF image", _iso),
    "webm": _EBML,
    "mkv": _EBML,
    "avi": MediaKind("AVI", _riff(b"AVI ")),
    "wav": MediaKind("WAV", _riff(b"WAVE")),
    "webp": MediaKind("WebP", _riff(b"WEBP")),
    "jpg": MediaKind("JPEG", lambda head: head[:3] == b"\xff\xd8\xff"),
    "jpeg": MediaKind("JPEG", lambda head: head[:3] == b"\xff\xd8\xff"),
    "png": MediaKind("PNG", lambda head: head[:8] == b"\x89PNG\r\n\x1a\n"),
    "gif": MediaKind("GIF", lambda head: head[:6] in (b"GIF87a", b"GIF89a")),
    "bmp": MediaKind("BMP", lambda head: head[:2] == b"BM"),
    "mp3": MediaKind("MP3", _mpeg_audio),
    "aac": MediaKind("AAC", _adts),
    "flac": MediaKind("FLAC", lambda head: head[:4] == b"fLaC"),
    "ogg": MediaKind("Ogg", lambda head: head[:4] == b"OggS"),
}
#: Every family, for naming what a mismatched file really is (first match wins).
_ALL: tuple[MediaKind, ...] = tuple(dict.fromkeys(_KINDS.values()))


def expected_kind(extension: str) -> MediaKind | None:
    """The family ``extension`` (lower case, no dot) claims, or ``None`` when not known."""
    return _KINDS.get(extension)


def sniff(head: bytes) -> str | None:
    """What ``head`` (a file's first bytes) looks like: a family's name, ``"text"`` or
    ``None`` (unrecognised)."""
    for kind in _ALL:
        if kind.matches(head):
            return kind.name
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        if exc.start < len(head) - 3:
            return None
        text = head[: exc.start].decode("utf-8")
    if text and all(char.isprintable() or char in "\r\n\t" for char in text):
        return "text"
    return None
