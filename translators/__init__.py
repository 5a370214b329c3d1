"""Turn what the backend says into what the user sees and what the runtime does (pure).

- :func:`translate` — GUI directions in a reply ("click Export", "点击导出") → actions;
- :func:`summarize_timeline` — a draft → one line a person can read;
- :func:`describe_changes` / :func:`diff_drafts` — what a silent edit changed;
- :func:`is_exportable` — whether a draft has anything to render.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from skillrt.translators._diff import Change, ChangeKind, diff_drafts
    from skillrt.translators._models import ACTION_TYPES, ActionType, GuiAction, Translation
    from skillrt.translators._report import describe_change, describe_changes
    from skillrt.translators._summary import is_exportable, summarize_timeline
    from skillrt.translators._translate import translate

__all__ = [
    "ACTION_TYPES",
    "ActionType",
    "Change",
    "ChangeKind",
    "GuiAction",
    "Translation",
    "describe_change",
    "describe_changes",
    "diff_drafts",
    "is_exportable",
    "summarize_timeline",
    "translate",
]

# Imported on first use (PEP 562): importing the package compiles no patterns; the first
# use of a name loads (and compiles) the module behind it.
_LAZY: dict[str, str] = {
    "Change": "skillrt.translators._diff",
    "ChangeKind": "skillrt.translators._diff",
    "diff_drafts": "skillrt.translators._diff",
    "ACTION_TYPES": "skillrt.translators._models",
    "ActionType": "skillrt.translators._models",
    "GuiAction": "skillrt.translators._models",
    "Translation": "skillrt.translators._models",
    "describe_change": "skillrt.translators._report",
    "describe_changes": "skillrt.translators._report",
    "is_exportable": "skillrt.translators._summary",
    "summarize_timeline": "skillrt.translators._summary",
    "translate": "skillrt.translators._translate",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
