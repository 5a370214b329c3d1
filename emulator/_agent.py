"""The rule-based stand-in for the backend's AI: one message in, one :class:`Turn` out.

Deterministic: the same settings, session history and message give the same turn,
including whether an edit ends with no text (``silent_edit_ratio``, seeded).
"""

from __future__ import annotations

import hashlib
import re
import threading

from skillrt._text import has_han
from skillrt.emulator import _generate, _insights
from skillrt.emulator._context import AgentContext
from skillrt.emulator._edits import EDIT_RULES
from skillrt.emulator._settings import EmulatorSettings
from skillrt.emulator._store import Session
from skillrt.emulator._turn import Say, Turn, Work
from skillrt.i18n import detect_language, normalize_language

__all__ = ["is_silent", "plan_turn", "reply_language"]


def reply_language(session_language: str, text: str) -> str:
    """Answer in Chinese when the message is Chinese, else in the session's language."""
    if has_han(text):
        return detect_language(text)
    if len(re.findall(r"[A-Za-z]{2,}", text)) >= 2:
        return "en"
    return normalize_language(session_language)


def is_silent(seed: int, turn_number: int, text: str, ratio: float) -> bool:
    """Whether this edit ends with no text: a seeded, reproducible draw."""
    digest = hashlib.sha256(f"{seed}|{turn_number}|{text}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < ratio


def _choose(ctx: AgentContext) -> Turn:
    text = ctx.text
    variant = _insights.wants_variant(text)
    if variant and _has_variants(ctx):
        return _insights.variant_turn(ctx, variant)
    if _insights.wants_ab(text):
        return _insights.ab_turn(ctx) if ctx.has_timeline else _nothing(ctx)
    if _insights.wants_meta(text):
        if ctx.has_timeline or ctx.session.uploads:
            return _insights.meta_turn(ctx)
        return _nothing(ctx)
    if _generate.wants_generation(text):
        return _generate.generation_turn(ctx)
    makers = [make for matches, make in EDIT_RULES if matches(text)]
    if makers:
        return _merge([make(ctx) for make in makers]) if ctx.has_timeline else _nothing(ctx)
    return Turn(ctx.language, [Work(ctx.settings.reply_seconds), Say(ctx.say("help"))])


def _merge(turns: list[Turn]) -> Turn:
    """One turn doing several edits asked for in one message ("add music and captions")."""
    if len(turns) == 1:
        return turns[0]
    merged = Turn(turns[0].language, cost=max(t.cost for t in turns))
    merged.edit_charge = any(t.edit_charge for t in turns)
    merged.may_be_silent = all(t.may_be_silent for t in turns)
    seen_work = False
    for turn in turns:
        for step in turn.steps:
            if isinstance(step, Work):
                if seen_work:
                    continue
                seen_work = True
            merged.steps.append(step)
    return merged


def _has_variants(ctx: AgentContext) -> bool:
    return any(t.get("variant") for t in ctx.session.draft.get("t", []))


def _nothing(ctx: AgentContext) -> Turn:
    return Turn(ctx.language, [Work(ctx.settings.reply_seconds), Say(ctx.say("nothing_yet"))])


def plan_turn(
    session: Session,
    text: str,
    settings: EmulatorSettings,
    lock: threading.RLock,
) -> Turn:
    """Decide what to answer to ``text`` in ``session``."""
    language = reply_language(session.language, text)
    ctx = AgentContext(session, settings, text, language, lock)
    with lock:
        session.turns += 1
        turn_number = session.turns
    turn = _choose(ctx)
    if turn.may_be_silent and is_silent(
        settings.seed, turn_number, text, settings.silent_edit_ratio
    ):
        turn.steps = [step for step in turn.steps if not isinstance(step, Say)]
    return turn
