"""Normalise a message for matching while keeping a map back to the user's own text.

Matching runs on NFKC + case-folded text, Traditional Chinese converted to Simplified
(``skillrt._text.to_simplified``), Chinese punctuation mapped to ASCII, quoted
passages blanked out (they are content, not commands) and URLs blanked out (their paths
contain words such as ``download``). Segments handed back to the caller are cut from the
original text through an offset map, so case and quotes survive.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache

from skillrt._text import (
    ASCII_WORD,
    QUOTE_CHARS,
    QUOTE_MASK,
    QUOTED,
    alternation,
    to_simplified,
)
from skillrt.router._lexicon import (
    DOUBLED_WORDS,
    HAN_SLIPS,
    SPOKEN_PUNCTUATION,
    YUE_TO_MANDARIN,
)

__all__ = ["QUOTE_MASK", "Prepared", "Url", "is_media_url", "prepare"]

# One character to one character only, so offsets stay valid without a map.
_PUNCT = str.maketrans(
    {
        "。": ".",
        "｡": ".",
        "、": ",",
        "､": ",",
        "﹐": ",",
        "﹑": ",",
        "；": ";",
        "：": ":",
        "！": "!",
        "？": "?",
        "〜": "~",
        "～": "~",
        "\u200b": " ",
        "\u200c": " ",
        "\u200d": " ",
        "\ufeff": " ",
        "\u3000": " ",
        "\u00a0": " ",
        "\t": " ",
        "\r": "\n",
        "―": "-",
        "‐": "-",
        "‑": "-",
        # markdown emphasis (**export**)
        "*": " ",
        "(": " ",
        ")": " ",
        "[": " ",
        "]": " ",
        "{": " ",
        "}": " ",
        "【": " ",
        "】": " ",
        "（": " ",
        "）": " ",
        "〔": " ",
        "〕": " ",
    }
)

# Cantonese written words (same length as their Mandarin ones): looked for only when a
# character of one is present.
_YUE = re.compile(alternation(YUE_TO_MANDARIN))
_YUE_MARKS = frozenset(word[0] for word in YUE_TO_MANDARIN)
# Slips are read before the script conversion, so "匯岀" becomes "匯出" and then "导出".
_SLIPS = re.compile(alternation(HAN_SLIPS))
_SLIP_MARKS = frozenset(word[0] for word in HAN_SLIPS)
# Dictated punctuation ("… comma show me my balance period"), not after an article ("add a
# comma"); "period" only at the end ("for a trial period" keeps its word).
_W = ASCII_WORD
_SPOKEN = re.compile(
    rf"(?<![{_W}'])(?<!a )(?<!the )(?:"
    rf"{alternation([word for word in SPOKEN_PUNCTUATION if word != 'period'])}(?![{_W}'])"
    rf"|period(?=[\s.!]*$))"
)
# A word typed twice by a slip ("export the the video") is read once.
_DOUBLED = re.compile(rf"(?<![{_W}])({alternation(DOUBLED_WORDS)})(\s+\1)(?![{_W}])")
# A slash command ("/credits") is its word.
_SLASH = re.compile(r"^(\s*)/(?=[a-z])")
_ENUMERATOR = re.compile(r"(?<![0-9a-z])([0-9])\)")
# A URL ends at Chinese text too: "https://x.com/a.mp4，导出" is a link and a command —
# unless the Chinese is a piece of its path, followed by "/" or an extension
# ("https://oss.example.com/素材/街拍.mov").
_URL_CHARS = r"""[^\s"'“”‘’「」『』<>()\[\]{}（）\u3000-\u9fff\uff00-\uffef]"""


# (compiled on first use: only a message with "://" or "www." needs it)
@cache
def _url() -> re.Pattern[str]:
    return re.compile(
        rf"(?:https?://|www\.){_URL_CHARS}+(?:(?<=/)[\u3400-\u9fff]+(?:/|\.[a-z0-9]){_URL_CHARS}*)*"
    )


_URL_TAIL = ".,;:!?)]}>"
# Emoji and pictographs carry mood, not words: matched as spaces, one for one.
_SYMBOLS = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d]")
_ALIASES = {"jpeg": "jpg", "jpe": "jpg"}


@dataclass(frozen=True, slots=True)
class Url:
    """A URL found in a message: its text as written and its span in the matching text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Prepared:
    """A message ready for matching: ``norm`` plus the way back to ``original``."""

    original: str
    norm: str
    offsets: tuple[int, ...] | None
    urls: tuple[Url, ...]

    def source(self, start: int, end: int) -> str:
        """The user's own text behind ``norm[start:end]``."""
        if self.offsets is None:
            return self.original[start:end]
        return self.original[self.offsets[start] : self.offsets[end]]


def prepare(text: str) -> Prepared:
    """Normalise ``text`` for matching (see the module docstring)."""
    norm, offsets = _fold(text)
    if not norm.isascii():
        if not _SLIP_MARKS.isdisjoint(norm):
            norm = _SLIPS.sub(lambda m: HAN_SLIPS[m.group()], norm)
        norm = to_simplified(norm)  # 匯出 → 导出: same length, so the offsets still hold
        if not _YUE_MARKS.isdisjoint(norm):
            norm = _YUE.sub(lambda m: YUE_TO_MANDARIN[m.group()], norm)
    if ")" in norm:
        norm = _ENUMERATOR.sub(r"\1.", norm)  # "1) add captions 2) export" is a list
    norm = norm.translate(_PUNCT)
    if any(word in norm for word in SPOKEN_PUNCTUATION):
        norm = _SPOKEN.sub(_spoken_mark, norm)
    norm = _DOUBLED.sub(lambda m: m.group(1) + " " * len(m.group(2)), norm)
    if "/" in norm:
        norm = _SLASH.sub(r"\1 ", norm)
    if not norm.isascii():
        norm = _SYMBOLS.sub(" ", norm)
    urls: tuple[Url, ...] = ()
    if "://" in norm or "www." in norm:
        norm, urls = _mask_urls(norm, text, offsets)
    if not QUOTE_CHARS.isdisjoint(norm):
        norm = _mask_quotes(norm)
    norm = norm.replace("’", "'")
    return Prepared(original=text, norm=norm, offsets=offsets, urls=urls)


def _spoken_mark(match: re.Match[str]) -> str:
    word = match.group()
    return SPOKEN_PUNCTUATION[word].ljust(len(word))


def is_media_url(url: str, media_types: Collection[str]) -> bool:
    """True when the URL's path ends in one of the accepted file extensions."""
    path = url.split("#", 1)[0].split("?", 1)[0]
    name = path.rstrip("/").rsplit("/", 1)[-1]
    if "." not in name:
        return False
    extension = name.rsplit(".", 1)[1].lower()
    return extension in media_types or _ALIASES.get(extension, "") in media_types


def _fold(text: str) -> tuple[str, tuple[int, ...] | None]:
    if text.isascii():
        return text.lower(), None
    if unicodedata.is_normalized("NFKC", text):
        folded = text.casefold()
        if len(folded) == len(text):
            return folded, None
    # Rare path (full-width letters, ligatures, "ß"): fold per character, remembering origins.
    parts: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        piece = unicodedata.normalize("NFKC", char).casefold()
        parts.append(piece)
        offsets.extend([index] * len(piece))
    offsets.append(len(text))
    return "".join(parts), tuple(offsets)


def _mask_quotes(norm: str) -> str:
    stripped = norm.strip()
    whole = QUOTED.fullmatch(stripped)
    if whole is not None:
        # A message that is nothing but one quoted passage is the user's command itself.
        first = norm.index(stripped)
        last = first + len(stripped) - 1
        return f"{norm[:first]} {norm[first + 1 : last]} {norm[last + 1 :]}"
    return QUOTED.sub(lambda m: QUOTE_MASK * len(m.group(0)), norm)


def _mask_urls(
    norm: str, original: str, offsets: tuple[int, ...] | None
) -> tuple[str, tuple[Url, ...]]:
    found: list[Url] = []
    chars = list(norm)
    for match in _url().finditer(norm):
        start, end = match.start(), match.end()
        while end > start and norm[end - 1] in _URL_TAIL:
            end -= 1
        first, last = (start, end) if offsets is None else (offsets[start], offsets[end])
        written = original[first:last]
        found.append(Url(text=written, start=start, end=end))
        chars[start:end] = " " * (end - start)
    return "".join(chars), tuple(found)
