"""Building and editing drafts in the format of docs/draft.md.

Every function takes a draft dict and changes it in place; ``finish`` recomputes ``d``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

__all__ = [
    "MUSIC_NAMES",
    "SCENE_COLORS",
    "add_captions",
    "add_clip",
    "add_text",
    "canvas_for",
    "finish",
    "generated_draft",
    "main_track",
    "reorder_scenes",
    "set_bgm",
    "set_bgm_volume",
    "track",
    "tracks",
    "trim",
]

MUSIC_NAMES: tuple[str, ...] = ("Lo-fi", "Upbeat", "Cinematic", "Chill", "Corporate")
SCENE_COLORS: tuple[str, ...] = ("#1f3b5a", "#5a2e1f", "#2f5a1f", "#4a1f5a", "#5a501f", "#1f5a55")

VIDEO, AUDIO, TEXT = 0, 1, 7


def canvas_for(aspect: str, long_side: int) -> tuple[int, int]:
    """Width and height (even numbers) of a canvas with ``aspect`` and ``long_side``."""
    short = long_side * 9 // 16
    short -= short % 2
    if aspect == "16:9":
        return long_side, short
    if aspect == "1:1":
        return short, short
    return short, long_side


def tracks(draft: dict[str, Any]) -> list[dict[str, Any]]:
    """The draft's track list (created when missing)."""
    found = draft.setdefault("t", [])
    assert isinstance(found, list)
    return found


def track(draft: dict[str, Any], role: str, variant: str | None = None) -> dict[str, Any] | None:
    """The first track with ``role`` (and ``variant``), if any."""
    for candidate in tracks(draft):
        if candidate.get("role") == role and candidate.get("variant") == variant:
            return candidate
    return None


def main_track(draft: dict[str, Any]) -> dict[str, Any] | None:
    """The main video track."""
    return track(draft, "main")


def _next_id(draft: dict[str, Any], prefix: str) -> str:
    used = {str(t.get("id")) for t in tracks(draft)}
    for t in tracks(draft):
        used.update(str(s.get("id")) for s in t.get("sg", []))
    for n in itertools.count(1):
        candidate = f"{prefix}{n}"
        if candidate not in used:
            return candidate
    raise AssertionError("unreachable")  # pragma: no cover


def _ensure_track(
    draft: dict[str, Any], tt: int, role: str, name: str, variant: str | None = None
) -> dict[str, Any]:
    existing = track(draft, role, variant)
    if existing is not None:
        return existing
    prefix = {VIDEO: "v", AUDIO: "a", TEXT: "x"}[tt]
    new: dict[str, Any] = {"id": _next_id(draft, prefix), "tt": tt, "role": role, "name": name}
    if variant is not None:
        new["variant"] = variant
    new["sg"] = []
    tracks(draft).append(new)
    return new


def finish(draft: dict[str, Any]) -> dict[str, Any]:
    """Recompute ``d`` as the end of the last segment; returns the draft."""
    ends = [int(s.get("start", 0)) + int(s.get("d", 0)) for t in tracks(draft) for s in t["sg"]]
    draft["d"] = max(ends, default=0)
    return draft


def generated_draft(
    title: str, scene_texts: Sequence[str], labels: Sequence[str], duration_ms: int,
    aspect: str, long_side: int,
) -> dict[str, Any]:  # fmt: skip
    """A draft holding one video track of generated scenes (stage one of generation)."""
    width, height = canvas_for(aspect, long_side)
    draft: dict[str, Any] = {
        "d": 0,
        "m": {"title": title, "width": width, "height": height, "fps": 30, "aspect": aspect},
        "t": [],
    }
    video = _ensure_track(draft, VIDEO, "main", "Video")
    count = max(1, len(scene_texts))
    step = duration_ms // count
    for index, (text, label) in enumerate(zip(scene_texts, labels, strict=True)):
        length = step if index < count - 1 else duration_ms - step * (count - 1)
        video["sg"].append(
            {
                "id": _next_id(draft, "s"),
                "start": step * index,
                "d": length,
                "src": f"generated:scene-{index + 1}",
                "label": label,
                "text": text,
                "color": SCENE_COLORS[index % len(SCENE_COLORS)],
            }
        )
    return finish(draft)


def add_clip(draft: dict[str, Any], media: dict[str, Any], long_side: int) -> dict[str, Any]:
    """Append an uploaded clip (or photo) to the main track; sets the canvas on first use."""
    if not draft.get("m"):
        width, height = media.get("width") or 1080, media.get("height") or 1920
        aspect = "16:9" if width > height else "1:1" if width == height else "9:16"
        w, h = canvas_for(aspect, long_side)
        draft["m"] = {"title": "", "width": w, "height": h, "fps": 30, "aspect": aspect}
    video = _ensure_track(draft, VIDEO, "main", "Video")
    start = max((s["start"] + s["d"] for s in video["sg"]), default=0)
    seconds = media.get("duration") or 3.0
    segment = {
        "id": _next_id(draft, "s"),
        "start": start,
        "d": round(seconds * 1000),
        "src": media["cdn_url"],
        "label": media["filename"],
        "in": 0,
    }
    video["sg"].append(segment)
    finish(draft)
    return segment


def set_bgm(draft: dict[str, Any], music: str, volume: float) -> dict[str, Any]:
    """Put ``music`` under the whole timeline at ``volume`` (replacing any BGM)."""
    bgm = _ensure_track(draft, AUDIO, "bgm", "BGM")
    total = int(draft.get("d") or 0)
    segment = {
        "id": bgm["sg"][0]["id"] if bgm["sg"] else _next_id(draft, "s"),
        "start": 0,
        "d": total,
        "music": music,
        "label": music,
        "volume": round(volume, 2),
    }
    bgm["sg"] = [segment]
    return segment


def set_bgm_volume(draft: dict[str, Any], volume: float) -> bool:
    """Change the BGM volume; False when there is no BGM."""
    bgm = track(draft, "bgm")
    if bgm is None or not bgm["sg"]:
        return False
    for segment in bgm["sg"]:
        segment["volume"] = round(volume, 2)
    return True


def add_text(
    draft: dict[str, Any], role: str, text: str, start_ms: int, end_ms: int,
    style: dict[str, Any],
) -> dict[str, Any]:  # fmt: skip
    """Add a title or text overlay segment (a title replaces the previous title)."""
    name = "Title" if role == "title" else "Text"
    target = _ensure_track(draft, TEXT, role, name)
    segment = {
        "id": _next_id(draft, "s"),
        "start": start_ms,
        "d": max(100, end_ms - start_ms),
        "text": text,
        "label": text,
        "style": style,
    }
    if role == "title":
        target["sg"] = [segment]
    else:
        target["sg"].append(segment)
        target["sg"].sort(key=lambda s: s["start"])
    finish(draft)
    return segment


def add_captions(
    draft: dict[str, Any], lines: Sequence[tuple[int, int, str]], style: dict[str, Any],
    variant: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Replace the caption track (of ``variant``) with ``lines`` of (start, end, text)."""
    name = f"Captions {variant}" if variant else "Captions"
    target = _ensure_track(draft, TEXT, "caption", name, variant)
    target["sg"] = [
        {
            "id": _next_id(draft, "s") if i == 0 else f"{target['id']}c{i + 1}",
            "start": start,
            "d": end - start,
            "text": text,
            "label": text,
            "style": dict(style),
        }
        for i, (start, end, text) in enumerate(lines)
    ]
    return target


def trim(draft: dict[str, Any], start_ms: int, end_ms: int) -> bool:
    """Keep only ``[start_ms, end_ms)`` of the timeline; False when nothing would remain."""
    if end_ms <= start_ms:
        return False
    for t in tracks(draft):
        kept = []
        for segment in t["sg"]:
            s0, s1 = int(segment["start"]), int(segment["start"]) + int(segment["d"])
            lo, hi = max(s0, start_ms), min(s1, end_ms)
            if hi <= lo:
                continue
            if "src" in segment or "music" in segment:
                segment["in"] = int(segment.get("in", 0)) + (lo - s0)
            segment["start"], segment["d"] = lo - start_ms, hi - lo
            kept.append(segment)
        t["sg"] = kept
    finish(draft)
    return bool(draft["d"])


def reorder_scenes(draft: dict[str, Any], first: int, second: int) -> bool:
    """Swap scenes ``first`` and ``second`` (1-based) of the main track, keeping it gapless."""
    video = main_track(draft)
    if video is None:
        return False
    segments = video["sg"]
    if not (1 <= first <= len(segments) and 1 <= second <= len(segments)) or first == second:
        return False
    segments[first - 1], segments[second - 1] = segments[second - 1], segments[first - 1]
    position = 0
    for segment in segments:
        segment["start"] = position
        position += int(segment["d"])
    finish(draft)
    return True
