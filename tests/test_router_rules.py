"""The router's rule tables: every rule decides its own examples, and the tables are sound."""

from __future__ import annotations

import pytest

from skillrt.router._grammar import (
    BLOCKING_RULES,
    GERUND_RULES,
    NOUN_RULES,
    VERB_RULES,
    Rule,
)
from skillrt.router._requests import PIECE_RULES, PieceRule, deciding_rule
from skillrt.router._route import decisions

_TABLES = {
    "blocking": BLOCKING_RULES,
    "noun": NOUN_RULES,
    "gerund": GERUND_RULES,
    "verb": VERB_RULES,
}
_EXAMPLES = [
    pytest.param(rule, example, id=f"{table}:{rule.name}:{example}")
    for table, rules in _TABLES.items()
    for rule in rules
    for example in rule.examples
]


@pytest.mark.parametrize(("rule", "example"), _EXAMPLES)
def test_each_keyword_rule_decides_its_examples(rule: Rule, example: str) -> None:
    """The first keyword of each example is decided by the rule that lists it."""
    judged = decisions(example)
    assert judged, f"no keyword in {example!r}"
    _, verdict = judged[0]
    assert (verdict.reason, verdict.command) == (rule.name, rule.command)


@pytest.mark.parametrize(
    ("rule", "example"),
    [pytest.param(r, e, id=f"{r.name}:{e}") for r in PIECE_RULES for e in r.examples],
)
def test_each_piece_rule_decides_its_examples(rule: PieceRule, example: str) -> None:
    """Each piece example is decided by the rule that lists it (the first that applies)."""
    deciding = deciding_rule(example.lower())
    assert deciding is not None
    assert deciding.name == rule.name


def test_rule_names_are_unique_within_a_table() -> None:
    """A rule's name identifies it in ``Route.matched``: no two rules of a table share one."""
    tables: list[tuple[Rule, ...] | tuple[PieceRule, ...]] = [*_TABLES.values(), PIECE_RULES]
    for rules in tables:
        names = [rule.name for rule in rules]
        assert len(names) == len(set(names)), names


def test_each_decision_table_ends_with_a_rule_that_always_applies() -> None:
    """Noun, gerund and verb tables always decide (their last rule has no condition)."""
    for rules in (NOUN_RULES, GERUND_RULES, VERB_RULES):
        assert rules[-1].examples
        assert rules[-1].command is False


def test_every_rule_has_an_example_or_is_a_length_guard() -> None:
    """Rules carry examples; only the long-clause guard has none (no natural example)."""
    bare = [rule.name for rules in _TABLES.values() for rule in rules if not rule.examples]
    assert bare == ["embedded"]
