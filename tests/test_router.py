"""Focused behaviour of skillrt.router: normalisation, quotes, negation, plans, tables, URLs."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillrt.errors import InputError, RoutingError
from skillrt.router import (
    DEFAULT_KEYWORDS,
    ROUTE_ACTIONS,
    KeywordTable,
    compile_keywords,
    route,
)
from skillrt.runtime import discover_skills


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("ＥＸＰＯＲＴ", "export"),
        ("Ｅｘｐｏｒｔ　ｐｌｅａｓｅ！", "export"),
        ("EXPORT", "export"),
        ("  export\t\n", "export"),
        ("ｃｒｅｄｉｔｓ？", "credits"),
        ("导出。", "export"),
        ("状态？", "state"),
        ("ＯＫ，ＥＸＰＯＲＴ", "export"),
    ],
)
def test_normalisation_full_width_case_and_punctuation(text: str, action: str) -> None:
    """Full-width letters, case, Chinese punctuation and odd spacing do not change the route."""
    assert route(text).action == action


@pytest.mark.parametrize("text", ["exports", "exported", "downloads", "uploaded", "statuses"])
def test_english_keywords_match_whole_words_only(text: str) -> None:
    """ "exports" is not "export": English keywords match on word boundaries."""
    assert route(text).action == "chat"


@pytest.mark.parametrize(
    ("text", "action"),
    [("请export一下", "export"), ("帮我check一下credits", "credits"), ("上传 please", "upload")],
)
def test_mixed_chinese_and_english(text: str, action: str) -> None:
    """English keywords inside Chinese text (and the reverse) are found."""
    assert route(text).action == action


def test_segments_keep_the_users_own_text() -> None:
    """Each plan step carries its part of the original text, case and quotes intact."""
    result = route('Add a title "Summer Vibes" and then EXPORT')
    assert result.plan == ("chat", "export")
    assert result.segments == ('Add a title "Summer Vibes"', "EXPORT")


def test_segments_map_back_through_full_width_text() -> None:
    """Segments come from the original text even when normalisation changed its length."""
    result = route("ＡＤＤ ｍｕｓｉｃ… then ｅｘｐｏｒｔ")
    assert result.plan == ("chat", "export")
    assert result.segments[0] == "ＡＤＤ ｍｕｓｉｃ…"


@pytest.mark.parametrize(
    "text",
    [
        "add a text overlay that says 'Download now'",
        'add a caption "export complete"',
        "put “upload here” on the end card",
        "the button says ‘check status’",
        "字幕写「立即下载」",
        "标题改成『积分翻倍』",
        "做一个《下载》主题的片头",
        "add a caption: download now",
    ],
)
def test_quoted_text_is_content(text: str) -> None:
    """Keywords inside quotes of every style are content for the backend, not commands."""
    assert route(text).plan == ("chat",)


def test_a_message_that_is_only_a_quoted_keyword_is_the_command() -> None:
    """A message made of nothing but one quoted word is that word."""
    assert route('"export"').action == "export"


@pytest.mark.parametrize(
    "text",
    [
        "don't export yet, add a title first",
        "do not download it",
        "no need to upload",
        "before exporting, trim the intro",
        "trim the intro before export",
        "I'll export it later",
        "先别导出",
        "不要导出",
        "导出之前把片头剪掉",
        "等会儿再导出",
        "暂时不用查积分",
    ],
)
def test_negation_and_deferral_are_chat(text: str) -> None:
    """A negated or deferred command is talk about the command, sent as chat."""
    assert route(text).plan == ("chat",)


@pytest.mark.parametrize(
    ("text", "action"),
    [("don't forget to export", "export"), ("别忘了导出", "export"), ("能不能导出一下", "export")],
)
def test_idioms_that_look_negative_are_commands(text: str, action: str) -> None:
    """ "don't forget to", "别忘了" and A-not-A questions ask for the action."""
    assert route(text).action == action


@pytest.mark.parametrize(
    "text",
    [
        "make a video about download speeds",
        "add end credits listing the cast",
        "balance the audio levels",
        "the upload was slow, make it shorter",
        "add a progress bar",
        "做一个关于下载速度的视频",
        "上传的视频太长了",
        "upload it to YouTube",
        "download some royalty-free music",
    ],
)
def test_topic_uses_are_chat(text: str) -> None:
    """A keyword used as a topic, a modifier or a subject is not a command."""
    assert route(text).plan == ("chat",)


@pytest.mark.parametrize(
    ("text", "attachments", "plan", "segments"),
    [
        ("add BGM and then export", [], ("chat", "export"), ("add BGM", "export")),
        ("check my credits then export", [], ("credits", "export"), None),
        ("加个背景音乐然后导出", [], ("chat", "export"), ("加个背景音乐", "导出")),
        ("upload this and add captions", ["a.mp4"], ("upload", "chat"), None),
        ("add captions then upload", ["a.mp4"], ("upload", "chat"), None),
        ("export it, but first add a title", [], ("chat", "export"), None),
        ("先查一下积分，然后导出", [], ("credits", "export"), None),
        ("export and download", [], ("export",), None),
    ],
)
def test_compound_requests_become_ordered_plans(
    text: str,
    attachments: list[str],
    plan: tuple[str, ...],
    segments: tuple[str, ...] | None,
) -> None:
    """Steps come in the order meant; repeated actions merge; uploads go first."""
    result = route(text, attachments)
    assert result.plan == plan
    assert result.action == plan[0]
    if segments is not None:
        assert result.segments == segments


def test_an_attachment_starts_the_plan_with_upload() -> None:
    """With a file attached the first step is upload, even for text about something else."""
    result = route("check my credits", [Path("clip.mp4")])
    assert result.plan == ("upload", "credits")
    assert route("", ["clip.mp4"]).plan == ("upload",)


def test_media_urls_are_uploads_and_others_are_chat() -> None:
    """A URL to an accepted media type is an upload; a web page is something to talk about."""
    media = route("use https://cdn.example.com/Clips/Beach.MP4?sig=1 as the intro")
    assert media.plan == ("upload", "chat")
    assert media.urls == ("https://cdn.example.com/Clips/Beach.MP4?sig=1",)
    page = route("make a video like https://www.youtube.com/watch?v=abc")
    assert page.plan == ("chat",)
    assert page.urls == ()


def test_a_url_the_user_says_to_upload_is_an_upload() -> None:
    """ "upload <any URL>" uploads it, whatever its type."""
    result = route("upload https://vimeo.com/12345")
    assert result.plan == ("upload",)
    assert result.urls == ("https://vimeo.com/12345",)


def test_keywords_inside_urls_are_not_commands() -> None:
    """Words in a URL's path ("/download/") are not read as commands."""
    assert route("see https://example.com/download/guide for details").plan == ("chat",)


def test_media_types_parameter() -> None:
    """media_types decides which URL endings count as uploads."""
    url = "https://example.com/a/model.glb"
    assert route(url).plan == ("chat",)
    assert route(url, media_types={"glb"}).plan == ("upload",)


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text_without_attachment_is_an_input_error(text: str) -> None:
    """Empty or blank text with nothing attached is the user's error, not a guess."""
    with pytest.raises(InputError):
        route(text)


def test_keyword_under_two_actions_is_a_routing_error() -> None:
    """A manifest keyword that names another action's default keyword fails, naming both."""
    with pytest.raises(RoutingError) as caught:
        compile_keywords({"export": ["Status"]})
    message = str(caught.value)
    assert "'status'" in message
    assert "'state'" in message
    assert "'export'" in message


def test_extra_keyword_under_two_actions_is_a_routing_error() -> None:
    """The same extra keyword under two actions fails, naming both actions."""
    with pytest.raises(RoutingError, match=r"'ship it'.*'credits'.*'export'"):
        compile_keywords({"export": ["ship it"], "credits": ["Ship  it"]})


@pytest.mark.parametrize(
    "extra",
    [{"chat": ["hello"]}, {"publish": ["post"]}, {"export": [""]}, {"export": ["  "]}],
)
def test_unknown_actions_and_empty_keywords_are_routing_errors(extra: dict[str, list[str]]) -> None:
    """Only keyword actions can get keywords, and a keyword cannot be empty."""
    with pytest.raises(RoutingError):
        compile_keywords(extra)


def test_manifest_keywords_route_with_the_same_grammar() -> None:
    """Extra keywords route as commands, and negation and topic uses still apply to them."""
    table = compile_keywords({"export": ["ship it", "出成品"], "state": ["show both variants"]})
    assert route("ship it", keywords=table).action == "export"
    assert route("please ship it now", keywords=table).action == "export"
    assert route("don't ship it yet", keywords=table).action == "chat"
    assert route("帮我出成品", keywords=table).action == "export"
    assert route("show both variants", keywords=table).action == "state"
    assert route("ship it", keywords=compile_keywords()).action == "chat"


def test_bundled_manifest_keywords_compile_and_route() -> None:
    """Every bundled skill's keyword table compiles, and its keywords route to their action."""
    for skill in discover_skills().skills.values():
        extra = skill.manifest.runtime.keywords.table()
        table = compile_keywords(extra)
        for action, words in extra.items():
            for word in words:
                assert route(word, keywords=table).action == action, (skill.name, word)


def test_tables_are_compiled_once_per_content() -> None:
    """The same words, in any order or case, give the very same compiled table."""
    first = compile_keywords({"export": ["Ship it", "出成品"]})
    second = compile_keywords({"export": ["出成品", "ship  it"]})
    assert first is second
    assert compile_keywords() is compile_keywords(None)
    assert isinstance(first, KeywordTable)
    assert "ship it" in first.keywords["export"]


def test_default_keywords_include_the_contract_table() -> None:
    """Contract §7's words are all in the default table under their action."""
    required = {
        "export": ["export", "download", "send me the video", "导出", "下载"],
        "credits": ["credits", "balance", "积分", "余额"],
        "state": ["status", "show tracks", "状态"],
        "upload": ["upload", "上传"],
    }
    for action, words in required.items():
        for word in words:
            assert word in DEFAULT_KEYWORDS[action]  # type: ignore[index]
            assert route(word).action == action


def test_route_is_deterministic_and_reports_what_matched() -> None:
    """The same message routes the same way, and matched says what was seen and why."""
    first = route("don't export yet")
    assert first == route("don't export yet")
    assert first.matched == ("chat:export (negated)",)
    assert 0.0 < first.confidence <= 1.0


_PIECES = [
    "export",
    "download",
    "upload",
    "credits",
    "balance",
    "status",
    "show tracks",
    "导出",
    "下载",
    "上传",
    "积分",
    "余额",
    "状态",
    "don't",
    "不要",
    "先别",
    "about",
    "关于",
    "then",
    "and",
    "然后",
    "再",
    "please",
    "请",
    "帮我",
    "the",
    "video",
    "music",
    "add",
    "加",
    ",",
    "，",
    "。",
    "!",
    "?",
    "'",
    '"',
    "“",
    "」",
    "「",
    "『",
    "https://x.io/a.mp4",
    "www.",
    " ",
    "\n",
    "ｅｘｐｏｒｔ",
    "ß",
    "\u200b",
    "…",
]


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(min_size=1, max_size=80),
        st.lists(st.sampled_from(_PIECES), min_size=1, max_size=14).map("".join),
    ),
    st.lists(st.sampled_from(["a.mp4", "b.png"]), max_size=2),
)
def test_route_never_raises_on_non_blank_text(text: str, attachments: list[str]) -> None:
    """Any non-blank text routes: plan[0] == action, one segment per step, known actions."""
    if not text.strip() and not attachments:
        return
    result = route(text, attachments)
    assert result.plan[0] == result.action
    assert len(result.segments) == len(result.plan)
    assert set(result.plan) <= set(ROUTE_ACTIONS)
    assert all(a != b for a, b in zip(result.plan, result.plan[1:], strict=False))
    if attachments:
        assert result.action == "upload"


@pytest.mark.parametrize(
    ("text", "plan", "segments"),
    [
        ("can we export after adding the logo?", ("chat", "export"), ("adding the logo?", None)),
        ("export it when you add the logo", ("chat", "export"), ("you add the logo", "export it")),
        ("make a video about cats and export", ("chat", "export"), ("make a video about cats",)),
        ("a video about how to upload and export", ("chat",), None),
        ("加完logo以后导出", ("chat", "export"), None),
        ("导出之后能再改吗？", ("chat",), None),
        ("等我确认了再导出", ("chat",), None),
        ("Just send me the file when it's ready", ("export",), None),
    ],
)
def test_time_clauses_and_topic_scope(
    text: str, plan: tuple[str, ...], segments: tuple[str | None, ...] | None
) -> None:
    """A time clause after a command is done first; a topic ends at 'and' + a bare verb."""
    result = route(text)
    assert result.plan == plan
    for got, want in zip(result.segments, segments or (), strict=False):
        assert want is None or got == want


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("am I out of credits?", "credits"),
        ("is my balance low?", "credits"),
        ("what clips are on the timeline?", "state"),
        ("额度用完了吗", "credits"),
        ("轨道上都有什么", "state"),
        ("余额够不够再生成一个视频", "credits"),
        ("how many credits does an edit cost?", "chat"),
        ("do uploads count against my credits?", "chat"),
        ("the end credits are too fast", "chat"),
        ("is the balance between music and voice ok?", "chat"),
        ("what colour is the progress bar?", "chat"),
    ],
)
def test_questions_about_the_account_or_project(text: str, action: str) -> None:
    """A noun keyword a question asks about is a query; cost and content questions are chat."""
    assert route(text).action == action


@pytest.mark.parametrize(
    ("text", "plan"),
    [
        ("ok looks sick, export it 🔥", ("export",)),
        ("Thanks for the titles! One more thing: how many credits do I have?", ("credits",)),
        ("I've got a meeting in 10 mins. Just export whatever we have.", ("export",)),
        ("Love the new intro. The colors are great. Can you export it now?", ("export",)),
        ("Before I continue — do I have enough credits?", ("credits",)),
        ("导出吧，辛苦了", ("export",)),
        ("The intro is too long. Export it after you cut it.", ("chat", "export")),
        ("I want a darker grade, then export", ("chat", "export")),
    ],
)
def test_only_text_that_requests_something_becomes_a_chat_step(
    text: str, plan: tuple[str, ...]
) -> None:
    """Thanks, praise, turn-taking and plain statements next to a command ask nothing."""
    assert route(text).plan == plan


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("save the video to my computer", "export"),
        ("can I have the mp4 file?", "export"),
        ("let's get this exported", "export"),
        ("get the video to look warmer", "chat"),
        ("don't send me the file yet", "chat"),
        ("i'll send you my video file", "upload"),
        ("how do I add my own video?", "upload"),
        ("我想传个视频", "upload"),
        ("宣传一下新品", "chat"),
        ("is the video still generating?", "state"),
        ("现在弄到哪了", "state"),
        ("exprot it please", "export"),
        ("Uplaod a video", "upload"),
        ("ask an expert", "chat"),
    ],
)
def test_commands_said_with_ordinary_verbs_and_typos(text: str, action: str) -> None:
    """Transfer verbs with the finished video as object export; towards 'you' they upload."""
    assert route(text).action == action


@pytest.mark.parametrize(
    "text",
    [
        "tags: export, upload, tutorial, premiere",
        "change caption B to: Export your best self",
        "tags should include export, import, trade",
        "the caption should read: check your balance",
    ],
)
def test_dictated_on_screen_text_is_content(text: str) -> None:
    """Words after a text noun and a colon, or that a text should include, are content."""
    assert route(text).plan == ("chat",)


@pytest.mark.parametrize(
    ("text", "plan"),
    [
        ("export variant A and variant B", ("export",)),
        ("export it and delete the file", ("export", "chat")),
        ("swap the music -> export", ("chat", "export")),
        ("1) add captions 2) export", ("chat", "export")),
        ("导出会扣积分吗", ("chat",)),
        ("两个版本都导出", ("export",)),
    ],
)
def test_coordination_lists_and_chinese_predicates(text: str, plan: tuple[str, ...]) -> None:
    """A second object joins its command; arrows and numbered lists sequence; 会 asks about."""
    assert route(text).plan == plan


@pytest.mark.parametrize(
    ("text", "plan"),
    [
        ("don't check the credits, just export", ("export",)),
        ("不用查余额，直接导出", ("export",)),
        ("export later, but first check my credits", ("credits",)),
        ("don't export yet, add a title first", ("chat",)),
        ("先别导出，加个字幕", ("chat",)),
        ("先别导出", ("chat",)),
        ("不要导出视频加个字幕然后查余额", ("chat", "credits")),
    ],
)
def test_a_clause_that_only_refuses_our_command_asks_nothing(
    text: str, plan: tuple[str, ...]
) -> None:
    """'Don't X' next to another command is no chat step; with an edit or alone it is chat."""
    assert route(text).plan == plan


@pytest.mark.parametrize(
    ("text", "plan"),
    [
        ("how many credits do I have? if enough, render it", ("credits", "export")),
        ("if there are enough credits, export it", ("export",)),
        ("我还有多少积分？够的话就导出", ("credits", "export")),
        ("如果不够就别导出", ("chat",)),
        ("为什么就导出了", ("chat",)),
        ("once you've fixed the colors, download it for me", ("chat", "export")),
    ],
)
def test_conditions_belong_to_their_command(text: str, plan: tuple[str, ...]) -> None:
    """A short if-clause asks nothing; 就 after a Chinese condition opens the main clause."""
    assert route(text).plan == plan


@pytest.mark.parametrize(
    ("text", "plan"),
    [
        ("what's the export status?", ("state",)),
        ("导出进度怎么样了", ("state",)),
        ("导出进度条加粗一点", ("chat",)),
        ("渲染一个3D的logo", ("chat",)),
        ("帮我渲染一下", ("export",)),
        ("渲染效果不太好，颜色调亮一点", ("chat",)),
        ("有几条轨道？", ("state",)),
        ("有哪些轨道", ("state",)),
        ("where's the download?", ("export",)),
        ("where's the export button?", ("chat",)),
        ("I think we're done! Export time", ("export",)),
        ("how long is the export time", ("chat",)),
    ],
)
def test_process_nouns_generation_and_result_questions(text: str, plan: tuple[str, ...]) -> None:
    """A verb before a state noun names whose state; 渲染一个… makes something new."""
    assert route(text).plan == plan


@pytest.mark.parametrize(
    ("text", "plan", "urls"),
    [
        ("https://example.com/clip.mp4，导出", ("upload", "export"), 1),
        ("upload: https://example.com/x", ("upload",), 1),
        ("导出后告诉我余额", ("export", "credits"), 0),
        ("导出之后能再改吗", ("chat",), 0),
    ],
)
def test_links_end_at_chinese_text_and_chinese_sequences(
    text: str, plan: tuple[str, ...], urls: int
) -> None:
    """A URL stops at Chinese text; 'X后' followed by our own command is step one of two."""
    result = route(text)
    assert result.plan == plan
    assert len(result.urls) == urls


@pytest.mark.parametrize(
    ("text", "plan"),
    [
        ("**export**", ("export",)),
        ("wat is my balance", ("credits",)),
        ("wut are my credits", ("credits",)),
        ("帮我查查余额呗", ("credits",)),
        ("看下进度嘛", ("state",)),
        ("Dear assistant, I would like to download my edited video.", ("export",)),
        ("hello there, export", ("export",)),
        ("hey add music, export", ("chat", "export")),
        ("I am wanting to export the video now", ("export",)),
        ("i'm looking to upload some clips", ("upload",)),
    ],
)
def test_chat_register_emphasis_particles_greetings_and_long_frames(
    text: str, plan: tuple[str, ...]
) -> None:
    """Markdown emphasis, chat spellings, 呗/嘛, salutations and 'I am wanting to' route."""
    assert route(text).plan == plan


def test_check_keywords_refuses_what_compile_refuses_without_compiling() -> None:
    """check_keywords (the manifest loader's check) raises compile_keywords' error for a
    keyword naming two actions, and compiles no pattern for a good table."""
    import re as _re
    from unittest import mock

    from skillrt.errors import RoutingError
    from skillrt.router import check_keywords, compile_keywords

    with pytest.raises(RoutingError, match="both"):
        compile_keywords({"credits": ["export"]})
    with pytest.raises(RoutingError, match="both"):
        check_keywords({"credits": ["export"]})
    with mock.patch.object(_re, "compile", side_effect=AssertionError("compiled")):
        check_keywords({"export": ["ship the final cut"]})
