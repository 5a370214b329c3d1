"""Generated titles read like titles (whole words, nothing dangling) and Chinese topics are
found in the usual phrasings (主题是…, 关于…的, 介绍…, 一个…的视频)."""

from __future__ import annotations

import httpx
import pytest
from emulator_helpers import chat_raw, new_session, state

from skillrt.emulator._parse import topic_in
from skillrt.emulator._titles import EN_LIMIT, ZH_LIMIT, title_of
from skillrt.emulator.testing import run_emulator


@pytest.mark.parametrize(
    ("topic", "title"),
    [
        ("a coffee brand waking up a sleepy city", "Coffee Brand Waking Up a Sleepy City"),
        (
            "the rise of electric bikes in european cities and what it means",
            "Rise of Electric Bikes",
        ),
        ("a bakery that opens at dawn, with fresh bread and coffee", "Bakery that Opens at Dawn"),
        ("AI startups in Berlin", "AI Startups in Berlin"),
        ("tea", "Tea"),
        ("our new product for", "New Product"),
    ],
)
def test_english_titles_end_on_a_whole_word(topic: str, title: str) -> None:
    """Leading articles go, small words stay lower-case inside, a long topic is cut where a
    phrase ends, and no title ends with an article, preposition or conjunction."""
    made = title_of(topic, "en")
    assert made == title
    assert len(made) <= EN_LIMIT
    assert made.split()[-1].lower() not in {"a", "an", "the", "of", "and", "for", "in", "to"}


@pytest.mark.parametrize(
    ("topic", "title"),
    [
        ("咖啡品牌唤醒沉睡城市", "咖啡品牌唤醒沉睡城市"),
        ("一个关于海洋的故事", "关于海洋的故事"),
        ("我们的咖啡品牌的", "咖啡品牌"),
        ("环保和可持续发展的生活方式与城市交通的未来", "环保和可持续发展的生活方式"),
    ],
)
def test_chinese_titles_end_before_a_particle(topic: str, title: str) -> None:
    """Chinese titles drop a leading 一个/我们的, are cut before 的/和/punctuation when long,
    and never end with a particle."""
    made = title_of(topic, "zh")
    assert made == title
    assert len(made) <= ZH_LIMIT
    assert made[-1] not in "的了和与及在"


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        ("生成一个10秒的视频，主题是咖啡品牌", "咖啡品牌"),
        ("生成一个视频，主题是：春天的花园。", "春天的花园"),
        ("生成一个关于咖啡品牌唤醒沉睡城市的10秒视频", "咖啡品牌唤醒沉睡城市"),
        ("做一个关于我们的咖啡品牌的视频", "我们的咖啡品牌"),
        ("帮我生成一个30秒的关于茶文化的竖屏视频", "茶文化"),
        ("生成一个介绍新款咖啡机的视频", "新款咖啡机"),
        ("生成一个咖啡品牌的视频", "咖啡品牌"),
        ("生成一段10秒的海边视频", "海边"),
        ("做一个10秒的视频", None),
        ("generate a video, the topic is electric bikes", "electric bikes"),
        ("generate a 10-second video about a coffee brand", "a coffee brand"),
    ],
)
def test_topic_from_common_phrasings(message: str, topic: str | None) -> None:
    """The topic is the words the phrasing names, never a leftover particle such as 的."""
    assert topic_in(message) == topic


def test_generated_title_in_the_timeline() -> None:
    """ "主题是…" gives the video that topic and title (it used to be "的")."""
    with run_emulator() as emu, httpx.Client(base_url=emu.base_url, timeout=30) as client:
        token = emu.issue_token()
        session = new_session(client, token, "zh")
        chat_raw(client, token, session, "生成一个10秒的视频，主题是咖啡品牌")
        draft = state(client, token, session)["state"]["draft"]
    assert draft["m"]["title"] == "咖啡品牌"
    titles = [s["text"] for t in draft["t"] if t.get("role") == "title" for s in t["sg"]]
    assert titles == ["咖啡品牌"]
