"""The text layer every part of skillrt reads user and backend words with.

One definition each of: the quotation marks that fence content off from commands, the Han
character range, the trie-to-regex builder for long word lists, the quote mask, and the
Traditional → Simplified Chinese conversion used for matching. The router, the
translators, the i18n catalog and the emulator import these instead of keeping copies, so
a quote mark one of them knows is known to all (``「…」``, ``〈…〉``, ``«…»``, backticks).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

__all__ = [
    "ASCII_WORD",
    "HAN",
    "HAN_RANGE",
    "QUOTED",
    "QUOTE_CHARS",
    "QUOTE_MASK",
    "QUOTE_PAIRS",
    "alternation",
    "clean_sequence",
    "has_han",
    "mask_quotes",
    "prefix_pattern",
    "to_simplified",
    "to_traditional",
]

#: The Han characters (CJK unified ideographs, extension A, compatibility ideographs), as
#: the body of a regex character class.
HAN_RANGE = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN = re.compile(f"[{HAN_RANGE}]")

#: A character that can be part of an English word; word boundaries are the lack of one.
ASCII_WORD = "a-z0-9"

#: Quotation marks: each opening mark with the marks that may close it.
QUOTE_PAIRS: tuple[tuple[str, str], ...] = (
    ('"', '"'),
    ("＂", "＂"),
    ("“", "”"),
    ("‘", "’"),
    ("「", "」"),
    ("『", "』"),
    ("《", "》"),
    ("〈", "〉"),
    ("«", "»"),
    ("„", "“”"),
    ("`", "`"),
    ("'", "'"),
)
#: Every character that opens or closes a quotation.
QUOTE_CHARS = frozenset("".join(opening + closing for opening, closing in QUOTE_PAIRS))
#: The same marks as one string, for ``str.strip`` ("「竖屏」" → "竖屏").
QUOTE_MARKS = "".join(sorted(QUOTE_CHARS))

#: Stands in for each masked character of a quotation: not a word, not a space, not a
#: boundary, ASCII (so a masked English message stays ASCII), never typed by anyone.
QUOTE_MASK = "\x1a"

_MAX_QUOTED = 400


def _quoted_pattern() -> str:
    branches = []
    for opening, closing in QUOTE_PAIRS:
        body = re.escape(closing) if len(closing) == 1 else "".join(map(re.escape, closing))
        if opening == "'":
            # A single-quoted span, but not the apostrophes of "don't ... it's".
            branches.append(rf"(?<![A-Za-z0-9])'[^'\n]{{1,{_MAX_QUOTED}}}'(?![A-Za-z0-9])")
            continue
        branches.append(rf"{re.escape(opening)}[^{body}\n]{{1,{_MAX_QUOTED}}}[{body}]")
    return "|".join(branches)


#: One quotation: an opening mark, up to 400 characters on one line, its closing mark.
QUOTED = re.compile(_quoted_pattern())


def mask_quotes(text: str, *, keep_marks: bool = False) -> str:
    """``text`` with every quotation replaced by :data:`QUOTE_MASK`, one for one.

    Offsets stay valid. ``keep_marks`` keeps the quotation marks themselves and masks only
    what is between them (a rule may then still see that something was quoted there).
    """
    if QUOTE_CHARS.isdisjoint(text):
        return text
    if keep_marks:
        return QUOTED.sub(
            lambda m: m.group()[0] + QUOTE_MASK * (len(m.group()) - 2) + m.group()[-1], text
        )
    return QUOTED.sub(lambda m: QUOTE_MASK * len(m.group()), text)


def has_han(text: str) -> bool:
    """True when ``text`` has at least one Han character."""
    return HAN.search(text) is not None


# --- word lists as character tries -------------------------------------------------------

_Trie = dict[str, Any]


def _trie(words: Iterable[str]) -> _Trie:
    root: _Trie = {}
    for word in words:
        if not word:
            continue
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return root


def alternation(words: Iterable[str]) -> str:
    """A regex matching any of ``words``; ASCII words only on word boundaries.

    Built as a character trie (Python's ``re`` has none), so the engine tries one branch
    per character instead of every word at every position. A space inside a word matches
    any run of whitespace. The longest word wins.
    """
    trie = _trie(set(words))
    branches: list[str] = []
    firsts = sorted(k for k in trie if k)
    for char in firsts:
        rest = _build(trie[char], char)
        if _is_ascii_word(char):
            # The boundary is checked after the first letter (same meaning: that letter is
            # known) so ``re`` can skip a branch on its first character without running it.
            branches.append(rf"{char}(?<![{ASCII_WORD}]{char}){rest}")
        else:
            branches.append(_piece(char) + rest)
    if not branches:
        return "(?!)"
    # One look at the first character rejects most positions before any branch is tried.
    first = "".join(r"\s" if char == " " else re.escape(char) for char in firsts)
    return f"(?:(?=[{first}])(?:" + "|".join(branches) + "))"


def clean_sequence(words: Iterable[str], separators: str = r"[\s,]") -> str:
    """A regex (anchored both ends) for text made only of ``words`` and separators."""
    return rf"^(?:{separators}*{alternation(words)})*{separators}*$"


def prefix_pattern(words: Iterable[str], *, exact: bool = False) -> str:
    """A regex matching any of ``words`` (or a longer word they begin), as a prefix tree.

    ``["click", "check", "choose"]`` → ``c(?:h(?:eck|oose)|lick)``. No boundaries are
    added (the caller puts ``\\b`` or ``\\s`` around it). ``exact`` matches only the words
    themselves (``when``, ``whenever`` → ``when(?:ever)?``).
    """
    return _prefix_branches(_trie(words), exact)


def _build(node: _Trie, last: str) -> str:
    branches = [_piece(k) + _build(node[k], k) for k in sorted(k for k in node if k)]
    if "" in node:
        branches.append(rf"(?![{ASCII_WORD}])" if _is_ascii_word(last) else "")
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def _prefix_branches(node: _Trie, exact: bool) -> str:
    ends = "" in node
    if ends and not exact:  # a shorter word ends here, and a prefix is enough
        return ""
    parts = [
        re.escape(char) + _prefix_branches(child, exact)
        for char, child in sorted(node.items())
        if char
    ]
    parts = [part for part in parts if part]
    if not parts:
        return ""
    body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    if ends:  # exact: a word ends here and a longer one goes on
        return f"{body}?" if len(parts) == 1 and len(parts[0]) == 1 else f"(?:{body})?"
    return body


def _piece(char: str) -> str:
    return r"\s+" if char == " " else re.escape(char)


def _is_ascii_word(char: str) -> bool:
    return char.isascii() and char.isalnum()


# --- Traditional → Simplified, for matching only -----------------------------------------


def to_simplified(text: str) -> str:
    """``text`` in Simplified Chinese, character for character (same length, same offsets).

    For *matching* only: callers cut what they hand back from the user's own text. Text
    without a Traditional-only character is returned as it is, without loading anything;
    otherwise OpenCC (``tw2sp``: characters and Taiwan wording, 匯出 → 导出, 影片 → 视频)
    converts it, loaded on first use. Where a phrase conversion would change the length,
    each character is converted alone.
    """
    if text.isascii() or not has_han(text):
        return text
    traditional = _traditional_chars()
    if traditional.isdisjoint(text):
        return text
    converted = _converter("tw2sp").convert(text)
    if len(converted) == len(text):
        return str(converted)
    chars = _converter("t2s")
    return "".join(_one(chars.convert(char), char) for char in text)


def _one(converted: str, char: str) -> str:
    return converted if len(converted) == 1 else char


@lru_cache(maxsize=2)
def _converter(config: str) -> Any:
    import opencc  # lazily: loading the dictionaries costs milliseconds

    return opencc.OpenCC(config)


@lru_cache(maxsize=1)
def _traditional_chars() -> frozenset[str]:
    """Every Han character OpenCC's ``t2s`` changes (from its tables, not a typed list)."""
    han = "".join(
        chr(code)
        for first, last in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
        for code in range(first, last + 1)
    )
    simplified = str(_converter("t2s").convert(han))
    if len(simplified) != len(han):  # pragma: no cover - t2s maps single characters 1:1
        return frozenset(c for c in han if _converter("t2s").convert(c) != c)
    return frozenset(t for t, s in zip(han, simplified, strict=True) if t != s)


def to_traditional(text: str) -> str:
    """``text`` in Traditional Chinese with Taiwan wording (OpenCC ``s2twp``: 导出 → 匯出).

    For what skillrt *writes* to someone who wrote in Traditional Chinese; the length may
    change. Text without a Han character is returned as it is, without loading anything.
    """
    if text.isascii() or not has_han(text):
        return text
    return str(_converter("s2twp").convert(text))
