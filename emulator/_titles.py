"""A video's title from its topic: whole words, no dangling little words, short enough.

"a coffee brand waking up a sleepy city" → "Coffee Brand Waking Up a Sleepy City";
a longer topic is cut where a phrase ends (before "with", "for", "that", a comma...), and
never after an article, preposition or conjunction. Chinese is cut before a particle or
punctuation the same way (关于…的 → no trailing 的).
"""

from __future__ import annotations

import re

from skillrt._text import QUOTE_MARKS

__all__ = ["title_of"]

#: Longest title, in characters (it is drawn over the video; longer ones wrap).
EN_LIMIT = 40
ZH_LIMIT = 14

_LEADING_EN = re.compile(r"^(?:(?:a|an|the|my|our|your|this|that|some)\s+)+", re.I)
#: Words a title must not end with (it would dangle), and that are lower-case inside one.
_SMALL_EN = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "nor",
        "so",
        "yet",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "into",
        "onto",
        "about",
        "over",
        "under",
        "as",
        "per",
        "via",
        "than",
        "that",
        "which",
        "who",
        "whose",
        "whom",
        "my",
        "our",
        "your",
        "its",
        "their",
        "his",
        "her",
    ]
)
#: Words a phrase starts with: a long topic is best cut just before one of them.
_BREAK_EN = frozenset(
    [
        "with",
        "for",
        "that",
        "which",
        "who",
        "where",
        "when",
        "while",
        "because",
        "and",
        "or",
        "but",
        "from",
        "in",
        "on",
        "at",
        "by",
        "to",
        "about",
        "featuring",
        "showing",
        "using",
    ]
)
_LEADING_ZH = re.compile(r"^(?:一个|一段|一支|一条|一部|一家|一款|这个|那个|我们的|我的|你的)")
#: Characters a Chinese title must not end with.
_TRAILING_ZH = "的了着和与及或跟同在对把被从向给为让使是地得之并而"
#: Where a Chinese phrase may be cut (before these).
_BREAK_ZH = re.compile(r"[，,。.!！?？；;、：:（(]|的|和|与|及|并且|以及")


def title_of(topic: str, language: str) -> str:
    """A title for a video about ``topic``, in ``language`` (``en`` or ``zh``)."""
    if language == "zh":
        return _title_zh(topic)
    return _title_en(topic)


def _title_en(topic: str) -> str:
    bare = topic.strip(" .,!?;:" + QUOTE_MARKS)
    words = _LEADING_EN.sub("", re.sub(r"\s+", " ", bare)).split(" ")
    words = [w for w in words if w]
    if not words:
        return ""
    if len(" ".join(words)) > EN_LIMIT:
        words = _cut_en(words)
    while len(words) > 1 and words[-1].lower().strip(",;:") in _SMALL_EN:
        words.pop()
    words[-1] = words[-1].rstrip(",;:")
    return " ".join(_cap(w, first=i == 0) for i, w in enumerate(words))


def _cut_en(words: list[str]) -> list[str]:
    fitting = 0
    length = -1
    for word in words:
        length += len(word) + 1
        if length > EN_LIMIT:
            break
        fitting += 1
    fitting = max(1, fitting)
    # Prefer ending where a phrase ends: before a linking word, or at a comma.
    for end in range(fitting, 1, -1):
        if end < len(words) and (
            words[end].lower() in _BREAK_EN or words[end - 1].endswith((",", ";", ":"))
        ):
            return words[:end]
    return words[:fitting]


def _cap(word: str, *, first: bool) -> str:
    if not first and word.lower() in _SMALL_EN:
        return word.lower()
    if word[:1].islower():
        return word[:1].upper() + word[1:]
    return word


def _title_zh(topic: str) -> str:
    text = _LEADING_ZH.sub("", re.sub(r"\s+", "", topic.strip(" ，。！？,.!?" + QUOTE_MARKS)))
    if len(text) > ZH_LIMIT:
        cuts = [m.start() for m in _BREAK_ZH.finditer(text) if 2 <= m.start() <= ZH_LIMIT]
        text = text[: cuts[-1]] if cuts else text[:ZH_LIMIT]
    text = re.sub(r"[，,。.!！?？；;、：:（(]+$", "", text)
    while text and text[-1] in _TRAILING_ZH:
        text = text[:-1]
    return text
