"""Does a stretch of text between commands ask the backend for anything?

Text next to a command becomes a chat step only when it *requests* something. A stretch
is cut into sentences and clauses; it asks for something when one of them does. A clause
asks nothing when it only acknowledges (the word list in ``_lexicon.FILLER``), thanks
("thanks for the titles"), praises ("love the new intro", "the colors are great"),
announces a turn ("quick question —", "one more thing:"), presents a file ("here ya go")
or states a fact about the user without wanting anything ("I've got a meeting in 10
mins", "i uploaded the wrong file"). Desire, modal and complaint words ("I want…",
"…should…", "…too long", "don't like") keep a clause a request.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from skillrt._text import ASCII_WORD, alternation
from skillrt.router import _lexicon as lex

__all__ = ["PIECE_RULES", "PieceRule", "asks_something", "deciding_rule"]

_W = ASCII_WORD

# ("… and I promised it by noon": a new first-person clause is a piece of its own.)
_PIECES = re.compile(
    rf"[.!?;:\n—–…~]+|(?<![0-9]),|\s-+\s|(?<![{_W}])but(?![{_W}])"
    rf"|\s+and\s+(?=(?:i|we)(?:'[a-z]+)?\s)"
)
_LEAD = rf"^[\s,'\-]*(?:{alternation(lex.PIECE_LEADS)}[\s,'\-]*)*"
_THANKS = re.compile(_LEAD + alternation(lex.THANKS))
_PRAISE = re.compile(
    _LEAD
    + rf"(?:(?:i|we)\s+)?(?:really\s+|absolutely\s+|totally\s+)?{alternation(lex.PRAISE_VERBS)}"
)
_POSITIVE = alternation(lex.POSITIVE_WORDS)
# "(the colors | it | everything) (are | looks | sounds) (so)? great"
_EVALUATION = re.compile(
    _LEAD + rf"(?:[a-z0-9']+\s+){{0,4}}?(?:'s|'re|{alternation(lex.EVALUATION_VERBS)})"
    rf"\s+(?:{alternation(lex.INTENSIFIERS)}\s+)*{_POSITIVE}"
    rf"(?:\s+(?:now|to me|to go|already|though))?\s*$"
)
_STATEMENT_SUBJECT = re.compile(_LEAD + alternation(lex.FIRST_PERSON))
# Words that turn a first-person sentence into a wish, a request or a complaint.
_REQUEST_MARKER = re.compile(alternation(lex.REQUEST_MARKERS) + r"|n't|\?|'d|'ll")
_PRESENTING = re.compile(_LEAD + alternation(lex.PRESENTING))
# A subordinate clause about the user's own doing ("before I continue") asks nothing itself.
_SELF_CLAUSE = re.compile(
    _LEAD + rf"{alternation(lex.SELF_CLAUSE_OPENERS)}\s+(?:i|i'm|im|we|we're)(?![{_W}])"
)
# A short condition ("if enough", "if so") belongs to the command next to it. Time clauses
# ("once you've fixed the colors") are not conditions: they name work to do first.
_CONDITION = re.compile(_LEAD + alternation(lex.CONDITIONS))
_ANNOUNCE = re.compile(_LEAD + rf"(?:{alternation(lex.ANNOUNCEMENTS)})?[\s,'\-]*$")
# A greeting or a salutation with its addressee ("Dear assistant", "hi there") asks nothing.
_GREETING = re.compile(
    _LEAD + rf"(?:dear\s+[a-z0-9']+(?:\s+[a-z0-9']+)?|{alternation(lex.GREETINGS)}"
    rf"(?:\s+{alternation(lex.ADDRESSEES)})?|{alternation(lex.ADDRESSEES)})[\s,!.?]*$"
)
# Chinese particles, acknowledgements and the remains of a split question ("…完了吗").
_ZH_ACK = re.compile(
    r"^[\s,!?.~]*(?:[好的行嗯哦哈啦滴哒嘞呀吧了吗呢啊嘛呗哇耶赞ok收到谢多可以没问题太棒完美不错]|完了|好了|辛苦|感谢|麻烦)*[\s,!?.~]*$"
)


# "that's all the edits", "that's it for the changes", "no more changes", "done with the edits".
_EDITS = alternation(lex.EDIT_NOUNS)
_CLOSURE = re.compile(
    _LEAD + rf"(?:(?:(?:i think|i guess)\s+)?(?:that's|thats|that is|this is|it's|its)\s+"
    rf"(?:all|it|everything)(?:\s+(?:for|of|with))?(?:\s+(?:the|my|now|today))?"
    rf"(?:\s+{_EDITS})?(?:\s+(?:for now|for today|from me|now|today))?"
    rf"|(?:no|nothing)(?:\s+(?:more|else|other|further))?(?:\s+{_EDITS})?"
    rf"(?:\s+(?:needed|for now|to make|to do))?"
    rf"|(?:(?:i'm|im|i am|we're|we are)\s+)?(?:done|finished)\s+(?:with\s+)?(?:the\s+)?{_EDITS}"
    rf"|(?:the\s+)?{_EDITS}\s+(?:are|is)\s+(?:all\s+)?(?:done|finished|complete))[\s!.]*$"
)
# A negative instruction about everything else ("don't change anything else") asks nothing.
_NOTHING_ELSE = re.compile(
    _LEAD + r"(?:don't|dont|do not|no need to|never)\s+[a-z]+\s+(?:anything|nothing)"
    r"(?:\s+else)?(?:\s+(?:now|yet|for now))?[\s!.]*$"
)
# "my boss wants to see it", "the client is waiting": a reason, not a request.
_THIRD_PARTY = re.compile(
    _LEAD
    + rf"(?:(?:my|our|the|your)\s+)?{alternation(lex.THIRD_PARTIES)}\s+"
    + rf"{alternation(lex.AWAITING)}"
    + r"(?:\s+(?:for it|on it|today|tonight|tomorrow|asap|now|soon|already|by\s+\S+|for\s+\S+"
    + r"(?:'s)?\s*(?:\S+)?|in\s+\S+(?:\s+\S+)?))*[\s!.]*$"
)
# "the deadline is in an hour", "the meeting starts at 3": why now, not what to do.
_EVENT_TIME = re.compile(
    _LEAD + rf"(?:(?:the|my|our)\s+)?(?:[a-z]+\s+)?{alternation(lex.EVENTS)}"
    rf"\s+(?:is|starts|begins|was moved)"
    rf"(?![{_W}])[^?]*$"
)
_ZH_GREETING = re.compile(
    rf"^[\s,.!~]*(?:(?:{alternation(lex.ZH_GREETINGS)})[啊呀呢啦哈~]*[\s,.!~]*)?"
    rf"(?:{alternation(lex.ZH_ADDRESS_FORMS)})?[啊呀呢啦哈~]*[\s,.!~]*$"
)
# "我怕不够用": a worry is the reason for the request beside it; a request word makes it more.
_ZH_WORRY = re.compile(
    rf"^[\s,.!~]*(?:{alternation(lex.ZH_WORRIES)})[^,.!?;帮请要把改加换删吗]{{1,12}}$"
)
_ZH_PRAISE = re.compile(
    rf"^[\s,.!~]*(?:{alternation(lex.ZH_PRAISE_SUBJECTS)})?[\s]*"
    rf"(?:(?:{alternation(lex.ZH_INTENSIFIERS)})?(?:{alternation(lex.ZH_PRAISE)})"
    rf"[了啊呀哦耶哇吧啦哈!~]*[\s,.!~]*)+$"
)
_ZH_CLOSURE = re.compile(rf"^[\s,.!~]*(?:{alternation(lex.ZH_CLOSURES)}[\s,.!~吧啊呀了啦喇喔]*)+$")
_ZH_THIRD_PARTY = re.compile(
    rf"^[\s,.!~]*(?:我的?|我们的?)?{alternation(lex.ZH_THIRD_PARTIES)}(?:那边|那里)?"
    rf"(?:还|都|已经|正)?{alternation(lex.ZH_AWAITING)}[^,.!?;]{{0,6}}$"
)


# "okay um can you go ahead" (before "and export"): only the frame of the request beside it.
# (compiled on first use: the prefix list is long, and most messages never need it)
@cache
def _frame_only() -> re.Pattern[str]:
    return re.compile(rf"^(?:[\s,]*(?:{alternation(lex.PREFIXES)}))+[\s,.!~]*$")


_NAME = re.compile(r"[a-z][a-z'\-]{1,20}")
_ORDER = re.compile(rf"{_LEAD}(?:{alternation(lex.ORDER_WORDS)})[\s,.!~]*$")
# "use this", "grab this one … and use it": what to use is the file beside it.
_USE_THIS = re.compile(
    _LEAD
    + rf"(?:please\s+)?{alternation(lex.USE_VERBS)}\s+(?:this|that|these|it)(?:\s+(?:one|ones|clip"
    r"|file|video|footage|take|instead|please|pls|in|into the project|to the project))*"
    r"(?:\s+and\s+use\s+(?:it|this|them))?[\s!.:]*$"
)
_ZH_USE_THIS = re.compile(
    r"^[\s,.!~]*(?:就|请|麻烦)?用(?:这个|这些|这段|这张|这条|它)(?:吧|视频|素材)?[\s,.!~]*$"
)
# "这是昨天拍的", "我刚传了张封面图": presenting the file; a request word makes it more.
_ZH_PRESENTING = re.compile(
    rf"^[\s,.!~]*(?:我|我们)?(?:{alternation(lex.ZH_PAST_ADVERBS)})?(?:{alternation(lex.ZH_PRESENTING)})"
    r"[^,.!?;帮请要把改加换删能吗]{0,16}$"
)
# "帮我看看剩多少" after a balance question: the same question again, without its noun.
_ZH_REMAINING = re.compile(
    rf"^[\s,.!~]*(?:帮我|请|麻烦)?(?:{alternation(lex.ZH_LOOK_VERBS)})?(?:一下)?"
    rf"(?:{alternation(lex.ZH_REMAINING)})了?[\s,.!?~吧呢啊呀]*$"
)


@dataclass(frozen=True, slots=True)
class PieceRule:
    """One rule about a sentence or clause beside a command: does it ask for anything?

    ``applies`` tests the piece; the first rule that applies decides (``asks``). Each rule
    lists pieces it decides (``examples``) and a test checks that it is the one deciding them.
    """

    name: str
    applies: Callable[[str], bool]
    asks: bool
    examples: tuple[str, ...]
    closes: bool = False  # a greeting or thanks: a bare name after it is a signature


def _matches(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    return lambda piece: pattern.match(piece) is not None


def _non_english(piece: str) -> bool:
    return not piece.isascii() or len(piece) > 80


def _short_condition(piece: str) -> bool:
    return _CONDITION.match(piece) is not None and piece.count(" ") < 6


def _plain_statement(piece: str) -> bool:
    """A first-person statement or a file presented, without a wish or complaint in it."""
    if _STATEMENT_SUBJECT.match(piece) is None and _PRESENTING.match(piece) is None:
        return False
    return _REQUEST_MARKER.search(piece) is None


#: The rules in order; a piece no rule decides asks for something.
PIECE_RULES: tuple[PieceRule, ...] = (
    PieceRule("acknowledgement", _matches(_ZH_ACK), False, ("好的呀", "ok了")),
    PieceRule("announcement", _matches(_ANNOUNCE), False, ("quick question", "no rush")),
    PieceRule(
        "closing the edits",
        lambda piece: bool(_CLOSURE.match(piece) or _ZH_CLOSURE.match(piece)),
        False,
        ("that's all the edits", "that's it for the changes", "no more changes", "没别的了"),
    ),
    PieceRule(
        "nothing else to do",
        _matches(_NOTHING_ELSE),
        False,
        ("don't change anything else", "do not touch anything"),
    ),
    PieceRule(
        "a third party waits",
        lambda piece: bool(_THIRD_PARTY.match(piece) or _ZH_THIRD_PARTY.match(piece)),
        False,
        ("my boss wants to see it", "the client is waiting", "老板等着看", "客户在等"),
    ),
    PieceRule(
        "why now",
        lambda piece: (
            _EVENT_TIME.match(piece) is not None and _REQUEST_MARKER.search(piece) is None
        ),
        False,
        ("the deadline is in an hour", "the meeting starts at 3"),
    ),
    PieceRule(
        "only a request frame",
        lambda piece: len(piece) <= 60 and _frame_only().match(piece) is not None,
        False,
        ("okay um can you go ahead", "please could you"),
    ),
    PieceRule(
        "only an order",
        _matches(_ORDER),
        False,
        ("before anything else", "first of all", "首先"),
    ),
    PieceRule(
        "use the file given",
        lambda piece: bool(_USE_THIS.match(piece) or _ZH_USE_THIS.match(piece)),
        False,
        ("use this", "grab this one and use it", "用这个"),
    ),
    PieceRule(
        "presenting a file", _matches(_ZH_PRESENTING), False, ("这是昨天拍的", "传了张封面图")
    ),
    PieceRule("the amount asked again", _matches(_ZH_REMAINING), False, ("帮我看看剩多少",)),
    PieceRule(
        "Chinese greeting or address",
        lambda piece: bool(piece.strip(" ,.!~")) and _ZH_GREETING.match(piece) is not None,
        False,
        ("早上好", "你好呀", "孩子", "亲爱的"),
    ),
    PieceRule("a worry as the reason", _matches(_ZH_WORRY), False, ("我怕不够用", "担心来不及")),
    PieceRule("Chinese praise", _matches(_ZH_PRAISE), False, ("好看", "太漂亮了")),
    PieceRule("not English", _non_english, True, ("加个字幕", "换一首背景音乐")),
    PieceRule("greeting", _matches(_GREETING), False, ("hi there", "Dear assistant"), closes=True),
    PieceRule(
        "thanks, praise or the user's own doing",
        lambda piece: bool(
            _THANKS.match(piece) or _PRAISE.match(piece) or _SELF_CLAUSE.match(piece)
        ),
        False,
        ("thanks for the titles", "love the new intro", "before i continue"),
        closes=True,
    ),
    PieceRule("short condition", _short_condition, False, ("if enough", "if so")),
    PieceRule("evaluation", _matches(_EVALUATION), False, ("the colors are great",)),
    PieceRule(
        "plain statement",
        _plain_statement,
        False,
        ("i've got a meeting in 10 mins", "here ya go", "sending you the voiceover"),
    ),
)


def asks_something(text: str, is_filler: Callable[[str], bool]) -> bool:
    """True when one sentence or clause of ``text`` requests something."""
    # Stripped first: leading runs of spaces (a masked URL) make the patterns backtrack.
    text = text.strip()
    if _ZH_ACK.match(text) or _ZH_CLOSURE.match(text):
        return False
    pieces = [piece for piece in (piece.strip() for piece in _PIECES.split(text)) if piece]
    if len(pieces) >= 2 and _signature(pieces[-2], pieces[-1]):
        pieces.pop()  # "Regards, John", "Thank you, Margaret": a name signs the message
    return any(_asks(piece, is_filler) for piece in pieces)


def _signature(closing: str, name: str) -> bool:
    if _NAME.fullmatch(name) is None:
        return False
    if _THANKS.match(closing) is not None:
        return True
    rule = deciding_rule(closing)
    return rule is not None and rule.closes


def deciding_rule(piece: str) -> PieceRule | None:
    """The first rule of :data:`PIECE_RULES` that applies to ``piece`` (for tests and docs)."""
    return next((rule for rule in PIECE_RULES if rule.applies(piece)), None)


def _asks(piece: str, is_filler: Callable[[str], bool]) -> bool:
    if is_filler(piece):
        return False
    rule = deciding_rule(piece)
    return True if rule is None else rule.asks
