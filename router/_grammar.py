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
from collections.abc import Callable
from dataclasses import dataclass, replace

from skillrt._text import ASCII_WORD, alternation, clean_sequence
from skillrt.router import _lexicon as lex
from skillrt.router._actions import RouteAction
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


# "next" starts a clause unless it names a time ("export next week").
_LATER_UNITS = alternation(lex.LATER_UNITS)
_STRONG = (
    r"[!?;\n—–…~→]+|(?<![0-9])[.,:]+|[.,:]+(?![0-9])|\s-+\s|[-=]+>"
    rf"|{alternation(lex.BOUNDARY_STRONG)}|(?<![{_W}])next(?!\s+{_LATER_UNITS})(?![{_W}])"
    r"|(?<!不)(?<!别)(?<!不要)(?<!够)再(?!次|见)|后(?![面边来期台续果])"
    # "导出之前先给我看看时间线": a check of ours after "before exporting" is a clause of its own
    rf"|(?<=前)先(?={alternation(lex.ZH_BEFORE_CHECKS)})"
)
# (并 after 合 is 合并, "merge": no boundary.)
_WEAK = rf"(?<!合){alternation(lex.BOUNDARY_WEAK)}"
# Every character a boundary can start with: one look rejects the other positions before
# the branches (with their look-behinds) are tried. Keep in step with the two lists above.
_BOUNDARY_FIRST = r"(?=[!?;\n—–…~→.,:\s\-=atnbp&然之接随同顺另最以完但不并再后和与跟先])"
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
# (A deadline is not a deferral: "by tonight", "before friday".)
_DEFER_LATER = re.compile(
    rf"(?<!by )(?<!before )(?<!until )"
    rf"{alternation([w for w in lex.DEFERRAL_AFTER if w.isascii() and w != 'yet'])}[\s!.]*$"
)
_DEFER_ZH_BEFORE = re.compile(
    rf"(?:^|[\s,.!?;:])先?{alternation(lex.ZH_LATER_TIMES)}(?:{alternation(lex.ZH_DAY_PARTS)})?"
    rf"\s*(?:我|我们)?(?:自己)?[再才先]?"
    rf"\s*(?:帮我|请|给我)?"
    rf"\s*(?:{alternation(lex.ZH_LOOK_VERBS)})?\s*$"
)
# "等我确认了再导出": waiting for the user's own step first defers the command.
_DEFER_ZH_UNTIL = re.compile(
    r"等(?:我|我们|咱们)[^,.!?;]{0,12}[再才]?\s*(?:帮我|请|给我)?\s*$"
    # "等客户确认了我再下载": waiting for someone else's step (not "等你…": that is our step
    # first, then the command)
    r"|(?:^|[\s,.!?;:])先?等(?![你您])[^,.!?;]{1,14}?[再才]\s*(?:帮我|请|给我)?\s*$"
    # "老板签字之后再导出": after someone else's step
    rf"|(?:^|[\s,.!?;:])(?:我的?|我们的?)?{alternation(lex.ZH_THIRD_PARTIES)}[^,.!?;]{{1,10}}?"
    r"(?:之后|以后|后)\s*[再才]?\s*(?:帮我|请|给我)?\s*$"
)
# "no" takes back what came before only on its own: "balance? no export please" refuses the
# export, not the balance.
_RETRACTED = re.compile(
    rf"[\s,.!?;:~\-]*(?:(?:no+|nah)(?=\s*(?:$|[^\s{_W}]|wait|actually|sorry"
    rf"|{alternation(lex.RETRACTIONS)}))(?![{_W}])"
    rf"|{alternation(lex.RETRACTIONS)})"
    # (alone: "积分多少？先不导出" refuses the export, not the question)
    rf"|[\s,.!?;:~\-]*{alternation(lex.ZH_RETRACTIONS)}(?=[\s,.!?;:~吧了]*$|[\s,.!?;:~])"
)
# "Once my manager signs off, export": the command waits for someone else, so not now.
_OTHER_PARTY_FIRST = re.compile(
    rf"(?<![{_W}]){alternation([*lex.TIME_CLAUSE_OPENERS, 'until', 'till'])}\s+"
    rf"(?:(?:my|our|the)\s+)?{alternation(lex.THIRD_PARTIES)}(?![{_W}'])"
)
_ZH_BEFORE_END = re.compile(r"(?:之前|以前|前)\s*$")
_LATER_TAIL = re.compile(rf"{alternation(lex.LATER_TAILS)}(?:\s+[a-z]+)?[\s.!~]*$")
_COMPOUND_AFTER = _after(lex.COMPOUND_AFTER)
_SUBJECT_AFTER = _after(lex.SUBJECT_AFTER)
_DETERMINER_BEFORE = re.compile(alternation(lex.DETERMINERS) + r"\s*$")
_HEAD = re.compile(
    rf"^(?:[\s,]*{alternation([*lex.PREFIXES, *lex.ORDER_WORDS])})*[\s,]*"
    rf"(?P<tail>(?P<light>{alternation(lex.LIGHT_VERBS)})\s*"
    rf"(?:(?:the|an?|my|this|that|our|its)(?![{_W}])\s*)?(?:(?:final|video)(?![{_W}])\s*)?"
    rf"|(?P<click>{alternation(lex.CLICK_VERBS)})\s*(?:on\s+)?(?:(?:the|an?)(?![{_W}])\s*)?"
    r"|[把将][^\s,]{1,12}?\s*)?$"
)
_OBJECT_AFTER = re.compile(
    rf"\s*(?:(?:it|this|that|them|now|please|pls|right away|immediately|asap|for me|again"
    rf"|as|to mp4|to mov|to gif|to my|mp4|mov|gif|webm|1080p|720p|4k|hd|more|anything(?: else)?"
    rf"|(?:the|my|our)\s+(?:final\s+|finished\s+|whole\s+|edited\s+|full\s+)?"
    rf"(?:video|clip|file|project|movie|result|thing|edit|mp4|cut|version))(?![{_W}])|\d"
    r"|一下|吧|视频|成片|出来|下来|这个|它|了吧|了|喔|哦|啦|呀|到本地|成|为)"
)
_ASSET_AFTER = re.compile(
    rf"\s*(?:[^,.!?;\s]+\s+){{0,3}}?{alternation(lex.ASSET_OBJECTS)}"
    rf"|[^,.!?;]*?(?<![{_W}])from(?![{_W}])|[^,.!?;]*?(?:从)"
)
_PLATFORM_AFTER = re.compile(
    rf"[^,.!?;]{{0,24}}?(?<![{_W}])(?:to|on|onto)\s+(?:(?:my|our|the)\s+)?"
    rf"{alternation(lex.PLATFORMS)}"
    rf"|[^,.!?;]{{0,8}}?(?:到|去|在)(?:{alternation(lex.ZH_POSSESSIVES)})?{alternation(lex.PLATFORMS)}"
)
_ZH_PAST = re.compile(alternation(lex.ZH_PAST_MARKERS))
_ZH_PAST_BEFORE = re.compile(
    rf"(?:{alternation(lex.ZH_PAST_ADVERBS)})\s*(?:都|也|就)?\s*(?:帮你|给你|把[^\s,]{{1,8}})?\s*$"
)
_ZH_OTHER_RECEIVER = re.compile(alternation(lex.ZH_OTHER_RECEIVERS))
_COMPARISON = re.compile(alternation(lex.COMPARISONS))
_QUESTION_SIGN = re.compile(r"\?|吗|什么|啥|么")
_QUESTION_START = re.compile(r"^[\s,]*" + alternation(lex.QUESTION_OPENERS))
_PLATFORM_NAMED = re.compile(alternation(lex.PLATFORMS))
_THERE = re.compile(
    rf"(?:(?:it|this|that|them)\s+)?(?:there|over there)(?![{_W}])"
    r"|[^,.!?;]{0,4}(?:那里|那儿|那边)"
)
_PLATFORM_BEFORE = re.compile(
    rf"(?:到|去|在)(?:{alternation(lex.ZH_POSSESSIVES)})?{alternation(lex.PLATFORMS)}\s*$"
)
# "render a 3D logo", "渲染一个3D的logo": a new thing to make, not our video to export.
# "can I upload a 4K file?": whether a kind of file can be handled at all.
_CAPABILITY_BEFORE = re.compile(
    rf"^[\s,]*(?:{alternation(lex.QUESTION_LEADS)}[\s,]*)*{alternation(lex.CAPABILITY_OPENERS)}\s*$"
)
_KIND_OF_FILE_AFTER = re.compile(
    rf"\s*(?:(?:a|an|any)\s+)(?:[^\s?,.]+\s+){{0,3}}?"
    rf"(?:{alternation(lex.FILE_SPECS)}|[^\s?,.]*\d[^\s?,.]*)\s+(?:[^\s?,.]+\s+){{0,2}}?"
    rf"{alternation([*lex.MEDIA_NOUNS, *lex.KIND_OF_FILE_NOUNS])}\s*\?"
)
_ZH_CAPABILITY_BEFORE = re.compile(rf"(?:^|[\s,])(?:{alternation(lex.ZH_CAPABILITY_OPENERS)})\s*$")
_ZH_KIND_OF_FILE_AFTER = re.compile(
    rf"(?:一个|个|一段|段)?[^,.!?;]{{0,6}}?(?:{alternation([*lex.FILE_SPECS, *lex.ZH_FILE_SPECS])}"
    rf"|\d)[^,.!?;]{{0,6}}?(?:{alternation(lex.ZH_MEDIA_NOUNS)})[^,.!?;]{{0,3}}\?"
)
# "可以导出成GIF吗？": whether it can come out in another format at all.
_ZH_INTO_FORMAT_AFTER = re.compile(
    rf"(?:{alternation(lex.ZH_INTO)})\s*(?:{alternation(lex.FILE_SPECS)})"
    r"(?:格式|文件|的)?\s*(?:(?:吗|么|嘛)|\?)"
)
_INDEFINITE_AFTER = re.compile(
    rf"\s*(?:(?:me|us)\s+)?(?:a|an|some)(?![{_W}])|(?:[一几两]|多)?[个段张些只款套幅]"
)
# After a Chinese verb: it is the subject of a question about it ("导出要多久", "上传有限制吗").
# A habitual adverb right after the verb makes a statement about the process ("渲染一般几分钟").
# The verb's object may come between ("上传文件有没有大小限制").
_ZH_PREDICATE = re.compile(
    rf"\s*(?:下来|出来)?(?:{alternation(lex.ZH_GENERIC_ADVERBS)}|(?:要|需要|得)?"
    rf"{alternation(lex.ZH_PROCESS_QUESTIONS)})"
    rf"|\s*(?:{alternation(lex.ZH_MEDIA_OBJECTS)})?有没?有?[^,.!?;]{{0,6}}(?:限制|要求|上限|问题)"
)
# What follows a verb in a time clause ("导出之后能再改吗", "下载完再说").
_ZH_TIME_AFTER = re.compile(r"[\s,]*(?:之后|以后|后(?![面边来期台续果])|完)")
# Only particles after a Chinese verb: it ends its clause, so it is the predicate.
_ZH_CLAUSE_END = re.compile(r"[\s吧嘛呗啊了呀哈啦吗呢一下下]*$")
_TOPIC_SCOPE_OPEN = re.compile(alternation(lex.CLAUSE_TOPIC_OPENERS))
# Nouns that name a piece of on-screen text: what follows them is that text.
_TEXTISH = re.compile(alternation([*lex.TEXT_NOUNS, *lex.TEXT_MARKERS]) + r"\s*$")
_TEXT_NOUNS = alternation(lex.TEXT_NOUNS)
# "change caption B to: …": the words after the colon are the text.
_TEXT_BEFORE_COLON = re.compile(rf"{_TEXT_NOUNS}(?:\s+[^\s:]+){{0,2}}\s*$")
# "tags should include export, import": what a text is said to contain is content.
_TEXT_SUBJECT = re.compile(
    rf"{_TEXT_NOUNS}(?:\s+[a-z0-9']+){{0,2}}?\s+(?:(?:should|must|could|would|will"
    rf"|to|can)\s+)?{alternation(lex.TEXT_CONTAINS)}"
)
_SEQUENCE = re.compile(alternation(lex.SEQUENCE_WORDS))
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
    """Whether an occurrence is a command, how sure, and which rule said so (``reason``).

    ``refusal``: the clause refuses the command; ``waits``: a time clause ("导出后…");
    ``precedes``: "导出之前先…", a command after the one that follows at once.
    """

    command: bool
    confidence: float
    reason: str
    refusal: bool = False
    waits: bool = False
    precedes: bool = False


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


@dataclass(slots=True)
class Occurrence:
    """One keyword occurrence to judge: the word, its role and action, and its clause."""

    kind: lex.WordKind
    keyword: str
    action: RouteAction
    clause: Clause
    noun_left: re.Pattern[str]
    noun_right: re.Pattern[str]
    _head: re.Match[str] | bool | None = False  # False: not looked for yet

    @property
    def head(self) -> re.Match[str] | None:
        """The request frame before the keyword ("please", "can you", "click on the")."""
        if self._head is False:
            left = self.clause.left
            self._head = _HEAD.match(left) if len(left) <= 80 else None
        return self._head if not isinstance(self._head, bool) else None


@dataclass(frozen=True, slots=True)
class Rule:
    """One small decision: when ``applies`` holds, the occurrence is ``command`` or not.

    Rules are tried in table order and the first that applies decides. ``examples`` are
    messages whose first keyword this rule decides (a test routes each and checks it).
    ``refusal``: the clause refuses our command ("don't export"), so beside another
    command it asks nothing. ``waits``: a time clause ("导出后"), a command if one follows.
    """

    name: str
    applies: Callable[[Occurrence], bool]
    command: bool
    confidence: float
    examples: tuple[str, ...]
    refusal: bool = False
    waits: bool = False
    precedes: bool = False

    def verdict(self) -> Verdict:
        """The verdict this rule gives."""
        return Verdict(
            self.command, self.confidence, self.name, self.refusal, self.waits, self.precedes
        )


def judge(
    kind: lex.WordKind,
    keyword: str,
    action: RouteAction,
    clause: Clause,
    noun_left: re.Pattern[str],
    noun_right: re.Pattern[str],
) -> Verdict:
    """Is this occurrence of ``keyword`` (of grammatical ``kind``) a command?"""
    occurrence = Occurrence(kind, keyword, action, clause, noun_left, noun_right)
    blocked = _first(BLOCKING_RULES, occurrence)
    if blocked is not None:
        return blocked
    if _CONDITION_THEN.search(clause.left):
        occurrence = Occurrence(
            kind, keyword, action, replace(clause, left=""), noun_left, noun_right
        )
    if kind == "noun":
        return _decide(NOUN_RULES, occurrence)
    if kind == "gerund":
        return _decide(GERUND_RULES, occurrence)
    verdict = _decide(VERB_RULES, occurrence)
    if kind == "any" and not verdict.command:
        noun = _decide(NOUN_RULES, occurrence)
        if noun.command:
            return noun
    return verdict


def only_refuses(
    kind: lex.WordKind,
    keyword: str,
    action: RouteAction,
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
    # The negation is gone from the bare clause, and so is any topic word it carried
    # ("don't worry about the balance": "about" belongs to the negation, not a topic).
    bare = Occurrence(
        kind,
        keyword,
        action,
        replace(clause, left=left, right=right, window=left if last else clause.window),
        noun_left,
        noun_right,
    )
    if kind == "noun":
        return _decide(NOUN_RULES, bare).command
    if right:  # only an object may follow: "不要导出视频加个字幕" still asks for the caption
        obj = _OBJECT_AFTER.match(right)
        if obj is None or right[obj.end() :].strip(" ,.!?~"):
            return False
    if kind == "gerund":  # "not exporting yet": the -ing form alone is the refused command
        return not left.strip() or _decide(GERUND_RULES, bare).command
    return _decide(VERB_RULES, bare).command


def _first(rules: tuple[Rule, ...], occurrence: Occurrence) -> Verdict | None:
    for rule in rules:
        if rule.applies(occurrence):
            return rule.verdict()
    return None


def _decide(rules: tuple[Rule, ...], occurrence: Occurrence) -> Verdict:
    verdict = _first(rules, occurrence)
    assert verdict is not None, "the last rule of a table always applies"
    return verdict


def _always(_: Occurrence) -> bool:
    return True


# --- blocking: the clause around any keyword says it is not a command now ---------------


def _left_unidiomatic(o: Occurrence) -> str:
    return _POSITIVE_IDIOMS.sub(" ", o.clause.left) if o.clause.left.strip() else ""


def _negated(o: Occurrence) -> bool:
    left = _left_unidiomatic(o)
    return bool(left) and _NEGATION.search(left) is not None


def _subordinate(o: Occurrence) -> bool:
    left = _left_unidiomatic(o)
    return bool(left and _SUBORDINATE.search(left) and not _CONDITION_THEN.search(left))


def _deferred_before_zh(o: Occurrence) -> bool:
    clause = o.clause
    around = clause.before_sentence[-12:] + clause.window
    deferral = _DEFER_ZH_BEFORE.search(around)
    if deferral is None:
        return False
    # "调光些，加音乐，之后下载": "afterwards" after other steps orders them; it names no time.
    if deferral.group().lstrip(" ,.!?;:先").startswith(lex.ZH_AFTERWARDS) and (
        around[: deferral.start()].strip(" ,.!?;:")
    ):
        return False
    return not _left_unidiomatic(o).strip(" ,").startswith(("别忘", "记得"))


def _taken_back(o: Occurrence) -> bool:
    return _RETRACTED.match(o.clause.after) is not None


def _deferred_later(o: Occurrence) -> bool:
    right = o.clause.right
    return right.isascii() and len(right) <= 32 and _DEFER_LATER.search(right) is not None


def _deferred_after(o: Occurrence) -> bool:
    deferral = _DEFER_AFTER.match(o.clause.right)
    if deferral is None:
        return False
    return not (deferral.group().endswith("yet") and o.clause.after.startswith("?"))


def _before_a_check_zh(o: Occurrence) -> bool:
    """ "导出之前先给我看看时间线": the command comes after the check the next clause asks."""
    clause = o.clause
    return (
        _zh(o)
        and _ZH_BEFORE_END.match(clause.right) is not None
        and clause.after.lstrip(" ,").startswith("先")
    )


def _comparison(o: Occurrence) -> bool:
    clause = o.clause
    sentence = clause.window + " " + clause.right + " " + clause.after
    if _COMPARISON.search(sentence) is None:
        return False
    return bool(
        _QUESTION_SIGN.search(clause.right + clause.after) or _QUESTION_START.match(clause.window)
    )


def _waits_for_someone(o: Occurrence) -> bool:
    """A verb only: a look at the balance or the timeline can be had now anyway."""
    clause = o.clause
    if o.kind == "noun" or not clause.line.isascii():
        return False
    after = "" if clause.after.lstrip()[:1] in {".", "!", "?", ";", "\n"} else clause.after
    return bool(
        _OTHER_PARTY_FIRST.search(clause.line)
        or _OTHER_PARTY_FIRST.search(f"{clause.right} {after}")
    )


def _deferred_until_zh(o: Occurrence) -> bool:
    clause = o.clause
    return _DEFER_ZH_UNTIL.search(clause.before_sentence[-16:] + clause.window) is not None


#: Tried first for every keyword; none applying lets the keyword's own table decide.
BLOCKING_RULES: tuple[Rule, ...] = (
    Rule("negated", _negated, False, 0.9, ("don't export yet", "不要导出"), refusal=True),
    Rule("subordinate", _subordinate, False, 0.8, ("when the export finishes, add music",)),
    Rule(
        "deferred",
        _deferred_before_zh,
        False,
        0.85,
        ("明天再导出，先加字幕", "下周再下载"),
        refusal=True,
    ),
    Rule("taken back", _taken_back, False, 0.8, ("export, no wait", "导出，算了")),
    Rule(
        "deferred later",
        _deferred_later,
        False,
        0.85,
        ("I'll export it myself later", "export on friday"),
        refusal=True,
    ),
    Rule(
        "before a check",
        _before_a_check_zh,
        False,
        0.85,
        ("导出之前先给我看看时间线",),
        refusal=True,
        precedes=True,
    ),
    Rule(
        "deferred after",
        _deferred_after,
        False,
        0.85,
        ("导出之前先把结尾裁掉", "导出前先加字幕"),
        refusal=True,
    ),
    Rule(
        "comparison",
        _comparison,
        False,
        0.85,
        ("is export the same as download?", "导出和下载有什么区别？"),
    ),
    Rule(
        "quoted text",
        lambda o: _inside_text(o.clause.line),
        False,
        0.85,
        ("tags: export, upload, render",),
    ),
    Rule(
        "waits for someone else",
        _waits_for_someone,
        False,
        0.8,
        ("Once my manager signs off, export the final.", "export it when the client approves"),
    ),
    Rule(
        "deferred until",
        _deferred_until_zh,
        False,
        0.85,
        ("等我确认了再导出",),
        refusal=True,
    ),
)


# --- nouns: credits, status, 积分… ---------------------------------------------------------


def _noun_query(o: Occurrence) -> bool:
    clause = o.clause
    return bool(o.noun_left.match(clause.left) and o.noun_right.match(clause.right))


def _noun_query_later(o: Occurrence) -> bool:
    clause = o.clause
    tail = _LATER_TAIL.match(clause.right)
    return bool(tail and o.noun_left.match(clause.left) and not clause.after.startswith("?"))


NOUN_RULES: tuple[Rule, ...] = (
    Rule("topic", lambda o: _has_topic(o.clause), False, 0.85, ("make a video about credits",)),
    Rule(
        "embedded",
        lambda o: len(o.clause.left) > 80 or len(o.clause.right) > 80,
        False,
        0.7,
        (),
    ),
    Rule("query", _noun_query, True, 0.92, ("how many credits do I have left", "余额")),
    Rule(
        "query, then when",
        _noun_query_later,
        True,
        0.85,
        ("show me the timeline after", "show me the tracks after it's in"),
    ),
    Rule(
        "question",
        lambda o: asks_about(o.clause.left, o.clause.right, o.clause.after),
        True,
        0.8,
        ("am I out of credits?", "我还剩几个积分"),
    ),
    Rule("not asked about", _always, False, 0.75, ("add end credits", "do credits expire?")),
)


# --- gerunds: exporting, uploading… ---------------------------------------------------------


def _light_verb(o: Occurrence) -> bool:
    head = o.head
    return bool(head is not None and head.group("light") and not _has_topic(o.clause))


GERUND_RULES: tuple[Rule, ...] = (
    Rule("light verb", _light_verb, True, 0.85, ("start exporting",)),
    Rule("gerund", _always, False, 0.8, ("is exporting free?",)),
)


# --- verbs: export, download, upload, 导出… ---------------------------------------------------


def _button(o: Occurrence) -> bool:
    head = o.head
    return head is not None and bool(head.group("click"))


def _its_time(o: Occurrence) -> bool:
    clause = o.clause
    return bool(
        _ITS_TIME.match(clause.right)
        and not clause.after.startswith("?")
        and (not clause.left.strip() or is_filler(clause.left))
    )


def _zh(o: Occurrence) -> bool:
    return not o.keyword.isascii()


def _zh_time_clause(o: Occurrence) -> bool:
    right = o.clause.right or o.clause.after
    if _ZH_TIME_AFTER.match(right) is None:
        return False
    # an English verb in a Chinese sentence too: "export 完之后告诉我余额"
    return _zh(o) or not right.lstrip(" ,")[:1].isascii()


def _zh_subject(o: Occurrence) -> bool:
    return _zh(o) and _ZH_PREDICATE.match(o.clause.right) is not None


def _zh_past(o: Occurrence) -> bool:
    if not _zh(o):
        return False
    clause = o.clause
    return _ZH_PAST.match(clause.right) is not None or (
        _ZH_PAST_BEFORE.search(clause.left) is not None and clause.right.startswith("了")
    )


def _zh_other_receiver(o: Occurrence) -> bool:
    """ "把视频发给我妈": the one receiving is someone else, not the user."""
    return o.keyword.endswith("我") and _ZH_OTHER_RECEIVER.match(o.clause.right) is not None


def _en_subject(o: Occurrence) -> bool:
    return not _zh(o) and _SUBJECT_AFTER.match(o.clause.right) is not None


def _fetching(o: Occurrence) -> bool:
    return o.keyword in lex.FETCH_VERBS and _ASSET_AFTER.match(o.clause.right) is not None


def _publishing(o: Occurrence) -> bool:
    clause = o.clause
    if o.action not in {"upload", "export"}:
        return False
    if _PLATFORM_AFTER.match(clause.right):
        return True
    # "post it on YouTube, I mean upload it there"
    return bool(
        _THERE.match(clause.right)
        and _PLATFORM_NAMED.search(clause.before_sentence + clause.window)
    )


def _capability(o: Occurrence) -> bool:
    clause = o.clause
    if _zh(o):
        return bool(
            _ZH_CAPABILITY_BEFORE.search(clause.left)
            and (
                _ZH_KIND_OF_FILE_AFTER.match(clause.right + clause.after[:1])
                or _ZH_INTO_FORMAT_AFTER.match(clause.right + clause.after[:1])
            )
        )
    return bool(
        _CAPABILITY_BEFORE.match(clause.left)
        and _KIND_OF_FILE_AFTER.match(clause.right + clause.after[:1])
    )


def _generation(o: Occurrence) -> bool:
    return o.keyword in lex.GENERATE_VERBS and _INDEFINITE_AFTER.match(o.clause.right) is not None


def _after_topic(o: Occurrence) -> bool:
    return _has_topic(o.clause) and o.head is not None and _escapes_topic(o.clause)


def _noun_use(o: Occurrence) -> bool:
    left = o.clause.left
    return bool(_DETERMINER_BEFORE.search(left) or _PLATFORM_BEFORE.search(left))


def _imperative(o: Occurrence) -> bool:
    return len(o.clause.left) <= 48 and _OBJECT_AFTER.match(o.clause.right) is not None


def _clause_final_zh(o: Occurrence) -> bool:
    clause = o.clause
    return _zh(o) and len(clause.left) <= 10 and _ZH_CLAUSE_END.match(clause.right) is not None


VERB_RULES: tuple[Rule, ...] = (
    Rule("button", _button, True, 0.9, ("click the export button", "点击导出")),
    Rule("it's time", _its_time, True, 0.75, ("export time!",)),
    Rule("past event", _zh_past, False, 0.8, ("我导出过了", "上次上传过的素材", "我已經下載咗")),
    Rule("someone else receives", _zh_other_receiver, False, 0.8, ("把视频发给我妈",)),
    Rule("time clause", _zh_time_clause, False, 0.8, ("导出之后能再改吗",), waits=True),
    Rule("subject", _zh_subject, False, 0.8, ("导出要多久", "渲染一般几分钟能好？")),
    Rule(
        "modifier",
        lambda o: _COMPOUND_AFTER.match(o.clause.right) is not None,
        False,
        0.85,
        ("what are the export settings?", "下载速度太慢"),
    ),
    Rule("subject of a statement", _en_subject, False, 0.85, ("the upload failed",)),
    Rule("fetching material", _fetching, False, 0.8, ("download some stock footage",)),
    Rule(
        "publishing",
        _publishing,
        False,
        0.8,
        (
            "upload it to youtube",
            "post it on YouTube, I mean upload it there",
            "把成片上传到小红书",
        ),
    ),
    Rule("generation", _generation, False, 0.75, ("render a 3d logo",)),
    Rule(
        "capability question",
        _capability,
        False,
        0.8,
        (
            "can I upload a 4K file?",
            "is it possible to export a 2gb video?",
            "能不能上传4K的视频？",
            "可以导出成GIF吗？",
        ),
    ),
    Rule(
        "unquoted text",
        lambda o: _TEXTISH.search(o.clause.left) is not None,
        False,
        0.8,
        ("add a caption saying export now",),
    ),
    Rule("after topic", _after_topic, True, 0.7, ("make a video about cats and export it",)),
    Rule("topic", lambda o: _has_topic(o.clause), False, 0.85, ("a video about how to export",)),
    Rule("request", lambda o: o.head is not None, True, 0.95, ("please export", "帮我导出")),
    Rule("noun use", _noun_use, False, 0.8, ("what resolution does the export use?",)),
    Rule("imperative", _imperative, True, 0.75, ("I love it 😍 export please",)),
    Rule(
        "after acknowledgement",
        lambda o: is_filler(o.clause.left),
        True,
        0.8,
        ("行 就这样 导出",),
    ),
    Rule("clause-final verb", _clause_final_zh, True, 0.75, ("好滴 导出", "立即导出！")),
    Rule(
        "embedded",
        _always,
        False,
        0.7,
        ("how many times can I export?", "what formats can I export to?"),
    ),
)


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


def _escapes_topic(clause: Clause) -> bool:
    """A verb after "and" leaves a topic ("a video about cats and export") unless the
    topic is itself a clause ("a video about how to upload and export")."""
    if clause.start <= clause.sentence:
        return False
    if clause.right and not _OBJECT_AFTER.match(clause.right):
        return False
    return _TOPIC_SCOPE_OPEN.search(clause.window) is None
