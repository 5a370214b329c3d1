"""The router's hand-written first-character look-aheads cover every branch they guard."""

from __future__ import annotations

import re
import sys

import pytest

from skillrt.router import _grammar, _phrases

if sys.version_info >= (3, 11):
    from re import _constants as sre_constants
    from re import _parser as sre_parse
else:  # pragma: no cover - Python 3.10
    import sre_constants
    import sre_parse

_ZERO_WIDTH = {sre_constants.ASSERT, sre_constants.ASSERT_NOT, sre_constants.AT}


def _first_chars(items: list[tuple[object, object]]) -> set[str] | None:
    """Characters a match of the parsed sequence can start with; None means "anything"."""
    for op, arg in items:
        if op in _ZERO_WIDTH:
            continue
        if op is sre_constants.LITERAL:
            assert isinstance(arg, int)
            return {chr(arg)}
        if op is sre_constants.IN:
            chars: set[str] = set()
            assert isinstance(arg, list)
            for kind, value in arg:
                if kind is sre_constants.LITERAL:
                    chars.add(chr(value))
                elif kind is sre_constants.RANGE:
                    chars.update(chr(c) for c in range(value[0], value[1] + 1))
                elif kind is sre_constants.CATEGORY and value is sre_constants.CATEGORY_SPACE:
                    chars.update(" \t\n\r\f\v")
                else:
                    return None
            return chars
        if op is sre_constants.BRANCH:
            assert isinstance(arg, tuple)
            union: set[str] = set()
            for branch in arg[1]:
                found = _first_chars(list(branch))
                if found is None:
                    return None
                union |= found
            return union
        if op is sre_constants.SUBPATTERN:
            assert isinstance(arg, tuple)
            return _first_chars(list(arg[-1]))
        if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            assert isinstance(arg, tuple)
            low, _high, body = arg
            if low == 0:
                return None  # an optional prefix: keep it simple and refuse to judge
            return _first_chars(list(body))
        return None
    return None


def _guard(pattern: re.Pattern[str]) -> tuple[set[str], set[str]]:
    """(the look-ahead's characters, the first characters of what follows it)."""
    parsed = list(sre_parse.parse(pattern.pattern))
    op, arg = parsed[0]
    assert op is sre_constants.ASSERT, "the pattern no longer opens with a look-ahead"
    assert isinstance(arg, tuple)
    allowed = _first_chars(list(arg[1]))
    rest = _first_chars(parsed[1:])
    assert allowed is not None
    assert rest is not None, "cannot tell the first characters of the guarded pattern"
    return allowed, rest


@pytest.mark.parametrize(
    "pattern", [_grammar._BOUNDARY, _phrases._TRIGGER], ids=["boundary", "phrase-trigger"]
)
def test_look_ahead_admits_every_first_character(pattern: re.Pattern[str]) -> None:
    """A word added to a guarded list with a new first character must be added to the guard."""
    allowed, needed = _guard(pattern)
    assert needed <= allowed, f"missing from the look-ahead: {sorted(needed - allowed)}"
