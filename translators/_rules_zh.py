"""Rules for GUI directions written in Chinese: 点击/打开/拖拽 + 按钮/面板/时间线, in order."""

from __future__ import annotations

import re

from skillrt._text import HAN_RANGE, has_han
from skillrt.translators._direction import Direction, Rule
from skillrt.translators._lexicon import (
    COMPOUND_AFTER_ZH,
    EXPORT_OPTION_VERBS_ZH,
    EXPORT_REPORT_AFTER_ZH,
    NARRATION_ZH,
    PLACE_WORDS_ZH,
    SET_VERBS_ZH,
    TOLD_VERBS_ZH,
    TOP_UP_ZH,
)
from skillrt.translators._models import ActionType
from skillrt.translators._offer import drag_zh
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

__all__ = ["EXAMPLES", "ZH_LEAD", "find_zh", "is_own_zh", "move_message"]

#: Words before the verb of a direction: connectors, modals, politeness.
ZH_LEAD = re.compile(
    r"^(?:然后|接着|随后|最后|再|并且?|或者?|也|还|就|只需要?|只要|直接|请|您|你|可以|能|现在|马上"
    r"|立即|先|试着|尝试|记得|别忘了|建议|需要|要|即可|也可以|还可以|来|去|\s)*"
)
# The backend talking about what it did ("我已上传…"), unless it is recommending ("我建议你…").
_SELF = re.compile(r"^(?:然后|现在|接下来|好的|好)?[，,]?(?:我|我们|咱们)(?!建议|推荐|们建议)")
# "导出菜单里也有这个选项", "上传已完成": the word names a thing or a subject, not a request.
_COMPOUND = "(?!" + prefix_pattern(COMPOUND_AFTER_ZH, exact=True) + ")"
_UPLOAD = re.compile(
    r"(?<!已)(?<!已经)(?<!成功)(?<!刚)(?<!如何)(?<!怎么)(?<!怎样)上传(?!的|成功|完成|了|中|失败|过|好|后)"
    + _COMPOUND
    + r"|(?<!已)(?<!已经)导入(?!的|成功|完成|了|中)"
    r"|拖[拽动放入进]?[^，。]{0,12}?(?:这里|此处|这儿|上传区|上传框|页面|窗口|对话框)"
    r"|拖(?:拽|动)?进来"
)
_MEDIA = r"(?:视频|片段|素材|文件|照片|图片|音乐|音频|MP4|mp4)(?:文件)?"
_OWNER = r"(?:一个|一段|一些|几个|几段|几张|一张|你的|您的|你自己的|您自己的|自己的|新的|本地的?)?"
_EDITOR = r"(?:时间线|时间轴|编辑器|画布|项目|轨道)(?:上|中|里|内|当中)?"
# Where the destination ends: the editor as a whole, not a position in it ("时间线开头").
_WHOLE = r"(?=$|[，。！？；,.!?;…\s]|来|以|即可|就|开始|后|吧|了)"
# New media dragged into the editor as a whole ("把片段拖到时间线上") is an upload, like
# "drag a clip into the timeline"; "把它/第二个片段/背景音乐拖到…" moves what is there (an edit).
_INTO_EDITOR = re.compile(
    rf"(?:把|将){_OWNER}{_MEDIA}拖(?:拽|动|放)?(?:到|进|入|至)了?{_EDITOR}{_WHOLE}"
    rf"|拖(?:拽|动|放|入)?{_OWNER}{_MEDIA}(?:到|进|至)了?{_EDITOR}{_WHOLE}"
    r"|从(?:你的|您的)?(?:电脑|本地|桌面|文件夹|手机|相册|设备|计算机)[^，。]{0,12}?拖"
)
# 充值, and Taiwan's 储值/加值 (what OpenCC leaves of 儲值/加值).
_TOP_UP = "(?:" + prefix_pattern(TOP_UP_ZH, exact=True) + ")"
_CREDITS = re.compile(
    r"(?:查看|查询|检查|确认|看看|看一下|看下|留意|关注|充值|购买|获取|领取|前往|进入|打开|去|登录|升级)"
    r"[^，。]{0,10}?(?:积分|余额|账户|账号|账单|订阅|套餐|会员|点数)"
    r"|(?:积分|余额|账户|账单|点数)[^，。]{0,12}?(?:查看|查询|确认|看到|找到)"
    r"|(?:积分|余额|点数)(?:已经?|快要?|即将)?(?:不足|不够|用完|耗尽|用光|告急)|" + _TOP_UP
)
_EXPORT = re.compile(
    r"(?<!已)(?<!已经)(?<!正在)(?<!被)(?<!可供)(?<!成功)(?<!支持)(?<!无法)(?<!不能)(?<!不可)"
    r"(?<!如何)(?<!怎么)(?<!怎样)"
    r"(?:导出|下载)" + _COMPOUND + r"(?!" + prefix_pattern(EXPORT_REPORT_AFTER_ZH, exact=True) + ")"
    r"|保存到(?:本地|手机|相册|电脑|设备)"
)
_OPTION = re.compile(
    r"(?:" + prefix_pattern(EXPORT_OPTION_VERBS_ZH, exact=True) + r")(?P<option>[^，。！？；]+?)"
    r"(?:即可|就行了?|就可以了?|就好)?[\s。！？.!?…]*$"
)
# An export governed by a condition ("如果想导出", "如需下载", "若要导出") is a mention, not a
# request; "如果满意，直接导出" asks for it (the condition is about something else).
_CONDITION = re.compile(
    r"(?:如果|如需|若|要是|假如|假使|如要|倘若|万一)(?:你|您)?(?:以后|之后|稍后|后面|还)?"
    r"(?:想|想要|要|需要|需|打算|准备|希望)?再?$"
)
# …or inside a time clause that ends after its object: "导出视频后…", "下载之前…", "导出时…".
_WHEN = re.compile(r"[^，。！？；,;\s]{0,8}?(?:之后|以后|之前|以前|的时候|后|前|时)(?![面边头])")
# Not a drag: words (拖延, 拖车, 拖拖拉拉) and a drag told as a story (拖着, 点击了).
# An export named as a feature of a plan ("即可解锁4K导出", "专业版支持无水印下载").
_FEATURE = re.compile(r"(?:解锁|开通|支持|包含|包括|享有|享受|提供)[^，。！？；]{0,6}$")
_DRAG = re.compile(r"拖(?!延|欠|累|沓|后腿|鞋|车|拉|拖|家带口|地|长|慢|住|着)")
# A drag someone did, told as a story: "他把车拖到了路边", "小狗拖到了门口".
_TOLD = re.compile(r"拖(?:拽|动|放)?(?:到|至|进|入)了|^(?:他|她|他们|她们|它们)")
# "把片尾移到时间线末尾" asks for a move like "拖到"; "已把…移到" and "移到了" report one.
_MOVE = re.compile(r"(?<!已)(?<!已经)(?:把|将)[^，。！？；]{1,16}?移(?:动)?(?:到|至)(?!了|哪|何处)")
_CLICK = re.compile(
    r"(?:点击|单击|双击|点一下|点按|轻点|轻触|(?:按下?|按一下|点)(?=[「“\"『'‘]))"
    r"(?!率|量|数|关注|声|音|感|了|过|着|的)"
    r"|(?P<choose>选择|选中|切换到|切换至|选(?=[「“\"『'‘]))"
)
_STATE = re.compile(
    r"(?:打开|查看|进入|切换到|切换至|前往|展开|看看|看一下|看下|预览|浏览|找到|回到|点开|检查)"
    r"[^，。]{0,12}?(?:时间线|时间轴|轨道|面板|素材库|媒体库|图层|预览窗口|预览区|播放器)"
    r"|(?:时间线|时间轴|轨道面板|预览窗口|预览区|播放器|预览)(?:中|里|上|内)[^，。]{0,8}?"
    r"(?:预览|查看|看看|看一下|试听|播放|检查|确认|观看|看到|找到|看见)"
    r"|素材库|媒体库|侧边栏|工具栏|[" + HAN_RANGE + "A-Za-z]{1,6}面板"
)
_NOUN = re.compile(
    r"(?P<label>[「“\"『][^」”\"』]+[」”\"』]|[" + HAN_RANGE + "A-Za-z]{1,6})"
    r"(?:按钮|图标|菜单|选项卡|标签页)"
)
_PLACE_WORDS = "(?:" + prefix_pattern(PLACE_WORDS_ZH, exact=True) + ")"
_PLACED_BEFORE = re.compile(_PLACE_WORDS + r"[^，。！？；]{0,6}$")
_PLACED_AFTER = re.compile(r"(?:即可|就行|就可以)?[\s。！？.!?…]*$|" + _PLACE_WORDS)
_PLACE = re.compile(
    r"^(?:(?:页面|屏幕|界面|窗口|编辑器|播放器)?(?:的)?(?:右上角|左上角|右下角|左下角|上方|下方|顶部"
    r"|底部|右侧|左侧|旁边|中间|下面|上面)的?)"
)
_PURPOSE = re.compile(r"(?:来|以便?|即可|就能|就可以|可以|后)")
_GUI_PLACE = re.compile(
    r"(?:在|于)(?:时间线|时间轴|轨道面板|轨道|编辑器|预览窗口|预览区|[" + HAN_RANGE + r"]{1,4}面板)"
    r"(?:上|中|里|内)?"
)
# A value the backend chose: a number, a colour, a time ("20%", "#FFD400", "0:05", "两秒").
_VALUE = re.compile(r"#[0-9A-Fa-f]{3,8}|\d|[零一二三四五六七八九十两百]+(?:秒|倍|%|％|帧)")
_TAIL = re.compile(r"(?:即可|就可以了?|就行了?|就好了?)?[\s。！？.!?，,；;…]*$")
# "把X设置为#FFD400", "将音量调到20%": the value is the backend's (a number, a colour, a time).
_SET = re.compile(
    r"(?:把|将)[^，。！？；]{1,16}?(?:"
    + prefix_pattern(SET_VERBS_ZH, exact=True)
    + r")\s*(?:约|大约)?(?:#[0-9A-Fa-f]{3,8}|[\d.:]+|[零一二三四五六七八九十两百]+(?:秒|倍|%|％))"
    # …and the clause ends there: "把比例改为9:16需要重新生成" says what it would take.
    r"[^，。！？；\s]{0,3}(?:即可|就可以了?|就行了?|就好了?|吧)?[\s。！？.!?，,；;…]*$"
)


def _self(clause: Clause) -> bool:
    return bool(_SELF.match(clause.masked))


def is_own_zh(masked: str) -> bool:
    """True when the clause is the backend speaking of itself ("我已上传…")."""
    return bool(_SELF.match(masked))


def upload_rule(clause: Clause, language: str) -> Direction | None:
    """ "请上传视频", "把文件拖到这里", "把片段拖到时间线上"."""
    if _self(clause):
        return None
    found = _UPLOAD.search(clause.masked) or _INTO_EDITOR.search(clause.masked)
    return Direction("upload") if found else None


_SHORT = re.compile(r"(?:不足|不够|用完|耗尽|用光|告急)$")


def credits_rule(clause: Clause, language: str) -> Direction | None:
    """ "查看积分余额", "积分不足", "去充值"."""
    found = _CREDITS.search(clause.masked)
    if found and (not _self(clause) or "不" in found.group() or "用" in found.group()):
        # "积分不足" is news the user needs: it stays; "去充值" is only a direction.
        return Direction("credits", stays=_SHORT.search(found.group()) is not None)
    return None


def export_rule(clause: Clause, language: str) -> Direction | None:
    """ "点击导出", "下载视频", "保存到相册"; not "如果想导出…", "导出之前…"."""
    if _self(clause):
        return None
    masked = clause.masked
    for found in _EXPORT.finditer(masked):
        if _FEATURE.search(masked, 0, found.start()):
            continue
        if not _CONDITION.search(masked, 0, found.start()) and not _WHEN.match(masked, found.end()):
            # "点击导出后选择9:16": the choice in the same clause is the export's option.
            option = _OPTION.search(masked, found.end())
            text = clause.text[option.start("option") : option.end("option")] if option else ""
            return Direction("export", options=text.strip() or None)
    return None


def drag_rule(clause: Clause, language: str) -> Direction | None:
    """ "把BGM拖到0:05" → edit "把BGM移到0:05"; "可以拖动片段调整顺序" → an offer."""
    if _self(clause) or not (_DRAG.search(clause.masked) or _MOVE.search(clause.masked)):
        return None
    if _TOLD.search(clause.masked):
        return None
    body = ZH_LEAD.sub("", _GUI_PLACE.sub("", ZH_LEAD.sub("", clause.text)))
    return drag_zh(body, move_message(clause.text))


def set_rule(clause: Clause, language: str) -> Direction | None:
    """ "把字幕颜色设置为#FFD400": an edit with the value the backend chose."""
    if _self(clause):
        return None
    body = ZH_LEAD.sub("", _GUI_PLACE.sub("", clause.text))
    found = _SET.match(ZH_LEAD.sub("", _GUI_PLACE.sub("", clause.masked)))
    if found is None or classify(body) in ("export", "upload", "credits"):
        return None
    return Direction("edit", _TAIL.sub("", body).strip())


def click_rule(clause: Clause, language: str) -> Direction | None:
    """ "点击「生成」按钮", "在预览中点击播放", "选择“Captions B”"."""
    if _self(clause):
        return None
    match = _CLICK.search(clause.masked)
    if match is None:
        return None
    rest = _PLACE.sub("", clause.text[match.end() :])
    masked_rest = clause.masked[len(clause.masked) - len(rest) :]
    purpose_at = _PURPOSE.search(masked_rest)
    obj = _TAIL.sub("", rest[: purpose_at.start()] if purpose_at else rest)
    purpose = _TAIL.sub("", rest[purpose_at.end() :]) if purpose_at else ""
    action = classify(obj)
    if action == "export" and purpose:
        option = _OPTION.match(purpose)  # "点击导出后选择9:16"
        return Direction("export", options=option.group("option").strip() if option else None)
    if action is not None:
        return Direction(action)
    if is_navigation(obj):  # "点击每项旁边的复制按钮即可使用": a step, asks for no edit
        return Direction(None)
    selecting = match.group("choose") is not None
    if selecting and classify(clause.text[: match.start()]) == "export":
        # "前往导出页面选择MP4格式": the choice is the export's option, not an edit.
        return Direction("export", options=obj or None)
    if (
        purpose
        and EDIT_VERB.match(purpose)
        and not is_action_label(obj)
        and not _VALUE.search(purpose)
    ):
        # "点击右上角的齿轮图标可以修改界面语言": an icon named by its look, not by what it does,
        # clicked to change something we have no action for: the sentence stays as written.
        return None
    if is_label(obj):
        return Direction("edit", label_message(label_core(obj), language, selecting=selecting))
    if selecting:
        return None
    purpose_action: ActionType | None = classify(purpose) if purpose else None
    if purpose_action is not None:
        return Direction(purpose_action)
    if purpose and EDIT_VERB.match(purpose):
        # Not a button's name: an edit only with the value the backend chose ("点击音量滑块
        # 把音量调到20%"); "点击头像可以修改个人资料" is an element we have no action for.
        return Direction("edit", purpose) if _VALUE.search(purpose) else None
    return Direction(None)


def state_rule(clause: Clause, language: str) -> Direction | None:
    """ "打开轨道面板", "在时间线中预览", "素材库"."""
    return Direction("state") if not _self(clause) and _STATE.search(clause.masked) else None


def noun_rule(clause: Clause, language: str) -> Direction | None:
    """A named button or menu with no verb: "「生成」按钮在右上角".

    Only where it is said to be (…在右上角, 在导出菜单中) or named alone: "导出按钮之前无法
    使用" reports on it, "导出菜单里也有这个选项" mentions it.
    """
    if _self(clause):
        return None
    for match in _NOUN.finditer(clause.masked):
        before, after = clause.masked[: match.start()], clause.masked[match.end() :]
        if not (_PLACED_BEFORE.search(before) or _PLACED_AFTER.match(after)):
            continue
        label = clause.text[match.start("label") : match.end("label")]
        action = classify(label)
        if action is not None:
            return Direction(action)
        if is_action_label(label):
            return Direction("edit", label_message(label_core(label), language))
    return None


def move_message(text: str) -> str:
    """The edit a drag direction asks for, as a chat message: "拖到" becomes "移到"."""
    message = ZH_LEAD.sub("", text)
    message = _GUI_PLACE.sub("", message)
    message = re.sub(r"拖(?:拽|动|放)?(?=到|至|进|入)", "移", message)
    message = re.sub(r"拖(?:拽|动|放)?", "移动", message)
    return _TAIL.sub("", ZH_LEAD.sub("", message)).strip()


# Each rule with a pre-filter: characters the rule cannot fire without, so a clause only
# runs the rules whose trigger appears (the rules' own patterns are slower to reject).
_GATED: tuple[tuple[re.Pattern[str], Rule], ...] = (
    (re.compile(r"上传|导入|拖"), upload_rule),
    (re.compile(r"积分|余额|账|订阅|套餐|会员|点数|" + _TOP_UP), credits_rule),
    (re.compile(r"导出|下载|保存到"), export_rule),
    (re.compile(r"拖|移"), drag_rule),
    (re.compile(r"把|将"), set_rule),
    (re.compile(r"[点击按轻选]|切换"), click_rule),
    (re.compile(r"时间[线轴]|轨道|面板|素材库|媒体库|图层|预览|播放器|侧边栏|工具栏"), state_rule),
    (re.compile(r"按钮|图标|菜单|选项卡|标签页"), noun_rule),
)
_NARRATION = re.compile(
    r"^(?:然后|接着|随后|最后|在)?(?:第[一二三四五六七八九十\d]+个?(?:场景|镜头|画面)[中里]?)?(?:"
    + prefix_pattern(NARRATION_ZH, exact=True)
    + r")"
)


_TOLD_VERB = re.compile("(?:" + prefix_pattern(TOLD_VERBS_ZH, exact=True) + ")了")


def find_zh(clause: Clause, language: str) -> Direction | None:
    """The first Chinese rule that recognises ``clause`` as a GUI direction, in rule order.

    A clause about someone else or a scene ("画面里有人点下载") tells a story: only "积分不足"
    can still be a direction there.
    """
    masked = clause.masked
    if not has_han(masked):
        return None
    story = _NARRATION.match(masked) is not None or _TOLD_VERB.search(masked) is not None
    for gate, rule in _GATED:
        if story and rule is not credits_rule:
            continue
        if gate.search(masked):
            direction = rule(clause, language)
            if direction is not None:
                return direction
    return None


#: text → the action types ``translate`` gives it, per rule (a test runs them all).
EXAMPLES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "upload_rule": (("请上传视频。", ("upload",)), ("上传已完成：beach.mp4。", ())),
    "credits_rule": (("积分不足。", ("credits",)), ("请前往账户页面充值。", ("credits",))),
    "export_rule": (
        ("下载视频。", ("export",)),
        ("导出的速度和视频长度有关。", ()),
        ("先别点下载，还在合成。", ()),
    ),
    "drag_rule": (("把标题拖到3秒处。", ("edit",)), ("可以拖动片段调整顺序。", ())),
    "set_rule": (
        ("把字幕颜色设置为#FFD400。", ("edit",)),
        ("字幕字号已改为42。", ()),
        ("在属性面板中将第二段的音量设为60%。", ("edit",)),  # the panel is only where
        ("最后一段比Logo多了2秒，把它剪短2秒。", ("edit",)),  # by an amount, "trim it by 2s"
        ("把第二段剪短一点。", ()),  # no amount chosen: the user decides
    ),
    "click_rule": (
        ("点击「导出」即可。", ("export",)),
        ("点击右上角的头像。", ()),
        ("点击头像可以修改个人资料。", ()),  # no button name, no value: stays as written
        ("点击右上角的齿轮图标可以修改界面语言。", ()),  # an icon named by its look
        ("点击「生成」按钮创建视频。", ("edit",)),
        ("在轨道面板选「字幕B」。", ("edit",)),  # 选 before a quoted name chooses it
        ("选1080p还是4K都可以。", ()),
    ),
    "state_rule": (("打开轨道面板。", ("state",)), ("时间线上现在有两条轨道。", ())),
    "noun_rule": (
        ("右上角的导出按钮就能下载。", ("export",)),
        ("导出按钮之前无法使用。", ()),
        # The element as the subject of where it is: a description (_translate._located).
        ("导出按钮在右上角。", ()),
    ),
}
