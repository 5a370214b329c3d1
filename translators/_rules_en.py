"""Rules for GUI directions written in English: imperative verb + UI element, in order."""

from __future__ import annotations

import re
from collections.abc import Callable

from skillrt.translators._direction import Direction
from skillrt.translators._lexicon import (
    COMPOUND_AFTER_EN,
    EDITABLE_EN,
    NARRATION_EN,
    NOT_DROPPED_EN,
    PLACE_PREPOSITIONS_EN,
    SET_VERBS_EN,
)
from skillrt.translators._models import ActionType
from skillrt.translators._offer import drag_en
from skillrt.translators._targets import (
    EDIT_VERB,
    classify,
    is_action_label,
    is_label,
    is_navigation,
    label_core,
    label_message,
)
from skillrt.translators._text import Clause, prefix_pattern

__all__ = ["EXAMPLES", "find_en", "is_own_en", "lead_end"]

# Words that may come before the verb of a direction: connectors, politeness, modals and
# the subordinators of "once you click Export" / "by dragging the clip".
_LEAD = re.compile(
    r"(?:(?:and|then|so|or|but|now|just|simply|please|kindly|first(?:ly)?|next|finally|lastly"
    r"|also|always|afterwards|after that|again|quickly|directly|here|there|from (?:here|there)"
    r"|ok(?:ay)?|alternatively|otherwise|instead|to do (?:so|this|that|it)|easily|either"
    r"|you(?:'ll|'d| will| would| can| could| may| might| should| must)?|can|could|may|might"
    r"|will|would|should|must|need to|have to|want to|wish to|like to|be able to|feel free to"
    r"|go ahead and|try(?: to)?|be sure to|make sure (?:to|you)|don't forget to|remember to"
    r"|all you (?:need|have) to do is|the next step is to|step \d+|why not|if|once|when"
    r"|whenever|after|before|as soon as|until|by|upon|in order to|while"
    r"|(?:i|we|i'd)(?: would)? (?:recommend|suggest)(?: that)?(?: you)?)\b[\s,:]*)*",
    re.IGNORECASE,
)
_SELF = re.compile(
    r"^(?:(?:and|but|so|then|now|also|ok(?:ay)?|great|done)[\s,!]+)*"
    r"(?!(?:i|we|i'd)(?: would)? (?:recommend|suggest))"
    r"(?:i|i'll|i've|i'm|i'd|we|we'll|we've|we're|let me|let's|my|our)\b",
    re.IGNORECASE,
)
_ING = re.compile(r"ing\b", re.IGNORECASE)
_LATIN = re.compile(r"[A-Za-z]")
_NOT_NOW = re.compile(r"\b(?:before|without|instead of)(?: you)?\W*$", re.IGNORECASE)
# An export named inside a condition or a time clause ("if you want to export later", "when
# you export", "after exporting") is a mention, not a request to export now.
_CONDITION = re.compile(
    r"\b(?:if|when|whenever|once|after|before|until|as soon as|while|upon|unless|in case)\b"
    r"|^\W*should you\b",
    re.IGNORECASE,
)
_ING_LEAD = re.compile(
    r"\b(?:by|after|when|while|once|upon|try|start|keep|recommend|suggest)\W*$",
    re.IGNORECASE,
)
_END_PUNCT = re.compile(r"[\s.!?…:;,]+$")

_CLICK = r"(?:double[- ]?|right[- ]?|left[- ]?)?(?:click|tap|press|hit|push)(?:ing|s)?"
_CHOOSE = (
    r"(?:select(?:ing)?|choos(?:e|ing)|pick(?:ing)?|us(?:e|ing)|find|locate|look for"
    r"|go(?:ing)? (?:back )?to|head (?:over |back )?to|navigate to|switch(?:ing)? to|visit|toggle)"
)
_OPEN = (
    r"(?:open(?:ing)?|expand|check(?: out)?|view|see|look at|preview|play|watch|review"
    r"|take a (?:look|peek) at|have a look at|inspect|scroll (?:down |up )?to|show)"
)
_CREDIT = r"(?:top(?:ping)? up|recharge|buy|purchase|get|add|upgrade|refill|manage|monitor)"
_TARGET_VERB = re.compile(
    rf"(?:(?P<click>{_CLICK})|(?P<choose>{_CHOOSE})|(?P<open>{_OPEN})|(?P<credit>{_CREDIT}))"
    r"\b(?:\s+on)?\s*",
    re.IGNORECASE,
)
_CLICK_ANYWHERE = re.compile(
    r"\b(?:click|tap)(?:ing)?\s+on\s+(?=[\"“‘'\x1aA-Z])|\b(?:click|tap)(?:ing)?\s+(?=[\"“‘])"
)
_PURPOSE = re.compile(
    r"(?<!\bnext)(?<!\bclose)(?<!\bup)\s+(?:to|so that|so|in order to)\s+(?!the\b|your\b|its\b)",
    re.IGNORECASE,
)
_OBJECT_END = re.compile(
    r"\s+(?:in|on|at|from|inside|within|under|near|next to|beside|above|below|of|when|once"
    r"|if|after|and|or|then|for|whenever|until)\b|\s*[,;]",
    re.IGNORECASE,
)
# "Export started", "the upload has finished": the word is the subject of a report.
_NOUN_NEXT = (
    r"\s+(?:has|have|had|were|started|starts|began|begins|finished|failed|completed?|succeeded"
    r"|queued|progress|status|stopped|timed)\b"
)
# "Drop a comment", "drop us a line": said to a viewer, nothing to drag.
_NOT_DROPPED = (
    r"(?!\s+(?:(?:us|me|them|him|her)\s+)?(?:(?:a|an|your|some)\s+)?(?:"
    + prefix_pattern(NOT_DROPPED_EN, exact=True)
    + r")\b)"
)
_COMPOUND = r"(?!\s+(?:" + prefix_pattern(COMPOUND_AFTER_EN, exact=True) + r")\b)"
_EXPORT_VERB = re.compile(
    rf"(?:export|download|render)(?:ing)?\b(?!\s+(?:is|are|was|takes|will)\b)(?!{_NOUN_NEXT})"
    + _COMPOUND
    + r"|save\b(?:\s+\w+){0,2}\s+to\s+(?:your\s+)?(?:device|computer|phone|desktop|disk|drive"
    r"|gallery|camera roll)",
    re.IGNORECASE,
)
_UPLOAD_VERB = re.compile(
    rf"(?:upload|import)(?:ing)?\b(?!\s+(?:is|are|was|takes|will)\b)(?!{_NOUN_NEXT})" + _COMPOUND,
    re.IGNORECASE,
)
_DRAG = re.compile(
    r"(?:drag(?:ging)?(?:\s*(?:and|&|n'?|-and-)\s*drop(?:ping)?)?|drop(?:ping)?"
    + _NOT_DROPPED
    + r"|slid(?:e|ing)"
    r"|pull|move|moving|reposition|shift|nudge)\s+(?=(?:the|your|this|that|these|those|it|them"
    r"|each|both|a|an|one|another|some|any|more|new|over|its|their|his|her|clip|track|segment|title"
    r"|caption|text|bgm|music|audio"
    r"|logo|sticker|slider|handle|edge|end|start|playhead|marker|scene|files?|video|footage"
    r"|photos?|images?|things|everything|elements|layers|items|objects)\b)",
    re.IGNORECASE,
)
_FILE_OBJECT = re.compile(
    r"(?:(?:your|a|an|some|any|more|new|another)\s+(?:own\s+)?(?:\w+\s+)?"
    r"(?:files?|footage|media|photos?|images?|recordings?|assets?|mp4s?|clips?|videos?|songs?)"
    r"|(?:the\s+)?(?:\w+\s+)?(?:files?|footage|media|recordings?|assets?|mp4s?))\b"
    r"|.*\b(?:here|upload|this (?:window|page|area)|the (?:page|browser|drop zone))\b",
    re.IGNORECASE,
)
_MEDIA = (
    r"(?:clips?|videos?|footage|files?|photos?|images?|pictures?|media|songs?|recordings?|mp4s?)"
)
# New media dragged into the editor as a whole ("drag a clip into the timeline") is an upload;
# something already there ("the BGM", "the second clip", "it") or a position ("to the start
# of the timeline") makes it a move, an edit.
_INTO_EDITOR = re.compile(
    r"(?:(?:the|a|an|your|some|any|more|new|another)\s+)?(?:(?:own|new|video|audio|media)\s+)?"
    + _MEDIA
    + r"\s+(?:in|into|onto|on|to)\s+(?:the\s+|your\s+)?(?:timeline|editor|canvas|project|tracks?)\b"
    r"(?!\s*['’]s|\s+(?:at|after|before|between|from|so|until)\b|\s+to\s+(?:the|a|an|its|\d|position)\b)",
    re.IGNORECASE,
)
_SET = re.compile(r"(?:" + prefix_pattern(SET_VERBS_EN, exact=True) + r")\s+(?=\S)", re.I)
# The value: "to 48", "to 20%", "to #FFD400", "at 0:05", "by 2 seconds".
_VALUE = re.compile(
    r"\b(?:to|at|by|into)\s+(?:about\s+|around\s+)?(?:#[0-9a-f]{3,8}\b|[\d.:]+)", re.I
)
# "in the Style panel": where in the GUI, not part of the edit.
_PANEL_PLACE = re.compile(
    r"\s+(?:in|on|from|using|via)\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+)?\s+(?:panel|tab|menu|sidebar"
    r"|inspector|settings|toolbar|section|dialog|window)\b",
    re.I,
)
_EDITABLE = re.compile(r"\b(?:" + prefix_pattern(EDITABLE_EN, exact=True) + r")s?\b", re.I)
_ON_TIMELINE = re.compile(r"\b(?:timeline|track)\b")
_FROM_DEVICE = re.compile(
    r"\bfrom (?:your|my|the) (?:computer|desktop|device|phone|laptop|folder|files|downloads"
    r"|file (?:manager|browser)|finder|explorer)\b",
    re.IGNORECASE,
)
_GUI_PLACE = re.compile(
    r"\s+(?:on|in|onto|into|within|inside|along|across)\s+(?:the\s+)?(?:timeline|track(?:s)? "
    r"(?:panel|view)|editor|preview(?: window)?|canvas|[A-Z]\w* panel)\b"
    r"|\s+(?:with|using) (?:your|the) (?:mouse|cursor|handles?)\b",
)
_INSUFFICIENT = re.compile(
    r"\b(?:not enough|insufficient|out of|run(?:ning)? (?:low on|out of)|low on|no more"
    r"|short on)\s+(?:\w+\s+)?(?:credits?|balance|points)\b|\btop[- ]?up\b",
    re.IGNORECASE,
)
_NOUN = re.compile(
    r"(?P<label>[\"“‘'][^\"”’']+[\"”’']|[A-Za-z][\w+-]*(?:\s+[A-Za-z][\w+-]*){0,2})\s+"
    r"(?P<noun>buttons?|icons?|tabs?|menus?|panels?|pages?|options?|sidebar|toolbar|links?"
    r"|windows?|area|dialog|section|screen|dashboard|settings|view|pane|zone|library)\b"
)
_NARRATION = re.compile(r"\b(?:" + prefix_pattern(NARRATION_EN, exact=True) + r")\b", re.IGNORECASE)
_INDEFINITE = re.compile(r"\b(?:a|an|another|some|any)\s+(?:[\"“‘'][^\"”’']*[\"”’']\s*)?$", re.I)
# Where an element is: "in the media library", "from the Export menu" — or "is at the top".
_PLACE_WORDS = r"(?:" + prefix_pattern(PLACE_PREPOSITIONS_EN, exact=True) + r")"
_PLACED_BEFORE = re.compile(
    r"\b" + _PLACE_WORDS + r"\s+(?:(?:the|your|my|our|this)\s+)?$", re.IGNORECASE
)
_PLACED_AFTER = re.compile(
    r"\s*[.!?…]*$|\s+(?:is|are|'s|sits|lives|can be found|appears|will be|should be)\s+"
    r"(?:(?:now|right|just|always|also)\s+)?" + _PLACE_WORDS + r"\b",
    re.IGNORECASE,
)
_CONTINUE = re.compile(r"\s*,?\s*(?:and|then|and then)\s+", re.IGNORECASE)
_WIDGET = re.compile(
    r"\b(?:slider|button|icon|handle|knob|toggle|dropdown|drop-down|checkbox|menu)s?\b", re.I
)
_LIBRARY_NAMES = re.compile(r"\b(?:media|assets?|uploads?|clips?|project)$", re.IGNORECASE)
_PANEL_NAMES = re.compile(
    r"\b(?:tracks?|captions?|subtitles?|text|audio|music|effects?|properties|media|metadata"
    r"|layers?|editing|inspector|timeline|assets|transitions?)$",
    re.IGNORECASE,
)


def is_own_en(masked: str) -> bool:
    """True when the clause is the backend speaking of itself ("I've exported…")."""
    return _SELF.match(masked) is not None


def lead_end(masked: str) -> int:
    """Where the verb of a direction would start, after connectors, modals and politeness."""
    match = _LEAD.match(masked)
    return match.end() if match else 0


def _verb_at(
    masked: str, start: int, pattern: re.Pattern[str], *, doing: bool = False
) -> re.Match[str] | None:
    match = pattern.match(masked, start)
    # "Exporting takes a minute" is a subject; "by exporting" and "try dragging" are not.
    if match and _ING.search(match.group().split()[0]) and not _ING_LEAD.search(masked[:start]):
        return None
    # "before you export" / "before exporting" says when, not what to do.
    if match and doing and _NOT_NOW.search(masked[:start]):
        return None
    return match


def _tidy(text: str) -> str:
    return _END_PUNCT.sub("", text).strip()


def upload_rule(clause: Clause, lead: int, language: str) -> Direction | None:
    """ "Upload your video", "import the file", "drop your files here"."""
    if _verb_at(clause.masked, lead, _UPLOAD_VERB, doing=True):
        return Direction("upload")
    drag = _verb_at(clause.masked, lead, _DRAG)
    if drag is None:
        return None
    rest = clause.masked[drag.end() :]
    if _INTO_EDITOR.match(rest) or _FROM_DEVICE.search(rest):
        return Direction("upload")
    # A file already placed ("drag the file on the BGM track to 0:05") is moved: an edit.
    placed = _ON_TIMELINE.search(rest) and not re.match(r"(?:your|a|an)\b", rest)
    return Direction("upload") if _FILE_OBJECT.match(rest) and not placed else None


def drag_rule(clause: Clause, lead: int, language: str) -> Direction | None:
    """Drag X to Y: "Drag the BGM to 0:05" → edit "Move the BGM to 0:05"; no Y: an offer."""
    match = _verb_at(clause.masked, lead, _DRAG)
    if match is None:
        return None
    rest = _GUI_PLACE.sub("", clause.text[match.end() :])
    if not _EDITABLE.search(clause.masked, match.end()):
        return None  # "drag the dough onto the tray": a story's object, nothing to edit
    return drag_en(rest, _tidy(f"Move {rest}"))


def export_rule(clause: Clause, lead: int, language: str) -> Direction | None:
    """ "Export it as MP4", "download the video", "save it to your device"."""
    found = _verb_at(clause.masked, lead, _EXPORT_VERB, doing=True)
    if found is None or _CONDITION.search(clause.masked, 0, lead):
        return None
    return Direction("export")


def set_rule(clause: Clause, lead: int, language: str) -> Direction | None:
    """ "Set the caption font size for Variant B to 48 in the Style panel": an edit.

    Only with the value the backend chose (a number, a colour, a time); "adjust the volume
    to taste" asks the user, and anything about an export is the export's.
    """
    found = _SET.match(clause.masked, lead)
    if found is None or classify(clause.masked) in ("export", "upload", "credits"):
        return None
    rest = clause.masked[found.end() :]
    if not _VALUE.search(rest):
        return None
    words = _GUI_PLACE.sub("", _PANEL_PLACE.sub("", clause.text[lead:]))
    message = _tidy(words)
    return Direction("edit", message[:1].upper() + message[1:])


def credits_rule(clause: Clause, lead: int, language: str) -> Direction | None:
    """ "You're out of credits", "top up" — anywhere, even when the backend speaks of itself."""
    found = _INSUFFICIENT.search(clause.masked)
    if found is None:
        return None
    # "You're out of credits" is news the user needs: it stays; "top up" is only a direction.
    return Direction("credits", stays=not found.group().lower().startswith("top"))


def target_rule(clause: Clause, lead: int, language: str) -> Direction | None:
    """Verb + UI element: "click Export", "open the Tracks panel", "check your balance"."""
    match = _verb_at(clause.masked, lead, _TARGET_VERB)
    if match is None:
        return None
    family = match.lastgroup or "open"
    return _judge_target(clause, lead, match.end(), family, language)


def click_anywhere_rule(clause: Clause, lead: int, language: str) -> Direction | None:
    """A click on a named button mid-sentence: "a single click on Export does it"."""
    match = _CLICK_ANYWHERE.search(clause.masked)
    return _judge_target(clause, lead, match.end(), "click", language) if match else None


def noun_rule(clause: Clause, lead: int, language: str) -> Direction | None:
    """A named UI element with no verb: "the Export button is at the top right".

    Only where the element is said to be ("is at the top right", "in the media library",
    "from the Export menu") or named alone: a button in a story ("a man presses a Download
    button") or an element reported on ("the Export option was unavailable", "the Export
    menu has it") is a mention.
    """
    if _NARRATION.search(clause.masked):
        return None
    for match in _NOUN.finditer(clause.masked):
        label = _element_name(clause.text[match.start("label") : match.end("label")])
        if not label:
            continue
        if _INDEFINITE.search(clause.masked, 0, match.start("label")):
            continue
        named_at = match.end("label") - len(label)
        placed = _PLACED_BEFORE.search(clause.masked, 0, named_at) or _PLACED_AFTER.match(
            clause.masked, match.end()
        )
        if not placed:
            continue
        noun = match.group("noun").lower()
        action = classify(label)
        if action is None and noun == "library":
            action = "state" if _LIBRARY_NAMES.search(label) else None
        if action is None and noun.startswith(("panel", "sidebar", "pane", "view", "window")):
            named = _PANEL_NAMES.search(label) or label[:1].isupper() or label[:1] in "\"“‘'"
            action = "state" if named else None
        if action is None and noun.startswith(("button", "icon")) and is_action_label(label):
            return Direction("edit", label_message(label_core(label), language))
        if action is not None:
            return Direction(action)
    return None


def _element_name(label: str) -> str:
    """The last words before "button"/"panel" that name the element, without "the"/"has a"."""
    if label[:1] in "\"“‘'":
        return label
    words = [word for word in label.split() if word.lower() not in _FUNCTION_WORDS]
    kept: list[str] = []
    for word in reversed(label.split()):
        if word.lower() in _FUNCTION_WORDS:
            break
        kept.insert(0, word)
    return " ".join(kept[-2:]) if words else ""


_FUNCTION_WORDS = frozenset(
    (
        *("a", "an", "the", "your", "my", "our", "this", "that", "these", "those", "its"),
        *("their", "his", "her", "has", "have", "is", "are", "was", "in", "on", "at", "of"),
        *("to", "from", "with", "for", "and", "or", "by", "under", "into", "onto"),
    )
)


def _judge_target(
    clause: Clause, lead: int, offset: int, family: str, language: str
) -> Direction | None:
    text, masked = clause.text[offset:], clause.masked[offset:]
    purpose_at = _PURPOSE.search(masked)
    head_end = purpose_at.start() if purpose_at else len(masked)
    end_at = _OBJECT_END.search(masked[:head_end])
    obj = _tidy(text[: end_at.start() if end_at else head_end])
    location = text[end_at.start() : head_end] if end_at else ""
    purpose = _tidy(text[purpose_at.end() :]) if purpose_at else ""
    after = _CONTINUE.match(text[len(obj) :]) if obj else None
    if after and EDIT_VERB.match(text[len(obj) + after.end() :]):
        # "double-click the BGM track and set the volume to 20%": the second verb is the edit.
        purpose = _tidy(text[len(obj) + after.end() :])
    if family == "credit":
        verb = clause.masked[lead:offset].strip().lower()
        is_credit = verb.startswith(("top", "recharge")) or classify(obj) == "credits"
        return Direction("credits") if is_credit else None
    drag = _DRAG.match(purpose)
    if drag:  # "use your mouse to drag the title wherever you like": the drag decides
        rest = _GUI_PLACE.sub("", purpose[drag.end() :])
        return drag_en(rest, _tidy(f"Move {rest}"))
    action = classify(obj)
    if action is not None:
        return Direction(action)
    if family == "click":
        return _judge_click(obj, purpose, language)
    if _WIDGET.search(obj):
        return _judge_click(obj, purpose, language)
    gui_label = obj[:1] in "\"“‘'" or obj.split()[-1:] in (["button"], ["icon"], ["option"])
    if gui_label and is_label(obj):
        return Direction("edit", label_message(label_core(obj), language, selecting=True))
    action = classify(location)
    if action is not None and (family == "open" or location.strip().lower() != "on"):
        return Direction(action)
    return None


def _judge_click(obj: str, purpose: str, language: str) -> Direction | None:
    if is_navigation(obj):  # "click Copy … to use them": a step, asks for no edit
        towards = classify(purpose) if purpose else None
        return Direction(towards if towards != "state" else None)
    labelled = is_label(obj)
    # An edit is asked for by a button's name ("Click Generate to create a new version") or
    # spelled out with its value ("Use the slider to set the volume to 20%"). An element we
    # have no action for, clicked to change something ("Click your avatar to change your
    # profile picture"), is neither: the sentence stays as the backend wrote it.
    spelled = bool(purpose and EDIT_VERB.match(purpose))
    if spelled and not labelled and not _VALUE.search(purpose):
        return None
    if spelled and not classify(purpose):
        return Direction("edit", purpose[:1].upper() + purpose[1:])
    if labelled:
        return Direction("edit", label_message(label_core(obj), language))
    action: ActionType | None = classify(purpose) if purpose else None
    if action is not None:
        return Direction(action)
    if spelled:
        return Direction("edit", purpose[:1].upper() + purpose[1:])
    return Direction(None)


_Rule = Callable[[Clause, int, str], Direction | None]

# Each rule with a pre-filter: words it cannot fire without, searched as a prefix tree in the
# lower-cased clause, so a clause only runs the rules whose trigger words appear.
_DRAG_WORDS = ("drag", "drop", "slid", "pull", "mov", "reposition", "shift", "nudg")
_NOUN_WORDS = (
    *("button", "icon", "tab", "menu", "panel", "page", "option", "sidebar", "toolbar", "link"),
    *("window", "area", "dialog", "section", "screen", "dashboard", "settings", "view", "pane"),
    *("zone", "library"),
)


def _gate(*words: str) -> re.Pattern[str]:
    return re.compile(prefix_pattern(words))


_GATED: tuple[tuple[re.Pattern[str] | None, _Rule], ...] = (
    (_gate("upload", "import", *_DRAG_WORDS), upload_rule),
    (_gate("credit", "balance", "point", "top"), credits_rule),
    (_gate("export", "download", "render", "save"), export_rule),
    (_gate(*_DRAG_WORDS), drag_rule),
    (_gate(*SET_VERBS_EN), set_rule),
    (None, target_rule),  # anchored at the verb: as cheap as a pre-filter
    (None, click_anywhere_rule),  # one case-sensitive search
    (_gate(*_NOUN_WORDS), noun_rule),  # the nouns are lower case in _NOUN too
)
_OWN_WORDS_OK = frozenset({credits_rule})


def find_en(clause: Clause, language: str) -> Direction | None:
    """The first English rule that recognises ``clause`` as a GUI direction, in rule order.

    The connectors before the verb are measured once per clause; when the backend speaks of
    itself ("I've exported…") only "out of credits" can still be a direction.
    """
    masked = clause.masked
    if not _LATIN.search(masked):
        return None
    own = _SELF.match(masked) is not None
    lead = 0 if own else lead_end(masked)
    lower = masked.lower()
    for gate, rule in _GATED:
        if own and rule not in _OWN_WORDS_OK:
            continue
        if gate is not None and not gate.search(lower):
            continue
        direction = rule(clause, lead, language)
        if direction is not None:
            return direction
    return None


#: text → the action types ``translate`` gives it, per rule (a test runs them all).
EXAMPLES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "upload_rule": (
        ("Upload your clip.", ("upload",)),
        ("Drag a clip into the timeline.", ("upload",)),
        ("The upload finished: beach.mp4.", ()),
    ),
    "drag_rule": (
        ("Drag the BGM track so it starts at 0:05.", ("edit",)),
        ("You can drag the clips to reorder them.", ()),
        ("Drop a comment below!", ()),
    ),
    "set_rule": (
        ("Set the caption font size to 48 in the Style panel.", ("edit",)),
        ("Set the export resolution to 1080p.", ()),
    ),
    "export_rule": (
        ("Export it as MP4.", ("export",)),
        ("Export speed depends on the video length.", ()),
        ("If you want to export later, just let me know.", ()),
    ),
    "credits_rule": (
        ("You're out of credits.", ("credits",)),
        ("Top up to keep going.", ("credits",)),
    ),
    "target_rule": (
        ("Click Export.", ("export",)),
        ("Open the Tracks panel.", ("state",)),
        ("There's no need to press Download yet.", ()),
        # an element we have no action for: an edit only by a button's name or a value
        ("Click your avatar to change your profile picture.", ()),
        ("Click Generate to create a new version.", ("edit",)),
        ("Use the slider to set the volume to 20%.", ("edit",)),
    ),
    "click_anywhere_rule": (
        ("A single click on Export does it.", ("export",)),
        ("The presenter clicks on Export in the demo.", ()),
    ),
    "noun_rule": (
        ("Find the Export button at the top right.", ("export",)),
        # Where the element is, said of it as the subject: a description (_translate._located).
        ("The Export button is at the top right.", ()),
        ("The Export option was unavailable; it works again.", ()),
        ("In scene 2 a man presses a Download button.", ()),
    ),
}
