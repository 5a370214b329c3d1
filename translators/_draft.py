"""Reading a draft (docs/draft.md) leniently: unknown fields ignored, wrong types defaulted.

Whatever JSON comes in — a draft, a state response wrapping one, a JSON string, garbage —
comes out as a :class:`Draft`; nothing here raises.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["Draft", "Meta", "Segment", "Track", "read_draft"]

_WRAPPERS = ("data", "state", "draft")


@dataclass(frozen=True, slots=True)
class Segment:
    """One segment of a track, with defaults for every missing field."""

    id: str
    start: int
    duration: int
    label: str
    text: str
    src: str
    music: str
    volume: float | None
    trim_in: int
    style: tuple[tuple[str, str], ...]
    color: str

    @property
    def end(self) -> int:
        """Where the segment ends on the timeline (ms)."""
        return self.start + self.duration


@dataclass(frozen=True, slots=True)
class Track:
    """One track: its type (0 video, 1 audio, 7 text), role, name, variant and segments."""

    id: str
    type: int | None
    role: str
    name: str
    variant: str
    segments: tuple[Segment, ...]

    @property
    def kind(self) -> str:
        """``video``, ``audio``, ``text`` or ``other``, from ``tt`` and then ``role``."""
        if self.type in _KINDS:
            return _KINDS[self.type]
        return _ROLE_KINDS.get(self.role, "other")


@dataclass(frozen=True, slots=True)
class Meta:
    """Draft metadata (``m``), plus the canvas of a state response when ``m`` lacks it."""

    title: str
    width: int | None
    height: int | None
    fps: int | None
    aspect: str
    active_variant: str


@dataclass(frozen=True, slots=True)
class Draft:
    """A whole timeline."""

    tracks: tuple[Track, ...]
    duration: int
    meta: Meta

    def shown(self, track: Track) -> bool:
        """False for a caption variant other than the active one (it is not rendered)."""
        active = self.meta.active_variant
        return not (track.variant and active and track.variant != active)


_KINDS = {0: "video", 1: "audio", 7: "text"}
_ROLE_KINDS = {
    "main": "video",
    "overlay": "video",
    "bgm": "audio",
    "voice": "audio",
    "sfx": "audio",
    "title": "text",
    "caption": "text",
}


def read_draft(value: object) -> Draft:
    """The draft in ``value``: a draft, a state response holding one, or its JSON text."""
    found, canvas = _unwrap(value)
    tracks_value = found.get("t") if found else None
    tracks = tuple(
        _track(item, index)
        for index, item in enumerate(tracks_value if isinstance(tracks_value, list) else ())
        if isinstance(item, Mapping)
    )
    meta_value = found.get("m") if found else None
    meta = _meta(meta_value if isinstance(meta_value, Mapping) else {}, canvas)
    ends = [segment.end for track in tracks for segment in track.segments]
    duration = _int(found.get("d")) if found else None
    return Draft(tracks, duration if duration is not None else max(ends, default=0), meta)


def _unwrap(value: object) -> tuple[Mapping[str, object] | None, Mapping[str, object]]:
    canvas: Mapping[str, object] = {}
    if isinstance(value, (str, bytes)):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            return None, canvas
    for _ in range(4):
        if not isinstance(value, Mapping):
            return None, canvas
        config = value.get("canvas_config")
        if isinstance(config, Mapping):
            canvas = config
        if "t" in value:
            return value, canvas
        inner = next((value[key] for key in _WRAPPERS if key in value), None)
        if inner is None:
            return value, canvas
        value = inner
    return None, canvas


def _track(value: Mapping[str, object], index: int) -> Track:
    segments_value = value.get("sg")
    segments = tuple(
        _segment(item, position)
        for position, item in enumerate(segments_value if isinstance(segments_value, list) else ())
        if isinstance(item, Mapping)
    )
    return Track(
        id=_str(value.get("id")) or f"#{index}",
        type=_int(value.get("tt")),
        role=_str(value.get("role")).lower(),
        name=_str(value.get("name")),
        variant=_str(value.get("variant")),
        segments=segments,
    )


def _segment(value: Mapping[str, object], position: int) -> Segment:
    get = value.get
    style = get("style")
    return Segment(
        _str(get("id")) or f"#{position}",
        _count(get("start")),
        _count(get("d")),
        _str(get("label")),
        _str(get("text")),
        _str(get("src")),
        _str(get("music")),
        _float(get("volume")),
        _count(get("in")),
        tuple(sorted((str(k), _plain(v)) for k, v in style.items()))
        if isinstance(style, Mapping)
        else (),
        _str(get("color")),
    )


def _meta(value: Mapping[str, object], canvas: Mapping[str, object]) -> Meta:
    def pick(key: str) -> object:
        return value.get(key) if value.get(key) is not None else canvas.get(key)

    return Meta(
        title=_str(value.get("title")),
        width=_int(pick("width")),
        height=_int(pick("height")),
        fps=_int(pick("fps")),
        aspect=_str(pick("aspect")),
        active_variant=_str(value.get("activeVariant") or value.get("active_variant")),
    )


def _str(value: object) -> str:
    if type(value) is str:  # the usual case first: a draft is mostly strings and ints
        return value.strip()
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return str(value)
    return ""


def _count(value: object) -> int:
    """A non-negative whole number of milliseconds; 0 for anything else."""
    if type(value) is int:
        return value if 0 < value < _LIMIT else 0
    return max(_int(value) or 0, 0)


def _int(value: object) -> int | None:
    if type(value) is int:  # round(float(n)) == n for every |n| < 1e15
        return value if -_LIMIT < value < _LIMIT else None
    number = _float(value)
    return round(number) if number is not None and abs(number) < 1e15 else None


def _float(value: object) -> float | None:
    if type(value) is float:
        return value if math.isfinite(value) else None
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if isinstance(value, int) and abs(value) < 10**15:
        return float(value)
    if isinstance(value, float) and math.isfinite(value):
        return value
    return None


_LIMIT = 10**15


def _plain(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = _str(value)
    return text if text or value is None else json.dumps(value, default=str)[:40]
