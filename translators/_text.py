"""Cutting a reply into sentences and clauses, with quoted text masked as content.

Everything works on a *masked* copy of the text: the inside of every quotation is replaced
by a placeholder character of the same length, so offsets in the masked copy are offsets
in the original and no rule ever sees a GUI word someone is quoting ("字幕「点击关注」").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["MASK", "Clause", "clauses", "mask_quotes", "sentences", "unmask"]

#: Stands for one character inside quotation marks.
MASK = "\ue000"

_QUOTED = re.compile(
    r"“[^”\n]*”|\"[^\"\n]*\"|「[^」\n]*」|『[^』\n]*』|‘[^’\n]*’|《[^》\n]*》|＂[^＂\n]*＂"
    # A single-quoted span, but not the apostrophes of "don't ... it's".
    r"|(?<![A-Za-z0-9])'[^'\n]{1,80}?'(?![A-Za-z0-9])"
)
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’')\]」』]*(?=\s|$)|[。！？]+[”’」』）)]*|\n")

# Verbs that can start a GUI direction; a clause break goes before "and/then/once you ..."
# only when one of them follows, so "move the title and the logo" stays one clause.
_EN_VERB = (
    r"(?:double[- ]?|right[- ]?)?(?:click|tap|press|hit)(?:ing)?|drag(?:ging)?|select(?:ing)?"
    r"|choose|pick|open(?:ing)?|go|head|navigate|switch|upload(?:ing)?|import|export(?:ing)?"
    r"|download(?:ing)?|check|view|preview|use|using|find|move|play|visit|top up|watch|look"
)
_EN_LEAD = r"(?:just|simply|then|now|also|please|you|you'll|you can|you could|can|could|need to)"
_EN_BREAK = re.compile(
    r"(?<!\d)[,:]\s*|[,:](?!\d)\s*|[;()]\s*|\s+[—–-]\s+|—"
    r"|\s+(?:or|and)\s+(?=(?:then\s+)?(?:" + _EN_LEAD + r"\s+)*(?:" + _EN_VERB + r")\b)"
    r"|\s+(?=(?:then|so|but|once|when|after|before|by|as soon as|if|until|whenever|and then)"
    r"\s+(?:you\s+)?(?:" + _EN_LEAD + r"\s+)*(?:" + _EN_VERB + r")\b)",
    re.IGNORECASE,
)
_ZH_VERB = (
    r"(?:点击|单击|双击|点一下|拖|打开|上传|导出|下载|查看|进入|前往|选择|切换|预览|充值|把|将)"
)
_ZH_BREAK = re.compile(
    r"[，；：（）、]|(?<!\d)[,:]|[,:](?!\d)|[;()]|——"
    r"|(?=(?:然后|接着|随后|最后|再|并且?|或者?)(?:请|直接|可以)?" + _ZH_VERB + ")"
)


def mask_quotes(text: str) -> str:
    """``text`` with every character inside quotation marks replaced by :data:`MASK`."""
    return _QUOTED.sub(lambda m: m.group()[0] + MASK * (len(m.group()) - 2) + m.group()[-1], text)


def unmask(masked: str, original: str, start: int) -> str:
    """The original characters behind a masked slice that began at ``start``."""
    return original[start : start + len(masked)]


def sentences(masked: str) -> list[tuple[int, int]]:
    """Spans of the sentences (and list lines) in ``masked``, without surrounding space."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(masked):
        end = match.start() if match.group() == "\n" else match.end()
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
    breaks = sorted(
        (m.start(), m.end()) for breaker in (_EN_BREAK, _ZH_BREAK) for m in breaker.finditer(piece)
    )
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
