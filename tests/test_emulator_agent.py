"""The rule-based agent: generation, edits, metadata and caption A/B in English and Chinese."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from emulator_helpers import chat_raw, client_for, data_events, final_texts, new_session, state

from skillrt.emulator.testing import RunningEmulator, run_emulator


@pytest.fixture(scope="module")
def emu() -> Iterator[RunningEmulator]:
    """One emulator where every edit answers with text."""
    with run_emulator(silent_edit_ratio=0.0, starting_credits=100_000) as running:
        yield running


@pytest.fixture
def client(emu: RunningEmulator) -> Iterator[httpx.Client]:
    """A client on the API origin."""
    with client_for(emu) as c:
        yield c


class Chat:
    """One session: say something, get the final texts and the draft."""

    def __init__(self, emu: RunningEmulator, client: httpx.Client, language: str = "en"):
        self.client = client
        self.token = emu.issue_token()
        self.session_id = new_session(client, self.token, language)

    def say(self, text: str) -> list[str]:
        _, raw = chat_raw(self.client, self.token, self.session_id, text)
        return final_texts(data_events(raw))

    def calls(self, text: str) -> list[str]:
        _, raw = chat_raw(self.client, self.token, self.session_id, text)
        parts = [p for e in data_events(raw) for p in e.get("content", {}).get("parts", [])]
        return [p["functionCall"]["name"] for p in parts if "functionCall" in p]

    @property
    def draft(self) -> dict[str, Any]:
        found = state(self.client, self.token, self.session_id)["state"]["draft"]
        assert isinstance(found, dict)
        return found

    def track(self, role: str, variant: str | None = None) -> dict[str, Any]:
        return next(t for t in self.draft["t"]
                    if t.get("role") == role and t.get("variant") == variant)  # fmt: skip


def test_generation_reads_length_aspect_scenes(emu: RunningEmulator, client: httpx.Client) -> None:
    """A 12-second 16:9 request in 3 scenes gives that canvas, length and scene count."""
    chat = Chat(emu, client)
    texts = chat.say("Generate a 12-second 16:9 video about mountain biking in 3 scenes")
    draft = chat.draft
    assert draft["d"] == 12000
    assert draft["m"]["aspect"] == "16:9"
    assert draft["m"]["width"] > draft["m"]["height"]
    assert len(chat.track("main")["sg"]) == 3
    assert draft["m"]["title"] == "Mountain Biking"
    assert len(texts) == 3
    assert "raw video" in texts[1].lower()


def test_generation_from_a_script(emu: RunningEmulator, client: httpx.Client) -> None:
    """A "script:" makes one scene per sentence, drawing that sentence."""
    chat = Chat(emu, client)
    chat.say("script: Sunrise over the bay. Boats leave the harbour. Night falls.")
    scenes = chat.track("main")["sg"]
    assert [s["text"] for s in scenes] == ["Sunrise over the bay.", "Boats leave the harbour.",
                                           "Night falls."]  # fmt: skip


def test_music_add_replace_and_volume(emu: RunningEmulator, client: httpx.Client) -> None:
    """BGM is replaced by name, and its volume set by percentage."""
    chat = Chat(emu, client)
    chat.say("generate a 4-second video about tea")
    assert chat.track("bgm")["sg"][0]["music"] == "Lo-fi"
    assert "replaced" in chat.say("replace the music with something cinematic at 50%")[0]
    assert chat.track("bgm")["sg"][0] == {**chat.track("bgm")["sg"][0], "music": "Cinematic",
                                          "volume": 0.5}  # fmt: skip
    chat.say("set the music volume to 20%")
    assert chat.track("bgm")["sg"][0]["volume"] == 0.2
    assert chat.track("bgm")["sg"][0]["music"] == "Cinematic"


def test_text_overlay_timing_and_position(emu: RunningEmulator, client: httpx.Client) -> None:
    """A quoted text with a range and a position becomes an overlay segment."""
    chat = Chat(emu, client)
    chat.say("generate a 6-second video about tea")
    texts = chat.say('add text "Fresh daily" at the bottom from 2 to 5 seconds')
    segment = chat.track("overlay")["sg"][0]
    assert (segment["text"], segment["start"], segment["d"]) == ("Fresh daily", 2000, 3000)
    assert segment["style"]["position"] == "bottom"
    assert "drag" in texts[0]


def test_captions_trim_and_reorder(emu: RunningEmulator, client: httpx.Client) -> None:
    """Captions follow the scenes; trim keeps a range; reorder swaps two scenes."""
    chat = Chat(emu, client)
    chat.say("generate a 10-second video about tea in 2 scenes")
    chat.say("add captions")
    assert [c["start"] for c in chat.track("caption")["sg"]] == [0, 5000]
    first, second = (s["label"] for s in chat.track("main")["sg"])
    assert chat.calls("swap scene 1 and 2") == ["reorder_clips"]
    assert [s["label"] for s in chat.track("main")["sg"]] == [second, first]
    chat.say("trim to 2-8s")
    assert chat.draft["d"] == 6000
    assert chat.track("main")["sg"][0]["in"] == 2000


def test_aspect_change_is_answered_honestly(emu: RunningEmulator, client: httpx.Client) -> None:
    """Changing the aspect ratio is explained as regenerating; the draft stays as it was."""
    chat = Chat(emu, client)
    chat.say("generate a 4-second video about tea")
    before = chat.draft
    (text,) = chat.say("change the aspect ratio to 16:9")
    assert "regenerating" in text
    assert chat.draft == before


def test_edit_on_empty_timeline_points_to_gui(emu: RunningEmulator, client: httpx.Client) -> None:
    """An edit on an empty timeline tells the user to drag a clip in or generate first."""
    (text,) = Chat(emu, client).say("add some upbeat music")
    assert "Drag a clip" in text


def test_metadata_from_the_clip(emu: RunningEmulator, client: httpx.Client) -> None:
    """Titles, description and tags use the clip's title, duration and orientation."""
    chat = Chat(emu, client)
    chat.say("generate a 10-second vertical video about a coffee brand")
    (text,) = chat.say("write titles, a description and tags for my TikTok")
    assert "Coffee Brand" in text
    assert "#coffee" in text
    assert "#shorts" in text
    analyses = state(chat.client, chat.token, chat.session_id)["state"]["video_analyses"]
    assert analyses[0]["resolution"] == "360x640"


def test_caption_ab_variants_and_comparison(emu: RunningEmulator, client: httpx.Client) -> None:
    """Two caption tracks A and B, activeVariant A, a comparison, and switching to B."""
    chat = Chat(emu, client)
    chat.say("generate a 10-second video about tea")
    (text,) = chat.say("test two caption styles and compare them")
    a, b = chat.track("caption", "A"), chat.track("caption", "B")
    assert a["name"] == "Captions A"
    assert b["sg"][0]["style"]["color"] != a["sg"][0]["style"]["color"]
    assert chat.draft["m"]["activeVariant"] == "A"
    assert "chars/s" in text
    assert "Contrast" in text
    assert "click the Export button" in text
    chat.say("switch to variant B")
    assert chat.draft["m"]["activeVariant"] == "B"


def test_chinese_edits(emu: RunningEmulator, client: httpx.Client) -> None:
    """Chinese edits: music with volume, title with range and position, answered in Chinese."""
    chat = Chat(emu, client, "zh")
    chat.say("生成一段8秒的关于绿茶的视频")
    (music,) = chat.say("换成舒缓的背景音乐，音量30%")
    assert chat.track("bgm")["sg"][0]["music"] == "Chill"
    assert "轨道面板" in music
    (title,) = chat.say("在底部添加标题「春日新茶」，从1到4秒")
    segment = chat.track("title")["sg"][0]
    assert (segment["text"], segment["start"], segment["d"]) == ("春日新茶", 1000, 3000)
    assert "拖拽" in title
    (tags,) = chat.say("帮我生成标题、描述和标签")
    assert "标签" in tags


def test_fifty_concurrent_chats(emu: RunningEmulator) -> None:
    """50 chats at once against one emulator all complete with their full reply."""
    token = emu.issue_token()
    errors: list[BaseException] = []
    results: list[int] = []

    def one(index: int) -> None:
        try:
            with client_for(emu) as client:
                session_id = new_session(client, token)
                _, raw = chat_raw(client, token, session_id,
                                  f"generate a 1-second video about topic {index}")  # fmt: skip
                texts = final_texts(data_events(raw))
                assert len(texts) == 3
                assert state(client, token, session_id)["draft_version"] == 3
                results.append(index)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == list(range(50))


def test_two_edits_in_one_message(emu: RunningEmulator, client: httpx.Client) -> None:
    """ "add lo-fi music and captions" does both edits in one reply."""
    chat = Chat(emu, client)
    chat.say("generate a 4-second video about tea")
    assert sorted(chat.calls("add upbeat music and captions")) == ["add_bgm", "add_captions"]
    assert chat.track("bgm")["sg"][0]["music"] == "Upbeat"
    assert chat.track("caption")["sg"]
