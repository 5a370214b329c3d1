"""One line a chat user can read for a whole timeline, and whether there is anything to export."""

from __future__ import annotations

from skillrt.translators._catalog import say
from skillrt.translators._describe import segment_body, track_name, track_note
from skillrt.translators._draft import Draft, Track, read_draft

__all__ = ["is_exportable", "summarize_timeline"]

#: A track with more segments lists this many and says how many more.
MAX_SEGMENTS_LISTED = 3


def summarize_timeline(draft: object, language: str = "en") -> str:
    """``Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) …``.

    Lenient: any JSON value is accepted (a draft, a state response, garbage); a draft with
    nothing on it says there is nothing to export yet.
    """
    parsed = read_draft(draft)
    if not any(track.segments for track in parsed.tracks):
        return say("timeline_empty", language)
    items = [_item(parsed, track, index, language) for index, track in enumerate(parsed.tracks, 1)]
    return say("timeline", language, count=len(parsed.tracks), items=items)


def is_exportable(draft: object) -> bool:
    """True when the draft has a track with at least one segment (contract §6)."""
    return any(track.segments for track in read_draft(draft).tracks)


def _item(draft: Draft, track: Track, index: int, language: str) -> str:
    bodies = [segment_body(track, s, language) for s in track.segments[:MAX_SEGMENTS_LISTED]]
    hidden = len(track.segments) - len(bodies)
    return say(
        "timeline_track",
        language,
        index=index,
        name=track_name(track, language),
        note=track_note(draft, track, language),
        bodies=bodies,
        more=hidden,
    )
