"""What a GUI element is for: the words that name a button, panel or page, in both languages."""

from __future__ import annotations

import re

from skillrt._text import QUOTE_MARKS, has_han
from skillrt.translators._models import ActionType

__all__ = [
    "EDIT_VERB",
    "classify",
    "is_action_label",
    "is_label",
    "is_navigation",
    "label_core",
    "label_message",
]

# Checked in this order: "Upload panel" is an upload, "Export panel" an export, and only a
# panel that names nothing more specific means "show the timeline". Lower-case patterns,
# searched in lower-cased words (cheaper than IGNORECASE).
_CLASSES: tuple[tuple[ActionType, re.Pattern[str]], ...] = (
    (
        "upload",
        re.compile(
            # "your uploads" / "the uploaded clip" are things already there, not the button.
            r"\b(?:(?<!your )(?<!my )upload(?!ed\b)\w*|import(?!ant)\w*"
            r"|add (?:media|files?|videos?)|browse"
            r"|(?:choose|select) (?:a |your )?files?|from (?:your|my) (?:device|computer|phone))"
            r"|上传|导入|本地文件|添加素材",
        ),
    ),
    (
        "credits",
        re.compile(
            r"\b(?:credits?|billing|balance|account|top[- ]?up|recharge|subscription|upgrade"
            r"|plans?|pricing|wallet)\b|积分|余额|账户|账号|充值|储值|加值|账单|订阅|套餐|会员|点数",
        ),
    ),
    (
        "export",
        re.compile(
            r"\b(?:export|download|render)\w*|\bsave (?:\w+ ){0,2}to (?:your )?(?:device|computer"
            r"|phone|desktop|disk|drive|gallery|camera roll)"
            r"|导出|下载|渲染|保存到(?:本地|手机|相册|电脑|设备)",
        ),
    ),
    (
        "state",
        re.compile(
            r"\b(?:timeline|track list|media library|asset library|preview|play(?:back)?|player"
            r"|panel|sidebar|inspector|assets)\b|时间线|时间轴|面板|素材库|媒体库|图层|预览|播放",
        ),
    ),
)

_GUI_NOUN = re.compile(
    r"\s*(?:button|icon|tab|option|menu item|menu|link|toggle|switch|checkbox|key)s?\s*$"
    r"|\s*(?:按钮|图标|选项卡|选项|菜单|标签页?|按键|开关)$",
    re.IGNORECASE,
)
# Things on the timeline, not buttons: "click the BGM track" selects it.
_ELEMENT = re.compile(
    r"\b(?:tracks?|clips?|segments?|layers?|scenes?|titles?|captions?|edges?|handles?)$"
    r"|(?:轨道|片段|图层|场景|边缘)$",
    re.IGNORECASE,
)
_DETERMINER = re.compile(r"^(?:(?:the|a|an|your|this|that|on)\s+)+", re.IGNORECASE)
_QUOTES = QUOTE_MARKS
_NAV = re.compile(
    r"^(?:copy|paste|close|cancel|ok(?:ay)?|done|next|back|continue|got it|skip|more|menu"
    r"|settings|here|there|this|that|it|three dots|\.\.\.|…|⋯|复制|粘贴|关闭|取消|确定|完成"
    r"|下一步|返回|继续|这里|此处|更多|设置|三个点|它)$",
    re.IGNORECASE,
)

#: Verbs that say what an edit does; a purpose clause that starts with one is an edit message.
EDIT_VERB = re.compile(
    r"^(?:set|change|adjust|make|add|remove|delete|replace|split|trim|cut|shorten|lengthen"
    r"|extend|move|shift|swap|reorder|rename|edit|fix|apply|generate|regenerate|re-generate"
    r"|create|insert|mute|unmute|lower|raise|increase|decrease|reduce|boost|fade|crop|rotate"
    r"|flip|speed up|slow down|translate|restyle|resize|reposition|align|update|switch|turn"
    r"|enhance|merge|duplicate|undo|redo|reset|restore|auto\w*|use)\b"
    r"|^(?:添加|删除|移除|替换|分割|拆分|裁剪|剪切|剪掉|生成|重新生成|创建|增强|翻译|自动|应用|更换"
    r"|切换|使用|修改|调整|设置|缩短|延长|合并|复制|撤销|重做|重置|静音|加速|减速|淡入|淡出|插入)",
    re.IGNORECASE,
)

_DEFAULT_MESSAGES: dict[str, tuple[str, str]] = {
    "generate": ("Generate the video", "生成视频"),
    "生成": ("Generate the video", "生成视频"),
    "regenerate": ("Regenerate the video", "重新生成视频"),
    "re-generate": ("Regenerate the video", "重新生成视频"),
    "重新生成": ("Regenerate the video", "重新生成视频"),
    "apply": ("Apply the changes", "应用修改"),
    "应用": ("Apply the changes", "应用修改"),
    "save": ("Save the changes", "保存修改"),
    "保存": ("Save the changes", "保存修改"),
    "confirm": ("Confirm the changes", "确认修改"),
    "确认": ("Confirm the changes", "确认修改"),
    "undo": ("Undo the last change", "撤销上一步修改"),
    "撤销": ("Undo the last change", "撤销上一步修改"),
    "redo": ("Redo the last change", "重做上一步修改"),
    "retry": ("Try again", "重试"),
    "try again": ("Try again", "重试"),
    "重试": ("Try again", "重试"),
    "create": ("Create the video", "创建视频"),
    "创建": ("Create the video", "创建视频"),
}


def classify(words: str) -> ActionType | None:
    """The action a GUI element named by ``words`` stands for, or None for none of them."""
    lower = words.lower()
    for action, pattern in _CLASSES:
        if pattern.search(lower):
            return action
    return None


_QUOTED_HEAD = re.compile(r"^[\"“‘'「『]([^\"”’'」』]+)[\"”’'」』]\S")


def label_core(target: str) -> str:
    """The name on a button: ``the "Generate" button`` → ``Generate``."""
    core = _DETERMINER.sub("", target.strip())
    core = _GUI_NOUN.sub("", core).strip()
    quoted = _QUOTED_HEAD.match(core)  # "「竖屏」模板": the name is what is quoted
    return quoted.group(1).strip() if quoted else core.strip(_QUOTES).strip()


def is_label(target: str) -> bool:
    """True when ``target`` names a button (quoted, capitalised, or an edit verb), not a thing."""
    stripped = _DETERMINER.sub("", target.strip())
    core = label_core(target)
    if not core or _NAV.match(core):
        return False
    if stripped[:1] in _QUOTES or bool(EDIT_VERB.match(core)) or core.lower() in _DEFAULT_MESSAGES:
        return True
    # A capitalised word names a button ("Magic Cut"); Chinese has no capitals, so a Chinese
    # target counts as a label only with a GUI noun after it ("生成按钮").
    if _ELEMENT.search(core):
        return False
    return core[:1].isupper() or (core != stripped.strip(_QUOTES) and _has_han(core))


def is_navigation(target: str) -> bool:
    """True when ``target`` names a step that does nothing by itself ("Copy", "⋯", "Next").

    In Chinese the name is what follows the last 的: "每项旁边的复制按钮" is a 复制 button.
    """
    core = label_core(target)
    if _has_han(core) and "的" in core:
        core = core.rsplit("的", 1)[1]
    return bool(core) and _NAV.match(core) is not None


def is_action_label(target: str) -> bool:
    """True when ``target`` names what a button does (quoted, "Generate", "Apply"), so a
    button named without a verb still asks for it; "the CTA button in the video" does not."""
    stripped = _DETERMINER.sub("", target.strip())
    core = label_core(target)
    if not core or _NAV.match(core):
        return False
    known = core.lower() in _DEFAULT_MESSAGES
    return stripped[:1] in _QUOTES or bool(EDIT_VERB.match(core)) or known


def label_message(label: str, language: str, *, selecting: bool = False) -> str:
    """The chat message that does what pressing the button ``label`` would do."""
    zh = language == "zh"
    known = _DEFAULT_MESSAGES.get(label.lower())
    if known:
        return known[1] if zh else known[0]
    if EDIT_VERB.match(label):
        return label if zh else label[:1].upper() + label[1:]
    if zh:
        return f"使用「{label}」" if selecting else f"应用「{label}」"
    return f"Use {label}" if selecting else f"Apply {label}"


def _has_han(text: str) -> bool:
    return has_han(text)
