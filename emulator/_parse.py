"""Reading numbers, times, names and quoted words out of English and Chinese messages."""

from __future__ import annotations

import re

from skillrt._text import QUOTE_MARKS, QUOTED

__all__ = [
    "aspect_in",
    "duration_in",
    "has_any",
    "music_in",
    "position_in",
    "quoted_in",
    "scene_pair_in",
    "scenes_in",
    "time_range_in",
    "topic_in",
    "volume_in",
]

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}  # fmt: skip
_NUMBER = r"(\d+(?:\.\d+)?|[零一二两三四五六七八九十]+)"
_SECONDS = r"\s*-?\s*(?:s\b|sec\b|secs\b|seconds?\b|秒)"


def _number(text: str) -> float:
    """A number written with digits or simple Chinese numerals (up to 99)."""
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return float(_CN_DIGITS.get(tens, 1) * 10 + _CN_DIGITS.get(ones, 0))
    return float(sum(_CN_DIGITS.get(ch, 0) for ch in text))


def has_any(text: str, words: tuple[str, ...]) -> bool:
    """Whether ``text`` (lower-cased) contains one of ``words``."""
    low = text.lower()
    return any(word in low for word in words)


def duration_in(text: str) -> float | None:
    """A duration in seconds ("10-second", "30s", "1 minute", "十秒", "2分钟")."""
    minutes = re.search(_NUMBER + r"\s*-?\s*(?:minutes?\b|mins?\b|分钟)", text, re.I)
    if minutes:
        return _number(minutes.group(1)) * 60
    seconds = re.search(_NUMBER + _SECONDS, text, re.I)
    return _number(seconds.group(1)) if seconds else None


def aspect_in(text: str) -> str | None:
    """``"16:9"``, ``"9:16"`` or ``"1:1"`` when the message names one."""
    ratio = re.search(r"\b(16|9|1)\s*[:：x/]\s*(9|16|1)\b", text)
    if ratio and f"{ratio.group(1)}:{ratio.group(2)}" in {"16:9", "9:16", "1:1"}:
        return f"{ratio.group(1)}:{ratio.group(2)}"
    if has_any(text, ("vertical", "portrait", "竖屏", "竖版", "tiktok", "reels", "shorts")):
        return "9:16"
    if has_any(text, ("landscape", "horizontal", "widescreen", "横屏", "横版", "youtube")):
        return "16:9"
    if has_any(text, ("square", "方形", "正方")):
        return "1:1"
    return None


def scenes_in(text: str) -> int | None:
    """A number of scenes ("3 scenes", "三个场景")."""
    found = re.search(_NUMBER + r"\s*(?:scenes?\b|shots?\b|个?场景|个?镜头)", text, re.I)
    return int(_number(found.group(1))) if found else None


def quoted_in(text: str) -> str | None:
    """The first quoted phrase (any of ``skillrt._text.QUOTE_PAIRS``: "…", “…”, 「…」, 〈…〉…)."""
    for found in QUOTED.finditer(text):
        inner = found.group()[1:-1].strip()
        if inner and len(inner) <= 80:
            return inner
    return None


def time_range_in(text: str) -> tuple[float, float] | None:
    """A time range in seconds ("0-3s", "from 2 to 5 seconds", "0到3秒", "first 3 seconds")."""
    found = re.search(
        r"(?:from\s+)?(\d+(?:\.\d+)?)\s*s?\s*(?:-|–|to|到|至|~)\s*(\d+(?:\.\d+)?)" + _SECONDS,
        text,
        re.I,
    )
    if found:
        return float(found.group(1)), float(found.group(2))
    first = re.search(r"(?:first|前)\s*" + _NUMBER + _SECONDS, text, re.I)
    if first:
        return 0.0, _number(first.group(1))
    return None


def position_in(text: str) -> str | None:
    """``top``, ``center`` or ``bottom`` when the message names a position."""
    if has_any(text, ("top", "顶部", "上方", "顶端")):
        return "top"
    if has_any(text, ("bottom", "底部", "下方", "底端")):
        return "bottom"
    if has_any(text, ("center", "centre", "middle", "中间", "居中", "中央")):
        return "center"
    return None


def volume_in(text: str) -> float | None:
    """A volume as a fraction ("35%", "volume 0.4", "音量30%")."""
    percent = re.search(r"(\d{1,3})\s*(?:%|％|percent)", text, re.I)
    if percent:
        return min(100, int(percent.group(1))) / 100
    fraction = re.search(r"(?:volume|音量)\D{0,6}(0?\.\d+|1\.0|1\b)", text, re.I)
    return float(fraction.group(1)) if fraction else None


def music_in(text: str) -> str | None:
    """A library track named, or implied by a mood word."""
    moods = (
        ("Lo-fi", ("lo-fi", "lofi", "lo fi", "低保真")),
        (
            "Upbeat",
            ("upbeat", "energetic", "happy", "sport", "动感", "欢快", "活力", "轻快", "明快"),
        ),
        ("Cinematic", ("cinematic", "epic", "trailer", "dramatic", "电影", "史诗", "大气")),
        ("Chill", ("chill", "calm", "relax", "soft", "舒缓", "轻松", "安静")),
        ("Corporate", ("corporate", "business", "professional", "商务", "企业", "专业")),
    )
    for name, words in moods:
        if has_any(text, words):
            return name
    return None


def scene_pair_in(text: str) -> tuple[int, int] | None:
    """Two scene numbers to swap ("swap scene 1 and 3", "交换场景1和2")."""
    found = re.search(
        r"(?:scenes?|clips?|场景|镜头|片段)\s*(\d+)\s*(?:and|with|&|和|与|跟)\s*(?:scenes?|clips?|场景|镜头|片段)?\s*(\d+)",
        text,
        re.I,
    )
    if found:
        return int(found.group(1)), int(found.group(2))
    if has_any(text, ("reverse", "倒序", "反转")):
        return 1, -1
    return None


_TOPIC_PATTERNS = (
    r"\b(?:the\s+)?(?:topic|theme|subject)\s*(?:is|:)\s*(.+?)(?:[.,!?;]|$)",
    r"\babout\s+(.+?)(?:[.,!?;]|\bwith\b|\bin\s+\d|\bfor\s+\d|$)",
    r"\b(?:video|clip|ad|promo)\s+(?:of|on|for)\s+(.+?)(?:[.,!?;]|\bwith\b|$)",
)
_ZH_VIDEO = r"(?:视频|短片|短视频|广告|宣传片|片子)"
_ZH_LENGTH = r"(?:\d+(?:\.\d+)?|[零一二两三四五六七八九十]+)\s*(?:秒钟?|分钟)"
_ZH_END = r"(?:[，。！？,.!?；;]|$)"
_ZH_TOPIC_PATTERNS = (
    # 主题是咖啡 / 主题为… / 内容是…
    r"(?:主题|题材|内容)(?:是|为)?\s*[:：]?\s*(.+?)" + _ZH_END,
    # 关于我们的咖啡品牌的10秒视频: the last 的 before the video noun ends the topic
    r"关于(.+?)的?(?:" + _ZH_LENGTH + r")?的?(?:竖屏|横屏|竖版|横版)?的?" + _ZH_VIDEO,
    r"关于(.+?)" + _ZH_END,
    # 介绍咖啡的视频 / 宣传新品
    r"(?:介绍|宣传|展示|讲述)(.+?)(?:的" + _ZH_VIDEO + "|" + _ZH_END + ")",
    # 一个咖啡品牌的视频 / 一段10秒的海边视频
    r"(?:一个|一段|一支|一条|一部)(.+?)的?" + _ZH_VIDEO,
    r"(?:秒钟?|分钟)的(.+?)" + _ZH_VIDEO,
)
#: Words that are not a topic on their own (what is left when a pattern caught only glue).
_NOT_TOPIC = re.compile(
    r"^(?:" + _ZH_LENGTH + r"|的|了|个|视频|短片|竖屏|横屏|竖版|横版|这|那|它|\s)*$"
)


def _clean_zh(topic: str) -> str:
    topic = re.sub(r"^(?:" + _ZH_LENGTH + r")?的?(?:竖屏|横屏|竖版|横版)?的?", "", topic)
    topic = re.sub(_ZH_VIDEO + r"$", "", topic.strip(" ：:" + QUOTE_MARKS))
    return topic.rstrip("的").strip()


def topic_in(text: str) -> str | None:
    """What a video should be about ("about a coffee brand" → "a coffee brand",
    "主题是咖啡" / "关于咖啡的视频" / "介绍咖啡" / "一个咖啡的视频" → "咖啡")."""
    for pattern in _ZH_TOPIC_PATTERNS:
        found = re.search(pattern, text)
        if found:
            topic = _clean_zh(found.group(1))
            if topic and not _NOT_TOPIC.match(topic):
                return topic[:60]
    for pattern in _TOPIC_PATTERNS:
        found = re.search(pattern, text, re.I)
        if found:
            topic = found.group(1).strip(" " + QUOTE_MARKS)
            topic = re.sub(r"^\d+\s*(?:-|\s)?(?:second|秒)s?\s*", "", topic)
            if topic and not re.fullmatch(_NUMBER + r"?\s*", topic):
                return topic[:60]
    return None
