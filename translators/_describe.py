"""Words for the parts of a draft, shared by the timeline summary and the change report."""

from __future__ import annotations

from skillrt.translators._catalog import say, say_fixed
from skillrt.translators._draft import Draft, Segment, Track

__all__ = ["seconds", "segment_body", "segment_name", "track_name", "track_note"]


def seconds(ms: int) -> str:
    """``10000`` → ``10``, ``2500`` → ``2.5``."""
    text = f"{ms / 1000:.1f}"
    return text[:-2] if text.endswith(".0") else text


def track_name(track: Track, language: str) -> str:
    """The track's display name; in Chinese the role's name, so the summary reads as Chinese."""
    if language != "zh" and track.name:
        return track.name
    role = track.role if track.role in _ROLES else ""
    name = say_fixed("track_name", language, kind=track.kind, role=role)
    if track.variant and track.variant not in name:
        name = f"{name} {track.variant}"
    return name


def track_note(draft: Draft, track: Track, language: str) -> str:
    """``[variant B, hidden]`` for caption variants, else nothing."""
    if not track.variant:
        return ""
    active = draft.meta.active_variant
    state = "" if not active else ("active" if draft.shown(track) else "hidden")
    return say_fixed("variant_note", language, variant=track.variant, state=state)


def segment_body(track: Track, segment: Segment, language: str) -> str:
    """``city timelapse (0-10s)``, ``Lo-fi (0-10s, 35%)``, ``"Urban Dreams" (0-3s)``."""
    volume = round(segment.volume * 100) if segment.volume is not None else None
    if track.kind != "audio":
        volume = None
    return say(
        "segment",
        language,
        what=_what(track, segment, language),
        start=seconds(segment.start),
        end=seconds(segment.end),
        volume=volume,
    )


def segment_name(track: Track, index: int, language: str) -> str:
    """How a report names one segment: ``Clip 2``, ``BGM``, ``Captions 3``."""
    if track.kind == "video":
        return say_fixed("clip_name", language, index=index)
    name = track_name(track, language)
    return name if len(track.segments) <= 1 else f"{name} {index}"


def _what(track: Track, segment: Segment, language: str) -> str:
    if track.kind == "text" and segment.text:
        return say("quoted", language, text=segment.text)
    if track.kind == "audio" and segment.music:
        return segment.music
    found = segment.label or segment.text or _basename(segment.src)
    return found or say_fixed("unnamed", language, kind=track.kind)


def _basename(src: str) -> str:
    if src.startswith("generated:"):
        return ""
    return src.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]


_ROLES = frozenset({"main", "overlay", "bgm", "voice", "sfx", "title", "caption"})
