"""GUI translation: a backend reply → text for a chat user + the actions its directions ask for.

The pipeline, like structlog's processors: mask quotations → cut sentences and clauses →
ask each rule in order whether a clause is a GUI direction → rewrite the sentences that
hold one. A reply with no direction is returned as it came, byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from skillrt._text import has_han, to_simplified, to_traditional
from skillrt.i18n import detect_language, normalize_language
from skillrt.translators._blocks import mask_blocks
from skillrt.translators._catalog import say, say_fixed
from skillrt.translators._direction import PROGRESS, Direction
from skillrt.translators._lexicon import (
    ACCOUNT_WORDS_EN,
    ACCOUNT_WORDS_ZH,
    ANYTIME_EN,
    ANYTIME_ZH,
    BEFORE_EN,
    BEFORE_END_ZH,
    CAN_EN,
    CAN_ZH,
    CANTONESE_AS_ZH,
    CANTONESE_ZH,
    CONDITION_EN,
    CONDITION_ZH,
    CONNECTORS_EN,
    CONNECTORS_ZH,
    DEFERRED_EN,
    DEFERRED_ZH,
    ELEMENT_NOUNS_EN,
    ELEMENT_NOUNS_ZH,
    ELEMENT_SUBJECT_EN,
    EXPORT_OPTION_VERBS_EN,
    EXPORT_OPTION_VERBS_ZH,
    EXPORT_OPTION_WORDS_EN,
    EXPORT_OPTION_WORDS_ZH,
    FAILURE_EN,
    FAILURE_ZH,
    FILE_WORDS_EN,
    FILE_WORDS_ZH,
    GET_VERBS_EN,
    GET_VERBS_ZH,
    HYPOTHETICAL_EN,
    LATER_EN,
    LATER_ZH,
    LEAD_IN_EN,
    LEAD_IN_END_ZH,
    LEAD_IN_ZH,
    LOCATED_VERBS_EN,
    LOCATED_ZH,
    NEGATION_EN,
    NEGATION_EXCEPT_EN,
    NEGATION_EXCEPT_ZH,
    NEGATION_ZH,
    PLACE_PREPOSITIONS_EN,
    PLATFORMS_EN,
    PLATFORMS_ZH,
    PRONOUNS_EN,
    PURPOSE_GENERIC_EN,
    PURPOSE_GENERIC_ZH,
    PURPOSE_MARKS_ZH,
    PURPOSE_NOT_AFTER_EN,
    PURPOSE_VERBS_ZH,
    RELATIVE_WORDS_EN,
    SCENE_EN,
    SCENE_ZH,
    SELECT_VERBS_EN,
    SELECT_VERBS_ZH,
    SET_VERBS_EN,
    SET_VERBS_ZH,
    TOP_UP_ZH,
    TRIGGER_WORDS_EN,
    TRIGGER_WORDS_ZH,
    UI_NOUNS_EN,
    UPLOAD_OBJECT_END_EN,
    UPLOAD_SOURCES_EN,
    UPLOAD_SOURCES_ZH,
    UPLOAD_VERBS_EN,
    UPLOAD_VERBS_ZH,
)
from skillrt.translators._models import GuiAction, Translation
from skillrt.translators._offer import offer_topic
from skillrt.translators._progress import (
    PROGRESS_WORDS_EN,
    PROGRESS_WORDS_ZH,
    may_watch,
    progress_at,
)
from skillrt.translators._rules_en import find_en, lead_end
from skillrt.translators._rules_zh import ZH_LEAD, find_zh
from skillrt.translators._targets import EDIT_VERB, classify
from skillrt.translators._text import (
    MASK,
    Clause,
    clauses,
    mask_quotes,
    prefix_pattern,
    sentences,
)

__all__ = ["SENTENCE_EXAMPLES", "SENTENCE_STEPS", "translate"]

_WATCH_PLACE_ZH = re.compile(
    r"^(?:可以?|也可以?|你可以|您可以|请|随时|\s)*(?:在|于)[^，。！？；]*$"
)
# Every rule needs one of these words in a clause; most replies have none and are returned
# after one search. Keep it a superset of what the rules look for. The English words are
# prefixes of a word, searched in the lower-cased text as a prefix tree (IGNORECASE and a flat
# alternation made this one search cost more than all the rules together).
_TRIGGER_EN = re.compile(
    r"\b" + prefix_pattern((*TRIGGER_WORDS_EN, *PROGRESS_WORDS_EN, *SET_VERBS_EN))
)
_TRIGGER_ZH = re.compile(
    prefix_pattern((*TRIGGER_WORDS_ZH, *PROGRESS_WORDS_ZH, *SET_VERBS_ZH, *TOP_UP_ZH))
)
# "…and (then) the Tracks panel": a second GUI element whose verb is the first one's.
_AND_ELEMENT = re.compile(
    r"\s+(?:and(?:\s+then)?|then)\s+(?=(?:the|your)\s+(?:[^\s,;]+\s+){0,3}?(?:panel|button|tab"
    r"|page|library|timeline|sidebar|menu|icon|option|settings)s?\b(?:\s+to\b[^,;]*)?[\s.!?…]*$)",
    re.IGNORECASE,
)
# "点击导出后打开轨道面板": a second direction after 后.
_ZH_AFTER = re.compile(
    r"(?:之后|以后|后)(?=(?:请|再|就|可以|直接)?(?:点击|单击|双击|打开|查看|进入|前往|选择|切换|预览"
    r"|拖|上传|导出|下载|充值|把|将))"
)
# Clauses that only lead into a direction ("To export B,", "When you're ready,", "如需导出，").
_DEPENDENT_EN = re.compile(
    r"^(?:(?:and|or|so|but|then|just|now|also|please)\s+)*(?:if|when|whenever|once|after|before|while"
    r"|as soon as|to|in order to|for|until|should you|ready|next|then|finally|first|now"
    r"|afterwards|from there|here|again|alternatively|otherwise|or|and|so|okay|ok)\b"
    r"|^[\W\d_]*$",
    re.IGNORECASE,
)
_DEPENDENT_ZH = re.compile(
    r"^(?:如果|如需|若|要是|想要?|需要|要|满意|确认|准备|完成|当|等|之后|然后|接着|最后|现在|首先"
    r"|另外|此外|为了|如要|或者?)|(?:的话|后|之后|时|以后)[。！？.!?]?$"
)


def _words_en(words: Iterable[str]) -> re.Pattern[str]:
    """Any of ``words`` as whole English words."""
    return re.compile(r"\b(?:" + prefix_pattern(words, exact=True) + r")\b")


def _words_zh(words: Iterable[str]) -> re.Pattern[str]:
    """Any of ``words`` anywhere (Chinese has no word boundaries)."""
    return re.compile(prefix_pattern(words, exact=True))


# What a clause beside a direction may be and still go with it: connectors only ("Then,"),
# or a lead-in ("When you're ready,", "If you're happy with it,", "满意后"). Anything else is
# content and stays, whatever word it starts with ("then your music stays at 20%").
_CONNECTORS_ONLY = re.compile(
    r"^[\W_]*(?:(?:" + prefix_pattern(CONNECTORS_EN, exact=True) + r")\b[\W_]*)*$"
    r"|^[\W_]*(?:(?:" + prefix_pattern(CONNECTORS_ZH, exact=True) + r")[\W_]*)*$",
    re.IGNORECASE,
)
_LEAD_IN_EN = re.compile(
    r"^(?:(?:"
    + prefix_pattern(CONNECTORS_EN, exact=True)
    + r")\s+)*(?:"
    + prefix_pattern(LEAD_IN_EN, exact=True)
    + r")\b",
    re.IGNORECASE,
)
_LEAD_IN_ZH = re.compile(
    r"^(?:"
    + prefix_pattern(CONNECTORS_ZH, exact=True)
    + r")?(?:"
    + prefix_pattern(LEAD_IN_ZH, exact=True)
    + r")|(?:"
    + prefix_pattern(LEAD_IN_END_ZH, exact=True)
    + r")[。！？.!?]?$"
)
# A negation before the verb: "there's no need to press Download yet", "先别点下载".
_NEGATION_EN = re.compile(r"\b(?:" + prefix_pattern(NEGATION_EN, exact=True) + r")(?![\w'’])")
_NEGATION_EXCEPT_EN = re.compile(prefix_pattern(NEGATION_EXCEPT_EN, exact=True))
_NEGATION_ZH = _words_zh(NEGATION_ZH)
_NEGATION_EXCEPT_ZH = _words_zh(NEGATION_EXCEPT_ZH)
_CONDITION_EN = re.compile(
    r"^(?:(?:"
    + prefix_pattern(CONNECTORS_EN, exact=True)
    + r")\s+)*(?:"
    + prefix_pattern(CONDITION_EN, exact=True)
    + r")\b"
)
_CONDITION_ZH = _words_zh(CONDITION_ZH)
_LATER_EN = _words_en(LATER_EN)
# A condition after the direction: "… if you ever need a GIF", "… should you want one".
_LATER_TAIL_EN = re.compile(r"\b(?:if|in case|should you)\b")
_NOW_EN = re.compile(r"\b(?:now|right away|today)\b")
_LATER_ZH = _words_zh(LATER_ZH)
_CAN_EN = _words_en(CAN_EN)
_CAN_ZH = _words_zh(CAN_ZH)
_ANYTIME_EN = _words_en(ANYTIME_EN)
_ANYTIME_ZH = _words_zh(ANYTIME_ZH)
_DEFERRED_EN = _words_en(DEFERRED_EN)
_DEFERRED_ZH = _words_zh(DEFERRED_ZH)
_HYPOTHETICAL_EN = _words_en(HYPOTHETICAL_EN)
_BEFORE_EN = re.compile(
    r"^(?:(?:and|but|so|just)\s+)*(?:" + prefix_pattern(BEFORE_EN, exact=True) + r")\b"
)
_BEFORE_ZH = re.compile(r"(?:" + prefix_pattern(BEFORE_END_ZH, exact=True) + r")[，,。]?$")
_FAILURE_EN = _words_en(FAILURE_EN)
_FAILURE_ZH = _words_zh(FAILURE_ZH)
# "upload it to YouTube", "上传到抖音": publishing, not an upload into the editor.
_PLATFORM_EN = re.compile(
    r"\b(?:to|on|onto|into)\s+(?:your\s+|my\s+|the\s+)?(?:"
    + prefix_pattern(PLATFORMS_EN, exact=True)
    + r")\b"
)
_PLATFORM_ZH = re.compile(r"(?:到|至|去|在)(?:" + prefix_pattern(PLATFORMS_ZH, exact=True) + ")")
# "The Export button sits in the top right corner", "「导出」按钮位于右上角": where it is.
_LOCATED_EN = re.compile(
    r"^(?:"
    + prefix_pattern(ELEMENT_SUBJECT_EN, exact=True)
    + r")\s+(?:[^\s,;]+\s+){0,3}?(?:"
    + prefix_pattern(ELEMENT_NOUNS_EN, exact=True)
    + r")\s+(?:(?:now|still|also|always|usually)\s+)?(?:"
    + prefix_pattern(LOCATED_VERBS_EN, exact=True)
    + r")\b"
)
_LOCATED_ZH = re.compile(
    r"^[^，。！？；]{0,12}?(?:"
    + prefix_pattern(ELEMENT_NOUNS_ZH, exact=True)
    + r")(?:现在|还是|一般|通常|就)?(?:"
    + prefix_pattern(LOCATED_ZH, exact=True)
    + r")"
)
# "…to save your 12-second clip", "so you can see the 4 clips": what a direction is for.
_PURPOSE_EN = re.compile(
    r"(?:^|(?<=\s))(?:to|so (?:that )?you can|in order to)\s+(?!(?:the|your|a|an|this|that|it"
    r"|them|its|my|our|top|bottom|left|right|end|start|beginning)\b)(?=[a-z])"
)
# The purpose ends before a clause of its own: "…to add your next clip and I'll write one".
_PURPOSE_END_EN = re.compile(r"\s+(?:and|so|but)\s+(?:i|we|you|it|they)\b|[\s.!?…:;,]*$")
_PURPOSE_NOT_AFTER_EN = re.compile(
    r"\b(?:" + prefix_pattern(PURPOSE_NOT_AFTER_EN, exact=True) + r")\s+$"
)
_PURPOSE_ZH = re.compile(
    r"(?:(?<![可所得难予加])(?:"
    + prefix_pattern(PURPOSE_MARKS_ZH, exact=True)
    + r")(?P<marked>[^，。！？；、\s]+?)|(?<=[板库区页轴线钮」”\"』])(?P<look>(?:"
    + prefix_pattern(PURPOSE_VERBS_ZH, exact=True)
    + r"|"
    + prefix_pattern(GET_VERBS_ZH, exact=True)
    + r")[^，。！？；、\s]+?))(?:即可|就行了?|就好了?|吧|啦)?[。！？.!?…]*$"
)
# "请点击导出，下载你的30秒预告片": a second clause saying what the export gets is its purpose.
_GETS_ZH = re.compile(
    r"^(?:请|并|然后|再|就能|就可以|即可)*(?P<marked>(?:"
    + prefix_pattern(GET_VERBS_ZH, exact=True)
    + r")(?:你的|您的)[^，。！？；]+?)(?:即可|就行了?|就好了?|吧|啦)?[。！？.!?…]*$"
)
_GETS_EN = re.compile(
    r"^(?:(?:and|then|so|now)\s+)+(?P<purpose>(?:"
    + prefix_pattern(GET_VERBS_EN, exact=True)
    + r")\s+(?:your|the)\s+[^,;]+?)[\s.!?…]*$"
)
_PURPOSE_GENERIC_EN = frozenset(PURPOSE_GENERIC_EN)
_PURPOSE_GENERIC_ZH = _words_zh(PURPOSE_GENERIC_ZH)
# A clause that ends in a negation with no stop before the next ("不需要|再上传Logo").
_NEGATION_END_ZH = re.compile(r"(?:" + prefix_pattern(NEGATION_ZH, exact=True) + r")$")
_SCENE_EN = re.compile(r"(?:" + prefix_pattern(SCENE_EN, exact=True) + r")\b")
_SCENE_ZH = _words_zh(SCENE_ZH)
_SELECT = re.compile(
    r"\b(?:"
    + prefix_pattern(SELECT_VERBS_EN, exact=True)
    + r")\b|"
    + prefix_pattern(SELECT_VERBS_ZH, exact=True)
)
_SELECT_FIRST = re.compile(r"(?:" + prefix_pattern(SELECT_VERBS_EN, exact=True) + r")\s+\w")
_PRONOUN = _words_en(PRONOUNS_EN)
# What was selected or clicked, without the verb and where it is: "Caption A" of "Click on
# Caption A in the Tracks panel".
_SELECTED_THING = re.compile(
    r"^(?:(?:then|and|now|please|just)\s+)*(?:(?:double[- ]?|right[- ]?)?click|tap|press|"
    + prefix_pattern(SELECT_VERBS_EN, exact=True)
    + r")(?:\s+on)?\s+(?P<thing>.+?)(?=\s+(?:"
    + prefix_pattern(PLACE_PREPOSITIONS_EN, exact=True)
    + r")\s+(?:the|your)\b|[\s,;.]*$)",
    re.IGNORECASE,
)
# "请点击上传，从电脑里选择PNG文件", "then choose the PNG file from your computer": a choice of
# the file to upload (from a device, or named as a file) is a step of the upload.
_UPLOAD_PICK_EN = re.compile(
    r"^(?:(?:then|and|now|please|just|you can)\s+)*(?:"
    + prefix_pattern(SELECT_VERBS_EN, exact=True)
    + r")\s+(?P<thing>.+?)(?:\s+from\s+(?:your|the|my)\s+(?:"
    + prefix_pattern(UPLOAD_SOURCES_EN, exact=True)
    + r")\b(?P<device>)[^,;.!?]*)?[\s,;.!?…]*$"
)
_UPLOAD_PICK_ZH = re.compile(
    r"^(?:然后|再|并|请|接着|直接)*(?:从(?:(?:你的|您的)?(?:"
    + prefix_pattern(UPLOAD_SOURCES_ZH, exact=True)
    + r")(?P<device>)(?:的|里|中|上)?)+)?(?:"
    + prefix_pattern(SELECT_VERBS_ZH, exact=True)
    + r"|选)(?P<thing>[^，。！？；]+?)(?:即可|就行了?|就可以了?|就好)?[\s。！？.!?…]*$"
)
_FILE_WORD_EN = _words_en(FILE_WORDS_EN)
_ACCOUNT_EN = _words_en(ACCOUNT_WORDS_EN)
_ACCOUNT_ZH = _words_zh(ACCOUNT_WORDS_ZH)
_FILE_WORD_ZH = re.compile(prefix_pattern(FILE_WORDS_ZH))
# "…and pick the MP4 preset", "然后选1080P": an option of the export, not an edit.
_OPTION_EN = re.compile(
    r"^(?:(?:"
    + prefix_pattern(CONNECTORS_EN, exact=True)
    + r"|you can|you could|can)\s+)*(?:"
    + prefix_pattern(EXPORT_OPTION_VERBS_EN, exact=True)
    + r")\s+(?P<option>.*?(?:\b\d+:\d+\b|\b(?:"
    + prefix_pattern(EXPORT_OPTION_WORDS_EN, exact=True)
    + r")\b).*?)(?:\s+(?:if|when|whenever|once|for)\b.*)?[\s.!?…]*$",
    re.IGNORECASE,
)
_OPTION_ZH = re.compile(
    r"^(?:"
    + prefix_pattern(CONNECTORS_ZH, exact=True)
    + r")*(?:请|可以|再)?(?:"
    + prefix_pattern(EXPORT_OPTION_VERBS_ZH, exact=True)
    + r")(?P<option>[^，。！？；]*?(?:\d{3,4}p|\d+k|\d+:\d+|"
    + prefix_pattern((*EXPORT_OPTION_WORDS_EN, *EXPORT_OPTION_WORDS_ZH), exact=True)
    + r")[^，。！？；]*?)(?:即可|就行了?|就可以了?|就好)?[\s。！？.!?…]*$",
    re.IGNORECASE,
)
_LEADING_CONNECTOR = re.compile(
    r"^(?:(?:and|then|so|or|but|also|,)\s*)+|^(?:然后|接着|并且?|或者?|再|，)+", re.IGNORECASE
)
_TRAILING_CONNECTOR = re.compile(
    r"(?:[\s,;:—–-]+|\b(?:and|then|so|or|but|just|simply|now|please|where)\b)+$"
    r"|[，,；;：:、\s]*(?:然后|接着|再|并且?|就|请|可以|你可以|您可以|直接|或者?)*[，,；;：:、\s]*$",
    re.IGNORECASE,
)
# A main clause of its own before "and you can watch the progress" (content to keep).
_MAIN_CLAUSE = re.compile(
    r"^(\w+(?:\W+\w+)+?)\W+(?:and|so|but|while)\b"
    r"(?:\s+(?:you(?:'ll| can| could| will| may)?|just|simply|now|also|then|can))*\s*$",
    re.IGNORECASE,
)
_BY = re.compile(r"by\s", re.IGNORECASE)
_ZH_EDIT = re.compile(r"^(?:把|将)")
_TAIL = re.compile(r"(?:即可|就可以了?|就行了?|就好了?)?[\s。！？.!?，,；;…]*$")
_TERMINAL = re.compile(r"[.!?。！？…]$")


_NOWHERE = Direction(None)  # a navigation step: removed, asks for nothing


@dataclass(frozen=True)
class _Found:
    clause: Clause
    direction: Direction | None


def translate(text: str, language: str | None = None) -> Translation:
    """Rewrite a backend reply for a chat user and list the actions its GUI directions ask for.

    ``language`` (``"en"``/``"zh"``, or None to detect) is the language of the sentences put
    in place of directions. Quoted text is content and never a direction.
    """
    lang = normalize_language(language) if language else detect_language(text)
    # Rules read Simplified Chinese; what is kept is cut from the backend's own text (the
    # conversion keeps every offset), and what is written follows its script.
    work = _mandarin(to_simplified(text))
    script = _Script(traditional=work != text and lang == "zh")
    masked = mask_blocks(mask_quotes(work))
    if not _triggered(masked):
        return Translation(text, ())
    watch = may_watch(masked.lower())
    plan = [(span, _find(work, masked, span, watch)) for span in sentences(masked)]
    if not any(found.direction for _, founds in plan for found in founds):
        return Translation(text, ())
    actions: list[GuiAction] = []
    seen: set[tuple[str, str | None]] = set()
    pieces: list[tuple[str, str]] = []
    cursor = 0
    for (start, end), founds in plan:
        separator = text[cursor:start]
        cursor = end
        if not any(found.direction for found in founds):
            pieces.append((separator, text[start:end]))
            continue
        rewritten = _rewrite(text, founds, lang, actions, seen, script)
        pieces.append((separator, rewritten))
    rewritten_text = _join(pieces, text[cursor:])
    # "Here is the timeline:" only reads right when the summary really comes next.
    below = script(say_fixed("gui_state", lang, last=False))
    for said in (below, below[:1].lower() + below[1:]):  # after a purpose, in lower case
        if rewritten_text.endswith(said):
            last = script(say_fixed("gui_state", lang, last=True))
            last = last if said is below else last[:1].lower() + last[1:]
            rewritten_text = rewritten_text[: -len(said)] + last
            break
    return Translation(rewritten_text, tuple(actions))


@dataclass(frozen=True)
class _Script:
    """What the translator writes, in the script of the reply (Traditional stays Traditional)."""

    traditional: bool

    def __call__(self, written: str) -> str:
        return to_traditional(written) if self.traditional else written


_CANTONESE = dict(zip(CANTONESE_ZH, CANTONESE_AS_ZH, strict=True))
_CANTONESE_WORD = re.compile(prefix_pattern(CANTONESE_ZH, exact=True))


def _mandarin(work: str) -> str:
    """Hong Kong / Cantonese words as their Mandarin word of the same length (offsets kept)."""
    if not has_han(work):
        return work
    return _CANTONESE_WORD.sub(lambda match: _CANTONESE[match.group()], work)


def _triggered(masked: str) -> bool:
    return bool(_TRIGGER_ZH.search(masked) or _TRIGGER_EN.search(masked.lower()))


def _find(text: str, masked: str, span: tuple[int, int], watch: bool) -> list[_Found]:
    if not _triggered(masked[span[0] : span[1]]):
        return []  # no clause of it can hold a direction: it stays as it is
    found: list[_Found] = []
    for clause in clauses(text, masked, *span):
        watching = _watching(text, clause) if watch else None
        if watching:
            found += watching
            continue
        direction = _direction(clause)
        if direction is None:
            found.append(_Found(clause, None))
        else:
            found += _coordinated(text, clause, direction)
    for step in SENTENCE_STEPS:
        found = step(found)
    return found


def _in_a_scene(found: list[_Found]) -> list[_Found]:
    """ "视频中，一个女孩按下了下载按钮…", "In scene 2, the host taps Export": a story."""
    if len(found) < 2 or found[0].direction is not None:
        return found
    first = found[0].clause.masked
    if not (_scene_zh(first) if has_han(first) else _SCENE_EN.match(first.lower())):
        return found
    return [
        item
        if item.direction is None or item.direction.action == "credits"
        else _Found(item.clause, None)
        for item in found
    ]


def _scene_zh(first: str) -> bool:
    """ "视频中，…", "片头，一个女孩…", "片尾里…": the clause opens with where in the video.

    A bare part of the video ("片头", "片尾") sets a scene only alone or with 中/里/处 after
    it; "片头长了3秒" is about the intro itself (a fact, then an edit may follow).
    """
    scene = _SCENE_ZH.match(first)
    if scene is None:
        return False
    if scene.group().endswith(("中", "里")):
        return True
    rest = first[scene.end() :].lstrip()
    return not rest.strip(" ，,：:") or rest[:1] in ("中", "里", "处", "，", ",")


def _for_later(found: list[_Found]) -> list[_Found]:
    """A sentence opening with a condition about a later time is information for then.

    "Should you need a GIF version some day, the Export menu has it", "如果之后想要竖屏版本，
    导出设置里可以选择9:16": nothing is asked for now (an empty balance still is news).
    """
    if _later_tail(found):
        return [
            item
            if item.direction is None or item.direction.action == "credits"
            else _Found(item.clause, None)
            for item in found
        ]
    if len(found) < 2 or found[0].direction is not None:
        return found
    first = found[0].clause.masked
    lower = first.lower()
    if has_han(first):
        later = (_CONDITION_ZH.search(first) and _LATER_ZH.search(first)) or _DEFERRED_ZH.match(
            first
        )
    else:
        later = (_CONDITION_EN.match(lower) and _LATER_EN.search(lower)) or _DEFERRED_EN.match(
            lower
        )
    failure = (_FAILURE_ZH if has_han(first) else _FAILURE_EN).search(lower)
    condition = _CONDITION_ZH.search(first) if has_han(first) else _CONDITION_EN.match(lower)
    if not (later or (condition and failure) or _supposed(found)):
        return found
    return [
        item
        if item.direction is None or item.direction.action == "credits"
        else _Found(item.clause, None)
        for item in found
    ]


def _later_tail(found: list[_Found]) -> bool:
    """ "You'll find it under Export > Formats if you ever need a GIF": the condition about
    a later time comes after the direction (English), in the direction's own clause or the
    last one; "Export it now, in case you need it later" is still now."""
    for item in found:
        masked = item.clause.masked
        if has_han(masked):
            continue
        lower = masked.lower()
        tail = _LATER_TAIL_EN.search(lower)
        if tail and _LATER_EN.search(lower, tail.start()):
            now = any(_NOW_EN.search(other.clause.masked.lower()) for other in found)
            return not now and any(
                other.direction is not None and other.direction.action not in (None, "credits")
                for other in found
            )
    return False


def _supposed(found: list[_Found]) -> bool:
    """After a condition, a direction said with "could" ("Once the client approves the cut,
    you could export a 4K master"), or with "can" for a time named ("If you want a vertical
    version later, you can export again at 9:16"), is a possibility, not a request now."""
    first = found[0].clause.masked
    zh = has_han(first)
    if not (_CONDITION_ZH.search(first) if zh else _CONDITION_EN.match(first.lower())):
        return False
    named = (_DEFERRED_ZH if zh else _DEFERRED_EN).search(first if zh else first.lower())
    for item in found[1:]:
        if item.direction is None or item.direction.action == "credits":
            continue
        lower = item.clause.masked.lower()
        if zh:
            if named and _CAN_ZH.search(lower):
                return True
        elif _HYPOTHETICAL_EN.search(lower) or (named and _CAN_EN.search(lower)):
            return True
    return False


def _negation_before(found: list[_Found]) -> list[_Found]:
    """ "不需要再上传Logo": a negation cut off as a clause of its own (a break before 再)
    still negates the direction it runs into; both stay as the backend wrote them."""
    result = list(found)
    for index in range(1, len(found)):
        before, item = found[index - 1], found[index]
        if before.direction is not None or item.direction is None:
            continue
        if item.direction.action == "credits" or before.clause.end != item.clause.start:
            continue
        negated = _NEGATION_END_ZH.search(before.clause.masked) is not None
        # "你可以稍后|再导出": later, not now (an export or upload only).
        later = item.direction.action in ("export", "upload") and bool(
            _DEFERRED_ZH.search(before.clause.masked)
        )
        if negated or later:
            result[index] = _Found(item.clause, None)
    return result


def _select_steps(found: list[_Found]) -> list[_Found]:
    """ "在轨道面板中选取「字幕A」，把它拖到0:02": selecting is a step of the edit after it."""
    result = list(found)
    for index in range(len(found) - 1):
        step, then = found[index].direction, found[index + 1].direction
        if then is None or then.action != "edit" or not then.message:
            continue
        clause = found[index].clause
        selected = step is None and _SELECT_FIRST.match(clause.masked.lower())
        clicked = step is not None and step.action == "edit" and not has_han(clause.masked)
        if (selected or clicked) and _PRONOUN.search(then.message.lower()):
            # "Select the second caption block and change its color to #FFD400", "Click on
            # Caption A in the Tracks panel and set its duration to 4s": one edit, and what
            # "its" is goes with it in the backend's words ("… (the second caption block)").
            named = _SELECTED_THING.match(clause.text)
            if named:
                message = f"{then.message} ({named.group('thing').strip()})"
                result[index] = _Found(clause, _NOWHERE)
                result[index + 1] = _Found(found[index + 1].clause, replace(then, message=message))
            continue
        if step is not None and step.action == "state" and _SELECT.search(clause.masked.lower()):
            result[index] = _Found(clause, _NOWHERE)
    return result


def _export_options(found: list[_Found]) -> list[_Found]:
    """ "Press Export and pick the MP4 preset", "点「下载」，然后选1080P": one export.

    A choice of format, resolution or preset next to an export is the export's option: it
    is never sent as an edit, and the sentence said in its place names it.
    """
    exports = [
        i for i, item in enumerate(found) if item.direction and item.direction.action == "export"
    ]
    if not exports:
        return found
    result = list(found)
    for index in exports:
        options: list[str] = []
        for other in (index + 1, index - 1):
            if not 0 <= other < len(found) or result[other].direction is _NOWHERE:
                continue
            neighbour = result[other].direction
            if neighbour is not None and neighbour.action not in (None, "edit"):
                continue
            option = _option(found[other].clause)
            if option:
                options.append(option)
                result[other] = _Found(found[other].clause, _NOWHERE)
        direction = result[index].direction
        if options and direction is not None:
            result[index] = _Found(
                found[index].clause,
                replace(
                    direction,
                    options="、".join(options) if has_han(options[0]) else ", ".join(options),
                ),
            )
    return result


def _upload_steps(found: list[_Found]) -> list[_Found]:
    """ "请点击上传，从电脑里选择PNG文件": choosing the file is a step of the upload before it.

    The choice is never sent as an edit (a name such as "PNG文件" read as a button's): it
    goes with the upload, and what it names is what the sentence said in the upload's place
    asks for ("直接在对话里发送PNG文件，…"). A choice that was no direction ("choose a file
    under 500 MB") stays as written.
    """
    result = list(found)
    for index in range(1, len(found)):
        upload, step = result[index - 1].direction, found[index].direction
        if upload is None or upload.action != "upload":
            continue
        if step is None or step.action != "edit":
            continue
        clause = found[index].clause
        zh = has_han(clause.masked)
        match = (_UPLOAD_PICK_ZH if zh else _UPLOAD_PICK_EN).match(
            clause.masked if zh else clause.masked.lower()
        )
        if match is None:
            continue
        thing = clause.masked[match.start("thing") : match.end("thing")]
        file = (_FILE_WORD_ZH if zh else _FILE_WORD_EN).search(thing.lower())
        if match.group("device") is None and file is None:
            continue  # "上传后选择「字幕B」": another choice, after the upload
        result[index] = _Found(clause, _NOWHERE)
        bare = thing.strip().lower() in ("it", "them", "one", "this", "that", "它", "它们")
        if upload.upload_of is None and not bare and _UI_WORD.search(thing.lower()) is None:
            span = (clause.start + match.start("thing"), clause.start + match.end("thing"))
            result[index - 1] = _Found(result[index - 1].clause, replace(upload, upload_of=span))
    return result


def _option(clause: Clause) -> str | None:
    pattern = _OPTION_ZH if has_han(clause.masked) else _OPTION_EN
    match = pattern.match(clause.masked)
    if match is None:
        return None
    return clause.text[match.start("option") : match.end("option")].strip() or None


def _purposes(found: list[_Found]) -> list[_Found]:
    """What a direction is for stays in the sentence said in its place, when it names content.

    "Tap the Download button to save your 12-second clip" → "To save your 12-second clip,
    I'll export it now."; "To see the final music placement, open the Tracks panel" → "To see
    the final music placement, here is the timeline:"; "打开素材库查看你上传的4个片段" → "为了查看
    你上传的4个片段，当前时间线如下：". "Click Export to download it as an MP4" says nothing more.
    """
    result = list(found)
    for index, item in enumerate(found):
        direction = item.direction
        if direction is None or direction.action is None or direction.stays:
            continue
        edit = direction.action == "edit"
        source, purpose = item.clause, _purpose(item.clause, own=True)
        before = found[index - 1] if index else None
        if purpose is None and before is not None and before.direction is None and not edit:
            source, purpose = before.clause, _purpose(before.clause, own=False)
        if purpose is not None:
            words = source.masked[purpose[0] - source.start : purpose[1] - source.start].lower()
            # An edit's "to drag the clip to 0:05" is the edit again; its message may say it.
            said = Clause(purpose[0], purpose[1], words, words)
            if edit and (
                _direction(said) is not None or words in (direction.message or "").lower()
            ):
                purpose = None
        if direction.action == "upload":
            upload_of = _upload_of(item.clause)
            if upload_of is not None:
                direction = replace(direction, upload_of=upload_of)
                result[index] = _Found(item.clause, direction)
        if purpose is not None:
            result[index] = _Found(item.clause, replace(direction, purpose=purpose))
    # "请点击导出，下载你的30秒预告片": the second export is said once, with the first.
    # "点击导出按钮，把「夏日海滩」保存到手机": a second export naming what is saved is the purpose.
    for index in range(1, len(result)):
        first, second = result[index - 1].direction, result[index].direction
        if first is None or second is None or first.purpose:
            continue
        if first.action != second.action or first.message != second.message:
            continue
        purpose = second.purpose or _second_says(result[index].clause)
        if purpose is not None:
            result[index - 1] = _Found(result[index - 1].clause, replace(first, purpose=purpose))
    return result


def _second_says(clause: Clause) -> tuple[int, int] | None:
    """The words of a repeated direction that name something ("把「夏日海滩」保存到手机")."""
    if not has_han(clause.masked) or (
        MASK not in clause.masked and not _DIGIT.search(clause.masked)
    ):
        return None
    body = ZH_LEAD.sub("", clause.masked)
    start = clause.start + len(clause.masked) - len(body)
    end = clause.start + len(_TAIL.sub("", clause.masked))
    return (start, end) if end > start else None


def _purpose(clause: Clause, *, own: bool) -> tuple[int, int] | None:
    """Where a clause states a purpose that names more than the action, in reply offsets.

    ``own``: the direction's own clause ("… to save your clip"); otherwise a clause leading
    into it, which must be all purpose ("To see the final music placement,").
    """
    masked = clause.masked
    if has_han(masked):
        match = (
            (_GETS_ZH.match(masked) or _PURPOSE_ZH.search(masked))
            if own
            else _LEAD_PURPOSE_ZH.match(masked)
        )
        if match is None:
            return None
        group = "purpose" if not own else ("marked" if match.group("marked") else "look")
        rest = _PURPOSE_GENERIC_ZH.sub("", masked[match.start(group) : match.end(group)].lower())
        span = (clause.start + match.start(group), clause.start + match.end(group))
        return span if re.search(r"\w", rest) else None
    lower = masked.lower()
    if not own:
        lead = _LEAD_PURPOSE_EN.match(lower)
        start, end = (lead.start("purpose"), lead.end("purpose")) if lead else (0, 0)
    else:
        start = end = 0
        gets = _GETS_EN.match(lower)
        if gets and not _UI_WORD.search(lower):  # a second clause saying what it gets
            start, end = gets.start("purpose"), gets.end("purpose")
        for match in () if gets else _PURPOSE_EN.finditer(lower):
            # "to Billing" names a place; "like me to caption" is another verb's infinitive.
            if not masked[match.end()].islower() or _PURPOSE_NOT_AFTER_EN.search(
                lower, 0, match.start()
            ):
                continue
            start = match.end()
            stop = _PURPOSE_END_EN.search(lower, start)
            end = stop.start() if stop else len(lower)
            break
    if end <= start:
        return None
    named = [w for w in re.findall(r"[\w'’-]+", lower[start:end]) if w not in _PURPOSE_GENERIC_EN]
    return (clause.start + start, clause.start + end) if named else None


_UPLOAD_OF_EN = re.compile(
    r"^(?:(?:please|just|now|first|then|and|so)\s+)*(?:"
    + prefix_pattern(UPLOAD_VERBS_EN, exact=True)
    + r")\s+(?P<thing>(?:your|the|a|an|some)\s+.+?)(?=\s+(?:"
    + prefix_pattern(UPLOAD_OBJECT_END_EN, exact=True)
    + r")\b|[\s,.;:!?…]*$)"
)
_UPLOAD_OF_ZH = re.compile(
    r"^(?:请|先|再|然后|直接|可以|你可以|您可以)*(?:"
    + prefix_pattern(UPLOAD_VERBS_ZH, exact=True)
    + r")(?P<thing>(?:你的|您的|一个|一段|一张|一份)[^，。！？；、\s]+?)(?:吧|即可|就行了?|就好)?"
    r"[。！？.!?…]*$"
)


def _upload_of(clause: Clause) -> tuple[int, int] | None:
    """Where an upload direction names what to send, if that is more than "your video"."""
    masked = clause.masked
    zh = has_han(masked)
    match = (_UPLOAD_OF_ZH if zh else _UPLOAD_OF_EN).match(masked if zh else masked.lower())
    if match is None:
        return None
    words = masked[match.start("thing") : match.end("thing")].lower()
    if zh:
        named = bool(re.search(r"\w", _PURPOSE_GENERIC_ZH.sub("", words[2:])))
    else:
        tokens = re.findall(r"[\w'’-]+", words)
        named = any(w not in _PURPOSE_GENERIC_EN for w in tokens)
        named = named and not _RELATIVE_EN.intersection(tokens)
    if not named or _UI_WORD.search(words):
        return None
    return clause.start + match.start("thing"), clause.start + match.end("thing")


_RELATIVE_EN = frozenset(RELATIVE_WORDS_EN)
_UI_WORD = re.compile(r"\b(?:" + prefix_pattern(UI_NOUNS_EN, exact=True) + r")\b|按钮")
_LEAD_PURPOSE_EN = re.compile(
    r"^(?:(?:so|and|then|just)\s+)*(?:to|in order to)\s+(?P<purpose>[a-z][^,;]*?)[\s,:;—–-]*$"
)
_LEAD_PURPOSE_ZH = re.compile(r"^为了(?P<purpose>[^，。！？；]+?)[，,：:]*$")


def _account_edits(found: list[_Found]) -> list[_Found]:
    """ "Click the Profile button to change your password", "点击个人头像，修改昵称": an edit
    of the account or the app, not the video, is nothing the backend does. No action; the
    sentence stays as the backend wrote it (its click is no step towards anything)."""
    edits = [
        i
        for i, item in enumerate(found)
        if item.direction is not None
        and item.direction.action == "edit"
        and (_ACCOUNT_ZH if has_han(item.direction.message or "") else _ACCOUNT_EN).search(
            (item.direction.message or "").lower()
        )
    ]
    if not edits:
        return found
    others = any(
        item.direction is not None and item.direction.action not in (None, "edit")
        for i, item in enumerate(found)
        if i not in edits
    )
    return [
        _Found(item.clause, None)
        if i in edits
        or (not others and item.direction is not None and item.direction.action is None)
        else item
        for i, item in enumerate(found)
    ]


def _steps_kept(found: list[_Found]) -> list[_Found]:
    """A navigation step ("Click your avatar") with nothing else to do stays as written.

    It is removed only as a step towards another direction of the sentence ("Tap ⋯, then
    Export"); alone, removing it would shorten the reply for nothing.
    """
    steps = [
        i
        for i, item in enumerate(found)
        if item.direction is not None
        and item.direction is not _NOWHERE
        and item.direction.action is None
        and item.direction.note is None
    ]
    if not steps:
        return found
    if any(
        item.direction is not None and (item.direction.action is not None or item.direction.note)
        for item in found
    ):
        return found
    return [_Found(item.clause, None) if i in steps else item for i, item in enumerate(found)]


def _watching(text: str, clause: Clause) -> list[_Found]:
    """A direction to watch progress in the GUI: said in words, never a timeline or export.

    What comes before it in the clause may be a direction of its own ("Click Export and
    then the Tracks panel to watch the progress" exports; the panel only served watching).
    """
    at = progress_at(clause)
    if at is None:
        return []
    head = _part(text, clause, 0, at) if at else None
    # "可在导出面板中查看进度": a place to watch in, not a direction of its own.
    first = _direction(head) if head and not _WATCH_PLACE_ZH.match(head.masked) else None
    tail = _part(text, clause, at, len(clause.masked))
    # A state before it only names where to watch ("open the timeline and watch…").
    if head and tail and first is not None and first.action not in (None, "state"):
        return [_Found(head, first), _Found(tail, PROGRESS)]
    main = _MAIN_CLAUSE.match(head.masked) if head and first is None else None
    if head and main:  # content of its own: "Rendering has started and you can watch…"
        content = _part(text, head, 0, main.end(1))
        rest = _part(text, clause, head.start - clause.start + main.end(1), len(clause.masked))
        if content and rest:
            return [_Found(content, None), _Found(rest, PROGRESS)]
    return [_Found(clause, PROGRESS)]


def _offer_context(found: list[_Found]) -> list[_Found]:
    """An offer takes its topic from the clause before it that says what for.

    "To swap scenes, drag the clip to its new place" / "如需调整顺序，直接拖动片段" → "swap
    scenes" / "调整顺序"; "You can rearrange the clips by dragging them" is one offer about
    "rearrange the clips", and "reposition the logo by dragging it" one offer, not two.
    """
    result = list(found)
    for index in range(1, len(found)):
        offer, before = found[index].direction, found[index - 1]
        if offer is None or offer.note != "offer":
            continue
        by = _BY.match(found[index].clause.masked) is not None
        if before.direction is not None:
            first = result[index - 1].direction
            if first is not None and first.note == "offer":  # one offer per sentence
                result[index - 1] = _Found(before.clause, _joined(first, offer, by))
                result[index] = _Found(found[index].clause, _NOWHERE)
            continue
        if not (by or (offer.topic is None and _is_dependent(before.clause))):
            continue
        lead = 0 if has_han(before.clause.masked) else lead_end(before.clause.masked)
        topic = offer_topic(before.clause.text[lead:].strip())
        if topic is None or bool(has_han(topic)) != (offer.words == "zh"):
            continue
        merged = replace(offer, topic=topic, thing=None)
        if by:  # the clause before is the offer itself; "by dragging them" goes
            result[index - 1], result[index] = (
                _Found(before.clause, merged),
                _Found(found[index].clause, _NOWHERE),
            )
        else:
            result[index] = _Found(found[index].clause, merged)
    return result


def _joined(first: Direction, second: Direction, by: bool) -> Direction:
    """Two offers in one sentence said as one: "…to change its timing or reorder the clips…"."""
    if by or not first.topic or not second.topic or first.words != second.words:
        return first
    joint = "或" if first.words == "zh" else " or "
    return replace(first, topic=f"{first.topic}{joint}{second.topic}")


def _watch_only(found: list[_Found]) -> list[_Found]:
    """In a sentence about watching progress, a timeline or panel is only where to watch.

    "Open the timeline and watch the progress bar" must not show a timeline mid-generation.
    """
    if not any(item.direction is PROGRESS for item in found):
        return found
    return [
        _Found(item.clause, _NOWHERE)
        if item.direction is not None and item.direction.action == "state"
        else item
        for item in found
    ]


def _direction(clause: Clause) -> Direction | None:
    if not _triggered(clause.masked):
        return None
    language = "zh" if has_han(clause.masked) else "en"
    # English rules first: the first family that recognises the clause decides.
    direction = find_en(clause, language) or find_zh(clause, language)
    if direction is None or direction.action == "credits":
        return direction
    if _negated(clause.masked) or _located(clause.masked) or _before(clause.masked):
        return None
    if has_han(clause.masked) and _LEAD_PURPOSE_ZH.match(clause.masked):
        return None  # "为了查看新的字幕轨道，…": what the next clause is for, not a direction
    if direction.action in ("export", "upload") and _available(clause.masked):
        return None
    if direction.action == "upload" and _published(clause.masked):
        return None
    return direction


def _located(masked: str) -> bool:
    """ "The Export button sits in the top right corner", "导出按钮在右上角": the element is
    the subject of a sentence about where it is, so nothing is asked of the user."""
    if has_han(masked):
        return _LOCATED_ZH.match(masked) is not None
    return _LOCATED_EN.match(masked.lower()) is not None


def _before(masked: str) -> bool:
    """ "Before you click Export,", "点击导出前，": when the next step happens, not a request."""
    if has_han(masked):
        return _BEFORE_ZH.search(masked) is not None
    return _BEFORE_EN.match(masked.lower()) is not None


def _published(masked: str) -> bool:
    """ "You might want to upload it to YouTube yourself", "上传到抖音": a place to publish."""
    if has_han(masked):
        return _PLATFORM_ZH.search(masked.lower()) is not None
    return _PLATFORM_EN.search(masked.lower()) is not None


def _available(masked: str) -> bool:
    """ "You can download it any time", "你可以随时重新导出": what is there, not a request;
    "try exporting again in a few minutes", "稍后再下载": not now."""
    lower = masked.lower()
    if has_han(masked):
        deferred = _DEFERRED_ZH.search(masked)
        return bool(deferred or (_CAN_ZH.search(masked) and _ANYTIME_ZH.search(masked)))
    deferred = _DEFERRED_EN.search(lower)
    return bool(deferred or (_CAN_EN.search(lower) and _ANYTIME_EN.search(lower)))


def _negated(masked: str) -> bool:
    """A negation before the first GUI word: "no need to press Download yet", "先别点下载"."""
    lower = masked.lower()
    trigger = _TRIGGER_EN.search(lower)
    trigger_zh = _TRIGGER_ZH.search(masked)
    if trigger_zh and (trigger is None or trigger_zh.start() < trigger.start()):
        trigger = trigger_zh
    head = lower[: trigger.start()] if trigger else lower
    if has_han(head):
        return _NEGATION_ZH.search(_NEGATION_EXCEPT_ZH.sub("", head)) is not None
    return _NEGATION_EN.search(_NEGATION_EXCEPT_EN.sub("", head)) is not None


def _coordinated(text: str, clause: Clause, direction: Direction) -> list[_Found]:
    """Two directions in one clause: "Click Export and the Tracks panel", "点击导出后打开…".

    Split only when both halves are directions for different actions, so a clause that
    merely goes on ("Click Generate and the preview updates") stays whole.
    """
    masked, lower = clause.masked, clause.masked.lower()
    joints: tuple[re.Pattern[str], ...] = ()
    if "and " in lower or "then " in lower:
        joints += (_AND_ELEMENT,)
    if "后" in masked:
        joints += (_ZH_AFTER,)
    for joint in joints:  # the string tests are the cheap pre-filter of each regex
        cut = joint.search(masked)
        if cut is None:
            continue
        # "后" stays with the first half: "导出视频后…" is a time clause, "点击导出后…" a click.
        head = _part(text, clause, 0, cut.start() if joint is _AND_ELEMENT else cut.end())
        tail = _part(text, clause, cut.end(), len(masked))
        first = _direction(head) if head else None
        second = _direction(tail) if tail else None
        if (
            first is not None
            and second is not None
            and first.action is not None
            and second.action is not None
            and (first.action, first.message) != (second.action, second.message)
        ):
            return [_Found(head, first), _Found(tail, second)] if head and tail else []
    return [_Found(clause, direction)]


def _part(text: str, clause: Clause, start: int, end: int) -> Clause | None:
    piece = clause.masked[start:end]
    start += len(piece) - len(piece.lstrip())
    end -= len(piece) - len(piece.rstrip())
    if end <= start:
        return None
    begin, stop = clause.start + start, clause.start + end
    return Clause(begin, stop, text[begin:stop], clause.masked[start:end])


def _inherit_purpose(found: list[_Found]) -> list[_Found]:
    """Give a bare navigation step ("tap ⋯", "双击轨道") the action its neighbours name.

    A purpose before it ("To export, tap ⋯") lends its action; an imperative edit after it
    ("双击背景音乐轨道，把音量调到20%") becomes the edit.
    """
    result = list(found)
    for index, item in enumerate(found):
        if item.direction is None or item.direction.action is not None or item.direction.note:
            continue
        before = found[index - 1] if index else None
        after = found[index + 1] if index + 1 < len(found) else None
        if before and before.direction is None and _is_dependent(before.clause):
            action = classify(before.clause.text)
            if action is not None and action != "state":
                result[index] = _Found(item.clause, Direction(action))
                continue
        if after and after.direction is None:
            message = _edit_request(after.clause.text)
            if message:
                result[index + 1] = _Found(after.clause, Direction("edit", message))
    return result


def _edit_request(text: str) -> str | None:
    body = ZH_LEAD.sub("", text.strip())
    if _ZH_EDIT.match(body) or EDIT_VERB.match(body):
        return _TAIL.sub("", body).strip() or None
    return None


def _is_lead_in(clause: Clause) -> bool:
    """Only connectors, or a condition/time/purpose clause leading into the direction.

    One that names a number ("If the music is too loud at 0:12,") says something of its
    own and stays.
    """
    masked = clause.masked
    if _CONNECTORS_ONLY.match(masked):
        return True
    if _DIGIT.search(masked):
        return False
    if has_han(masked):
        return _LEAD_IN_ZH.search(masked) is not None
    return _LEAD_IN_EN.match(masked) is not None


def _is_dependent(clause: Clause) -> bool:
    return bool(_DEPENDENT_EN.match(clause.masked) or _DEPENDENT_ZH.search(clause.masked))


def _rewrite(
    source: str,
    founds: list[_Found],
    lang: str,
    actions: list[GuiAction],
    seen: set[tuple[str, str | None]],
    script: _Script,
) -> str:
    keep = _kept(founds)
    out: list[str] = []
    run: list[Clause] = []
    after_run: list[str] = []  # sentences for directions whose clause stays ("积分不足")

    def flush() -> None:
        if run:
            out.append(_content(source, run, lang))
            run.clear()
        out.extend(after_run)
        after_run.clear()

    for found, kept in zip(founds, keep, strict=True):
        direction = found.direction
        if kept:
            run.append(found.clause)
            if direction is None or not direction.stays:
                continue
        else:
            flush()
        if direction is None or (direction.action is None and direction.note is None):
            continue
        key: tuple[str, str | None]
        if direction.action is None:
            key = (f"note:{direction.note}", f"{direction.topic}/{direction.thing}")
        else:
            key = (direction.action, direction.message)
        if key in seen:
            continue
        seen.add(key)
        if direction.action is not None:
            # The backend's own words (not ``source``: _content still slices that).
            said = source[found.clause.start : found.clause.end].strip()
            message = script(direction.message) if direction.message else None
            actions.append(GuiAction(direction.action, message, said))
        sentence = script(_replacement(direction, lang))
        if direction.upload_of is not None:
            start, end = direction.upload_of
            framed = script(say("gui_upload_thing", lang, thing=_PURPOSE_SLOT))
            sentence = framed.replace(_PURPOSE_SLOT, source[start:end])
        if direction.purpose and direction.action is not None:
            start, end = direction.purpose
            sentence = _with_purpose(source[start:end], sentence, lang, script)
        (after_run if kept else out).append(sentence)
    flush()
    return ("" if lang == "zh" else " ").join(piece for piece in out if piece)


_PURPOSE_SLOT = "\ue000"  # stands for the backend's words while the wording is converted


def _with_purpose(purpose: str, sentence: str, lang: str, script: _Script) -> str:
    """ "To save your 12-second clip, I'll export it now.": the backend's words, unconverted."""
    if lang != "zh" and not re.match(r"I\b|[A-Z]{2}", sentence):
        sentence = sentence[:1].lower() + sentence[1:]
    framed = script(say("gui_purpose", lang, purpose=_PURPOSE_SLOT, sentence=_PURPOSE_SLOT * 2))
    return framed.replace(_PURPOSE_SLOT * 2, sentence).replace(_PURPOSE_SLOT, purpose)


def _kept(founds: list[_Found]) -> list[bool]:
    """Which clauses stay: content, minus what only led into or followed a direction."""
    keep = [found.direction is None or found.direction.stays for found in founds]
    for index, found in enumerate(founds):
        if found.direction is None or found.direction.stays:
            continue
        for step in (-1, 1):
            other = index + step
            while 0 <= other < len(founds) and keep[other] and _is_lead_in(founds[other].clause):
                keep[other] = False
                other += step
    return keep


def _content(source: str, run: list[Clause], lang: str) -> str:
    """The kept clauses of a sentence as a sentence of their own, brackets balanced."""
    start, end = _balanced(source, run[0].start, run[-1].end)
    text = source[start:end]
    text = _LEADING_CONNECTOR.sub("", text.strip()).strip()
    body = _TRAILING_CONNECTOR.sub("", text).strip() if not _TERMINAL.search(text) else text
    if not body or not re.search(r"\w", body):
        return ""
    colon = source[end : end + 1]
    if colon in (":", "：") and not _TERMINAL.search(body) and source[end + 1 :].strip():
        # "Here's the plan: click Import…": the lead-in still introduces what is said next.
        body += colon
    elif not _TERMINAL.search(body) and "://" not in body.rsplit(None, 1)[-1]:
        body += "。" if lang == "zh" or has_han(body[-1:]) else "."
    # A sentence starts with a capital, but a name stays as written ("beach.mp4", "iPhone").
    return body[:1].upper() + body[1:] if _PLAIN_WORD.match(body) else body


_DIGIT = re.compile(r"\d")
_OPENING, _CLOSING = "(（[【", ")）]】"
_PLAIN_WORD = re.compile(r"[a-z]+(?:[\s,;!?]|:(?!//)|$)")


def _balanced(source: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` over the bracket a cut left open: "（50%" → "（50%）"."""
    for opening, closing in zip(_OPENING, _CLOSING, strict=True):
        piece = source[start:end]
        while piece.count(opening) > piece.count(closing):
            found = source.find(closing, end)
            if found < 0 or source[end:found].strip(" ，,。"):
                break
            end = found + 1
            piece = source[start:end]
        while piece.count(closing) > piece.count(opening):
            found = source.rfind(opening, 0, start)
            if found < 0 or source[found + 1 : start].strip(" ，,"):
                break
            start = found
            piece = source[start:end]
    return start, end


def _replacement(direction: Direction, lang: str) -> str:
    if direction.note == "offer":
        if direction.words != lang:  # the clause's own words only in the reply's language
            return say_fixed("gui_offer", lang, topic=None, thing=None)
        return say("gui_offer", lang, topic=direction.topic, thing=direction.thing)
    if direction.note == "progress":
        return say_fixed("gui_progress", lang)
    action = direction.action
    if action == "edit" and direction.message:
        return say("gui_edit", lang, message=direction.message, phrase=_phrase(direction.message))
    if action == "state":
        return say_fixed("gui_state", lang, last=False)
    if action == "export" and direction.options:
        return say("gui_export_options", lang, options=direction.options)
    return say_fixed(f"gui_{action}", lang)


def _phrase(message: str) -> str:
    """``Move the clip`` → ``move the clip``, but ``BGM louder`` stays as it is."""
    if len(message) > 1 and message[1].isupper():
        return message
    return message[:1].lower() + message[1:]


def _join(pieces: list[tuple[str, str]], tail: str) -> str:
    out: list[str] = []
    carry: str | None = None  # the separator in front of a removed sentence
    for separator, sentence in pieces:
        if not sentence:
            if carry is None or ("\n" in separator and "\n" not in carry):
                carry = separator
            continue
        if carry is not None and (not out or ("\n" in carry and "\n" not in separator)):
            separator = carry
        carry = None
        out.append(separator + sentence)
    return "".join(out) + tail


_Step = Callable[[list[_Found]], list[_Found]]

#: What is decided about a sentence once each clause has been judged, in this order. Each
#: step is a small named function; ``SENTENCE_EXAMPLES`` gives each its examples (a test
#: runs them all through ``translate``).
SENTENCE_STEPS: tuple[_Step, ...] = (
    _inherit_purpose,
    _watch_only,
    _offer_context,
    _negation_before,
    _in_a_scene,
    _for_later,
    _select_steps,
    _export_options,
    _upload_steps,
    _purposes,
    _account_edits,
    _steps_kept,
)
#: text → the action types ``translate`` gives it, per step.
SENTENCE_EXAMPLES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "_inherit_purpose": (
        ("To export, tap ⋯.", ("export",)),
        ("双击背景音乐轨道，把音量调到20%。", ("edit",)),
    ),
    "_watch_only": (("Open the timeline and watch the progress bar.", ()),),
    "_offer_context": (("To swap scenes, drag the clip to its new place.", ()),),
    "_in_a_scene": (
        ("In the video, a chef taps the Export button.", ()),
        ("视频中，一个女孩按下了下载按钮。", ()),
        ("片头比音乐长了3秒，把片头缩短3秒。", ("edit",)),  # the intro itself, no scene
    ),
    "_for_later": (
        ("Should you need a GIF version some day, the Export menu has it.", ()),
        ("如果之后想要竖屏版本，导出设置里可以选择9:16。", ()),
        ("If you'd like it later, drag it to 0:02.", ("edit",)),  # "it later": its time
        # "you later want": the want is later ("you'll find it under Export > Formats")
        ("If you later want a vertical version, you'll find it under Export > Formats.", ()),
        ("You'll find it under Export > Formats if you ever need a GIF.", ()),  # after it
        ("Export it now, in case you need it later.", ("export",)),
        ("Once the client approves the cut, you could export a 4K master.", ()),
        ("If you want a vertical version later, you can export again at 9:16.", ()),
        ("If you're happy with it, you can click Export.", ("export",)),
        ("If the download fails, tap Export again.", ()),
        ("如果导出失败，再点一次导出。", ()),
    ),
    "_upload_steps": (
        ("要加你的Logo，请点击上传，从电脑里选择PNG文件。", ("upload",)),
        ("Click Upload, then choose the PNG file from your computer.", ("upload",)),
        ("请点击上传，然后选择「字幕B」。", ("upload", "edit")),  # not the file: its own edit
    ),
    "_account_edits": (
        ("Click the Profile button to change your password.", ()),
        ("点击个人头像，修改昵称。", ()),
        ("Click Generate to change the music.", ("edit",)),  # the video: an edit
    ),
    "_negation_before": (
        ("不需要再上传Logo，我会用你之前传的PNG。", ()),
        ("先上传Logo，再点击导出。", ("upload", "export")),
        ("你可以稍后再导出。", ()),
    ),
    "_select_steps": (
        ("在轨道面板中选取「字幕A」，把它拖到0:02开始。", ("edit",)),
        ("Select the second caption block and change its color to #FFD400.", ("edit",)),
        ("Select the intro clip.", ()),
        ("Click on Caption A in the Tracks panel and set its duration to 4s.", ("edit",)),
    ),
    "_export_options": (
        ("Press Export and pick the MP4 preset.", ("export",)),
        ("点「下载」，然后选1080P。", ("export",)),
    ),
    "_purposes": (
        ("Tap the Download button to save your 12-second clip.", ("export",)),
        ("打开素材库查看你上传的4个片段。", ("state",)),
        ("Click Export to download it as an MP4.", ("export",)),
        ("Upload your logo first, then click Export.", ("upload", "export")),
        ("Select 'Captions B' in the Tracks panel to apply the bold style.", ("edit",)),
        ("请点击导出，下载你的30秒预告片。", ("export",)),
    ),
    "_steps_kept": (("Click your avatar.", ()), ("Tap ⋯, then Export.", ("export",))),
}
