"""``route()``: a chat message (and its attachments) to an ordered plan of actions."""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from skillrt._text import alternation
from skillrt.errors import InputError
from skillrt.router import _lexicon as lex
from skillrt.router._actions import RouteAction
from skillrt.router._grammar import (
    Verdict,
    boundaries,
    clause_at,
    is_filler,
    judge,
    only_refuses,
)
from skillrt.router._lexicon import WordKind
from skillrt.router._phrases import find_phrases
from skillrt.router._requests import asks_something
from skillrt.router._table import KeywordTable, compile_keywords
from skillrt.router._text import QUOTE_MASK, Prepared, is_media_url, prepare

__all__ = ["DEFAULT_MEDIA_TYPES", "Route", "decisions", "route"]

#: File extensions a URL may end in to count as something to upload (contract upload types).
DEFAULT_MEDIA_TYPES: frozenset[str] = frozenset(
    ("mp4", "mov", "avi", "webm", "mkv", "jpg", "png", "gif", "webp", "mp3", "wav", "m4a", "aac")
)

_EDGE_CONNECTIVES = alternation(lex.EDGE_CONNECTIVES)
_LEAD = re.compile(rf"(?:[\s,.;:!?~\-]*{_EDGE_CONNECTIVES})*[\s,.;:!?~\-]*")
_TRAIL = re.compile(rf"{_EDGE_CONNECTIVES}$")
_TRAIL_PUNCT = " \t\n,;:~-"
_FIRST = re.compile(rf"^[\s,.;:!~\-]*(?:but\s+|但是?|不过)?{alternation(lex.FIRST_MARKERS)}")
# A time clause after a command names what must happen before it.
_TIME_CLAUSE = re.compile(alternation(lex.TIME_CLAUSE_OPENERS))
_PRIOR = re.compile(r"^[\s,]*" + alternation(lex.TIME_CLAUSE_OPENERS))
# "…, but let me see the tracks first": a step that ends in "first" goes before the one before.
_FIRST_LAST = re.compile(
    rf"(?<![a-z]){alternation([m for m in lex.FIRST_MARKERS if m.isascii()])}[\s.!~]*$"
)
# "export it after telling me the balance": the time clause is one of our checks.
_GERUND_CHECK = re.compile(
    rf"{alternation(lex.TIME_CLAUSE_OPENERS)}\s+(?P<verb>{alternation(lex.GERUND_CHECKS)})\s+"
)
# A second object joined to the command before it, not a new request.
_OBJECT_TOO = re.compile(
    rf"[\s,]*{alternation(lex.OBJECT_JOINERS)}\s*"
    r"(?:(?:the|my|our|both|that|this)\s+(?:[a-z0-9\-]+\s+)?)?"
    rf"(?:{alternation(lex.SECOND_OBJECTS)}|[a-z0-9]版本?|版本)"
    r"(?:\s*[a-z0-9]{1,2})?[\s.!?~]*$"
)
_CONTENT = re.compile(r"[^\W_]|\x1a")


@dataclass(frozen=True, slots=True)
class Route:
    """Where a message goes: ``plan`` in order (``plan[0] == action``), with the text of each.

    ``segments[i]`` is the part of the user's message that ``plan[i]`` came from (for a
    ``chat`` step, the text to send to the backend). ``matched`` lists the keywords seen
    and what the router made of them; ``urls`` are the URLs to upload.
    """

    action: RouteAction
    plan: tuple[RouteAction, ...]
    confidence: float
    matched: tuple[str, ...]
    urls: tuple[str, ...]
    segments: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready view (what ``skillrt route --json`` prints)."""
        return {
            "action": self.action,
            "plan": list(self.plan),
            "confidence": self.confidence,
            "matched": list(self.matched),
            "urls": list(self.urls),
            "segments": list(self.segments),
        }


@dataclass(slots=True)
class _Step:
    action: RouteAction
    start: int
    end: int
    confidence: float
    prior: bool = False  # a time clause moved before its command ("after adding the logo")
    first: bool = False  # done before the command step just before it ("…, but X first")


def route(
    message: str,
    attachments: Sequence[str | os.PathLike[str]] = (),
    keywords: KeywordTable | None = None,
    *,
    media_types: Collection[str] = DEFAULT_MEDIA_TYPES,
) -> Route:
    """Decide what ``message`` asks for; pure (no I/O) and deterministic.

    Raises :class:`~skillrt.errors.InputError` for an empty message without attachments.
    """
    if not message.strip():
        if not attachments:
            raise InputError(
                "the message is empty", hint="type what you want, or attach a file to upload"
            )
        return Route("upload", ("upload",), 1.0, ("upload:attachment",), (), ("",))
    table = keywords if keywords is not None else compile_keywords()
    text = prepare(message)
    matched: list[str] = []
    refused: list[tuple[int, int]] = []
    steps = _commands(text, table, matched, refused)
    steps = _reordered(_with_chat(text, steps, media_types, refused))
    urls = _upload_urls(text, steps, media_types)
    if attachments or urls:
        steps = _upload_first(steps)
        matched.append("upload:attachment" if attachments else "upload:url")
    if not steps:
        steps.append(_Step("chat", 0, len(text.norm), 0.9 if not matched else 0.8))
    steps = _merged(steps)
    plan = tuple(step.action for step in steps)
    segments = tuple(_segment(text, step) for step in steps)
    confidence = round(min(step.confidence for step in steps), 2)
    return Route(plan[0], plan, confidence, tuple(matched), urls, segments)


def decisions(message: str, keywords: KeywordTable | None = None) -> list[tuple[str, Verdict]]:
    """Each keyword occurrence of ``message`` judged on its own, in order, with the verdict
    of the rule that decided it (what the rule tables' examples are tested with)."""
    trace: list[tuple[str, Verdict]] = []
    table = keywords if keywords is not None else compile_keywords()
    _commands(prepare(message), table, [], [], trace)
    return trace


def _commands(
    text: Prepared,
    table: KeywordTable,
    matched: list[str],
    refused: list[tuple[int, int]],
    trace: list[tuple[str, Verdict]] | None = None,
) -> list[_Step]:
    """Accepted keyword clauses as steps; ``refused`` gets the clauses that only say no."""
    norm = text.norm
    found = _occurrences(norm, table)
    if not found:
        return []
    bounds = boundaries(norm)
    steps: list[_Step] = []
    taken = -1
    waiting: tuple[_Step, str] | None = None  # "导出后…": a step if a command follows it
    pending: tuple[_Step, str] | None = None  # "导出之前先…": a step after the command that follows
    for start, end, found_text, action, kind in found:
        if start < taken:
            continue
        clause = clause_at(norm, start, end, bounds, weak=True)
        verdict = judge(kind, found_text, action, clause, table.noun_left, table.noun_right)
        keyword = " ".join(found_text.split())
        if trace is not None:
            trace.append((keyword, verdict))
        if verdict.command and waiting is not None and clause.start - waiting[0].end <= 4:
            steps.append(waiting[0])  # "导出后告诉我余额": export, then the balance
            matched[-1] = waiting[1]
        waiting = None
        before = None
        if verdict.command and pending is not None and clause.start - pending[0].end <= 2:
            before, pending = pending, None
        pending = None
        if verdict.command:
            matched.append(f"{action}:{keyword}")
            # "export after adding the logo": the time clause is a step of its own.
            later = _TIME_CLAUSE.search(norm, end, clause.end) if kind == "verb" else None
            finish = later.start() if later is not None else clause.end
            steps.append(_Step(action, clause.start, finish, verdict.confidence))
            taken = finish
            check = _check_first(text, table, later.start(), clause.end) if later else None
            if check is not None:
                steps.append(check)
                taken = clause.end
            if before is not None:  # "导出之前先给我看看时间线": the check, then the export
                steps[-1].first = True
                steps.insert(len(steps) - 1, before[0])
                matched.insert(len(matched) - 1, before[1])
        else:
            matched.append(f"chat:{keyword} ({verdict.reason})")
            if verdict.waits:
                step = _Step(action, clause.start, clause.end, verdict.confidence)
                waiting = (step, f"{action}:{keyword}")
            if verdict.precedes:
                step = _Step(action, clause.start, clause.end, verdict.confidence)
                pending = (step, f"{action}:{keyword}")
            if verdict.refusal and only_refuses(
                kind, found_text, action, clause, table.noun_left, table.noun_right
            ):
                refused.append((clause.start, clause.end))
    return steps


def _check_first(text: Prepared, table: KeywordTable, start: int, end: int) -> _Step | None:
    """ "… after telling me the balance": the time clause as our own check, done first."""
    norm = text.norm
    gerund = _GERUND_CHECK.match(norm, start, end)
    if gerund is None:
        return None
    probe = lex.GERUND_CHECKS[gerund.group("verb")] + " " + norm[gerund.end() : end]
    found = _commands(prepare(probe), table, [], [])
    if len(found) != 1 or found[0].action not in {"credits", "state"}:
        return None
    return _Step(found[0].action, start, end, found[0].confidence, prior=True, first=True)


_Occurrence = tuple[int, int, str, RouteAction, WordKind]


def _occurrences(norm: str, table: KeywordTable) -> list[_Occurrence]:
    """Keywords and command phrases in order; a keyword inside a phrase is the phrase's."""
    phrases: list[_Occurrence] = [
        (p.start, p.end, p.text, p.action, "noun" if p.kind == "noun" else "verb")
        for p in find_phrases(norm)
    ]
    found: list[_Occurrence] = []
    matches = list(table.pattern.finditer(norm))
    if not matches and not phrases:
        matches = list(table.slips.finditer(norm))
    for match in matches:
        start, end = match.span()
        if phrases and any(p[0] < end and start < p[1] for p in phrases):
            continue
        word = table.lookup(match.group())
        found.append((start, end, match.group(), word.action, word.kind))
    if phrases:
        found = sorted(found + phrases)
    return found


def _with_chat(
    text: Prepared,
    commands: list[_Step],
    media_types: Collection[str],
    refused: list[tuple[int, int]],
) -> list[_Step]:
    """Interleave chat steps for the text between commands that asks for something."""
    steps: list[_Step] = []
    position = 0
    for command in [*commands, None]:
        end = command.start if command is not None else len(text.norm)
        if steps and steps[-1].action != "chat" and _OBJECT_TOO.match(text.norm, position, end):
            steps[-1].end = end  # "export variant A and variant B": one more object
        elif _asks_something(
            text, position, end, media_types, refused, _beside_upload(steps, command)
        ):
            chat = _Step("chat", position, end, 0.9)
            gap = text.norm[position:end]
            if steps and steps[-1].action != "chat" and (_FIRST.match(gap) or _PRIOR.match(gap)):
                chat.prior = _PRIOR.match(gap) is not None
                steps.insert(len(steps) - 1, chat)  # "export it, but first add a title"
            else:
                chat.first = _FIRST_LAST.search(gap) is not None  # "export, but add a title first"
                steps.append(chat)
        if command is not None:
            gap = text.norm[position : command.start]
            if steps and steps[-1].action != "chat" and command.action != "chat":
                # "export it but first show me the timeline", "export, but let me see the
                # tracks first": this step before the one before it
                own = text.norm[command.start : command.end]
                first = _FIRST.match(gap) or _FIRST.match(own) or _FIRST_LAST.search(own)
                command.first = command.first or first is not None
            steps.append(command)
            position = command.end
    return steps


def _reordered(steps: list[_Step]) -> list[_Step]:
    """Steps marked ``first`` go before the command step just before them."""
    ordered: list[_Step] = []
    for step in steps:
        if step.first and ordered and ordered[-1].action != "chat":
            ordered.insert(len(ordered) - 1, step)
        else:
            ordered.append(step)
    return ordered


def _beside_upload(steps: list[_Step], command: _Step | None) -> bool:
    """Is the gap next to an upload command ("upload: https://…/x")? Its links are uploads."""
    return bool(steps and steps[-1].action == "upload") or (
        command is not None and command.action == "upload"
    )


def _asks_something(
    text: Prepared,
    start: int,
    end: int,
    media_types: Collection[str],
    refused: list[tuple[int, int]],
    beside_upload: bool,
) -> bool:
    if _LEAD.fullmatch(text.norm, start, end):
        return False  # only connectives and punctuation ("导出以后告诉我余额")
    gap = text.norm[start:end]
    for first, last in refused:  # "don't check the credits, just export": says no, asks nothing
        if first < end and start < last:
            a, b = max(first, start) - start, min(last, end) - start
            gap = gap[:a] + " " * (b - a) + gap[b:]
    if not beside_upload and any(
        start <= url.start < end and not is_media_url(url.text, media_types) for url in text.urls
    ):
        return True  # a link that is not a file to upload is something to talk about
    if not _CONTENT.search(gap):
        return False
    if QUOTE_MASK in gap:
        return True
    return asks_something(gap, is_filler)


def _upload_urls(
    text: Prepared, steps: list[_Step], media_types: Collection[str]
) -> tuple[str, ...]:
    if not text.urls:
        return ()
    if any(step.action == "upload" for step in steps):
        return tuple(url.text for url in text.urls)
    return tuple(url.text for url in text.urls if is_media_url(url.text, media_types))


def _upload_first(steps: list[_Step]) -> list[_Step]:
    uploads = [step for step in steps if step.action == "upload"]
    rest = [step for step in steps if step.action != "upload"]
    first = uploads[0] if uploads else _Step("upload", 0, 0, 1.0)
    first.confidence = 1.0
    return [first, *rest]


def _merged(steps: list[_Step]) -> list[_Step]:
    merged: list[_Step] = []
    for step in steps:
        if merged and merged[-1].action == step.action:
            last = merged[-1]
            last.end = max(last.end, step.end)
            last.start = min(last.start, step.start)
            last.confidence = min(last.confidence, step.confidence)
        else:
            merged.append(step)
    return merged


def _segment(text: Prepared, step: _Step) -> str:
    norm = text.norm
    start = _LEAD.match(norm, step.start, step.end)
    begin = start.end() if start is not None else step.start
    if step.prior:
        subordinator = _PRIOR.match(norm[begin : step.end])
        begin += subordinator.end() if subordinator is not None else 0
    finish = step.end
    while True:  # drop trailing separators and connectives ("加个背景音乐然后")
        finish = begin + len(norm[begin:finish].rstrip(_TRAIL_PUNCT))
        trail = _TRAIL.search(norm, max(begin, finish - 16), finish)
        if trail is None or trail.start() < begin:
            break
        finish = trail.start()
    segment = text.source(begin, max(begin, finish)).strip()
    if not segment and step.action == "chat":
        # Nothing but a link or punctuation ("https://…/page", "？？？"): send it as written.
        return text.source(step.start, step.end).strip()
    return segment
