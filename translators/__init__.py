"""Turn what the backend says into what the user sees and what the runtime does (pure).

- :func:`translate` — GUI directions in a reply ("click Export", "点击导出") → actions;
- :func:`summarize_timeline` — a draft → one line a person can read;
- :func:`describe_changes` / :func:`diff_drafts` — what a silent edit changed.
"""

from skillrt.translators._models import ACTION_TYPES, ActionType, GuiAction, Translation
from skillrt.translators._translate import translate

__all__ = [
    "ACTION_TYPES",
    "ActionType",
    "GuiAction",
    "Translation",
    "translate",
]
