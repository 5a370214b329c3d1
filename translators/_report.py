"""A silent edit reported in words: ``✅ BGM volume 35% → 20%``, one line per change."""

from __future__ import annotations

import re

from skillrt.translators._catalog import say
from skillrt.translators._describe import seconds, segment_body, segment_name, track_name
from skillrt.translators._diff import Change, diff_drafts

__all__ = ["describe_change", "describe_changes"]


def describe_changes(before: object, after: object, language: str = "en") -> str:
    """What changed from ``before`` to ``after``, one ``✅`` line per change, or "no changes"."""
    changes = diff_drafts(before, after)
    if not changes:
        return say("no_changes", language)
    return "\n".join(describe_change(change, language) for change in changes)


def describe_change(change: Change, language: str = "en") -> str:
    """One change as one line."""
    track, index, segment = change.track, change.index or 1, change.segment
    context: dict[str, object] = {"before": change.before, "after": change.after}
    if track is not None:
        name, what = track_name(track, language), segment_name(track, index, language)
        context.update(name=name, what=what, w=_wording(track.role, name, what, language))
        if change.kind == "track_added":
            context["bodies"] = [segment_body(track, s, language) for s in track.segments[:3]]
        if segment is not None:
            context["body"] = segment_body(track, segment, language)
    if change.kind in ("segment_trimmed", "segment_extended", "duration_changed"):
        context["before"] = seconds(_int(change.before))
        context["after"] = seconds(_int(change.after))
    elif change.kind in ("segment_moved", "segment_retimed"):
        context["before"] = _range(change.before)
        context["after"] = _range(change.after)
    elif change.kind == "volume_changed":
        context["before"] = _percent(change.before)
        context["after"] = _percent(change.after)
    return say(f"change_{change.kind}", language, **context)


# What a track's own name already says, so the report does not say it twice: "BGM music
# replaced" and "背景音乐音乐已替换", "Text text changed", "Music track track removed".
_SAYS_MUSIC = re.compile(r"music|\bbgm\b|音乐", re.IGNORECASE)
_SAYS_TEXT = re.compile(r"^(?:text|文字)(?:\s*\d+)?$", re.IGNORECASE)
_SAYS_TRACK = re.compile(r"\btrack$|轨道$", re.IGNORECASE)
_ENDS_LATIN = re.compile(r"[A-Za-z]$")


def _wording(role: str, name: str, what: str, language: str) -> dict[str, object]:
    """Flags for the templates: which words the names already hold, and spacing in Chinese."""
    return {
        "says_music": role == "bgm" or bool(_SAYS_MUSIC.search(what)),
        "says_text": bool(_SAYS_TEXT.search(what)),
        "says_track": bool(_SAYS_TRACK.search(name)),
        # "字幕 A 已剪短", not "字幕 A已剪短": a Latin name ends before the Chinese words.
        "gap": " " if language == "zh" and _ENDS_LATIN.search(what) else "",
        "name_gap": " " if language == "zh" and _ENDS_LATIN.search(name) else "",
    }


def _int(value: object) -> int:
    return value if isinstance(value, int) else 0


def _range(value: object) -> str:
    if isinstance(value, tuple) and len(value) == 2:
        return f"{seconds(_int(value[0]))}-{seconds(_int(value[1]))}"
    return ""


def _percent(value: object) -> str | None:
    return f"{round(value * 100)}%" if isinstance(value, float) else None
