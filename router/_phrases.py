"""Commands said with ordinary verbs: the action comes from the verb *and* its object.

"save the video to my computer", "can I have the mp4 file?", "send me the finished file"
ask for the export although no keyword is there: a transfer verb whose object is the
finished video, going to the user. The same verbs going the other way ("I'll send you my
video file", "我发你一段视频", "传个视频") are uploads. "is it still processing?" and
"弄到哪了" ask for the state. Each phrase is judged by the same grammar as a keyword, so
"don't send me the file yet" is still chat.

Also here: the spelling slips users make in the core keywords ("exprot", "dowload",
"uplaod"), generated as one deletion, one swap of neighbours or one doubled letter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from skillrt._text import ASCII_WORD, alternation
from skillrt.router import _lexicon as lex
from skillrt.router._actions import RouteAction

__all__ = ["Phrase", "find_phrases", "typos"]

_W = ASCII_WORD
_TRANSFER_FIRST = "".join(sorted({verb[0] for verb in lex.TRANSFER_VERBS}))
_END = rf"(?![{_W}])"

_OUR_VIDEO = (
    rf"(?:it|this|that|(?:the|my|our)\s+(?:{alternation(lex.FINISHED)}\s+)?"
    rf"{alternation(lex.DELIVERABLES)})"
)
_DELIVERABLE = (
    r"(?:(?:the|my|our|that|this|a copy of the)\s+"
    rf"(?:{alternation(lex.FINISHED)}\s+)?{alternation(lex.DELIVERABLES)}(?:\s+file)?"
    # the link to it: "gimme the link to the final vid", "can I have a link to download it?"
    rf"|(?:the|a|my)\s+(?:{alternation(lex.LINK_KINDS)}\s+)?link"
    rf"(?:\s+(?:to|for|of)(?:\s+download)?\s+(?:it|this|that|(?:the|my|our)\s+"
    rf"(?:{alternation(lex.FINISHED)}\s+)?{alternation(lex.DELIVERABLES)}))?)"
)
# What may follow the deliverable: nothing, a destination, politeness, or a new clause.
_DELIVERY_TAIL = (
    rf"(?=\s*(?:$|[,.!?;~]|{alternation(lex.DELIVERY_TAILS)}"
    rf"|(?:to|on|onto)\s+(?:my\s+|the\s+)?{alternation(lex.USER_DEVICES)}))"
)
_EXPORT_EN = (
    rf"(?<![{_W}])(?:(?:(?:i|we)\s+)?(?:need|want|would like)|(?:i|we)'d like|(?:can|could|may)"
    rf"\s+(?:i|we)\s+(?:have|get)|{alternation(lex.TRANSFER_VERBS)})"
    rf"(?:\s+(?:me|us))?(?:\s+(?:over|back))?\s+{_DELIVERABLE}{_DELIVERY_TAIL}"
    # "save it to my laptop": a pronoun object needs the destination to be unambiguous.
    rf"|(?<![{_W}])save\s+(?:it|this|that|them)\s+(?:locally|(?:to|on|onto)\s+(?:my\s+|the\s+)?"
    rf"{alternation(lex.USER_DEVICES)})"
    # handing it over: "render the final cut and hand it over", "send it back to me"
    # (not to someone else: "hand it over to the editor" is for them to do)
    rf"|(?<![{_W}])(?:hand|pass)\s+(?:it|this|that|them)\s+over(?!\s+to\s+(?!me|us))"
    rf"(?:\s+to\s+(?:me|us))?{_END}"
    rf"|(?<![{_W}])(?:hand|send|pass|give)\s+(?:it|this|that|them)\s+(?:over\s+|back\s+)?"
    rf"to\s+(?:me|us){_END}"
    # an English verb with the Chinese recipient: "send 俾我" (→ "send 给我")
    rf"|(?<![{_W}])(?:send|pass|email|e-mail)\s*(?:(?:视频|成片|video|file|mp4)\s*)?给(?:我|我们)"
    r"(?=\s*(?:看(?:下|看|一下)?\s*)?(?:$|[,.!?;~]|吧|啦|呀|啊|喇|麻烦))"
    # causative passive: "get this exported", "have it rendered"
    rf"|(?<![{_W}])(?:get|have)\s+(?:it|this|that|them|the video|the clip|the file|everything)\s+"
    rf"(?:exported|rendered|downloaded){_END}"
    # asking where the result is: "where's the download?", "where is my export"
    rf"|(?<![{_W}])where(?:'s|s|\s+is)\s+(?:the|my|our)\s+(?:download|export|render|mp4)"
    rf"(?:\s+link)?(?=\s*(?:[?.!~]|$))"
    # asking for the link to it: "whats the link to the final video", "what's the download link"
    rf"|(?<![{_W}])(?:what|where)(?:'s|s|\s+is)\s+(?:the|my|our)\s+"
    rf"(?:{alternation(lex.LINK_KINDS)}\s+link(?:\s+(?:to|for|of)\s+{_OUR_VIDEO})?"
    rf"|link\s+(?:to|for|of)(?:\s+download)?\s+{_OUR_VIDEO})(?=\s*(?:[?.!~]|$))"
)
_ZH_FILE = alternation(lex.ZH_FILE_KINDS)
_ZH_LINK = alternation(lex.ZH_LINK_WORDS)
_ZH_FINISHED = rf"(?:{alternation(lex.ZH_FINISHED)})?的?"
_EXPORT_ZH = (
    rf"(?:保存|存)(?:下来|到{alternation(lex.ZH_SAVE_PLACES)})"
    # the link to the result: "给我视频链接", "发我下载链接"
    rf"|(?:给我|发我|发给我|给|要)(?:一下|个|一个)?\s*{_ZH_FINISHED}{_ZH_FILE}?\s*的?\s*(?:下载|分享)?"
    rf"\s*{_ZH_LINK}"
    rf"|把?{_ZH_FILE}?的?(?:下载|分享)?{_ZH_LINK}\s*(?:发给?|给|传给)(?:我|一下)"
    # the file itself, named by its kind: "给我mp4文件", "发我成片的文件", "唔該俾我條片"
    # ("给我一个视频" is a new one to make: only the file, not one of a kind, stands alone)
    rf"|(?:给我|发我|发给我)(?:(?:一下|个|一个)?\s*{_ZH_FINISHED}{_ZH_FILE}\s*的?\s*文件"
    rf"|(?:一下)?\s*{_ZH_FINISHED}{_ZH_FILE})(?=[\s,.!?;~吧啊呀了呗]|$)"
    # Cantonese order, thing before the person: "俾條link我" (→ "给条link我")
    rf"|给(?:条|个)?\s*(?:{_ZH_LINK}|{_ZH_FILE})\s*我(?=\s*(?:$|[,.!?;~]|看|吧|啦|呀|啊|喇|麻烦))"
)
_MEDIA_NOUN = alternation(lex.MEDIA_NOUNS)
_UPLOAD_EN = (
    rf"(?<![{_W}])(?:send|give|pass|share|email|e-mail)\s+(?:you|u)\s+"
    rf"(?:(?:my|the|a|an|some|this|these|our)\s+)?(?:[a-z0-9\-]+\s+){{0,2}}?{_MEDIA_NOUN}{_END}"
    rf"|(?<![{_W}])(?:(?:i'm|im|i am|we're|we are)\s+)?(?:uploading|importing)"
    rf"(?=\s+(?:my|the|a|an|some|it|this|these|them|now|our)(?![{_W}]))"
    # "my own video": material the user brings
    rf"|(?<![{_W}])(?:add|use|bring|put in|insert|include)\s+(?:my|our)\s+own\s+"
    rf"(?:[a-z0-9\-]+\s+)?{_MEDIA_NOUN}{_END}"
    rf"|(?<![{_W}])(?:get|have)\s+(?:it|this|that|them|these|my \w+)\s+uploaded{_END}"
)
_UPLOAD_ZH = (
    r"(?<![宣流遗相外经上])传(?:个|一个|几个|张|一张|段|一段|些|一些|一下|上来|给你)"
    r"|发(?:给)?你(?:一个|个|几个|一段|段|张|一张|些)"
)
_STATE_EN = (
    rf"(?<![{_W}])(?:is|are)\s+(?:it|the video|my video|the clip|the render|the generation|things"
    rf"|everything)\s+(?:still\s+)?(?:processing|generating|rendering|loading|cooking"
    rf"|in progress|being (?:made|generated|processed)){_END}"
    rf"|(?<![{_W}])what(?:'s|\s+is)?\s+(?:(?:do|have)\s+)?(?:we|i)(?:'ve)?\s+(?:have|got|done|made)"
    rf"\s+so far{_END}"
    rf"|(?<![{_W}])how far(?:\s+along)?\s+(?:is|are)\s+(?:it|we|the video|my video|the project"
    rf"|things|the edit){_END}|(?<![{_W}])how far along(?:\s+are\s+we)?{_END}"
    # what the project holds: "what's in the project right now", "which clips are in my project"
    rf"|(?<![{_W}])(?:what(?:'s|\s+is|\s+are)?|which\s+(?:clips|files|tracks|assets|media|layers)"
    rf"\s+are)\s+(?:in|on)\s+(?:the|my|our)\s+(?:project|timeline|tracks|draft|edit){_END}"
    rf"|(?<![{_W}])where\s+are\s+we\s+at{_END}"
    rf"|(?<![{_W}])where\s+are\s+we\s+with\s+(?:the|my|our)\s+(?:render|export|video|project"
    rf"|edit)(?=\s*(?:$|[?.!~]))"
    # "where is the render at", "where's my export at": how far it has got
    rf"|(?<![{_W}])where(?:'s|s|\s+is)\s+(?:it|(?:the|my|our)\s+(?:render|export|video|project"
    rf"|edit|generation))\s+at(?=\s*(?:$|[?.!~]))"
    rf"|(?<![{_W}])how(?:'s|\s+is)\s+(?:it|my video|the video|the project|the edit|the render"
    rf"|the generation|the export|my export|my render|things|everything)"
    rf"\s+(?:coming\s+along|going){_END}"
    # "what does my project look like at the moment?"
    rf"|(?<![{_W}])what\s+does\s+(?:my|the|our)\s+(?:project|timeline|draft|edit)\s+look\s+like"
    rf"(?=\s*(?:$|[?.!]|now|right now|at the moment|so far|currently))"
    # "is the render finished?": whether the work is done
    rf"|(?<![{_W}])(?:is|are)\s+(?:it|the video|my video|the render|the export|the generation"
    rf"|the clip|everything|my export|my render)\s+(?:finished|done|ready|complete|completed)"
    rf"(?:\s+(?:rendering|exporting|processing|generating))?(?:\s+yet)?"
    rf"(?=\s*(?:$|[?.!]))"
)
_STATE_ZH = (
    rf"(?:{alternation(lex.ZH_WORK_VERBS)}){{1,2}}(?:的?进度)?到哪(?:一步|了|儿了)?(?![里儿去])"
    r"|(?:进度)?到哪(?:一步|了|儿了)"
    # "影片好了沒？": whether the video is done
    rf"|{_ZH_FILE}\s*好了?(?:没有?|未)(?=[\s,.!?呀啊呢]|$)"
    # "搞定没？", "搞掂未呀" (→ "搞定未呀"): is it done yet
    rf"|{alternation(lex.ZH_DONE_VERBS)}了?(?:没有?|未)(?=[\s,.!?呀啊呢]|$)"
    rf"|{alternation(lex.ZH_STATE_PLACES)}\s*(?:里(?:面)?)?\s*(?:现在|目前)?(?:都)?有"
    rf"{alternation(lex.ZH_WHAT)}"
)
_CREDITS_EN = rf"(?<![{_W}])(?:left|remaining)\s+(?:in|on)\s+(?:my|the|our)\s+account{_END}"


# Compiled on first use: the largest pattern of the router, and a message without a trigger
# word ("export") never needs it.
@cache
def _pattern() -> re.Pattern[str]:
    return re.compile(
        rf"(?P<export>{_EXPORT_EN}|{_EXPORT_ZH})|(?P<upload>{_UPLOAD_EN}|{_UPLOAD_ZH})"
        rf"|(?P<state>{_STATE_EN}|{_STATE_ZH})|(?P<credits>{_CREDITS_EN})"
    )


# Every phrase starts with one of these words: the full pattern is tried only there
# (scanning with it at every position costs several times more).
_ZH_WORK_FIRST = "".join(sorted({verb[0] for verb in (*lex.ZH_WORK_VERBS, *lex.ZH_DONE_VERBS)}))
_TRIGGER = re.compile(
    # The first letters of the words below, so most positions fail on one look.
    rf"(?=[abceghilmnprsuw{_TRANSFER_FIRST}{_ZH_WORK_FIRST}保存传发进到给要项时轨草把视成下分链])"
    rf"(?:(?<![{_W}])(?:send|give|get|grab|hand|pass|e-?mail|save|need|want|would|i|we|can|could|may"
    rf"|share|uploading|importing|im|add|use|bring|put|insert|include|have|is|are|what|whats|how"
    rf"|left|remaining|where|wheres|which|{alternation(lex.TRANSFER_VERBS)})(?![{_W}])"
    # (a work verb only before 到/好/完: "export" and 导出 alone need no phrase)
    rf"|{alternation(lex.ZH_WORK_VERBS)}(?=[^,.!?;]{{0,4}}?[到好完])|{alternation(lex.ZH_DONE_VERBS)}"
    r"|保存|存|传|发|进度|到哪|给|要|项目|时间|轨道|草稿|把|视频|成片|成品|下载"
    r"|project|timeline"
    r"|分享|链接)"
)


@dataclass(frozen=True, slots=True)
class Phrase:
    """One phrase found: its span, the action it names, and how the grammar judges it."""

    start: int
    end: int
    text: str
    action: RouteAction
    kind: str  # "verb" or "noun", as for keywords


_KINDS: dict[str, tuple[RouteAction, str]] = {
    "export": ("export", "verb"),
    "upload": ("upload", "verb"),
    "state": ("state", "noun"),
    "credits": ("credits", "noun"),
}


# A message that is only the finished file, with urgency or politeness ("link pls", "mp4 now!!").
_BARE_DELIVERABLE = re.compile(
    rf"^\s*(?:the\s+)?(?:(?:{alternation(lex.FINISHED)}|download)\s+)?(?:{alternation(lex.BARE_DELIVERABLES)})"
    rf"(?:\s+(?:{alternation(lex.BARE_URGENCY)}))+[\s!.~]*$"
)


def find_phrases(norm: str) -> Iterator[Phrase]:
    """Every command phrase in the normalised text, in order."""
    bare = _BARE_DELIVERABLE.match(norm) if len(norm) <= 40 else None
    if bare is not None:
        yield Phrase(bare.start(), bare.end(), bare.group(), "export", "verb")
        return
    taken = 0
    for trigger in _TRIGGER.finditer(norm):
        if trigger.start() < taken:
            continue
        match = _pattern().match(norm, trigger.start())
        if match is None:
            continue
        taken = match.end()
        action, kind = _KINDS[match.lastgroup or "export"]
        yield Phrase(match.start(), match.end(), match.group(), action, kind)


def typos(word: str) -> set[str]:
    """Common slips of one keyword: one letter dropped, two neighbours swapped, one doubled,
    or one replaced by a neighbouring key or a letter that sounds alike; real English words
    (``_lexicon.REAL_WORD_SLIPS``) and slips shorter than five letters are left out."""
    found: set[str] = set()
    for i in range(len(word)):
        found.add(word[:i] + word[i + 1 :])
        found.add(word[:i] + word[i] + word[i:])
        if i + 1 < len(word):
            found.add(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
        for other in _SUBSTITUTES.get(word[i], ""):
            found.add(word[:i] + other + word[i + 1 :])
    found.discard(word)
    return {slip for slip in found if len(slip) >= 5 and slip not in _REAL_WORDS}


def _substitutes() -> dict[str, str]:
    table: dict[str, set[str]] = {}
    for row in lex.KEYBOARD_ROWS:
        for a, b in pairwise(row):
            table.setdefault(a, set()).add(b)
            table.setdefault(b, set()).add(a)
    for group in lex.SOUND_ALIKE:
        for a in group:
            table.setdefault(a, set()).update(c for c in group if c != a)
    return {letter: "".join(sorted(others)) for letter, others in table.items()}


_SUBSTITUTES = _substitutes()
_REAL_WORDS = frozenset(lex.REAL_WORD_SLIPS)
