"""What changed between two drafts, as a list of :class:`Change` (structured, no wording)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from skillrt.translators._draft import Draft, Meta, Segment, Track, read_draft

__all__ = ["Change", "ChangeKind", "diff_drafts"]

ChangeKind = Literal[
    "track_added",
    "track_removed",
    "track_moved",
    "segment_added",
    "segment_removed",
    "segment_moved",
    "segment_trimmed",
    "segment_extended",
    "segment_retimed",
    "text_changed",
    "music_replaced",
    "source_replaced",
    "volume_changed",
    "style_changed",
    "segment_updated",
    "aspect_changed",
    "canvas_changed",
    "variant_switched",
    "title_changed",
    "fps_changed",
    "duration_changed",
]


@dataclass(frozen=True)
class Change:
    """One difference between two drafts.

    ``track`` is the track concerned (as it is after the change, or before for a removal),
    ``index`` the 1-based position of the segment in it, ``segment`` the segment added or
    removed (or as it is now), ``before``/``after`` the values that changed.
    """

    kind: ChangeKind
    track: Track | None = None
    index: int | None = None
    segment: Segment | None = None
    before: object = None
    after: object = None


def diff_drafts(before: object, after: object) -> list[Change]:
    """The changes from ``before`` to ``after`` (drafts or state responses; lenient, pure)."""
    old, new = read_draft(before), read_draft(after)
    changes = list(_tracks(old, new))
    changes += _meta(old.meta, new.meta)
    if old.duration != new.duration and (old.tracks or new.tracks):
        changes.append(Change("duration_changed", before=old.duration, after=new.duration))
    return changes


def _keys(items: tuple[Track, ...] | tuple[Segment, ...]) -> list[str]:
    """Stable ids when present, else a key from what the item is plus its occurrence."""
    seen: dict[str, int] = {}
    keys = []
    for item in items:
        if not item.id.startswith("#"):
            keys.append(item.id)
            continue
        base = f"{item.kind}/{item.role}/{item.variant}" if isinstance(item, Track) else "seg"
        seen[base] = seen.get(base, 0) + 1
        keys.append(f"{base}#{seen[base]}")
    return keys


def _tracks(old: Draft, new: Draft) -> Iterator[Change]:
    old_by = dict(zip(_keys(old.tracks), old.tracks, strict=True))
    new_keys = _keys(new.tracks)
    for key, track in zip(new_keys, new.tracks, strict=True):
        previous = old_by.get(key)
        if previous is None:
            yield Change("track_added", track)
        else:
            yield from _segments(previous, track)
    for key, track in old_by.items():
        if key not in new_keys:
            yield Change("track_removed", track)
    common_old = [key for key in old_by if key in new_keys]
    common_new = [key for key in new_keys if key in old_by]
    if common_old != common_new:
        for position, key in enumerate(common_new):
            if common_old[position] != key:
                track = new.tracks[new_keys.index(key)]
                yield Change("track_moved", track, after=new_keys.index(key) + 1)


def _segments(old: Track, new: Track) -> Iterator[Change]:
    old_by = dict(zip(_keys(old.segments), old.segments, strict=True))
    old_index = {key: index for index, key in enumerate(old_by, 1)}
    new_keys = _keys(new.segments)
    for index, (key, segment) in enumerate(zip(new_keys, new.segments, strict=True), 1):
        previous = old_by.get(key)
        if previous is None:
            yield Change("segment_added", new, index, segment)
        else:
            yield from _segment(new, index, previous, segment)
    for key, segment in old_by.items():
        if key not in new_keys:
            yield Change("segment_removed", old, old_index[key], segment)


def _segment(track: Track, index: int, old: Segment, new: Segment) -> Iterator[Change]:
    if old.start != new.start and old.duration != new.duration:
        yield Change(
            "segment_retimed", track, index, new, (old.start, old.end), (new.start, new.end)
        )
    elif old.duration != new.duration or old.trim_in != new.trim_in:
        kind: ChangeKind = "segment_extended" if new.duration > old.duration else "segment_trimmed"
        yield Change(kind, track, index, new, old.duration, new.duration)
    elif old.start != new.start:
        span = ((old.start, old.end), (new.start, new.end))
        yield Change("segment_moved", track, index, new, *span)
    reported = _content(track, index, old, new)
    first = next(reported, None)
    if first is not None:
        yield first
        yield from reported
    elif (old.label, old.color) != (new.label, new.color) and (old.start, old.duration) == (
        new.start,
        new.duration,
    ):
        yield Change("segment_updated", track, index, new, old.label, new.label)


def _content(track: Track, index: int, old: Segment, new: Segment) -> Iterator[Change]:
    if old.text != new.text:
        yield Change("text_changed", track, index, new, old.text, new.text)
    if old.music != new.music:
        yield Change("music_replaced", track, index, new, old.music or old.label, new.music)
    elif old.src != new.src:
        yield Change(
            "source_replaced", track, index, new, old.label or old.src, new.label or new.src
        )
    if old.volume != new.volume and track.kind != "text":
        yield Change("volume_changed", track, index, new, old.volume, new.volume)
    if old.style != new.style:
        was, now = dict(old.style), dict(new.style)
        details = tuple(
            (key, was.get(key, ""), now.get(key, ""))
            for key in sorted(set(was) | set(now))
            if was.get(key) != now.get(key)
        )
        yield Change("style_changed", track, index, new, after=details)


def _meta(old: Meta, new: Meta) -> Iterator[Change]:
    if old.aspect != new.aspect and (old.aspect or new.aspect):
        yield Change("aspect_changed", before=old.aspect, after=new.aspect)
    elif (old.width, old.height) != (new.width, new.height) and new.width and new.height:
        yield Change(
            "canvas_changed", before=(old.width, old.height), after=(new.width, new.height)
        )
    if old.active_variant != new.active_variant and new.active_variant:
        yield Change("variant_switched", before=old.active_variant, after=new.active_variant)
    if old.title != new.title and new.title:
        yield Change("title_changed", before=old.title, after=new.title)
    if old.fps != new.fps and old.fps and new.fps:
        yield Change("fps_changed", before=old.fps, after=new.fps)
