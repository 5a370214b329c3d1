"""video-meta-ai (titles, descriptions, tags) and caption-ab (two caption variants)."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

from skillrt._text import HAN_RANGE, has_han
from skillrt.emulator import _draft, _parse
from skillrt.emulator._context import AgentContext
from skillrt.emulator._edits import caption_lines
from skillrt.emulator._turn import Call, Say, Turn, Work

__all__ = ["ab_turn", "meta_turn", "variant_turn", "wants_ab", "wants_meta", "wants_variant"]

# fmt: off
_STOP = frozenset((
    "a", "an", "the", "and", "or", "for", "of", "to", "in", "on", "my", "our", "your", "me",
    "with", "video", "clip", "generate", "write", "give", "make", "some", "please", "titles",
    "title", "descriptions", "description", "tags", "tag", "metadata", "this", "that", "it",
    "is", "about", "youtube", "tiktok", "suggest", "ideas", "seo",
))
# fmt: on


_META_WORDS = ("tags", "description", "metadata", "seo", "hashtag", "title ideas",
               "suggest titles", "标签", "描述", "简介", "元数据", "话题")  # fmt: skip


def wants_meta(text: str) -> bool:
    """Titles/descriptions/tags requested (not adding a title to the video)."""
    return _parse.has_any(text, _META_WORDS)


def wants_ab(text: str) -> bool:
    """Two caption styles to compare."""
    captions = _parse.has_any(text, ("caption", "subtitle", "字幕"))
    two = _parse.has_any(text, ("two", "a/b", " ab", "ab ", "variant", "compare", "styles", "两",
                                "2种", "二种", "对比", "比较", "ab测试"))  # fmt: skip
    return captions and two


def wants_variant(text: str) -> str | None:
    """The variant asked for: "switch to variant B" / "切换到B" gives ``"B"``."""
    found = re.search(r"(?:variant|version|版本|方案|切换到|use|选)\s*([AB])\b", text, re.I)
    return found.group(1).upper() if found else None


def _subject(ctx: AgentContext) -> dict[str, Any]:
    """What is known about the clip: name, duration, size."""
    session, draft = ctx.session, ctx.session.draft
    meta = draft.get("m", {})
    if session.uploads and not session.prompt:
        clip = session.uploads[-1]
        name = PurePosixPath(clip.filename).stem
        return {"name": re.sub(r"[_\-.]+", " ", name).strip(), "duration": clip.duration or 0,
                "width": clip.width or 0, "height": clip.height or 0}  # fmt: skip
    return {
        "name": str(meta.get("title") or _parse.topic_in(session.prompt) or ""),
        "duration": int(draft.get("d") or 0) / 1000,
        "width": int(meta.get("width") or 0),
        "height": int(meta.get("height") or 0),
    }


def meta_turn(ctx: AgentContext) -> Turn:
    """Titles, a description and tags derived from the clip and the user's words."""
    subject = _subject(ctx)
    words = [w for w in re.findall(rf"[A-Za-z]{{3,}}|[{HAN_RANGE}]{{2,4}}", ctx.text.lower())
             if w not in _STOP]  # fmt: skip
    name = subject["name"] or " ".join(words[:3]) or ctx.say("default_topic")
    vertical = subject["height"] > subject["width"]
    platform = "Shorts / Reels / TikTok" if vertical else "YouTube"
    keywords = list(dict.fromkeys([*name.lower().split(), *words]))[:6]
    tags = [f"#{k.replace(' ', '')}" for k in keywords] + (["#shorts"] if vertical else ["#video"])
    result = {
        "titles": [ctx.say("meta_title", index=i, name=name) for i in range(3)],
        "description": ctx.say("meta_description", name=name,
                               seconds=f"{subject['duration']:.0f}", platform=platform),
        "tags": tags,
        "duration": subject["duration"],
        "resolution": f"{subject['width']}x{subject['height']}",
    }  # fmt: skip

    def apply() -> dict[str, Any]:
        with ctx.lock:
            ctx.session.video_analyses.append(result)
        return {"ok": True, **result}

    reply = ctx.say("meta_result", **result, platform=platform)
    call = Call("analyze_video", {"name": name}, apply)
    return Turn(ctx.language, [Work(ctx.settings.reply_seconds), call, Say(reply)])


_STYLE_A = {"position": "bottom", "size": 44, "color": "#FFFFFF", "box": True}
_STYLE_B = {"position": "center", "size": 64, "color": "#FFD400", "box": False}


def _short(text: str) -> str:
    """Variant B's punchy line: the first few words (or characters) of a cue."""
    if has_han(text):
        return text[:8]
    return " ".join(text.split()[:4]).rstrip(",.;:").upper()


def _luminance(hex_color: str) -> float:
    channels = [int(hex_color.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two ``#RRGGBB`` colours (1 to 21)."""
    a, b = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return round((a + 0.05) / (b + 0.05), 1)


def _stats(cues: list[tuple[int, int, str]]) -> dict[str, float]:
    chars = sum(len(t) for _, _, t in cues)
    seconds = sum((e - s) for s, e, _ in cues) / 1000 or 1
    return {"cps": round(chars / seconds, 1), "line": max((len(t) for *_, t in cues), default=0)}


def ab_turn(ctx: AgentContext) -> Turn:
    """Two caption variants as two tracks, with a comparison and how to export each."""
    cues_a = caption_lines(ctx.session.draft, ctx.say("default_topic"))
    cues_b = [(s, e, _short(t)) for s, e, t in cues_a]
    video = _draft.main_track(ctx.session.draft)
    background = "#808080"
    if video and video["sg"] and video["sg"][0].get("color"):
        background = str(video["sg"][0]["color"])
    a, b = _stats(cues_a), _stats(cues_b)
    compare = {
        "a_cps": a["cps"], "b_cps": b["cps"], "a_line": a["line"], "b_line": b["line"],
        "a_contrast": contrast("#FFFFFF", "#000000"),
        "b_contrast": contrast(str(_STYLE_B["color"]), background),
    }  # fmt: skip

    def change(draft: dict[str, Any]) -> dict[str, Any]:
        _draft.add_captions(draft, cues_a, _STYLE_A, variant="A")
        _draft.add_captions(draft, cues_b, _STYLE_B, variant="B")
        draft.setdefault("m", {})["activeVariant"] = "A"
        return {"variants": ["A", "B"], "activeVariant": "A", **compare}

    call = ctx.edit("create_caption_variants", {"variants": ["A", "B"]}, change)
    turn = Turn(ctx.language, [Work(ctx.settings.edit_seconds), call])
    turn.steps.append(Say(ctx.say("ab_result", **compare)))
    if not ctx.session.edit_charged:
        turn.cost, turn.edit_charge = ctx.settings.edit_cost, True
    return turn


def variant_turn(ctx: AgentContext, variant: str) -> Turn:
    """Show (and export) caption variant ``variant``."""

    def change(draft: dict[str, Any]) -> dict[str, Any]:
        draft.setdefault("m", {})["activeVariant"] = variant
        return {"activeVariant": variant}

    call = ctx.edit("set_active_variant", {"variant": variant}, change)
    return Turn(ctx.language, [call, Say(ctx.say("variant_switched", variant=variant))])
