"""Timeline summaries and change reports: golden wording in both languages, lenient input."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillrt.translators import describe_changes, diff_drafts, is_exportable, summarize_timeline


def _draft() -> dict[str, Any]:
    """The draft of docs/draft.md, plus a track of every other role."""
    return {
        "d": 10000,
        "m": {
            "title": "Urban Dreams",
            "width": 1080,
            "height": 1920,
            "fps": 30,
            "aspect": "9:16",
            "activeVariant": "A",
        },
        "t": [
            {
                "id": "v1",
                "tt": 0,
                "role": "main",
                "name": "Video",
                "sg": [
                    {
                        "id": "s1",
                        "start": 0,
                        "d": 5000,
                        "src": "generated:scene-1",
                        "label": "city timelapse",
                        "text": "A city wakes up",
                        "color": "#1f3b5a",
                    },
                    {
                        "id": "s2",
                        "start": 5000,
                        "d": 5000,
                        "src": "https://cdn.example/u/clip.mp4",
                        "label": "clip.mp4",
                        "in": 2000,
                    },
                ],
            },
            {
                "id": "v2",
                "tt": 0,
                "role": "overlay",
                "name": "Overlay",
                "sg": [
                    {"id": "o1", "start": 1000, "d": 2000, "src": "https://cdn.example/u/logo.png"}
                ],
            },
            {
                "id": "a1",
                "tt": 1,
                "role": "bgm",
                "name": "BGM",
                "sg": [
                    {
                        "id": "s3",
                        "start": 0,
                        "d": 10000,
                        "music": "Lo-fi",
                        "label": "Lo-fi",
                        "volume": 0.35,
                    }
                ],
            },
            {
                "id": "a2",
                "tt": 1,
                "role": "voice",
                "name": "Voiceover",
                "sg": [
                    {
                        "id": "s5",
                        "start": 500,
                        "d": 8500,
                        "src": "https://cdn.example/u/vo.m4a",
                        "label": "vo.m4a",
                        "volume": 1.0,
                    }
                ],
            },
            {
                "id": "a3",
                "tt": 1,
                "role": "sfx",
                "name": "SFX",
                "sg": [{"id": "s6", "start": 4500, "d": 1000, "label": "whoosh", "volume": 0.6}],
            },
            {
                "id": "x1",
                "tt": 7,
                "role": "title",
                "name": "Title",
                "sg": [
                    {
                        "id": "s4",
                        "start": 0,
                        "d": 3000,
                        "text": "Urban Dreams",
                        "style": {"position": "top", "size": 72, "color": "#FFFFFF", "box": False},
                    }
                ],
            },
            {
                "id": "c1",
                "tt": 7,
                "role": "caption",
                "name": "Captions A",
                "variant": "A",
                "sg": [{"id": "ca1", "start": 0, "d": 2500, "text": "Meet the city"}],
            },
            {
                "id": "c2",
                "tt": 7,
                "role": "caption",
                "name": "Captions B",
                "variant": "B",
                "sg": [{"id": "cb1", "start": 0, "d": 2500, "text": "MEET THE CITY"}],
            },
            {
                "id": "x2",
                "tt": 7,
                "role": "overlay",
                "name": "Text",
                "sg": [{"id": "t1", "start": 6000, "d": 2000, "text": "50% OFF"}],
            },
        ],
    }


SUMMARY_EN = (
    "Timeline (9 tracks): 1. Video: city timelapse (0-5s), clip.mp4 (5-10s) "
    "2. Overlay: logo.png (1-3s) 3. BGM: Lo-fi (0-10s, 35%) 4. Voiceover: vo.m4a (0.5-9s, 100%) "
    '5. SFX: whoosh (4.5-5.5s, 60%) 6. Title: "Urban Dreams" (0-3s) '
    '7. Captions A [variant A, shown]: "Meet the city" (0-2.5s) '
    '8. Captions B [variant B, hidden]: "MEET THE CITY" (0-2.5s) 9. Text: "50% OFF" (6-8s)'
)
SUMMARY_ZH = (
    "时间线（9 条轨道）：1. 视频：city timelapse（0-5秒），clip.mp4（5-10秒） "
    "2. 画中画：logo.png（1-3秒） 3. 背景音乐：Lo-fi（0-10秒，35%） "
    "4. 配音：vo.m4a（0.5-9秒，100%） "
    "5. 音效：whoosh（4.5-5.5秒，60%） 6. 标题：“Urban Dreams”（0-3秒） "
    "7. 字幕 A［方案 A，显示中］：“Meet the city”（0-2.5秒） "
    "8. 字幕 B［方案 B，未显示］：“MEET THE CITY”（0-2.5秒） 9. 文字：“50% OFF”（6-8秒）"
)


def test_contract_example_summary() -> None:
    """The three-track example of the contract is summarised exactly as the contract shows."""
    draft = _draft()
    draft["t"] = [draft["t"][0], draft["t"][2], draft["t"][5]]
    draft["t"][0]["sg"] = [{"start": 0, "d": 10000, "label": "city timelapse"}]
    assert summarize_timeline(draft) == (
        "Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) "
        '3. Title: "Urban Dreams" (0-3s)'
    )


@pytest.mark.parametrize(("language", "expected"), [("en", SUMMARY_EN), ("zh", SUMMARY_ZH)])
def test_summary_of_every_track_type(language: str, expected: str) -> None:
    """Video, overlay, BGM, voice, SFX, title, caption variants and text overlays, per language."""
    assert summarize_timeline(_draft(), language) == expected


def test_summary_accepts_a_state_response_and_json_text() -> None:
    """A state response (data.state.draft) or the draft as JSON text gives the same summary."""
    wrapped = {"code": 0, "data": {"state": {"draft": _draft(), "video_infos": []}}}
    assert summarize_timeline(wrapped) == SUMMARY_EN
    assert summarize_timeline(json.dumps(_draft())) == SUMMARY_EN


def test_long_tracks_list_three_segments_and_count_the_rest() -> None:
    """A track with many segments lists three and says how many more there are."""
    draft = {
        "t": [
            {
                "tt": 7,
                "role": "caption",
                "sg": [{"start": i * 1000, "d": 1000, "text": f"line {i}"} for i in range(5)],
            }
        ]
    }
    assert summarize_timeline(draft) == (
        'Timeline (1 track): 1. Captions: "line 0" (0-1s), "line 1" (1-2s), "line 2" (2-3s), '
        "+2 more"
    )


@pytest.mark.parametrize("draft", [None, {}, {"t": []}, {"t": [{"tt": 0, "sg": []}]}, "", 42, []])
def test_empty_or_missing_draft_says_there_is_nothing_to_export(draft: object) -> None:
    """No draft, no tracks or only empty tracks: say so, in both languages."""
    assert "nothing to export yet" in summarize_timeline(draft)
    assert "generate a video first" in summarize_timeline(draft)
    assert "还没有可导出的内容" in summarize_timeline(draft, "zh")
    assert not is_exportable(draft)


def test_wrong_types_and_unknown_fields_are_tolerated() -> None:
    """Strings for numbers, junk fields, unknown track types and bad segments are read leniently."""
    draft = {
        "t": [
            {
                "tt": "0",
                "sg": [{"start": "1000", "d": 2000.4, "label": 7, "junk": {"x": 1}}, "bad"],
            },
            {"tt": 99, "name": None, "sg": [{"start": True, "d": "abc", "volume": "0.5"}]},
            "not a track",
        ],
        "m": "nope",
        "d": "x",
    }
    assert (
        summarize_timeline(draft) == "Timeline (2 tracks): 1. Video: 7 (1-3s) 2. Track: clip (0-0s)"
    )
    assert is_exportable(draft)


def _changed(edit: Any) -> dict[str, Any]:
    after = copy.deepcopy(_draft())
    edit(after)
    return after


def _title_removed() -> dict[str, Any]:
    draft = _draft()
    del draft["t"][5]
    return draft


CHANGES: list[tuple[str, Any, str, str]] = [
    (
        "volume",
        lambda d: d["t"][2]["sg"][0].update(volume=0.2),
        "✅ BGM volume 35% → 20%",
        "✅ 背景音乐音量 35% → 20%",
    ),
    (
        "trim",
        lambda d: d["t"][0]["sg"][1].update(d=4000),
        "✅ Clip 2 trimmed to 4s",
        "✅ 片段2已剪短为4秒",
    ),
    (
        "extend",
        lambda d: d["t"][0]["sg"][0].update(d=6000),
        "✅ Clip 1 extended to 6s",
        "✅ 片段1已延长为6秒",
    ),
    (
        "move",
        lambda d: d["t"][2]["sg"][0].update(start=5000),
        "✅ BGM moved: 0-10s → 5-15s",
        "✅ 背景音乐已移动：0-10秒 → 5-15秒",
    ),
    (
        "retime",
        lambda d: d["t"][5]["sg"][0].update(start=1000, d=4000),
        "✅ Title retimed: 0-3s → 1-5s",
        "✅ 标题时间调整：0-3秒 → 1-5秒",
    ),
    (
        "text",
        lambda d: d["t"][5]["sg"][0].update(text="Paradise Found"),
        '✅ Title text changed: "Urban Dreams" → "Paradise Found"',
        "✅ 标题文字已修改：“Urban Dreams” → “Paradise Found”",
    ),
    (
        "music",
        lambda d: d["t"][2]["sg"][0].update(music="Upbeat", label="Upbeat"),
        "✅ BGM replaced: Lo-fi → Upbeat",
        "✅ 背景音乐已替换：Lo-fi → Upbeat",
    ),
    (
        "style",
        lambda d: d["t"][5]["sg"][0]["style"].update(position="bottom"),
        "✅ Title style changed: position top → bottom",
        "✅ 标题样式已修改：position top → bottom",
    ),
    (
        "segment removed",
        lambda d: d["t"][0]["sg"].pop(1),
        "✅ Clip 2 removed: clip.mp4 (5-10s)",
        "✅ 已删除片段2：clip.mp4（5-10秒）",
    ),
    (
        "segment added",
        lambda d: d["t"][8]["sg"].append(
            {"id": "t2", "start": 8000, "d": 2000, "text": "Shop now"}
        ),
        '✅ Text 2 added: "Shop now" (8-10s)',
        "✅ 已添加文字 2：“Shop now”（8-10秒）",
    ),
    ("track removed", lambda d: d["t"].pop(4), "✅ SFX track removed", "✅ 已删除音效轨道"),
    (
        "aspect",
        lambda d: d["m"].update(aspect="16:9", width=1920, height=1080),
        "✅ Aspect ratio 9:16 → 16:9",
        "✅ 画面比例 9:16 → 16:9",
    ),
    (
        "canvas",
        lambda d: d["m"].update(width=720, height=1280),
        "✅ Canvas 1080×1920 → 720×1280",
        "✅ 画布尺寸 1080×1920 → 720×1280",
    ),
    (
        "variant",
        lambda d: d["m"].update(activeVariant="B"),
        "✅ Active caption variant A → B",
        "✅ 当前字幕方案 A → B",
    ),
    (
        "project title",
        lambda d: d["m"].update(title="Paradise"),
        '✅ Project title: "Urban Dreams" → "Paradise"',
        "✅ 项目标题：“Urban Dreams” → “Paradise”",
    ),
]


@pytest.mark.parametrize(
    ("name", "edit", "english", "chinese"), CHANGES, ids=[c[0] for c in CHANGES]
)
def test_one_change_is_reported_in_specifics(
    name: str, edit: Any, english: str, chinese: str
) -> None:
    """Each kind of silent edit gives one specific ✅ line, in English and in Chinese."""
    after = _changed(edit)
    assert describe_changes(_draft(), after) == english
    assert describe_changes(_draft(), after, "zh") == chinese


# Wording that once said a word twice or read awkwardly, per language (issue 5).
WORDING: list[tuple[str, Any, str, str]] = [
    (
        "music on a music track",
        lambda d: d["t"][2].update(name="Music") or d["t"][2]["sg"][0].update(music="Chill"),
        "✅ Music replaced: Lo-fi → Chill",
        "✅ 背景音乐已替换：Lo-fi → Chill",
    ),
    (
        "music on another track",
        lambda d: d["t"][3]["sg"][0].update(music="Chill"),
        "✅ Voiceover music replaced: vo.m4a → Chill",
        "✅ 配音的音乐已替换：vo.m4a → Chill",
    ),
    (
        "text of a text track",
        lambda d: d["t"][8]["sg"][0].update(text="60% OFF"),
        '✅ Text changed: "50% OFF" → "60% OFF"',
        "✅ 文字已修改：“50% OFF” → “60% OFF”",
    ),
    (
        "text cleared",
        lambda d: d["t"][5]["sg"][0].update(text=""),
        '✅ Title text cleared (was "Urban Dreams")',
        "✅ 已清空标题的文字（原为“Urban Dreams”）",
    ),
    (
        "text added",
        lambda d: d["t"][0]["sg"][1].update(text="Sale"),
        '✅ Clip 2 text added: "Sale"',
        "✅ 已为片段2添加文字：“Sale”",
    ),
    (
        "track named track",
        lambda d: d["t"].pop(5),
        "✅ Title track removed",
        "✅ 已删除标题轨道",
    ),
    (
        "variant name before Chinese words",
        lambda d: d["t"][6]["sg"][0].update(d=1500),
        "✅ Captions A trimmed to 1.5s",
        "✅ 字幕 A 已剪短为1.5秒",
    ),
    (
        "variant track removed",
        lambda d: d["t"].pop(7),
        "✅ Captions B track removed",
        "✅ 已删除字幕 B 轨道",
    ),
    (
        "volume set where there was none",
        lambda d: d["t"][0]["sg"][1].update(volume=0.5),
        "✅ Clip 2 volume set to 50%",
        "✅ 片段2音量设为 50%",
    ),
    (
        "volume back to default",
        lambda d: d["t"][2]["sg"][0].pop("volume"),
        "✅ BGM volume back to default (was 35%)",
        "✅ 背景音乐音量恢复默认（原为 35%）",
    ),
    (
        "style value removed",
        lambda d: d["t"][5]["sg"][0]["style"].pop("color"),
        "✅ Title style changed: color #FFFFFF → unset",
        "✅ 标题样式已修改：color #FFFFFF → 未设置",
    ),
]


@pytest.mark.parametrize(
    ("name", "edit", "english", "chinese"), WORDING, ids=[c[0] for c in WORDING]
)
def test_change_wording_says_nothing_twice(
    name: str, edit: Any, english: str, chinese: str
) -> None:
    """A name that already says music/text/track is not followed by the word again (en, zh)."""
    after = _changed(edit)
    assert describe_changes(_draft(), after) == english
    assert describe_changes(_draft(), after, "zh") == chinese


def _every_change() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Each kind of change on each track of the draft, plus custom track names."""
    edits: list[Any] = [
        lambda s: s.update(volume=0.2),
        lambda s: s.update(music="Upbeat"),
        lambda s: s.update(src="https://cdn.example/u/new.mp4", label="new.mp4"),
        lambda s: s.update(text="Hi"),
        lambda s: s.update(text=""),
        lambda s: s.update(style={"position": "bottom"}),
        lambda s: s.update(d=1000),
        lambda s: s.update(d=9000),
        lambda s: s.update(start=7000),
        lambda s: s.update(start=7000, d=1000),
        lambda s: s.update(label="new label"),
    ]
    pairs = []
    for name in (None, "Music", "Text", "Music track", "Captions track"):
        before = _draft()
        if name is not None:
            for track in before["t"]:
                track["name"] = name
        for index in range(len(before["t"])):
            for edit in edits:
                after = copy.deepcopy(before)
                edit(after["t"][index]["sg"][0])
                pairs.append((before, after))
            removed = copy.deepcopy(before)
            removed["t"].pop(index)
            pairs += [(before, removed), (removed, before)]
    return pairs


def test_no_change_line_says_a_word_twice() -> None:
    """No report line repeats a word ("BGM music", "Text text", "音乐音乐", "轨道轨道")."""
    doubled_en = re.compile(r"\b(\w+) \1\b|\b(?:bgm|music) music\b", re.IGNORECASE)
    doubled_zh = re.compile(r"(音乐|文字|轨道|字幕|标题|片段)\1")
    for before, after in _every_change():
        for line in describe_changes(before, after).splitlines():
            assert not doubled_en.search(line.split(":")[0]), line
        for line in describe_changes(before, after, "zh").splitlines():
            assert not doubled_zh.search(line), line
            assert not re.search(r"[A-Za-z][\u4e00-\u9fff]", line.split("：")[0]), line


def test_title_added_matches_the_contract() -> None:
    """Adding the title track reads `✅ Title added: "Urban Dreams" (0-3s)`."""
    assert describe_changes(_title_removed(), _draft()) == '✅ Title added: "Urban Dreams" (0-3s)'
    assert (
        describe_changes(_title_removed(), _draft(), "zh")
        == "✅ 已添加标题：“Urban Dreams”（0-3秒）"
    )


def test_several_changes_are_listed_one_per_line() -> None:
    """A trim, a volume change and the new total length are all listed, in draft order."""

    def edit(draft: dict[str, Any]) -> None:
        draft["t"][0]["sg"][1]["d"] = 4000
        draft["t"][2]["sg"][0]["volume"] = 0.2
        draft["d"] = 9000

    assert describe_changes(_draft(), _changed(edit)).splitlines() == [
        "✅ Clip 2 trimmed to 4s",
        "✅ BGM volume 35% → 20%",
        "✅ Total length 10s → 9s",
    ]


def test_no_change_is_said_plainly() -> None:
    """Identical drafts: no Change, and a plain sentence saying nothing changed."""
    assert diff_drafts(_draft(), _draft()) == []
    assert describe_changes(_draft(), _draft()) == "No changes: the timeline is the same as before."
    assert describe_changes(_draft(), _draft(), "zh") == "时间线没有变化，和之前一样。"


def test_diff_matches_tracks_without_ids_by_role() -> None:
    """Drafts without ids are matched by track type, role and occurrence, not by position."""
    before = {"t": [{"tt": 0, "role": "main", "sg": [{"start": 0, "d": 5000, "label": "a"}]}]}
    after = {
        "t": [
            {
                "tt": 1,
                "role": "bgm",
                "sg": [{"start": 0, "d": 5000, "music": "Chill", "volume": 0.3}],
            },
            before["t"][0],
        ]
    }
    assert [change.kind for change in diff_drafts(before, after)] == ["track_added"]
    assert describe_changes(before, after).splitlines()[0] == "✅ BGM added: Chill (0-5s, 30%)"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "t",
                    "tt",
                    "sg",
                    "d",
                    "m",
                    "start",
                    "volume",
                    "text",
                    "id",
                    "variant",
                    "activeVariant",
                    "style",
                    "data",
                    "draft",
                    "state",
                    "x",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(JSON, st.sampled_from(["en", "zh"]))
def test_summarising_never_raises_on_any_json(value: object, language: str) -> None:
    """Any JSON value gives a summary string."""
    assert summarize_timeline(value, language)
    assert isinstance(is_exportable(value), bool)


@settings(max_examples=400, deadline=None)
@given(JSON, JSON, st.sampled_from(["en", "zh"]))
def test_diffing_never_raises_on_any_json(before: object, after: object, language: str) -> None:
    """Any two JSON values give a list of changes and a report."""
    assert isinstance(diff_drafts(before, after), list)
    assert describe_changes(before, after, language)
