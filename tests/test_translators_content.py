"""The translator never loses the backend's words, and a mention of a button asks for nothing."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillrt.translators import GuiAction, Translation, translate
from skillrt.translators import _lexicon as lexicon
from skillrt.translators._blocks import mask_blocks


def _types(text: str) -> list[str]:
    return [action.type for action in translate(text).actions]


# --- §1: content before and after a direction stays -----------------------------------


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        (
            "Tap Export, your music track stays at 20% volume.",
            "I'll export it now. Your music track stays at 20% volume.",
        ),
        (
            "Tap Export, then your music track stays at 20% volume.",
            "I'll export it now. Your music track stays at 20% volume.",
        ),
        (
            "Press Export; the render keeps your 9:16 framing.",
            "I'll export it now. The render keeps your 9:16 framing.",
        ),
        ("点击导出，背景音乐保持20%音量。", "我现在就为你导出。背景音乐保持20%音量。"),
        (
            "The logo sits at the top right. Tap Export whenever you're ready, the final file"
            " keeps the logo.",
            "The logo sits at the top right. I'll export it now. The final file keeps the logo.",
        ),
    ],
)
def test_content_after_a_direction_stays(text: str, wanted: str) -> None:
    """The clause after a direction is kept as its own sentence (it was lost before)."""
    assert translate(text) == Translation(wanted, (GuiAction("export", None, _first(text)),))


def test_a_lead_in_ending_with_a_colon_keeps_it() -> None:
    """ "Here's the plan: click Import…": the kept lead-in still introduces what follows
    (blind D lost the colon); a clause cut at a comma still ends with a full stop."""
    assert translate("Next step: click Export.").text == "Next step: I'll export it now."
    assert translate("下一步：点击导出。").text == "下一步：我现在就为你导出。"
    assert translate("Good news: the video is ready, click Export.").text == (
        "Good news: the video is ready. I'll export it now."
    )


def _first(text: str) -> str:
    return re.split(r"[,;，]", text.split(". ")[-1] if ". " in text else text)[0].strip()


def test_a_numbered_list_of_titles_and_a_tag_line_are_content() -> None:
    """Generated titles and tags holding Export/Upload/Drag come back unchanged, no action."""
    for text in (
        "Here are some title ideas:\n1. Upload Day: Inside Our Studio\n2. Export Secrets"
        " Revealed\n3. Drag Race Highlights\nTags: #dragqueenbrunch #exportlife #uploadday",
        "Suggested titles:\n1. Download This Before Summer\n2. Upload Your Best Self",
        "1. Upload Day: Inside Our Studio\n2. Export Secrets Revealed",
        "以下是推荐标题：\n1. 上传之前必看的三件事\n2. 下载量破百万的秘密\n标签：#导出 #上传",
        "Here's a YouTube description:\n\nIn this video we test two caption styles. Drop a"
        " comment telling us which one you prefer!",
    ):
        assert translate(text) == Translation(text, ()), text


def test_a_numbered_list_written_inline_after_a_content_lead_in_is_content() -> None:
    """Issue 9 §1: "…title options: 1. Upload Day… 2. Export Secrets…" on one line is three
    titles (it gave upload and export and lost the titles); a direction after the last
    title's sentence end still counts, and steps numbered inline are not content."""
    for text in (
        "Here are three title options: 1. Upload Day: Inside Our Studio 2. Export Secrets"
        " Nobody Tells You 3. From Draft to Download in 60 Seconds",
        "为你生成了三个标题：1. 上传日：走进我们的工作室 2. 导出前必看的五个技巧"
        " 3. 从草稿到下载只要60秒",
        "推荐标签：1.上传日 2.导出技巧",
        "Two hooks for the intro: (1) Drag Racing Like Never Before (2) Upload Your Day",
        "Title ideas — 1. Upload Day 2. Export Week",
        "I came up with three titles: 1. Upload Day, 2. Export Secrets, and 3. From Draft to"
        " Download.",
    ):
        assert translate(text) == Translation(text, ()), text
    text = "Here are two titles: 1. Export Day 2. Upload Night. When you're ready, click Export."
    result = translate(text)
    assert [a.type for a in result.actions] == ["export"]
    assert result.text.startswith("Here are two titles: 1. Export Day 2. Upload Night.")
    assert _types("Here's what to do: 1. Click Export 2. Pick MP4") == ["export"]
    assert _types("Here is the title: 1. Upload Day") == []  # one item is a list too


def test_video_meta_ai_reply_keeps_every_title_description_and_tag() -> None:
    """The emulator's video-meta-ai reply shape: all metadata survives; only its last line
    (a Copy button we cannot press) is a step, and it stays as written."""
    text = (
        "Here are metadata suggestions for your 1080x1920 clip (12 s, best for Shorts):\n"
        "Titles:\n1. Upload Day: The Full Story\n2. Why Everyone Is Talking About Upload Day\n"
        "3. Upload Day in 60 Seconds\nDescription: A 12-second look at upload day. Watch to"
        " the end, and follow for more — made for Shorts.\nTags: #upload #day #shorts\n"
        "Click Copy next to each field in the Metadata panel to use them."
    )
    assert translate(text) == Translation(text, ())
    zh = "标题：\n1. 导出秘籍：完整故事\n描述：用12秒带你了解上传。\n标签：#上传 #下载"
    assert translate(zh) == Translation(zh, ())


@pytest.mark.parametrize(
    "text", ["Click your avatar.", "Tap the gear icon.", "点击右上角的头像。", "Tap ⋯."]
)
def test_a_direction_we_cannot_act_on_stays_as_written(text: str) -> None:
    """A step with nothing for the runtime to do is not deleted: no empty or shorter reply."""
    assert translate(text) == Translation(text, ())


def test_a_fact_beside_a_credits_direction_stays() -> None:
    """ "余额不足（需要25积分…）" is news the user needs: kept, with the balance check after it."""
    result = translate("余额不足（需要25积分，当前12积分）。请打开充值页面充值。")
    assert result.text == "余额不足（需要25积分，当前12积分）。我来帮你查一下积分余额。"
    assert _types("You're out of credits; add more on the Billing page.") == ["credits"]
    assert translate("You're out of credits; add more on the Billing page.").text == (
        "You're out of credits. I'll check your credit balance."
    )


# --- the property: every word outside a direction survives, in order ------------------

_CONTENT_EN = st.builds(
    "{} {} {}".format,
    st.sampled_from(
        ["the music track", "your title", "scene 2", "the intro", "the upload day vlog"]
    ),
    st.sampled_from(["stays at", "now has", "runs for", "ends with", "keeps"]),
    st.sampled_from(
        ["20% volume", "a warm grade", "12 seconds", "the tag #dragqueenbrunch", "a drag race"]
    ),
)
_CONTENT_ZH = st.builds(
    "{}{}{}".format,
    st.sampled_from(["背景音乐", "标题", "第2个场景", "片头"]),
    st.sampled_from(["保持", "现在有", "持续", "用了"]),
    st.sampled_from(["20%音量", "暖色调", "12秒", "标签#上传日"]),
)
_DIRECTION_EN = st.sampled_from(
    [
        "Tap Export",
        "Click the Download button",
        "Open the Tracks panel",
        "Check your credit balance",
        "When you're ready, click Export",
        "Upload your clip",
        "Drag the BGM to 0:05",
    ]
)
_DIRECTION_ZH = st.sampled_from(
    ["点击导出", "点击下载按钮", "打开时间线", "查看积分余额", "满意后点击导出", "请上传视频"]
)


@st.composite
def _reply(draw: st.DrawFn) -> tuple[str, list[str]]:
    zh = draw(st.booleans())
    content, direction = (_CONTENT_ZH, _DIRECTION_ZH) if zh else (_CONTENT_EN, _DIRECTION_EN)
    parts = draw(st.lists(st.tuples(st.booleans(), content, direction), min_size=1, max_size=4))
    text, kept = "", []
    for is_direction, words, order in parts:
        if is_direction:
            joint = "，" if zh else ", "
            text += f"{order}{joint}{words}" + ("。" if zh else ". ")
        else:
            text += words + ("。" if zh else ". ")
        kept.append(words)
    return text.strip(), kept


@settings(max_examples=300, deadline=None)
@given(_reply())
def test_every_word_outside_a_direction_survives_in_order(reply: tuple[str, list[str]]) -> None:
    """Generated replies (content before/after directions, both languages): all content is
    in the output, in the order it came."""
    text, kept = reply
    out = translate(text).text
    at = 0
    for words in kept:
        forms = (words, words[:1].upper() + words[1:])
        found = [index for index in (out.find(form, at) for form in forms) if index >= 0]
        assert found, (text, out, words)
        at = min(found) + len(words)


# --- §2: a mention is not a direction -------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "In scene 2 a man presses a Download button on his laptop.",
        "In the clip, a chef taps the Export button on a tablet.",
        "The narrator clicks Download at the end of the tutorial.",
        "视频中，一个女孩按下了手机上的下载按钮，然后对着镜头微笑。",
        "画面里，主持人点击了导出按钮。",
        "The Export option was unavailable during rendering; it works again.",
        "The Upload button was greyed out for a while; it's fine now.",
        "导出按钮之前无法使用，现在恢复了。",
        "There's no need to press Download yet.",
        "You don't have to press Export yet — scene 4 is still rendering.",
        "先别点下载，还在合成。",
        "暂时不用下载，等字幕完成。",
        "Should you need a GIF version some day, the Export menu has it.",
        "If you ever want a square version, the Export menu offers 1:1.",
        "以后如果需要GIF版本，导出菜单里也有这个选项。",
        "导出的速度和视频长度有关。",
        "Export speed depends on the video length.",
        "下载速度取决于你的网络。",
        "上传已完成：beach.mp4（42秒，1920x1080）。",
    ],
)
def test_a_mention_of_a_button_asks_for_nothing(text: str) -> None:
    """Stories, reports, negations, conditions about later and process facts: no action."""
    assert translate(text) == Translation(text, ())


@pytest.mark.parametrize(
    ("text", "option", "wanted"),
    [
        ("点「下载」，然后选1080P。", "1080P", "我现在就为你导出"),
        ("Press Export and pick the MP4 preset.", "the MP4 preset", "I'll export it now"),
        ("Click Export and choose the 720p preset.", "the 720p preset", "I'll export it now"),
        ("点击导出，然后选择4K分辨率。", "4K分辨率", "我现在就为你导出"),
        ("前往导出页面选择MP4格式。", "MP4格式", "我现在就为你导出"),
    ],
)
def test_an_option_of_an_export_is_part_of_the_export(text: str, option: str, wanted: str) -> None:
    """A choice next to an export is one export, never an edit, and is named in its sentence."""
    result = translate(text)
    assert [(a.type, a.message) for a in result.actions] == [("export", None)]
    assert result.text.startswith(wanted)
    assert option in result.text


# --- §3: quotes of every kind and Traditional Chinese --------------------------------


def test_a_caption_in_any_quote_mark_is_content() -> None:
    """ "标题改为〈点击导出〉。" keeps the caption and exports nothing (〈〉«»„ and backticks)."""
    for text in (
        "标题改为〈点击导出〉。",
        "The title reads «Click Export».",
        "Caption: `Tap Export`",
    ):
        assert translate(text) == Translation(text, ())


@pytest.mark.parametrize(
    ("text", "wanted", "said"),
    [
        ("影片已經生成完成！點擊「匯出」即可下載MP4檔案。", ["export"], "影片已經生成完成！"),
        ("請打開時間軸確認字幕位置。", ["state"], "時間線"),
        ("點數不足，本次需要30點。請前往儲值頁面加值。", ["credits"], "點數不足，本次需要30點。"),
        ("請點擊上傳按鈕加入你的素材。", ["upload"], "檔案"),
        ("先別點下載，還在合成。", [], "先別點下載，還在合成。"),
    ],
)
def test_traditional_chinese_translates_like_simplified_and_answers_in_it(
    text: str, wanted: list[str], said: str
) -> None:
    """Traditional replies give the same actions, and what is written is in Traditional."""
    result = translate(text)
    assert _types(text) == wanted
    assert said in result.text
    assert "导出" not in result.text
    assert "时间线" not in result.text


# --- §4: the lexicon is data, normalised, without duplicates, and used ----------------


def test_every_lexicon_list_is_normalised_unique_and_used() -> None:
    """Each list in translators/_lexicon.py is NFKC + lower case, has no duplicate, and is
    imported by a module of the translators."""
    from pathlib import Path

    sources = "\n".join(
        path.read_text(encoding="utf-8")
        for path in Path(lexicon.__file__).parent.glob("*.py")
        if path.name != "_lexicon.py"
    )
    for name in lexicon.__all__:
        words = getattr(lexicon, name)
        assert words, name
        for word in words:
            assert word == unicodedata.normalize("NFKC", word).lower().strip(), (name, word)
        assert len(set(words)) == len(words), (name, [w for w in words if words.count(w) > 1])
        assert re.search(rf"\b{name}\b", sources), f"{name} is not used"


def test_blocks_mask_only_generated_content() -> None:
    """A field's value, a listed title and a hashtag are masked; a direction line is not."""
    masked = mask_blocks("Tags: #upload\n1. Export Secrets Revealed\nClick Export.")
    assert masked.endswith("\nClick Export.")
    assert "upload" not in masked
    assert "Secrets" not in masked


# --- §4: every rule's own examples, run through translate ------------------------------


def _rule_examples() -> list[tuple[str, str, tuple[str, ...]]]:
    from skillrt.translators import _rules_en, _rules_zh, _translate

    found = []
    tables = (
        ("en", _rules_en.EXAMPLES, [rule.__name__ for _, rule in _rules_en._GATED]),
        ("zh", _rules_zh.EXAMPLES, [rule.__name__ for _, rule in _rules_zh._GATED]),
        ("sentence", _translate.SENTENCE_EXAMPLES, [s.__name__ for s in _translate.SENTENCE_STEPS]),
    )
    for family, examples, names in tables:
        assert sorted(examples) == sorted(names), family  # every rule has examples, no stray
        for name in names:
            found += [(f"{family}.{name}", text, wanted) for text, wanted in examples[name]]
    return found


@pytest.mark.parametrize(("rule", "text", "wanted"), _rule_examples())
def test_each_rule_does_what_its_examples_say(
    rule: str, text: str, wanted: tuple[str, ...]
) -> None:
    """Each named rule of the ordered tables has examples; each gives its labelled actions."""
    assert tuple(_types(text)) == wanted, rule


@pytest.mark.parametrize(
    ("text", "actions", "said"),
    [
        # What a direction is for, when it names content, stays with its replacement.
        (
            "Done. Tap the Download button to save your 12-second clip.",
            ["export"],
            "12-second clip",
        ),
        ("Open the Media Library to see the 4 clips you uploaded.", ["state"], "the 4 clips you"),
        ("To see the final music placement, open the Tracks panel.", ["state"], "final music"),
        ("打開時間軸面板查看3段片同音樂軌。", ["state"], "查看3段片同音樂軌"),
        ("在轨道面板中选中“字幕B”以应用粗体样式。", ["edit"], "应用粗体样式"),
        (
            "Select 'Captions B' in the Tracks panel to apply the bold style.",
            ["edit"],
            "bold style",
        ),
        # What to upload is named in the sentence said in its place.
        ("Upload your logo first, then click Export.", ["upload", "export"], "Send your logo"),
        ("先上传你的标志，然后点击导出渲染成片。", ["upload", "export"], "发送你的标志"),
        # A generic purpose says nothing more: the plain sentence.
        ("Click Export to download it as an MP4.", ["export"], "I'll export it now."),
        # Descriptions, possibilities and negations keep the text as it is.
        (
            "The Export button sits in the top right corner of the editor, next to Share.",
            [],
            "sits",
        ),
        ("「下載」按鈕在編輯器右上角，「分享」的旁邊。", [], "右上角"),
        ("If you want a vertical version later, you can export again at 9:16.", [], "9:16"),
        ("Once the client approves the cut, you could export a 4K master.", [], "4K master"),
        ("If you're happy with it, you can click Export.", ["export"], "I'll export it now."),
        ("不需要再上傳Logo，我會用你之前傳的PNG。", [], "不需要再上傳Logo"),
        ("暫時唔好撳下載住，最後兩個鏡頭仲調緊色。", [], "唔好撳下載"),
        ("匯出進行中，已完成45%，通常需要30到90秒。", [], "匯出進行中"),
        ("Rendering is complete 🎉 Hit the Export button.", ["export"], "Rendering is complete 🎉"),
        # Probes of the same kinds in other words (written after the fixes, not from a set).
        ("The Download option lives under the ⋯ menu.", [], "lives under"),
        ("The Upload area is on the left.", [], "on the left"),
        ("你可以稍后再导出。", [], "稍后再导出"),
        ("请点击导出，下载你的30秒预告片。", ["export"], "你的30秒预告片"),
        ("Click Export, then download your 30-second teaser.", ["export"], "30-second teaser"),
        ("If the download fails, tap Export again.", [], "If the download fails"),
        ("After exporting, you might want to upload it to YouTube yourself.", [], "YouTube"),
        ("把成片上传到抖音就行。", [], "上传到抖音"),
        ("Upload your clip to the timeline.", ["upload"], "Send the file"),
        ("Before you click Export, check the captions.", [], "Before you click Export"),
        ("点击导出前，请确认字幕没有错别字。", [], "点击导出前"),
        ("请点击右上角的导出按钮，把「夏日海滩」保存到手机。", ["export"], "「夏日海滩」"),
        ("如有需要，日後可以再下載。", [], "日後可以再下載"),
    ],
)
def test_blind_b_and_c_kinds_keep_their_words(text: str, actions: list[str], said: str) -> None:
    """Each kind blind sets B and C found: the actions, and the backend's words that must stay."""
    result = translate(text)
    assert [action.type for action in result.actions] == actions
    assert said in result.text
