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

from skillrt._text import ASCII_WORD, alternation

__all__ = ["asks_something"]

_W = ASCII_WORD

_PIECES = re.compile(rf"[.!?;:\n—–…~]+|(?<![0-9]),|\s-+\s|(?<![{_W}])but(?![{_W}])")
_LEAD = (
    r"^[\s,'\-]*(?:(?:ok|okay|so|well|oh|hey|hi|hello|and|also|btw|yeah|yes|wow|lol|haha|omg"
    rf"|hmm|ah|aw)(?![{_W}])[\s,'\-]*)*"
)
_THANKS = re.compile(
    _LEAD
    + r"(?:thanks|thank you|thank u|thx|ty|tysm|tyvm|cheers|much appreciated|appreciate it"
    + r"|i appreciate|many thanks)(?![a-z0-9])"
)
_PRAISE = re.compile(
    _LEAD
    + rf"(?:(?:i|we)\s+)?(?:really\s+|absolutely\s+|totally\s+)?(?:love|loving|like|dig|adore)"
    rf"(?![{_W}])"
)
_POSITIVE = alternation(
    (
        "good",
        "great",
        "perfect",
        "nice",
        "awesome",
        "amazing",
        "fine",
        "cool",
        "sick",
        "fire",
        "dope",
        "lit",
        "beautiful",
        "gorgeous",
        "stunning",
        "lovely",
        "fantastic",
        "excellent",
        "brilliant",
        "solid",
        "spot on",
        "on point",
        "right",
        "correct",
        "better",
        "much better",
        "incredible",
        "wonderful",
        "superb",
        "clean",
        "fun",
        "funny",
        "hilarious",
        "ok",
        "okay",
    )
)
# "(the colors | it | everything) (are | looks | sounds) (so)? great"
_EVALUATION = re.compile(
    _LEAD
    + rf"(?:[a-z0-9']+\s+){{0,4}}?(?:is|are|was|were|'s|'re|looks?|looking|sounds?|seems?|feels?)"
    rf"\s+(?:(?:so|really|very|super|pretty|totally|absolutely|just|all|now)\s+)*{_POSITIVE}"
    rf"(?:\s+(?:now|to me|to go|already|though))?\s*$"
)
_STATEMENT_SUBJECT = re.compile(
    _LEAD
    + rf"(?:i|i'm|im|i am|i've|ive|i have|i had|i was|we|we're|we've|we have|we are)(?![{_W}])"
)
# Words that turn a first-person sentence into a wish, a request or a complaint.
_REQUEST_MARKER = re.compile(
    alternation(
        (
            "want",
            "wanna",
            "wanted",
            "need",
            "needs",
            "like",
            "love",
            "prefer",
            "rather",
            "hope",
            "wish",
            "should",
            "must",
            "could",
            "can",
            "would",
            "will",
            "please",
            "pls",
            "plz",
            "too",
            "not",
            "hate",
            "dislike",
            "wrong",
            "bad",
            "weird",
            "ugly",
            "boring",
            "looking for",
            "trying",
            "try",
            "make",
            "add",
            "change",
            "think",
            "guess",
            "wonder",
            "wondering",
            "mean",
            "meant",
            "instead",
            "more",
            "less",
        )
    )
    + r"|n't|\?|'d|'ll"
)
_PRESENTING = re.compile(
    _LEAD + rf"(?:here|here's|heres|attached|attaching|this is|these are)(?![{_W}])"
)
# A subordinate clause about the user's own doing ("before I continue") asks nothing itself.
_SELF_CLAUSE = re.compile(
    _LEAD + rf"(?:before|after|while|when|once|if|since|until|as soon as)\s+(?:i|i'm|im|we|we're)"
    rf"(?![{_W}])"
)
# A short condition ("if enough", "if so") belongs to the command next to it. Time clauses
# ("once you've fixed the colors") are not conditions: they name work to do first.
_CONDITION = re.compile(_LEAD + rf"(?:if|unless|in case|provided|as long as)(?![{_W}])")
_ANNOUNCE = re.compile(
    _LEAD
    + r"(?:quick question|quick q|one more thing|one last thing|quick one|last thing|question|also"
    r"|no worries|no rush|no pressure|if not|if possible|if you can|when you can"
    r"|in advance|thanks in advance|anyway|anyways)?[\s,'\-]*$"
)
# A greeting or a salutation with its addressee ("Dear assistant", "hi there") asks nothing.
_GREETING = re.compile(
    _LEAD + r"(?:dear\s+[a-z0-9']+(?:\s+[a-z0-9']+)?|(?:hi|hello|hey|yo|hiya|greetings|good morning"
    r"|good afternoon|good evening)(?:\s+(?:there|assistant|bot|team|ai|friend|buddy|guys|all"
    r"|everyone|folks))?)[\s,!.]*$"
)
# Chinese particles, acknowledgements and the remains of a split question ("…完了吗").
_ZH_ACK = re.compile(
    r"^[\s,!?.~]*(?:[好的行嗯哦哈啦滴哒嘞呀吧了吗呢啊嘛呗哇耶赞ok收到谢多可以没问题太棒完美不错]|完了|好了|辛苦|感谢|麻烦)*[\s,!?.~]*$"
)


def asks_something(text: str, is_filler: Callable[[str], bool]) -> bool:
    """True when one sentence or clause of ``text`` requests something."""
    # Stripped first: leading runs of spaces (a masked URL) make the patterns backtrack.
    text = text.strip()
    if _ZH_ACK.match(text):
        return False
    pieces = (piece.strip() for piece in _PIECES.split(text))
    return any(_asks(piece, is_filler) for piece in pieces if piece)


def _asks(piece: str, is_filler: Callable[[str], bool]) -> bool:
    if is_filler(piece) or _ZH_ACK.match(piece) or _ANNOUNCE.match(piece):
        return False
    if not piece.isascii() or len(piece) > 80:
        return True
    if _GREETING.match(piece):
        return False
    if _THANKS.match(piece) or _PRAISE.match(piece) or _SELF_CLAUSE.match(piece):
        return False
    if _CONDITION.match(piece) and piece.count(" ") < 6:
        return False
    if _EVALUATION.match(piece):
        return False
    if _STATEMENT_SUBJECT.match(piece) or _PRESENTING.match(piece):
        return _REQUEST_MARKER.search(piece) is not None
    return True
