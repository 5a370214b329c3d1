"""Build fast alternations of words as a character trie (Python's ``re`` has no trie)."""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["ASCII_WORD", "alternation", "clean_sequence"]

#: A character that can be part of an English word; boundaries are the lack of one.
ASCII_WORD = "a-z0-9"

_Trie = dict[str, "_Trie | bool"]


def alternation(words: Iterable[str]) -> str:
    """A regex matching any of ``words``; ASCII words only on word boundaries.

    A space inside a word matches any run of whitespace. The longest word wins.
    """
    trie: dict[str, object] = {}
    for word in set(words):
        if not word:
            continue
        node = trie
        for char in word:
            node = node.setdefault(char, {})  # type: ignore[assignment]
        node[""] = True
    branches: list[str] = []
    firsts = sorted(k for k in trie if k)
    for char in firsts:
        rest = _build(trie[char], char)  # type: ignore[arg-type]
        if _is_ascii_word(char):
            # The boundary is checked after the first letter (same meaning: that letter is
            # known) so ``re`` can skip a branch on its first character without running it.
            branches.append(rf"{char}(?<![{ASCII_WORD}]{char}){rest}")
        else:
            branches.append(_piece(char) + rest)
    if not branches:
        return "(?!)"
    # One look at the first character rejects most positions before any branch is tried.
    first = "".join(r"\s" if char == " " else re.escape(char) for char in firsts)
    return f"(?:(?=[{first}])(?:" + "|".join(branches) + "))"


def clean_sequence(words: Iterable[str], separators: str = r"[\s,]") -> str:
    """A regex (anchored both ends) for text made only of ``words`` and separators."""
    return rf"^(?:{separators}*{alternation(words)})*{separators}*$"


def _build(node: dict[str, object], last: str) -> str:
    branches = [_piece(k) + _build(node[k], k) for k in sorted(k for k in node if k)]  # type: ignore[arg-type]
    if "" in node:
        branches.append(rf"(?![{ASCII_WORD}])" if _is_ascii_word(last) else "")
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def _piece(char: str) -> str:
    return r"\s+" if char == " " else re.escape(char)


def _is_ascii_word(char: str) -> bool:
    return char.isascii() and char.isalnum()
