"""Edits of an existing timeline: music, titles, text, captions, trim, reorder, aspect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from skillrt.emulator import _draft, _parse
from skillrt.emulator._context import AgentContext
from skillrt.emulator._turn import Say, Turn, Work

__all__ = ["EDIT_RULES", "caption_lines"]

_S = 1000


def _fmt(ms: float) -> str:
    return f"{ms / _S:g}"


def _edit_turn(ctx: AgentContext, *steps: Any) -> Turn:
    turn = Turn(ctx.language, may_be_silent=True)
    if not ctx.session.edit_charged:
        turn.cost, turn.edit_charge = ctx.settings.edit_cost, True
    turn.steps.append(Work(ctx.settings.edit_seconds))
    turn.steps.extend(steps)
    return turn


def _music_turn(ctx: AgentContext) -> Turn:
    draft, text = ctx.session.draft, ctx.text
    existing = _draft.track(draft, "bgm")
    has_bgm = bool(existing and existing["sg"])
    music = _parse.music_in(text)
    volume = _parse.volume_in(text)
    if music is None and has_bgm and volume is not None:
        call = ctx.edit("set_volume", {"track": "bgm", "volume": volume},
                        lambda d: {"changed": _draft.set_bgm_volume(d, volume)})  # fmt: skip
        return _edit_turn(ctx, call, Say(ctx.say("volume_done", volume=round(volume * 100))))
    chosen = music or "Lo-fi"
    level = volume if volume is not None else 0.35
    call = ctx.edit("add_bgm", {"music": chosen, "volume": level},
                    lambda d: {"segment": _draft.set_bgm(d, chosen, level)})  # fmt: skip
    reply = ctx.say("bgm_done", music=chosen, volume=round(level * 100), replaced=has_bgm)
    return _edit_turn(ctx, call, Say(reply))


def _text_turn(ctx: AgentContext) -> Turn:
    text, draft = ctx.text, ctx.session.draft
    is_title = _parse.has_any(text, ("title", "标题", "片名"))
    words = _parse.quoted_in(text) or str(draft.get("m", {}).get("title") or "") or "Hello"
    total = int(draft.get("d") or 0)
    window = _parse.time_range_in(text)
    start, end = (int(window[0] * _S), int(window[1] * _S)) if window else (0, 3 * _S)
    start, end = min(start, max(0, total - 100)), min(max(end, start + 100), total)
    position = _parse.position_in(text) or ("top" if is_title else "center")
    size = 72 if is_title else 56
    style = {"position": position, "size": size, "color": "#FFFFFF", "box": not is_title}
    role = "title" if is_title else "overlay"
    args = {"text": words, "start": start / _S, "end": end / _S, "position": position}
    call = ctx.edit(
        "add_title" if is_title else "add_text",
        args,
        lambda d: {"segment": _draft.add_text(d, role, words, start, end, style)},
    )
    reply = ctx.say("text_done", title=is_title, text=words, start=_fmt(start), end=_fmt(end),
                    position=position)  # fmt: skip
    return _edit_turn(ctx, call, Say(reply))


def caption_lines(draft: dict[str, Any], fallback: str) -> list[tuple[int, int, str]]:
    """Caption cues: the script line of each scene, or one cue over each clip."""
    video = _draft.main_track(draft)
    cues = []
    for segment in video["sg"] if video else []:
        words = segment.get("text") or segment.get("label") or fallback
        cues.append((int(segment["start"]), int(segment["start"]) + int(segment["d"]), words))
    return cues


def _captions_turn(ctx: AgentContext) -> Turn:
    cues = caption_lines(ctx.session.draft, ctx.say("default_topic"))
    position = _parse.position_in(ctx.text) or "bottom"
    style = {"position": position, "size": 48, "color": "#FFFFFF", "box": True}
    call = ctx.edit("add_captions", {"cues": len(cues), "position": position},
                    lambda d: {"track": _draft.add_captions(d, cues, style)["id"]})  # fmt: skip
    return _edit_turn(ctx, call, Say(ctx.say("captions_done", count=len(cues))))


def _trim_turn(ctx: AgentContext) -> Turn:
    total = int(ctx.session.draft.get("d") or 0)
    window = _parse.time_range_in(ctx.text)
    if window is None:
        keep = _parse.duration_in(ctx.text)
        window = (0.0, keep) if keep else None
    if window is None or not (0 <= window[0] * _S < min(window[1] * _S, total)):
        return Turn(ctx.language, [Say(ctx.say("trim_invalid", total=_fmt(total)))])
    start, end = int(window[0] * _S), min(int(window[1] * _S), total)
    call = ctx.edit(
        "trim",
        {"start": start / _S, "end": end / _S},
        lambda d: {"kept": _draft.trim(d, start, end), "duration": d["d"] / _S},
    )
    return _edit_turn(ctx, call, Say(ctx.say("trim_done", start=_fmt(start), end=_fmt(end))))


def _reorder_turn(ctx: AgentContext) -> Turn:
    video = _draft.main_track(ctx.session.draft)
    count = len(video["sg"]) if video else 0
    pair = _parse.scene_pair_in(ctx.text)
    if pair is not None and pair[1] == -1:
        pair = (1, count)
    if pair is None or not (1 <= pair[0] <= count and 1 <= pair[1] <= count) or pair[0] == pair[1]:
        return Turn(ctx.language, [Say(ctx.say("reorder_invalid", count=count))])
    first, second = pair
    call = ctx.edit("reorder_clips", {"swap": [first, second]},
                    lambda d: {"swapped": _draft.reorder_scenes(d, first, second)})  # fmt: skip
    return _edit_turn(ctx, call, Say(ctx.say("reorder_done", first=first, second=second)))


def _aspect_turn(ctx: AgentContext) -> Turn:
    wanted = _parse.aspect_in(ctx.text) or "16:9"
    current = str(ctx.session.draft.get("m", {}).get("aspect") or "9:16")
    reply = ctx.say("aspect_regenerate", current=current, wanted=wanted,
                    cost=ctx.settings.generation_cost)  # fmt: skip
    return Turn(ctx.language, [Work(ctx.settings.reply_seconds), Say(reply)])


def _is_aspect(text: str) -> bool:
    return _parse.has_any(text, ("aspect", "ratio", "比例", "画幅")) or (
        _parse.aspect_in(text) is not None
        and _parse.has_any(text, ("change", "switch", "make it", "convert", "改", "换", "转"))
    )


# First match wins; each rule is (does it apply, the turn it makes).
EDIT_RULES: tuple[tuple[Callable[[str], bool], Callable[[AgentContext], Turn]], ...] = (
    (_is_aspect, _aspect_turn),
    (lambda t: _parse.has_any(t, ("music", "bgm", "soundtrack", "song", "volume", "音乐", "配乐",
                                  "音量", "bgm")), _music_turn),
    (lambda t: _parse.has_any(t, ("caption", "subtitle", "字幕")), _captions_turn),
    (lambda t: _parse.has_any(t, ("trim", "cut ", "shorten", "shorter", "剪掉", "裁剪", "剪到",
                                  "缩短", "只保留")), _trim_turn),
    (lambda t: _parse.has_any(t, ("reorder", "swap", "move scene", "reverse", "调换", "交换",
                                  "顺序", "倒序")), _reorder_turn),
    (lambda t: _parse.has_any(t, ("title", "text", "overlay", "标题", "文字", "片名")), _text_turn),
)  # fmt: skip
