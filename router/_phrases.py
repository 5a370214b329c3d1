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

from skillrt._text import ASCII_WORD
from skillrt.router._actions import RouteAction

__all__ = ["Phrase", "find_phrases", "typos"]

_W = ASCII_WORD
_END = rf"(?![{_W}])"

_DELIVERABLE = (
    r"(?:the|my|our|that|this|a copy of the)\s+"
    r"(?:(?:final|finished|completed|complete|rendered|edited|exported|full|whole|new|latest)\s+)?"
    r"(?:video|file|mp4|mov|clip|result|output|cut|movie|version|render)(?:\s+file)?"
)
# What may follow the deliverable: nothing, a destination, politeness, or a new clause.
_DELIVERY_TAIL = (
    rf"(?=\s*(?:$|[,.!?;~]|(?:over|back|now|please|pls|plz|asap|right now|locally|again|thanks"
    rf"|thx|then|and|when|once|if|by|as|in|for|to me|to us"
    rf"|(?:to|on|onto)\s+(?:my\s+|the\s+)?(?:computer|laptop|pc|mac|desktop|disk|device|drive"
    rf"|phone|downloads))(?![{_W}])))"
)
_EXPORT_EN = (
    rf"(?<![{_W}])(?:(?:(?:i|we)\s+)?(?:need|want|would like)|(?:i|we)'d like|(?:can|could|may)"
    rf"\s+(?:i|we)\s+(?:have|get)|send|give|get|grab|hand|pass|email|e-mail|save)"
    rf"(?:\s+(?:me|us))?(?:\s+(?:over|back))?\s+{_DELIVERABLE}{_DELIVERY_TAIL}"
    # "save it to my laptop": a pronoun object needs the destination to be unambiguous.
    rf"|(?<![{_W}])save\s+(?:it|this|that|them)\s+(?:locally|(?:to|on|onto)\s+(?:my\s+|the\s+)?"
    rf"(?:computer|laptop|pc|mac|desktop|disk|device|drive|phone|downloads)){_END}"
    # causative passive: "get this exported", "have it rendered"
    rf"|(?<![{_W}])(?:get|have)\s+(?:it|this|that|them|the video|the clip|the file|everything)\s+"
    rf"(?:exported|rendered|downloaded){_END}"
    # asking where the result is: "where's the download?", "where is my export"
    rf"|(?<![{_W}])where(?:'s|\s+is)\s+(?:the|my|our)\s+(?:download|export|render|mp4)"
    rf"(?:\s+link)?(?=\s*(?:[?.!~]|$))"
)
_EXPORT_ZH = r"(?:保存|存)(?:下来|到(?:本地|电脑|手机|相册|桌面|硬盘))"
_MEDIA_NOUN = (
    r"(?:video|videos|clip|clips|file|files|footage|photo|photos|pic|pics|picture|pictures"
    r"|image|images|song|songs|music|track|audio|logo|recording|recordings|b-roll|raw)"
)
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
)
_STATE_ZH = r"(?:做|弄|搞|剪|进行|生成)到哪(?:一步|了|儿了)?|到哪(?:一步|了|儿了)"
_CREDITS_EN = rf"(?<![{_W}])(?:left|remaining)\s+(?:in|on)\s+(?:my|the|our)\s+account{_END}"

_PATTERN = re.compile(
    rf"(?P<export>{_EXPORT_EN}|{_EXPORT_ZH})|(?P<upload>{_UPLOAD_EN}|{_UPLOAD_ZH})"
    rf"|(?P<state>{_STATE_EN}|{_STATE_ZH})|(?P<credits>{_CREDITS_EN})"
)
# Every phrase starts with one of these words: the full pattern is tried only there
# (scanning with it at every position costs several times more).
_TRIGGER = re.compile(
    # The first letters of the words below, so most positions fail on one look.
    r"(?=[abceghilmnprsuw保存传发做弄搞剪进生到])"
    rf"(?:(?<![{_W}])(?:send|give|get|grab|hand|pass|e-?mail|save|need|want|would|i|we|can|could|may"
    rf"|share|uploading|importing|im|add|use|bring|put|insert|include|have|is|are|what|how|left"
    rf"|remaining|where)(?![{_W}])|保存|存|传|发|做|弄|搞|剪|进行|生成|到哪)"
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


def find_phrases(norm: str) -> Iterator[Phrase]:
    """Every command phrase in the normalised text, in order."""
    taken = 0
    for trigger in _TRIGGER.finditer(norm):
        if trigger.start() < taken:
            continue
        match = _PATTERN.match(norm, trigger.start())
        if match is None:
            continue
        taken = match.end()
        action, kind = _KINDS[match.lastgroup or "export"]
        yield Phrase(match.start(), match.end(), match.group(), action, kind)


def typos(word: str) -> set[str]:
    """Common slips of one keyword: one letter dropped, two neighbours swapped, one doubled."""
    found: set[str] = set()
    for i in range(len(word)):
        found.add(word[:i] + word[i + 1 :])
        found.add(word[:i] + word[i] + word[i:])
        if i + 1 < len(word):
            found.add(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
    found.discard(word)
    return {slip for slip in found if len(slip) >= 5}
