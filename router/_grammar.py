"""Decide whether one keyword occurrence is a command, from the clause around it.

A message is cut into clauses at strong boundaries (sentence punctuation, commas, "then",
"然后", "再") and weak ones ("and", "和", "并"). For each keyword occurrence the grammar
looks at the words before it in its clause (request frame? negation? subordinate clause?
determiner?), the sentence before it (a topic marker such as "about" / "关于"?) and the
words after it (a noun it modifies, a verb it is the subject of, a deferral). Verbs are
commands when they head an imperative or request; nouns when they are what a question
asks about.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace

from skillrt._text import ASCII_WORD, alternation, clean_sequence
from skillrt.router import _lexicon as lex
from skillrt.router._query import asks_about

__all__ = [
    "Boundaries",
    "Clause",
    "Verdict",
    "boundaries",
    "clause_at",
    "is_filler",
    "judge",
    "only_refuses",
]

_W = ASCII_WORD


def _search(words: tuple[str, ...] | list[str]) -> re.Pattern[str]:
    return re.compile(alternation(words))


def _after(words: tuple[str, ...] | list[str]) -> re.Pattern[str]:
    return re.compile(r"\s*" + alternation(words))


_STRONG = (
    r"[!?;\n—–…~→]+|(?<![0-9])[.,:]+|[.,:]+(?![0-9])|\s-+\s|[-=]+>"
    rf"|(?<![{_W}])(?:and then|and after that|after that|afterwards|then|next|but|also|plus"
    rf"|as well as|after which)(?![{_W}])"
    r"|然后|之后|接着|随后|同时|顺便|另外|最后|以后|完了|但是|不过|并且"
    r"|(?<!不)(?<!别)(?<!不要)(?<!够)再(?!次|见)|后(?![面边来期台续果])"
)
_WEAK = rf"(?<![{_W}])(?:and|as well)(?![{_W}])|&|和|(?<!合)并|以及|与|跟"
# Every character a boundary can start with: one look rejects the other positions before
# the branches (with their look-behinds) are tried. Keep in step with the two lists above.
_BOUNDARY_FIRST = r"(?=[!?;\n—–…~→.,:\s\-=atnbp&然之接随同顺另最以完但不并再后和与跟])"
_BOUNDARY = re.compile(rf"{_BOUNDARY_FIRST}(?:(?P<strong>{_STRONG})|(?P<weak>{_WEAK}))")

_POSITIVE_IDIOMS = _search(lex.POSITIVE_IDIOMS)
_NEGATION = re.compile(alternation(lex.NEGATION) + r"|不[要用想必需能]?\s*$|没有?\s*$|未\s*$")
_SUBORDINATE = _search(lex.SUBORDINATORS)
# "够的话就导出", "如果没问题就导出": 就 opens the main clause after a condition.
_CONDITION_THEN = re.compile(
    r"(?:如果|要是|假如|的话)[^,.!?;]{0,12}?(?:就|那就|那么|便|则)\s*(?:帮我|请|给我|直接)?\s*$"
)
_TOPIC_EN = _search([w for w in lex.TOPIC_MARKERS if w.isascii()] + ["say", "saying"])
# A Chinese topic runs until the "的" that closes the phrase ("关于下载速度的视频").
_TOPIC_ZH = re.compile(alternation([w for w in lex.TOPIC_MARKERS if not w.isascii()]) + r"[^的]*$")
_DEFER_AFTER = re.compile(
    rf"\s*(?:(?:it|this|that|them|the video)\s+)?{alternation(lex.DEFERRAL_AFTER)}|的话"
)
# Later in a short English clause: "I'll export it myself later".
_DEFER_LATER = re.compile(
    alternation([w for w in lex.DEFERRAL_AFTER if w.isascii() and w != "yet"]) + r"[\s!.]*$"
)
_DEFER_ZH_BEFORE = re.compile(
    r"(?:^|[\s,.!?;:])先?(?:等一下|等一等|等会儿?|待会儿?|稍后|晚点|回头|过一?会儿?|改天|明天"
    r"|以后|之后)\s*[再才]?\s*(?:帮我|请|给我)?\s*$"
)
# "等我确认了再导出": waiting for the user's own step first defers the command.
_DEFER_ZH_UNTIL = re.compile(r"等(?:我|我们|咱们)[^,.!?;]{0,12}[再才]?\s*(?:帮我|请|给我)?\s*$")
_RETRACTED = re.compile(
    rf"[\s,.!?;:~\-]*(?:not yet|not now|no+|nah|never\s*mind|actually,? no|actually,? don'?t"
    rf"|wait|scratch that|forget it|cancel that|just kidding|jk)(?![{_W}])"
    r"|[\s,.!?;:~\-]*(?:算了|不了|先不|还是算了|等等|不对|开玩笑)"
)
_COMPOUND_AFTER = _after(lex.COMPOUND_AFTER)
_SUBJECT_AFTER = _after(lex.SUBJECT_AFTER)
_DETERMINER_BEFORE = re.compile(alternation(lex.DETERMINERS) + r"\s*$")
_HEAD = re.compile(
    rf"^(?:[\s,]*{alternation(lex.PREFIXES)})*[\s,]*"
    rf"(?P<tail>(?P<light>{alternation(lex.LIGHT_VERBS)})\s*"
    rf"(?:(?:the|an?|my|this|that|our|its)(?![{_W}])\s*)?(?:(?:final|video)(?![{_W}])\s*)?"
    rf"|(?P<click>{alternation(lex.CLICK_VERBS)})\s*(?:on\s+)?(?:(?:the|an?)(?![{_W}])\s*)?"
    r"|[把将][^\s,]{1,12}?\s*)?$"
)
_OBJECT_AFTER = re.compile(
    rf"\s*(?:(?:it|this|that|them|now|please|pls|right away|immediately|asap|for me|again"
    rf"|as|to mp4|to mov|to gif|to my|mp4|mov|gif|webm|1080p|720p|4k|hd"
    rf"|(?:the|my|our)\s+(?:final\s+|finished\s+|whole\s+|edited\s+|full\s+)?"
    rf"(?:video|clip|file|project|movie|result|thing|edit|mp4|cut|version))(?![{_W}])|\d"
    r"|一下|吧|视频|成片|出来|下来|这个|它|了吧|到本地|成|为)"
)
_ASSET_AFTER = re.compile(
    rf"\s*(?:[^,.!?;\s]+\s+){{0,3}}?{alternation(lex.ASSET_OBJECTS)}"
    rf"|[^,.!?;]*?(?<![{_W}])from(?![{_W}])|[^,.!?;]*?(?:从)"
)
_PLATFORM_AFTER = re.compile(
    rf"[^,.!?;]{{0,24}}?(?<![{_W}])(?:to|on|onto)\s+{alternation(lex.PLATFORMS)}"
    rf"|[^,.!?;]{{0,8}}?(?:到|去|在){alternation(lex.PLATFORMS)}"
)
_PLATFORM_BEFORE = re.compile(r"(?:到|去|在)" + alternation(lex.PLATFORMS) + r"\s*$")
# "render a 3D logo", "渲染一个3D的logo": a new thing to make, not our video to export.
_INDEFINITE_AFTER = re.compile(
    rf"\s*(?:(?:me|us)\s+)?(?:a|an|some)(?![{_W}])|(?:[一几两]|多)?[个段张些只款套幅]"
)
# After a Chinese verb: it is the subject of a question about it ("导出要多久", "上传有限制吗").
_ZH_PREDICATE = re.compile(
    r"\s*(?:要|需要|得)?(?:多久|多长时间|多少钱|花多少|收费|要钱|免费|是什么|会)"
    r"|\s*有[^,.!?;]{0,6}(?:限制|要求|上限|问题)"
)
# What follows a verb in a time clause ("导出之后能再改吗", "下载完再说").
_ZH_TIME_AFTER = re.compile(r"[\s,]*(?:之后|以后|后(?![面边来期台续果])|完)")
# Only particles after a Chinese verb: it ends its clause, so it is the predicate.
_ZH_CLAUSE_END = re.compile(r"[\s吧嘛呗啊了呀哈啦吗呢一下下]*$")
_TOPIC_SCOPE_OPEN = re.compile(rf"(?<![{_W}])(?:how|to|why|what|where|when|which)(?![{_W}])")
# Nouns that name a piece of on-screen text: what follows them is that text.
_TEXTISH = re.compile(
    r"(?<![a-z0-9])(?:caption|captions|title|titles|text|subtitle|subtitles|heading|headline"
    r"|says|saying|reads|line|slogan|tagline|label|button|banner|sign|call to action|cta"
    r"|message|quote|note|read|write|tag|tags|hashtag|hashtags|keywords|description|desc|hook|bio"
    r"|prompt|字幕|标题|文字|文案|写|写着|台词|口号|提示|标语|句|句话|一行|一行字|标签|描述|简介)"
    r"\s*$"
)
_TEXT_NOUNS = (
    r"(?:caption|captions|title|titles|text|subtitle|subtitles|heading|headline|slogan|tagline"
    r"|label|banner|message|quote|prompt|tag|tags|hashtag|hashtags|keywords|description|desc|hook"
    r"|bio|cta|字幕|标题|文字|文案|标签|描述|简介|台词|口号|标语)"
)
# "change caption B to: …": the words after the colon are the text.
_TEXT_BEFORE_COLON = re.compile(rf"(?<![a-z0-9]){_TEXT_NOUNS}(?:\s+[^\s:]+){{0,2}}\s*$")
# "tags should include export, import": what a text is said to contain is content.
_TEXT_SUBJECT = re.compile(
    rf"(?<![a-z0-9]){_TEXT_NOUNS}(?:\s+[a-z0-9']+){{0,2}}?\s+(?:(?:should|must|could|would|will"
    rf"|to|can)\s+)?(?:include|includes|be|say|says|read|reads|contain|contains|mention|mentions"
    rf"|list|lists|feature|features)(?![a-z0-9])"
)
_SEQUENCE = re.compile(
    rf"(?<![{_W}])(?:then|after that|afterwards|next|also)(?![{_W}])|然后|之后|接着|再"
)
# "Export time!", "it's render time": the moment for the command, not a duration.
_ITS_TIME = re.compile(r"time[\s!.~]*$")
_FILLER = re.compile(clean_sequence(lex.FILLER + lex.PREFIXES, r"[\s,.!?;:~\-']"))


@dataclass(frozen=True, slots=True)
class Boundaries:
    """Clause boundaries of a message: sorted starts, ends and strengths."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    strong: tuple[bool, ...]


@dataclass(frozen=True, slots=True)
class Clause:
    """The neighbourhood of one keyword occurrence ``norm[start:end]``."""

    start: int  # where the clause begins (after the last boundary)
    end: int  # where it ends (the next boundary)
    sentence: int  # where the sentence begins (after the last strong boundary)
    left: str
    window: str
    right: str  # without leading whitespace
    before_sentence: str  # the text just before the sentence's opening boundary
    after: str  # what follows the clause (its boundary and a little more)
    line: str  # from the end of the last full sentence (. ! ? newline) to the keyword


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether an occurrence is a command, how sure, and why."""

    command: bool
    confidence: float
    reason: str


def boundaries(norm: str) -> Boundaries:
    """Every clause boundary in ``norm``."""
    starts: list[int] = []
    ends: list[int] = []
    strong: list[bool] = []
    for match in _BOUNDARY.finditer(norm):
        starts.append(match.start())
        ends.append(match.end())
        strong.append(match.lastgroup == "strong")
    return Boundaries(tuple(starts), tuple(ends), tuple(strong))


def clause_at(norm: str, start: int, end: int, bounds: Boundaries, *, weak: bool) -> Clause:
    """The clause around ``norm[start:end]``; ``weak`` makes "and" a boundary on the left."""
    index = bisect_right(bounds.ends, start)  # boundaries wholly before the occurrence
    left_at = 0
    sentence = 0
    before = ""
    for i in range(index - 1, -1, -1):
        if bounds.ends[i] > start:
            continue
        if left_at == 0 and (weak or bounds.strong[i]):
            left_at = bounds.ends[i]
        if bounds.strong[i]:
            sentence = bounds.ends[i]
            before = norm[max(0, bounds.starts[i] - 24) : bounds.ends[i]]
            break
    right_end = len(norm)
    for i in range(index, len(bounds.starts)):
        if bounds.starts[i] >= end:
            right_end = bounds.starts[i]
            break
    return Clause(
        start=left_at,
        end=right_end,
        sentence=sentence,
        left=norm[left_at:start],
        window=norm[sentence:start],
        # Stripped here once: a leading ``\s*`` before a long alternation backtracks per space.
        right=norm[end:right_end].lstrip(),
        before_sentence=before,
        after=norm[right_end : right_end + 24],
        line=norm[_line_start(norm, start) : start],
    )


def _line_start(norm: str, start: int) -> int:
    return 1 + max(
        norm.rfind(".", 0, start),
        norm.rfind("!", 0, start),
        norm.rfind("?", 0, start),
        norm.rfind("\n", 0, start),
    )


def is_filler(text: str) -> bool:
    """True when ``text`` only acknowledges ("looks great!", "好的") and asks for nothing."""
    # Long text is never mere acknowledgement (and the cap bounds the regex's work).
    return len(text) <= 120 and _FILLER.match(text) is not None


def judge(
    kind: lex.WordKind,
    keyword: str,
    clause: Clause,
    noun_left: re.Pattern[str],
    noun_right: re.Pattern[str],
) -> Verdict:
    """Is this occurrence of ``keyword`` (of grammatical ``kind``) a command?"""
    blocked = _blocked(clause)
    if blocked is not None:
        return blocked
    if _CONDITION_THEN.search(clause.left):
        clause = replace(clause, left="")
    if kind == "noun":
        return _judge_noun(clause, noun_left, noun_right)
    if kind == "gerund":
        return _judge_gerund(clause)
    verdict = _judge_verb(keyword, clause)
    if kind == "any" and not verdict.command:
        noun = _judge_noun(clause, noun_left, noun_right)
        if noun.command:
            return noun
    return verdict


def only_refuses(
    kind: lex.WordKind,
    keyword: str,
    clause: Clause,
    noun_left: re.Pattern[str],
    noun_right: re.Pattern[str],
) -> bool:
    """Is a negated or deferred clause just our command refused ("don't check the credits",
    "先别导出")? Next to another command such a clause asks the backend for nothing."""
    left = clause.left
    last = max((m.end() for m in _NEGATION.finditer(left)), default=0)
    left = left[last:]
    right = clause.right
    deferral = _DEFER_AFTER.match(right)
    if deferral is not None:
        right = right[deferral.end() :].lstrip()
    if len(left) > 24 or len(right) > 24:
        return False
    bare = replace(clause, left=left, right=right)
    if kind == "noun":
        return _judge_noun(bare, noun_left, noun_right).command
    if right:  # only an object may follow: "不要导出视频加个字幕" still asks for the caption
        obj = _OBJECT_AFTER.match(right)
        if obj is None or right[obj.end() :].strip(" ,.!?~"):
            return False
    if kind == "gerund":
        return _judge_gerund(bare).command
    return _judge_verb(keyword, bare).command


def _blocked(clause: Clause) -> Verdict | None:
    left = _POSITIVE_IDIOMS.sub(" ", clause.left) if clause.left.strip() else ""
    if left and _NEGATION.search(left):
        return Verdict(False, 0.9, "negated")
    if left and _SUBORDINATE.search(left) and not _CONDITION_THEN.search(left):
        return Verdict(False, 0.8, "subordinate")
    if _DEFER_ZH_BEFORE.search(clause.before_sentence[-12:] + clause.window) and not left.strip(
        " ,"
    ).startswith(("别忘", "记得")):
        return Verdict(False, 0.85, "deferred")
    if _RETRACTED.match(clause.after):
        return Verdict(False, 0.8, "taken back")
    if clause.right.isascii() and len(clause.right) <= 32 and _DEFER_LATER.search(clause.right):
        return Verdict(False, 0.85, "deferred")
    deferral = _DEFER_AFTER.match(clause.right)
    if deferral is not None and not (
        deferral.group().endswith("yet") and clause.after.startswith("?")
    ):
        return Verdict(False, 0.85, "deferred")
    if _inside_text(clause.line):
        return Verdict(False, 0.85, "quoted text")
    if _DEFER_ZH_UNTIL.search(clause.before_sentence[-16:] + clause.window):
        return Verdict(False, 0.85, "deferred")
    return None


def _inside_text(line: str) -> bool:
    """Is the keyword inside on-screen text the user is dictating ("tags: export, upload")?"""
    if ":" not in line and not _TEXT_SUBJECT.search(line):
        return False
    cuts = [m.end() for m in _SEQUENCE.finditer(line)]
    if cuts:  # "add a title that says Summer Vibes, then export"
        line = line[cuts[-1] :]
    colon = line.rfind(":")
    if colon >= 0:
        before = line[:colon]
        if _TEXT_BEFORE_COLON.search(before) or _TEXTISH.search(before):
            return True
    return _TEXT_SUBJECT.search(line) is not None


def _has_topic(clause: Clause) -> bool:
    return bool(_TOPIC_EN.search(clause.window) or _TOPIC_ZH.search(clause.window))


def _judge_noun(clause: Clause, noun_left: re.Pattern[str], noun_right: re.Pattern[str]) -> Verdict:
    if _has_topic(clause):
        return Verdict(False, 0.85, "topic")
    if len(clause.left) > 80 or len(clause.right) > 80:
        return Verdict(False, 0.7, "embedded")
    if noun_left.match(clause.left) and noun_right.match(clause.right):
        return Verdict(True, 0.92, "query")
    if asks_about(clause.left, clause.right, clause.after):
        return Verdict(True, 0.8, "question")
    return Verdict(False, 0.75, "not asked about")


def _judge_gerund(clause: Clause) -> Verdict:
    head = _HEAD.match(clause.left) if len(clause.left) <= 80 else None
    if head is not None and head.group("light") and not _has_topic(clause):
        return Verdict(True, 0.85, "light verb")
    return Verdict(False, 0.8, "gerund")


def _judge_verb(keyword: str, clause: Clause) -> Verdict:
    head = _HEAD.match(clause.left) if len(clause.left) <= 80 else None
    if head is not None and head.group("click"):
        return Verdict(True, 0.9, "button")
    if (
        _ITS_TIME.match(clause.right)
        and not clause.after.startswith("?")
        and (not clause.left.strip() or is_filler(clause.left))
    ):
        return Verdict(True, 0.75, "it's time")
    refused = _refused_object(keyword, clause)
    if refused is not None:
        return refused
    if _TEXTISH.search(clause.left):
        return Verdict(False, 0.8, "unquoted text")
    if _has_topic(clause):
        if head is not None and _escapes_topic(clause):
            return Verdict(True, 0.7, "after topic")
        return Verdict(False, 0.85, "topic")
    if head is not None:
        return Verdict(True, 0.95, "request")
    if _DETERMINER_BEFORE.search(clause.left) or _PLATFORM_BEFORE.search(clause.left):
        return Verdict(False, 0.8, "noun use")
    if len(clause.left) <= 48 and _OBJECT_AFTER.match(clause.right):
        return Verdict(True, 0.75, "imperative")
    if is_filler(clause.left):
        return Verdict(True, 0.8, "after acknowledgement")
    if not keyword.isascii() and len(clause.left) <= 10 and _ZH_CLAUSE_END.match(clause.right):
        return Verdict(True, 0.75, "clause-final verb")
    return Verdict(False, 0.7, "embedded")


def _escapes_topic(clause: Clause) -> bool:
    """A verb after "and" leaves a topic ("a video about cats and export") unless the
    topic is itself a clause ("a video about how to upload and export")."""
    if clause.start <= clause.sentence:
        return False
    if clause.right and not _OBJECT_AFTER.match(clause.right):
        return False
    return _TOPIC_SCOPE_OPEN.search(clause.window) is None


def _refused_object(keyword: str, clause: Clause) -> Verdict | None:
    right = clause.right
    if not keyword.isascii():
        if _ZH_TIME_AFTER.match(right or clause.after):
            return Verdict(False, 0.8, "time clause")
        if _ZH_PREDICATE.match(right):
            return Verdict(False, 0.8, "subject")
    if _COMPOUND_AFTER.match(right):
        return Verdict(False, 0.85, "modifier")
    if keyword.isascii() and _SUBJECT_AFTER.match(right):
        return Verdict(False, 0.85, "subject")
    if keyword in {"download", "redownload", "下载"} and _ASSET_AFTER.match(right):
        return Verdict(False, 0.8, "fetching material")
    if keyword in {"upload", "import", "上传", "上载", "导入"} and _PLATFORM_AFTER.match(right):
        return Verdict(False, 0.8, "publishing")
    if keyword in {"render", "渲染"} and _INDEFINITE_AFTER.match(right):
        return Verdict(False, 0.75, "generation")
    return None
