"""Generating a video from a prompt or a script: raw video first, then BGM and a title."""

from __future__ import annotations

import math
import re
from typing import Any

from skillrt.emulator import _draft, _parse
from skillrt.emulator._context import AgentContext
from skillrt.emulator._titles import title_of
from skillrt.emulator._turn import Call, Say, Turn, Work

__all__ = ["generation_turn", "wants_generation"]

_GENERATE_WORDS = ("generate", "create a video", "make a video", "make me", "produce",
                   "生成", "制作", "做一个", "做一段", "做个")  # fmt: skip
DEFAULT_SECONDS = 10.0
MAX_SECONDS = 120.0


def wants_generation(text: str) -> bool:
    """Whether the message asks for a new video."""
    return _parse.has_any(text, _GENERATE_WORDS) or bool(
        re.match(r"\s*(script|脚本)\s*[:：]", text)
    )


def _script_lines(text: str) -> list[str]:
    """Scene lines of a script ("script: line one. line two." or one line per row)."""
    found = re.search(r"(?:script|脚本)\s*[:：](.+)", text, re.I | re.S)
    if not found:
        return []
    body = found.group(1)
    parts = re.split(r"\n+|(?<=[.!?。！？])\s*", body)
    return [p.strip() for p in parts if p.strip()][:12]


def generation_turn(ctx: AgentContext) -> Turn:
    """The two-stage generation reply."""
    text, settings = ctx.text, ctx.settings
    seconds = min(MAX_SECONDS, max(1.0, _parse.duration_in(text) or DEFAULT_SECONDS))
    aspect = _parse.aspect_in(text) or "9:16"
    script = _script_lines(text)
    topic = _parse.topic_in(text) or (script[0] if script else ctx.say("default_topic"))
    count = len(script) or _parse.scenes_in(text) or max(1, min(6, math.ceil(seconds / 5)))
    count = max(1, min(12, count, int(seconds * 2)))
    lines = script or [ctx.say("scene_line", index=i + 1, topic=topic) for i in range(count)]
    labels = [ctx.say("scene_label", index=i + 1, topic=topic) for i in range(count)]
    title = title_of(topic, ctx.language) or title_of(ctx.say("default_topic"), ctx.language)
    music = _parse.music_in(text) or "Lo-fi"
    volume = _parse.volume_in(text) or 0.35
    duration_ms = round(seconds * 1000)
    long_side = settings.generated_long_side

    def stage_one() -> dict[str, Any]:
        with ctx.lock:
            draft = _draft.generated_draft(title, lines, labels, duration_ms, aspect, long_side)
            ctx.session.draft = draft
            ctx.session.prompt = text
            ctx.session.generated_media.append(
                {"type": "video", "prompt": text, "duration": seconds, "scenes": count}
            )
            ctx.session.draft_version += 1
            return {"ok": True, "draft_version": ctx.session.draft_version, "scenes": count}

    title_end = min(3000, duration_ms)
    style = {"position": "top", "size": 72, "color": "#FFFFFF", "box": False}
    args = {"prompt": text, "duration": seconds, "aspect_ratio": aspect, "scenes": count}
    turn = Turn(ctx.language, cost=settings.generation_cost)
    turn.steps += [
        Say(ctx.say("gen_start", seconds=_fmt(seconds), aspect=aspect, topic=topic, scenes=count)),
        Call("generate_video", args, stage_one),
        Work(settings.generation_seconds),
        Say(ctx.say("gen_raw_ready", scenes=count)),
        ctx.edit("add_bgm", {"music": music, "volume": volume},
                 lambda d: {"segment": _draft.set_bgm(d, music, volume)}),
        ctx.edit("add_title", {"text": title, "start": 0, "end": title_end / 1000},
                 lambda d: {"segment": _draft.add_text(d, "title", title, 0, title_end, style)}),
        Work(settings.edit_seconds),
        Say(ctx.say("gen_done", title=title, music=music, volume=round(volume * 100),
                    seconds=_fmt(seconds), title_end=_fmt(title_end / 1000))),
    ]  # fmt: skip
    return turn


def _fmt(seconds: float) -> str:
    """Seconds as a short number: 10, 2.5."""
    return f"{seconds:g}"
