"""The keyword table: contract §7's words plus a manifest's, compiled once per content."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType

from skillrt._text import alternation, clean_sequence
from skillrt.errors import RoutingError
from skillrt.router import _lexicon as lex
from skillrt.router._actions import KEYWORD_ACTIONS, RouteAction
from skillrt.router._phrases import typos

__all__ = [
    "DEFAULT_KEYWORDS",
    "KeywordTable",
    "Word",
    "check_keywords",
    "compile_keywords",
    "normalize_keyword",
]

#: The built-in keywords per action (contract §7 plus common synonyms), read-only.
DEFAULT_KEYWORDS: Mapping[RouteAction, tuple[str, ...]] = MappingProxyType(lex.DEFAULT_KEYWORDS)

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Word:
    """One entry of the table: the action it names and its grammatical role."""

    action: RouteAction
    kind: lex.WordKind


@dataclass(frozen=True)
class KeywordTable:
    """Keywords per action with their compiled patterns; build with :func:`compile_keywords`."""

    keywords: Mapping[RouteAction, tuple[str, ...]]
    words: Mapping[str, Word] = field(repr=False)
    pattern: re.Pattern[str] = field(repr=False)
    noun_left: re.Pattern[str] = field(repr=False)
    noun_right: re.Pattern[str] = field(repr=False)
    #: Spelling slips of core keywords ("exprot"); searched only when no keyword matched.
    slips: re.Pattern[str] = field(repr=False, default=re.compile("(?!)"))

    def lookup(self, found: str) -> Word:
        """The entry for a matched text (whitespace runs count as one space)."""
        word = self.words.get(found)
        return word if word is not None else self.words[_SPACES.sub(" ", found)]


def normalize_keyword(word: str) -> str:
    """A keyword as the router compares it: NFKC, case-folded, single spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", word).casefold()).strip()


def compile_keywords(extra: Mapping[str, Iterable[str]] | None = None) -> KeywordTable:
    """The default table plus ``extra`` (action -> words), checked and compiled.

    Raises :class:`~skillrt.errors.RoutingError` for an unknown action, an empty keyword,
    or a keyword that would name two actions (naming the keyword and both actions).
    The result is cached by content: the same words give the same compiled table.
    """
    key = _freeze(extra or {})
    return _compile(key)


def _freeze(extra: Mapping[str, Iterable[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    frozen: list[tuple[str, tuple[str, ...]]] = []
    for action in sorted(extra):
        if action not in KEYWORD_ACTIONS:
            known = ", ".join(KEYWORD_ACTIONS)
            raise RoutingError(
                f"unknown router action {action!r}", hint=f"keywords can name: {known}"
            )
        words = extra[action]
        if isinstance(words, str):
            words = [words]
        frozen.append((action, tuple(sorted({_checked(action, w) for w in words}))))
    return tuple(frozen)


def _checked(action: str, word: str) -> str:
    if not isinstance(word, str):
        raise RoutingError(f"a keyword under {action!r} is not text: {word!r}")
    normalized = normalize_keyword(word)
    if not normalized:
        raise RoutingError(f"an empty keyword under {action!r}")
    return normalized


def check_keywords(extra: Mapping[str, Iterable[str]] | None = None) -> None:
    """Check ``extra`` against the default table as :func:`compile_keywords` does, without
    compiling any pattern (what a manifest loader needs: cheap at start-up).

    Raises the same :class:`~skillrt.errors.RoutingError` as :func:`compile_keywords`.
    """
    _collect(_freeze(extra or {}))


@lru_cache(maxsize=64)
def _collect(
    extra: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[dict[str, Word], dict[RouteAction, list[str]], list[str]]:
    """Every keyword of the table (checked), the words listed per action, and the slips."""
    words: dict[str, Word] = {}
    listed: dict[RouteAction, list[str]] = {action: [] for action in KEYWORD_ACTIONS}
    for action, defaults in lex.DEFAULT_KEYWORDS.items():
        for word in defaults:
            _add(words, listed, normalize_keyword(word), action, lex.WORD_KINDS.get(word, "any"))
    for action_name, extra_words in extra:
        action = next(a for a in KEYWORD_ACTIONS if a == action_name)
        for word in extra_words:
            _add(words, listed, word, action, "any")
    for gerund, action in lex.GERUNDS.items():
        words.setdefault(gerund, Word(action, "gerund"))
    slips: list[str] = []
    for base in lex.TYPO_BASES:
        entry = words[base]
        for slip in sorted(typos(base)):
            if slip not in words:
                words[slip] = entry
                slips.append(slip)
    return words, listed, slips


@lru_cache(maxsize=64)
def _compile(extra: tuple[tuple[str, tuple[str, ...]], ...]) -> KeywordTable:
    collected, listed, slips = _collect(extra)
    words = dict(collected)  # the cached collection stays untouched
    nouns = [w for w, entry in words.items() if entry.kind in {"noun", "any"}]
    slip_set = set(slips)
    return KeywordTable(
        keywords=MappingProxyType({a: tuple(ws) for a, ws in listed.items()}),
        words=MappingProxyType(words),
        pattern=re.compile(alternation(w for w in words if w not in slip_set)),
        slips=re.compile(alternation(slips)),
        noun_left=re.compile(
            clean_sequence([*lex.NOUN_BEFORE, *lex.PREFIXES, *lex.ORDER_WORDS, *nouns])
        ),
        noun_right=re.compile(clean_sequence([*lex.NOUN_AFTER, *lex.NOUN_BEFORE, *nouns])),
    )


def _add(
    words: dict[str, Word],
    listed: dict[RouteAction, list[str]],
    word: str,
    action: RouteAction,
    kind: lex.WordKind,
) -> None:
    existing = words.get(word)
    if existing is not None:
        if existing.action != action:
            raise RoutingError(
                f"keyword {word!r} is listed under both {existing.action!r} and {action!r}",
                hint="a keyword must name one action",
            )
        return
    words[word] = Word(action, kind)
    listed[action].append(word)
