"""Directions to watch a progress bar: not a request for anything, skillrt reports progress.

"Watch the progress bar in the preview window", "keep an eye on the progress indicator",
"你可以在预览窗口查看进度" would otherwise read as "show the timeline" (a preview window) or
"export" ("check the export status"), and the runtime would show a timeline in the middle of
a generation. They become a plain sentence ("I'll let you know when it's ready.").
"""

from __future__ import annotations

import re

from skillrt._text import has_han
from skillrt.translators._rules_en import is_own_en, lead_end
from skillrt.translators._rules_zh import is_own_zh
from skillrt.translators._targets import classify
from skillrt.translators._text import Clause, prefix_pattern

__all__ = ["PROGRESS_WORDS_EN", "PROGRESS_WORDS_ZH", "may_watch", "progress_at"]

#: Words a progress direction cannot do without (for the translator's fast path).
PROGRESS_WORDS_EN = ("progress", "status", "spinner", "loading", "percentag")
PROGRESS_WORDS_ZH = ("进度", "加载", "状态")

_NOUN_EN = (
    r"(?:progress(?:\s+(?:bars?|indicators?|meters?|percentage|status|circle|ring))?"
    r"|(?:status|loading)(?:\s+(?:bars?|indicators?|icons?|messages?|animations?|spinners?"
    r"|wheels?|screens?))?|spinners?|percentage(?:\s+(?:counter|indicator))?)"
)
_CREDITS_WORDS = r"(?:account|credits?|billing|subscription|plan|payment|balance|order)"
# "watch the progress bar", "keep an eye on the generation status", "see how far along it is".
_WATCH_EN = re.compile(
    r"(?:watch(?:ing)?|keep (?:an|your|an extra) eye on|keep watching|keep track of|track"
    r"|follow(?: along with)?|monitor|check(?: on| in on| back on)?|see|view|look at|glance at"
    r"|wait for|observe)\s+"
    rf"(?:(?:the|its|your|this|that|a|an|our)\s+)?(?:(?!{_CREDITS_WORDS}\b)[\w-]+\s+){{0,2}}?"
    rf"{_NOUN_EN}\b"
    r"|(?:see|check|watch|follow) how (?:far along|it'?s (?:going|coming along|progressing)"
    r"|the (?:render|generation|export|video) is (?:going|coming along|progressing))"
    r"|watch (?:it|the video) (?:render|generate|load|progress|come together)",
)
# Where a watching verb may stand: the start of the clause (after "you can", "just"), or a
# purpose or sequel of another direction ("open the Tracks panel to watch the progress").
_AFTER_EN = re.compile(
    r"(?:\bto|\band|\bthen|\byou(?:'ll| can| could| will| may| should)?|,)\s+$", re.IGNORECASE
)
# A panel or other place opened before the watching verb: "Check the project panel to see…".
_PANEL_EN = re.compile(
    r"\b(?:panel|tab|sidebar|dashboard|page|timeline|library|view|pane|window|section)\b"
)
_GUI_PLACE_EN = (
    r"(?:preview(?:\s+(?:window|pane|panel|area|player))?|editor|window|panel|sidebar|toolbar"
    r"|dashboard|status bar|page|app)"
)
# "Check the project panel to see the current status": a bare status, as what a panel is
# opened for, is the project's state (the panel decides); "the render status" is progress.
# (Chinese counts 状态 only with its process, 生成状态, already.)
_BARE_STATUS_EN = re.compile(
    r"(?<!render )(?<!rendering )(?<!generation )(?<!export )(?<!exporting )(?<!upload )"
    r"(?<!uploading )(?<!processing )(?<!progress )(?<!job )(?<!task )status$"
)
# A GUI element, not a word: "the status indicator will turn green", "the spinner will stop".
_ELEMENT_EN = (
    r"(?:(?:progress|status|loading)\s+(?:bars?|indicators?|icons?|meters?|spinners?|wheels?)"
    r"|spinners?)"
)
# "The progress bar in the preview window shows…", "progress appears in the preview".
_SHOWN_EN = re.compile(
    rf"{_NOUN_EN}\b[^,;]{{0,40}}?\b(?:in|on|at|of)\s+(?:the\s+|this\s+|your\s+)?{_GUI_PLACE_EN}\b"
    rf"|{_NOUN_EN}\s+(?:will\s+)?(?:shows?|displays?|tells? you|indicates?)\s+(?:how (?:far|long)"
    r"|when|the (?:progress|status|percentage|remaining))"
    rf"|\b(?:in|on)\s+the\s+{_GUI_PLACE_EN}\b[^,;]{{0,40}}?\b(?:shows?|displays?|see|find)\b"
    rf"[^,;]{{0,20}}?{_NOUN_EN}\b"
    rf"|\b(?:the\s+)?{_GUI_PLACE_EN}\s+(?:will\s+)?(?:shows?|displays?)\b[^,;]{{0,20}}?{_NOUN_EN}\b"
    rf"|{_ELEMENT_EN}\s+(?:will|should|is going to)\s+(?:turn|fill|disappear|go away|reach|hit"
    r"|complete|finish|show|tell|let you know|update|change|stop|vanish)",
)

_NOUN_ZH = r"(?:进度条?|加载(?:状态|动画|图标|条|进度)?|状态栏|(?:生成|渲染|导出|处理|任务)状态)"
_PLACE_ZH = r"(?:预览窗口|预览区|预览框|编辑器|界面|页面|窗口|播放器|状态栏|侧边栏|工具栏)"
_WATCH_ZH = re.compile(
    r"(?:查看|看看|看一下|看下|留意|关注|注意|观察|跟踪|盯着?|等待|了解|确认|检查|看到|看)"
    rf"[^，。！？；,;]{{0,8}}?{_NOUN_ZH}"
    rf"|{_NOUN_ZH}[^，。！？；,;]{{0,10}}?(?:显示|展示|提示|看到|查看|会告诉)"
    rf"|{_NOUN_ZH}[^，。！？；,;]{{0,6}}?(?:在|位于){_PLACE_ZH}"
    rf"|{_PLACE_ZH}[^，。！？；,;]{{0,8}}?{_NOUN_ZH}"
    # "请在预览窗口留意": keeping watch in a window, with nothing to look at named.
    rf"|(?:在|于){_PLACE_ZH}(?:中|里|上|内)?(?:随时)?(?:留意|关注|注意|观察|盯着?)(?:一下)?[。！.!]?$"
)
# Words no progress direction can do without, searched once per reply: most have none.
_GATE = re.compile(
    prefix_pattern(
        (
            *("progress", "status", "spinner", "loading", "percentag", "how ", "watch it"),
            *("watch the video", "进度", "加载", "状态"),
        )
    )
)


def may_watch(lower: str) -> bool:
    """False when the (lower-cased) text has no word a progress direction needs."""
    return _GATE.search(lower) is not None


def progress_at(clause: Clause) -> int | None:
    """Where ``clause`` starts telling the user to watch progress in the GUI, else None.

    The backend speaking of itself ("I'll keep an eye on the progress") is not a direction.
    """
    masked = clause.masked
    lower = masked.lower()
    if not may_watch(lower):
        return None
    if has_han(masked):
        if is_own_zh(masked):
            return None
        found = _WATCH_ZH.search(masked)
        return found.start() if found else None
    if is_own_en(masked) or classify(masked) == "credits":  # "check your account status"
        return None
    lead = lead_end(lower)
    for found in _WATCH_EN.finditer(lower):
        if found.start() == lead:
            return found.start()
        if _AFTER_EN.search(lower, 0, found.start()) and not (
            _BARE_STATUS_EN.search(found.group()) and _PANEL_EN.search(lower, 0, found.start())
        ):
            return found.start()
    shown = _SHOWN_EN.search(lower)
    return lead if shown else None
