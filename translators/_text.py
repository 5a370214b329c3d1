"""Cutting a reply into sentences and clauses, with quoted text masked as content.

Everything works on a *masked* copy of the text: the inside of every quotation is replaced
by a placeholder character of the same length, so offsets in the masked copy are offsets
in the original and no rule ever sees a GUI word someone is quoting ("字幕「点击关注」").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from skillrt._text import QUOTE_MASK, prefix_pattern
from skillrt._text import mask_quotes as _mask_quotes
from skillrt.translators._lexicon import CLAUSE_SUBJECTS_EN, FINITE_VERBS_EN

__all__ = ["MASK", "Clause", "clauses", "mask_quotes", "prefix_pattern", "sentences", "unmask"]


#: Stands for one character inside quotation marks (the one quote mask of ``skillrt._text``).
MASK = QUOTE_MASK

# Pictographs that end a sentence when a space follows: "Rendering is complete 🎉 Hit Export".
_EMOJI = "\U0001f300-\U0001faff\u2600-\u27bf"
# One character class first (fast skipping), then what follows that kind of stop.
_SENTENCE_END = re.compile(
    r"[.!?…。！？\n" + _EMOJI + r"](?:(?<=[.!?…])[.!?…]*[\"”’')\]」』]*(?=\s|$)"
    r"|(?<=[。！？])[。！？]*[”’」』）)]*|(?<=\n)"
    r"|(?<=[" + _EMOJI + r"])[" + _EMOJI + r"\ufe0f\u200d]*(?=\s))"
)

# Verbs that can start a GUI direction; a clause break goes before "and/then/once you ..."
# only when one of them follows, so "move the title and the logo" stays one clause.
_EN_VERB = (
    r"(?:double[- ]?|right[- ]?)?(?:click|tap|press|hit)(?:ing)?|drag(?:ging)?|select(?:ing)?"
    r"|choose|pick|open(?:ing)?|go|head|navigate|switch|upload(?:ing)?|import|export(?:ing)?"
    r"|download(?:ing)?|check|view|preview|use|using|find|move|play|visit|top up|watch|look"
    r"|set|change"
)
_CONNECTOR = prefix_pattern(
    (
        *("then", "so", "but", "once", "when", "whenever", "after", "before", "by"),
        *("as soon as", "if", "until", "and then"),
    ),
    exact=True,
)
_SUBJECT = r"(?:" + prefix_pattern(CLAUSE_SUBJECTS_EN, exact=True) + r")"
_FINITE = r"(?:" + prefix_pattern(FINITE_VERBS_EN, exact=True) + r")"
_EN_LEAD = r"(?:just|simply|then|now|also|please|you|you'll|you can|you could|can|could|need to)"
# One character class first, so the regex engine skips to candidate characters; what the
# character was is checked after it (a comma not between digits, whitespace before a verb…).
_EN_BREAK_PATTERN = (
    r"[,:;()—\s](?:(?<=[,:])(?<!\d[,:])\s*|(?<=[,:])(?!\d)\s*|(?<=[;()])\s*|(?<=—)"
    r"|(?<=\s)\s*(?:[—–-]\s+"
    r"|(?:or|and)\s+(?=(?:then\s+)?(?:" + _EN_LEAD + r"\s+)*(?:" + _EN_VERB + r")\b)"
    r"|(?=" + _CONNECTOR + r"\s+(?:you\s+)?(?:" + _EN_LEAD + r"\s+)*(?:" + _EN_VERB + r")\b)"
    # "Hit Export and the 1080p file will be ready": a clause of its own after "and".
    r"|and\s+(?=" + _SUBJECT + r"\b[^,;.!?]{0,40}?\b" + _FINITE + r"\b)))"
)
# Searched in the lower-cased sentence (IGNORECASE costs more than lower()); the IGNORECASE
# copy is for the rare text whose lower-case form has another length.
_EN_BREAK = re.compile(_EN_BREAK_PATTERN)
_EN_BREAK_ANY_CASE = re.compile(_EN_BREAK_PATTERN, re.IGNORECASE)
_ZH_VERB = (
    r"(?:点击|单击|双击|点一下|拖|打开|上传|导出|下载|查看|进入|前往|选择|切换|预览|充值|把|将)"
)
# Chinese punctuation, and a zero-width break before "然后/再/并…" when a GUI verb follows.
# ASCII punctuation and dashes are _EN_BREAK's, which runs on every sentence.
_ZH_BREAK = re.compile(
    r"[，；：（）、]|(?=(?:然后|接着|随后|最后|再|并且?|或者?)(?:请|直接|可以)?" + _ZH_VERB + ")"
)
# Characters that _ZH_BREAK can start at: without one, a sentence has no Chinese break.
_CJK = re.compile(r"[\u3000-\uffff]")


def mask_quotes(text: str) -> str:
    """``text`` with every character inside quotation marks replaced by :data:`MASK`."""
    return _mask_quotes(text, keep_marks=True)


def unmask(masked: str, original: str, start: int) -> str:
    """The original characters behind a masked slice that began at ``start``."""
    return original[start : start + len(masked)]


def sentences(masked: str) -> list[tuple[int, int]]:
    """Spans of the sentences (and list lines) in ``masked``, without surrounding space."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(masked):
        end = match.start() if masked[match.start()] == "\n" else match.end()
        _add_trimmed(masked, start, end, spans)
        start = match.end()
    _add_trimmed(masked, start, len(masked), spans)
    return spans


@dataclass(frozen=True)
class Clause:
    """One clause of a sentence: its span in the reply, original and masked text."""

    start: int
    end: int
    text: str
    masked: str


def clauses(original: str, masked: str, start: int, end: int) -> list[Clause]:
    """The clauses of the sentence at ``[start, end)``, split at punctuation and connectors."""
    spans: list[tuple[int, int]] = []
    piece = masked[start:end]
    cursor = 0
    lower = piece.lower()
    if len(lower) == len(piece):
        breaks = [(m.start(), m.end()) for m in _EN_BREAK.finditer(lower)]
    else:
        breaks = [(m.start(), m.end()) for m in _EN_BREAK_ANY_CASE.finditer(piece)]
    if _CJK.search(piece):
        breaks += [(m.start(), m.end()) for m in _ZH_BREAK.finditer(piece)]
        breaks.sort()
    for b_start, b_end in breaks:
        if b_start < cursor:
            continue
        _add_trimmed(piece, cursor, b_start, spans)
        cursor = b_end
    _add_trimmed(piece, cursor, len(piece), spans)
    return [
        Clause(start + s, start + e, original[start + s : start + e], masked[start + s : start + e])
        for s, e in spans
    ]


def _add_trimmed(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
