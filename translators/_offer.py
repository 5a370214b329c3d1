"""A drag with somewhere to go is an edit; "you can drag it to change its timing" is an offer.

The runtime sends an edit's message to the backend as if the user had asked for it, so only
a move the backend itself spelled out ("Drag the BGM track so it starts at 0:05", "把标题拖到
3秒处", "move the subtitle down a little") may become one. An open-ended capability ("you
can drag the clips to reorder them", "feel free to move the title anywhere", "可以拖动片段
调整顺序", "拖到新位置") asks the user what they want instead, in words without GUI terms.
"""

from __future__ import annotations

import re

from skillrt._text import has_han
from skillrt.translators._direction import Direction

__all__ = ["drag_en", "drag_zh", "offer_topic"]

# --- English: the words after the verb are object, then destination, then purpose. ---

# "to" + a verb says what for ("to change its timing"); "to" + a place says where ("to 0:05",
# "to the start", "to its new place"). Anything that is not a verb here counts as a place.
_CHANGE_EN = (
    r"(?:change|adjust|reorder|re-order|rearrange|reposition|move|swap|fine-tune|finetune|tweak"
    r"|trim|shorten|lengthen|extend|set|line|match|sync|fit|control|alter|modify|arrange"
    r"|organi[sz]e|place|position|put|shift|resize|edit|update|fix|make|get|try|refine|tune"
    r"|retime|time|cut|crop|scale|rotate|layer|stack|sort|order|customi[sz]e|personali[sz]e"
    r"|play with|experiment)\b"
)
_PURPOSE_EN = re.compile(
    rf"\b(?:in order to|so (?:that )?you can|to)\s+(?={_CHANGE_EN})", re.IGNORECASE
)
# A clause that says what for, next to a drag: "To swap scenes,", "you can rearrange the clips".
_TOPIC_EN = re.compile(rf"^(?:in order to\s+|to\s+)?(?={_CHANGE_EN})", re.IGNORECASE)
# Where the destination starts; "right"/"left" in "its right edge" still name the object.
_DEST_EN = re.compile(
    r"\b(?:to|into|onto|until|till|before|after|above|below|under|over|past|behind|beside"
    r"|between|toward|towards|next to|in front of|up|down|higher|lower|earlier|later|forwards?"
    r"|backwards?|closer|further|farther|so|slightly|a (?:little|bit|few)|all the way|around"
    r"|anywhere|wherever|where|(?:left|right)(?!\s+(?:edge|side|handle|end|corner|half)))\b",
    re.IGNORECASE,
)
# Somewhere the backend did not choose: "to its new place", "anywhere you like", "around".
_VAGUE_EN = re.compile(
    r"\b(?:new|different|desired|preferred|right|correct|proper|another|other|any|some)"
    r"\s+(?:place|position|spot|location|slot|point|time|order)s?\b"
    r"|\b(?:anywhere|wherever|somewhere|around|freely|back and forth)\b"
    r"|\bwhere(?:ver)? you (?:like|want|need|prefer|wish)\b"
    r"|\bas (?:you (?:like|wish|want|see fit|prefer)|needed|necessary)\b"
    r"|\bhowever you (?:like|want|wish)\b"
    r"|\b(?:left|right|up|down|earlier|later|forward|back) or (?:left|right|up|down|earlier"
    r"|later|forward|back)\b",
    re.IGNORECASE,
)
# A purpose that names a place or amount is a proposal ("to shorten it to 4 seconds").
_ANCHOR_EN = re.compile(
    r"\d|\b(?:start|end|beginning|top|bottom|corner|cent(?:er|re)|middle|before|after|with"
    r"|above|below)\b",
    re.IGNORECASE,
)
_PURPOSE_END_EN = re.compile(
    r"\s*(?:[,;(]|\b(?:if|whenever|once|on the|in the|with your|using)\b).*$", re.IGNORECASE
)
# What may not reach the user in an offer: the GUI's words.
_GUI_WORDS = re.compile(
    r"\b(?:drag\w*|click\w*|tap\w*|press\w*|mouse|cursor|handles?|sliders?|timeline|panel"
    r"|buttons?|playhead|scrub\w*)\b|拖|点击|鼠标|时间线|时间轴|轨道|面板|按钮|滑块",
    re.IGNORECASE,
)
# "the clips" may stand for "them" in the purpose; "its right edge" is part of "it".
_NAMED_EN = re.compile(r"^(?:the|these|those|your|both|all|each|every)\s+\w", re.IGNORECASE)
_OBJECT_PRONOUN = re.compile(r"\b(?:it|them)\b")


def drag_en(rest: str, message: str) -> Direction:
    """An edit ``message`` when ``rest`` (the words after "drag") goes somewhere, else an offer."""
    purpose_at = _PURPOSE_EN.search(rest)
    before = rest[: purpose_at.start()] if purpose_at else rest
    purpose = rest[purpose_at.end() :] if purpose_at else ""
    dest_at = _DEST_EN.search(before)
    thing = _tidy(before[: dest_at.start()] if dest_at else before)
    dest = before[dest_at.start() :] if dest_at else ""
    concrete = bool(dest.strip()) and (bool(re.search(r"\d", dest)) or not _VAGUE_EN.search(dest))
    if concrete or _ANCHOR_EN.search(purpose):
        return Direction("edit", message)
    topic = _tidy(_PURPOSE_END_EN.sub("", purpose))
    # "the edges of each clip … to trim them": "them" are the clips.
    referent = thing.rsplit(" of ", 1)[-1]
    if topic and _NAMED_EN.match(referent):
        topic = _OBJECT_PRONOUN.sub(
            referent, topic, count=1
        )  # "reorder them" → "reorder the clips"
    if topic and " " not in topic and thing:
        topic = f"{topic} {thing}"  # "to adjust" alone: "adjust the caption track"
    return Direction(None, note="offer", topic=_clean(topic), thing=_clean(_lower(thing)))


# --- Chinese: 把X拖到Y来Z / 拖动X调整Z / 往下拖一点 ---

_DRAG_ZH = re.compile(r"拖(?:拽|动|放|曳)?(?:一下|过去|过来)?")
_TOWARD_ZH = re.compile(r"(?:往|向|朝)(?:上|下|左|右|前|后|里|外)")
_CHANGE_ZH = re.compile(
    r"(?:来|以|去|以便|从而)?(?P<verb>调整|修改|更改|改变|更换|重新排列|重新排序|排列|排序|交换|调换"
    r"|缩短|延长|对齐|裁剪|剪短|修剪|剪切|缩放|移动|改)"
)
_DEST_ZH = re.compile(r"到|至|进|入")
_GUI_PLACE_ZH = re.compile(r"^(?:时间线|时间轴|轨道|编辑器|画布)(?:上|中|里|内)?")
_VAGUE_ZH = re.compile(
    r"(?:新|合适|想要|需要|喜欢|理想|其他|别)的?(?:位置|地方|时间点)|任意|任何位置|随意|随便|自由"
)
_ANCHOR_ZH = re.compile(
    r"\d|[零一二三四五六七八九十两]+秒|开头|结尾|末尾|前面|后面|之前|之后|角|顶部|底部|中间|中央"
    r"|左边|右边|左侧|右侧|上方|下方|对齐|处"
)
_OBJECT_ZH = re.compile(r"(?:把|将)(?P<thing>[^，。！？；]{1,12}?)$")
_PRONOUN_ZH = re.compile(r"^(?:它|它们|这个|那个|这些|那些|其)$")
_THING_TAIL_ZH = re.compile(r"(?:的(?:位置|顺序|时间|时长|长度|边缘))?(?:来|以|去)?$")
_TAIL_ZH = re.compile(r"(?:即可|就可以了?|就行了?|就好了?|吧)?[\s。！？.!?，,；;…]*$")


def drag_zh(body: str, message: str) -> Direction:
    """An edit ``message`` when the drag in ``body`` goes somewhere, else an offer."""
    verb = _DRAG_ZH.search(body)
    if verb is None:
        return Direction("edit", message)
    lead, rest = body[: verb.start()], body[verb.end() :]
    if _TOWARD_ZH.search(body) or _ANCHOR_ZH.search(rest):
        return Direction("edit", message)  # "往下拖一点", "拖到3秒处", "缩短到4秒"
    owner = _OBJECT_ZH.search(lead)
    thing = owner.group("thing") if owner else ""
    change = _CHANGE_ZH.search(rest)
    head = rest[: change.start()] if change else rest
    topic = _TAIL_ZH.sub("", rest[change.start("verb") :]) if change else ""
    to = _DEST_ZH.search(head)
    if to is not None:
        dest = _TAIL_ZH.sub("", _GUI_PLACE_ZH.sub("", head[to.end() :])).strip()
        if dest and not _VAGUE_ZH.search(dest):
            return Direction("edit", message)
        thing = thing or head[: to.start()].strip()
    else:
        thing = thing or _TAIL_ZH.sub("", head).strip()
    thing = _THING_TAIL_ZH.sub("", thing)  # "Logo的位置" → "Logo"
    if _PRONOUN_ZH.match(thing):
        thing = ""
    return Direction(None, note="offer", topic=_clean(topic), thing=_clean(thing), words="zh")


def offer_topic(words: str) -> str | None:
    """What a clause next to an open-ended drag wants changed ("To swap scenes" → "swap scenes",
    "如需调整顺序" → "调整顺序"), or None when it names no change."""
    if has_han(words):
        change = _CHANGE_ZH.search(words)
        return _clean(_TAIL_ZH.sub("", words[change.start("verb") :])) if change else None
    found = _TOPIC_EN.match(words)
    return _clean(_tidy(_PURPOSE_END_EN.sub("", words[found.end() :]))) if found else None


def _tidy(text: str) -> str:
    return re.sub(r"[\s.!?…:;,]+$", "", text).strip()


def _lower(thing: str) -> str:
    """ "The title" → "the title"; "BGM" stays."""
    return thing if len(thing) > 1 and thing[1].isupper() else thing[:1].lower() + thing[1:]


def _clean(words: str) -> str | None:
    """The words, or None when empty or when they would put a GUI term in front of the user."""
    return words if words and not _GUI_WORDS.search(words) else None
