"""The router's lexicon: every list normalised, free of duplicates, and used by the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from skillrt.router import _lexicon as lex
from skillrt.router._phrases import typos
from skillrt.router._table import normalize_keyword

ROUTER = Path(__file__).resolve().parent.parent / "router"
_DATA = [name for name in lex.__all__ if name.isupper()]


def _entries(name: str) -> list[str]:
    value = getattr(lex, name)
    if isinstance(value, dict):
        entries: list[str] = []
        for key, item in value.items():
            entries.append(key)
            entries.extend(item if isinstance(item, tuple) else [item])
        return [entry for entry in entries if entry not in {"verb", "noun", "any", "gerund"}]
    return list(value)


def test_every_public_list_is_data() -> None:
    """Each upper-case name the lexicon exports is a tuple or dict of strings."""
    for name in _DATA:
        assert _entries(name), name
        assert all(isinstance(entry, str) for entry in _entries(name)), name


@pytest.mark.parametrize("name", _DATA)
def test_entries_are_normalised(name: str) -> None:
    """Entries are already NFKC, case-folded and single-spaced (the router compares so)."""
    if name == "KEYBOARD_ROWS":
        return
    bad = [entry for entry in _entries(name) if normalize_keyword(entry) != entry]
    assert bad == [], name


@pytest.mark.parametrize("name", _DATA)
def test_entries_have_no_duplicates(name: str) -> None:
    """No list names a word twice (a second copy is dead weight or a merge slip)."""
    value = getattr(lex, name)
    if isinstance(value, dict):
        assert len(value) == len(set(value)), name
        for key, item in value.items():
            if isinstance(item, tuple):
                assert len(item) == len(set(item)), (name, key)
        return
    duplicates = sorted({entry for entry in value if value.count(entry) > 1})
    assert duplicates == [], name


@pytest.mark.parametrize("name", _DATA)
def test_every_list_is_used(name: str) -> None:
    """Each list is read by some router module (BOUNDARY_WEAK used to be dead)."""
    users = [
        path.name
        for path in sorted(ROUTER.glob("*.py"))
        if path.name != "_lexicon.py"
        and re.search(rf"\b(?:lex\.)?{name}\b", path.read_text(encoding="utf-8"))
    ]
    assert users, f"{name} is in router/_lexicon.py but no module uses it"


def test_no_accepted_slip_is_an_english_word() -> None:
    """Every real English word one slip from a typo keyword is in REAL_WORD_SLIPS (never
    read as the keyword: "stats" is not "status", "track" is not "tracks")."""
    from english_words import get_english_words_set

    words = get_english_words_set(["web2", "gcide"], lower=True, alpha=True)
    accepted = {slip for base in lex.TYPO_BASES for slip in typos(base)}
    assert sorted(accepted & words) == []
    assert all(word in words for word in lex.REAL_WORD_SLIPS)
