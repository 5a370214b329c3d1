"""Is a noun keyword (credits, status, 积分…) what a question about the user's account asks?

The strict test in ``_grammar`` accepts a noun only when every word around it is a known
query word ("how many credits do I have left"). This module is the second, looser test
for sentences that are plainly *questions* ("am I out of credits?", "is my balance low?",
"我还剩几个积分", "额度用完了吗"): there the surrounding words may be anything except
signs that the noun is *content* of the video — an edit verb governing it ("add end
credits"), a modifier that makes it another thing ("white balance", "progress bar"), or
words about how it looks ("the credits should be bigger").
"""

from __future__ import annotations

import re

from skillrt._text import ASCII_WORD, alternation
from skillrt.router import _lexicon as lex

__all__ = ["asks_about"]

_W = ASCII_WORD

# A question opens with a question word or an auxiliary, or is a check/recap request.
_QUESTION_OPENER = re.compile(
    rf"^[\s,]*(?:{alternation(lex.QUESTION_LEADS)}[\s,\-]*)*{alternation(lex.QUESTION_OPENERS)}"
)
_QUESTION_MARK = re.compile(r"\s*\?")
_PREDICATE_AFTER = re.compile(
    rf"\s*(?:{alternation(lex.PREDICATE_ADVERBS)}\s+)?" + alternation(lex.NOUN_PREDICATES)
)
_HEAD_AFTER = re.compile(r"\s*" + alternation(lex.NOUN_HEADS))
# Verbs that make the noun an object being edited or created, not a thing asked about.
_EDIT_VERB = re.compile(alternation(lex.QUERY_EDIT_VERBS))
# A word right before the noun that turns it into something else.
_MODIFIER_BEFORE = re.compile(alternation(lex.CONTENT_MODIFIERS) + r"\s*$")
# A word right after the noun that makes it a modifier, or talk of how it looks.
_CONTENT_AFTER = re.compile(
    r"^(?:" + alternation(lex.CONTENT_HEADS) + r")|" + alternation(lex.CONTENT_TALK)
)
# A question about what something costs is for the backend, not a balance check.
_PRICE = re.compile(alternation(lex.PRICE_WORDS))
# "what does 'frozen' mean in my balance?", "where do I see my points usually?": how it works.
_GENERIC = re.compile(alternation([*lex.DEFINITION_WORDS, *lex.EN_GENERIC_ADVERBS]))
_ZH_QUERY = re.compile(alternation(lex.ZH_QUERY_WORDS))
# Chinese around a noun asked about: pronouns, time words, query and predicate characters.
_ZH_LEFT = re.compile(rf"^(?:[\s,]|[a-z]+|[{''.join(lex.ZH_QUERY_LEFT_CHARS)}])*$")
_ZH_RIGHT = re.compile(rf"^(?:[\s,?!.~]|[{''.join(lex.ZH_QUERY_RIGHT_CHARS)}])*$")


def asks_about(left: str, right: str, after: str) -> bool:
    """True when a question's noun keyword (between ``left`` and ``right``) is asked about."""
    if left.isascii() and right.isascii():
        return _asks_english(left, right, after)
    return _asks_chinese(left, right, after)


def _asks_english(left: str, right: str, after: str) -> bool:
    if len(left) > 60 or len(right) > 48:
        return False
    question = _QUESTION_OPENER.match(left) is not None or (
        not right.strip() and _QUESTION_MARK.match(after) is not None
    )
    if not question:
        return False
    if _EDIT_VERB.search(left) or _MODIFIER_BEFORE.search(left):
        return False
    if _PRICE.search(left) or _PRICE.search(right):
        return False
    if _GENERIC.search(left) or _GENERIC.search(right):
        return False
    if _PREDICATE_AFTER.match(right) or _HEAD_AFTER.match(right):
        return False  # "do credits expire?", "what does the timeline view show?"
    return _CONTENT_AFTER.search(right) is None


def _asks_chinese(left: str, right: str, after: str) -> bool:
    if len(left) > 16 or len(right) > 16:
        return False
    if not (_ZH_QUERY.search(left) or _ZH_QUERY.search(right) or _ZH_QUERY.search(after[:12])):
        return False
    # "够不够再生成一个视频": what follows "enough" is what the balance is for.
    asked = right.split("够", 1)[0]
    return _ZH_LEFT.match(left) is not None and _ZH_RIGHT.match(asked) is not None
