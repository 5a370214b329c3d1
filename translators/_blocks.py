"""Generated content the backend hands over — titles, tags, descriptions — is never a direction.

For a skill like video-meta-ai the whole reply is suggested titles ("Upload Day: Inside Our
Studio"), a description and tags ("#dragqueenbrunch"). Their words are the product, so they
are masked like quotations before any rule runs:

- a field line: ``Title: …``, ``Tags: …``, ``描述：…`` — the value after the colon;
- the list under a header that names such content ("Here are three titles:", "标题：");
- a list item written in Title Case ("2. Export Secrets Revealed"), wherever it stands;
- a numbered list written inline after such a lead-in ("Here are three title options: 1. Upload
  Day 2. Export Secrets…", "为你生成了三个标题：1. 上传日：… 2. 导出前必看…"): every item, the
  last one to its sentence's end;
- hashtags, @handles and URLs.
"""

from __future__ import annotations

import re

from skillrt._text import HAN_RANGE, has_han
from skillrt.translators._lexicon import (
    BLOCK_NOUNS_EN,
    BLOCK_NOUNS_ZH,
    FIELD_LABELS_EN,
    FIELD_LABELS_ZH,
    FIELD_PREFIXES_EN,
    FIELD_PREFIXES_ZH,
    SMALL_WORDS_EN,
    SPEECH_VERBS_EN,
    SPEECH_VERBS_ZH,
    UI_NOUNS_EN,
)
from skillrt.translators._text import MASK, prefix_pattern

__all__ = ["mask_blocks"]

_LIST_MARK = r"[ \t]*(?:\d{1,2}[.)、．]|[-*•·]|[①-⑳]|\(\d{1,2}\))[ \t]*"
_FIELD = re.compile(
    rf"^(?:{_LIST_MARK})?[ \t]*(?:\*\*)?(?:(?:"
    + prefix_pattern(FIELD_PREFIXES_EN, exact=True)
    + r")[ \t]+)?(?:"
    + prefix_pattern(FIELD_PREFIXES_ZH, exact=True)
    + r")?(?:"
    + prefix_pattern(FIELD_LABELS_EN, exact=True)
    + r"|"
    + prefix_pattern(FIELD_LABELS_ZH, exact=True)
    + r")(?:[ \t]*(?:\d{1,2}|[A-Za-z]))?(?:\*\*)?[ \t]*[:：](?:\*\*)?",
    re.IGNORECASE | re.MULTILINE,
)
# "The voiceover says: click the link…", "旁白说：点击下方链接": someone's words, to the line end.
_SPEECH = re.compile(
    r"\b(?:" + prefix_pattern(SPEECH_VERBS_EN, exact=True) + r")\s*[:：]"
    r"|(?:" + prefix_pattern(SPEECH_VERBS_ZH, exact=True) + r")\s*[:：]",
    re.IGNORECASE,
)
_HEADER_EN = re.compile(r"\b" + prefix_pattern(BLOCK_NOUNS_EN), re.IGNORECASE)
_HEADER_ZH = re.compile(prefix_pattern(BLOCK_NOUNS_ZH))
_HEADER_END = re.compile(r"[:：](?:\*\*)?\s*$")
_ITEM = re.compile(_LIST_MARK)
_SENTENCE_END = re.compile(r"[.。！？!?]\s*$")
# Without one of these a reply has no field, header or inline list: only tokens to mask.
_STRUCTURE_MARKS = ("\n", ":", "：", "—", "–", " - ")
# "…title options: 1. Upload Day…", "Title ideas — 1. …": a lead-in's colon (or dash), then
# item 1 on the same line.
_INLINE_START = re.compile(r"(?:[:：]|[ \t][—–-])(?:\*\*)?[ \t]*(?=(?:1[.)、．]|①|\(1\))(?!\d))")
# Where the lead-in starts: after the last sentence end before the colon.
_LEAD_START = re.compile(r"(?:[.。！？!?]\s+|[。！？])(?=[^.。！？!?]*$)")
# Item N's mark: after a space, a Chinese character or punctuation ("…工作室 2. 导出…").
_NUMBER_MARKS = tuple(
    re.compile(
        r"(?:(?<=\s)|(?<=^)|(?<=[\u3000-\u303f" + HAN_RANGE + r"\uff00-\uffef]))"
        rf"(?:{number}[.)、．]|{chr(0x2460 + number - 1)}|\({number}\))(?!\d)[ \t]*"
    )
    for number in range(1, 21)
)
# The last item ends at its sentence's end ("…in 60 Seconds. Click Export…"), else the line's.
_ITEM_END = re.compile(r"[.。！？!?](?=\s|$)|[。！？]")
_WORD = re.compile(r"[A-Za-z][\w'’-]*|\d[\w]*")
_SMALL = frozenset(SMALL_WORDS_EN)
_UI = frozenset(UI_NOUNS_EN)
# A tag or handle ends at a space or punctuation; a URL at a space (its last dot or comma
# ends the sentence, not the address).
_TOKEN = re.compile(
    # …but a colour ("#FFD400") is a value an edit may set.
    r"(?<![A-Za-z0-9_&/])(?:#(?![0-9A-Fa-f]{3,8}(?![\w]))|@)[^\s#@.,，。;；:：!?！？、()（）]+|"
    r"https?://\S+?(?=[.,;:!?)）]*(?:\s|$))"
)


def mask_blocks(masked: str) -> str:
    """``masked`` with generated content (fields, listed titles, hashtags, URLs) masked too."""
    if not any(mark in masked for mark in _STRUCTURE_MARKS):
        return (
            _TOKEN.sub(_hide_token, masked)
            if ("#" in masked or "@" in masked or "//" in masked)
            else masked
        )
    lines = masked.split("\n")
    out: list[str] = []
    in_block = False  # under a header that names content: a list, or one paragraph
    listed = False  # the block is a list: a line that is no item ends it
    filled = False  # the block has content: a blank line ends it
    for line in lines:
        field = _FIELD.match(line)
        if field:
            out.append(line[: field.end()] + _hide(line[field.end() :]))
            # "Titles:" alone heads a list
            in_block, listed, filled = not line[field.end() :].strip(), False, False
            continue
        if in_block and not line.strip():
            out.append(line)
            in_block = not filled  # blank lines after the header, not after its content
            continue
        if in_block and _ITEM.match(line):
            out.append(_hide_item(line))
            listed = filled = True
            continue
        if in_block and not listed:
            out.append(_hide(line))  # "Here's a YouTube description:" + its paragraph
            filled = True
            continue
        in_block, listed, filled = _is_header(line), False, False
        speech = _SPEECH.search(line)
        if speech:
            out.append(line[: speech.end()] + _hide(line[speech.end() :]))
            continue
        inline = _hide_inline_list(line)
        if inline is not None:
            out.append(inline)
            continue
        out.append(_hide_item(line) if _is_title_item(line) else line)
    return _TOKEN.sub(_hide_token, "\n".join(out))


def _is_header(line: str) -> bool:
    if not _HEADER_END.search(line):
        return False
    return bool(_HEADER_ZH.search(line) if has_han(line) else _HEADER_EN.search(line))


def _hide_inline_list(line: str) -> str | None:
    """``line`` with an inline numbered list after a content lead-in masked, else None.

    "Here are three title options: 1. Upload Day 2. Export Secrets 3. From Draft to Download":
    the lead-in before the colon names content (a block noun), item 1 follows the colon and
    any further items follow in order; each item is content up to the next number, the last
    one up to its sentence's end. The numbers stay, so the text still reads as a list.
    """
    for start in _INLINE_START.finditer(line):
        before = line[: start.start()]
        lead = _LEAD_START.search(before)
        lead_text = before[lead.end() :] if lead else before
        if not (
            _HEADER_ZH.search(lead_text) if has_han(lead_text) else _HEADER_EN.search(lead_text)
        ):
            continue
        marks = _inline_marks(line, start.end())
        if not marks:
            continue
        pieces = [line[: marks[0][0]]]
        for index, (at, body) in enumerate(marks):
            end = marks[index + 1][0] if index + 1 < len(marks) else len(line)
            if index + 1 == len(marks):
                stop = _ITEM_END.search(line, body)
                end = stop.start() if stop else end
            pieces.append(line[at:body] + _hide(line[body:end]))
            if end < (marks[index + 1][0] if index + 1 < len(marks) else len(line)):
                pieces.append(line[end:])
        return "".join(pieces)
    return None


def _inline_marks(line: str, at: int) -> list[tuple[int, int]]:
    """(mark start, item start) of items 1, 2, 3… written one after another from ``at``."""
    marks: list[tuple[int, int]] = []
    for number, pattern in enumerate(_NUMBER_MARKS, start=1):
        mark = pattern.search(line, at)
        if mark is None or (number == 1 and mark.start() != at):
            break
        marks.append((mark.start(), mark.end()))
        at = mark.end()
    return marks


def _is_title_item(line: str) -> bool:
    """ "2. Export Secrets Revealed": a listed line whose words are all capitalised."""
    item = _ITEM.match(line)
    if item is None:
        return False
    words = _WORD.findall(line[item.end() :])
    if len(words) < 3 or has_han(line):
        return False
    for word in words:
        lower = word.lower()
        if lower in _UI:
            return False
        if lower not in _SMALL and not (word[0].isupper() or word[0].isdigit()):
            return False
    return True


def _hide(value: str) -> str:
    return "".join(char if char.isspace() else MASK for char in value)


def _hide_item(line: str) -> str:
    item = _ITEM.match(line)
    start = item.end() if item else 0
    return line[:start] + _hide(line[start:])


def _hide_token(match: re.Match[str]) -> str:
    token = match.group()
    return token[0] + MASK * (len(token) - 1)
