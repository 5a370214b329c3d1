"""Turn what the backend says into what the user sees and what the runtime does (pure).

- :func:`translate` — GUI directions in a reply ("click Export", "点击导出") → actions;
- :func:`summarize_timeline` — a draft → one line a person can read;
- :func:`describe_changes` / :func:`diff_drafts` — what a silent edit changed;
- :func:`is_exportable` — whether a draft has anything to render.
"""

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
