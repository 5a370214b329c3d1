"""The message catalogs: English and Chinese define the same messages, every message is
used somewhere, and every row of the error table renders in both languages."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any, get_args

import pytest

from skillrt.i18n import LANGUAGES, Catalog
from skillrt.runtime._envelope import ERROR_TABLE, messages
from skillrt.translators import ACTION_TYPES, ChangeKind

ROOT = Path(__file__).resolve().parents[1]
#: every folder of skillrt's own code (the CLI words its output with the runtime catalog)
_SOURCES = ("src/skillrt", "runtime", "router", "translators", "emulator", "serve", "scale")
CATALOGS = (
    "skillrt.runtime",
    "skillrt.translators",
    "skillrt.emulator",
    "skillrt.serve",
    "skillrt.scale",
)


def _string_literals() -> set[str]:
    found: set[str] = set()
    for folder in _SOURCES:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    found.add(node.value)
    return found


def _names_in_use(package: str, literals: set[str]) -> set[str]:
    if package == "skillrt.translators":
        # Two families are named from data: a change's kind and a GUI action's type.
        literals = literals | {f"change_{kind}" for kind in get_args(ChangeKind)}
        literals = literals | {f"gui_{action}" for action in ACTION_TYPES}
    return literals


@pytest.mark.parametrize("package", CATALOGS)
def test_english_and_chinese_define_the_same_messages(package: str) -> None:
    """messages.en.j2 and messages.zh.j2 of each package have exactly the same names."""
    catalog = Catalog(package)
    english, chinese = catalog.names("en"), catalog.names("zh")
    assert english
    assert sorted(english - chinese) == []
    assert sorted(chinese - english) == []


@pytest.mark.parametrize("package", CATALOGS)
def test_every_message_is_used(package: str) -> None:
    """No catalog keeps a message that no code renders (such as a hint about a flag that
    does not exist)."""
    in_use = _names_in_use(package, _string_literals())
    unused = sorted(name for name in Catalog(package).names("en") if name not in in_use)
    assert unused == []


def test_the_usage_check_can_fail() -> None:
    """A made-up message name is reported as unused (the check looks at real source)."""
    literals = _string_literals()
    assert "conv_hint_retry" in literals
    assert "conv_hint_stream_error" not in literals  # removed: it named `skillrt chat --new`


_SAMPLE: dict[str, Any] = {
    "code": 5001,
    "status": 500,
    "detail": "detail",
    "job_id": "render_1",
    "link": "https://web.test/register?bind=1",
    "seconds": 30,
    "types": ["mp4"],
    "limit_mb": 500,
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("row", ERROR_TABLE, ids=lambda r: f"{r.error.__name__}:{r.message}")
def test_every_error_table_row_renders(row: Any, language: str) -> None:
    """Each row's message and hint exist and render with exactly the values it names."""
    t = messages()
    text = t.render(row.message, language, **{k: _SAMPLE[k] for k in row.message_args})
    assert text.strip()
    if row.hint is not None:
        hint = t.render(row.hint, language, **{k: _SAMPLE[k] for k in row.hint_args})
        assert hint.strip()
