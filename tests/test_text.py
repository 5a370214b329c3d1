"""The shared text layer (skillrt._text): quote marks, Han range, tries, mask, Traditional."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from skillrt._text import (
    HAN,
    QUOTE_CHARS,
    QUOTE_MASK,
    QUOTE_PAIRS,
    alternation,
    clean_sequence,
    has_han,
    mask_quotes,
    prefix_pattern,
    to_simplified,
)
from skillrt.router import route
from skillrt.translators import translate

ROOT = Path(__file__).resolve().parent.parent


def test_every_quote_pair_masks_its_passage_one_for_one() -> None:
    """Each opening mark with each of its closers masks the whole passage, same length."""
    for opening, closers in QUOTE_PAIRS:
        for closing in closers:
            text = f"add {opening}export now{closing} please"
            masked = mask_quotes(text)
            assert len(masked) == len(text)
            assert "export" not in masked, (opening, closing)
            assert masked.startswith("add ")
            assert masked.endswith(" please")


def test_keep_marks_masks_only_the_inside() -> None:
    """``keep_marks`` keeps the quotation marks and masks what is between them."""
    assert (
        mask_quotes("标题改为〈点击导出〉。", keep_marks=True)
        == "标题改为〈" + QUOTE_MASK * 4 + "〉。"
    )


def test_apostrophes_are_not_quotes() -> None:
    """The apostrophes of "don't ... it's" are left alone; a single-quoted word is masked."""
    assert mask_quotes("don't export it's late") == "don't export it's late"
    assert "export" not in mask_quotes("a title 'export day' please")


def test_mask_is_ascii_and_not_a_word() -> None:
    """The mask keeps an English message ASCII and is neither a word character nor a space."""
    assert QUOTE_MASK.isascii()
    assert re.match(r"[\w\s]", QUOTE_MASK) is None
    assert QUOTE_MASK not in QUOTE_CHARS


def test_han_range_covers_extension_a_and_compatibility_ideographs() -> None:
    """One Han range: unified ideographs, extension A (㐀) and compatibility forms (豈)."""
    assert all(has_han(char) for char in "中㐀豈")
    assert not has_han("abc。，！")
    assert HAN.search("「」") is None


def test_alternation_prefers_the_longest_word_on_boundaries() -> None:
    """The trie regex matches whole ASCII words only and the longest of overlapping ones."""
    pattern = re.compile(alternation(["export", "export it", "导出"]))
    assert [m.group() for m in pattern.finditer("reexport; export  it 导出视频")] == [
        "export  it",
        "导出",
    ]
    assert re.compile(alternation([])).search("anything") is None


def test_clean_sequence_accepts_only_listed_words() -> None:
    """``clean_sequence`` matches text made of the words and separators only."""
    pattern = re.compile(clean_sequence(["ok", "thanks"]))
    assert pattern.match("ok, thanks")
    assert not pattern.match("ok export")


def test_prefix_pattern_exact_and_prefix_modes() -> None:
    """``prefix_pattern`` shares the trie: prefixes by default, whole words with ``exact``."""
    assert re.fullmatch(prefix_pattern(["click", "check"]), "check")
    assert re.fullmatch(prefix_pattern(["when", "whenever"], exact=True), "whenever")
    assert re.match(prefix_pattern(["when", "whenever"]) + "$", "whenever") is None


def test_traditional_keywords_convert_to_simplified() -> None:
    """The issue's Traditional words become their Simplified forms (Taiwan wording too)."""
    assert to_simplified("匯出 下載 點數 積分 餘額 狀態 軌道 上傳 影片") == (
        "导出 下载 点数 积分 余额 状态 轨道 上传 视频"
    )


def test_text_without_traditional_characters_is_returned_unchanged() -> None:
    """Simplified and English text come back as the same object (nothing converted)."""
    for text in ("请帮我导出视频", "export please", "hello 世界"):
        assert to_simplified(text) is text


@given(
    st.text(
        alphabet=st.sampled_from("匯出影片下載軟體點數積分餘額狀態軌道上傳頭髮乾淨臺灣 ,。a"),
        max_size=40,
    )
)
def test_conversion_keeps_the_length(text: str) -> None:
    """Offsets into the converted text are offsets into the user's text."""
    assert len(to_simplified(text)) == len(text)


def test_router_and_translators_share_the_quote_marks() -> None:
    """A quote mark the router knows protects content in the translators too (issue 9 §3)."""
    assert route("标题改为〈点击导出〉").plan == ("chat",)
    assert translate("标题改为〈点击导出〉。").actions == ()
    assert translate("标题改为«Export now».").actions == ()


def test_no_module_keeps_its_own_han_range_or_trie_builder() -> None:
    """Router, translators, i18n and emulator import the Han range instead of copying it."""
    own = re.compile(r"\\u4e00-\\u9fff|def (?:alternation|prefix_pattern)\(")
    folders = [ROOT / "router", ROOT / "translators", ROOT / "emulator", ROOT / "src" / "skillrt"]
    copies = [
        str(path.relative_to(ROOT))
        for folder in folders
        for path in folder.rglob("*.py")
        if path.name != "_text.py" or path.parent.name != "skillrt"
        if own.search(path.read_text(encoding="utf-8"))
    ]
    assert copies == []


def test_no_module_keeps_its_own_quote_marks() -> None:
    """The translators and the emulator strip quote marks with skillrt._text's list (issue 9 §3)."""
    own = re.compile(r"“”|「」|《》")
    folders = [ROOT / "translators", ROOT / "emulator"]
    copies = [
        str(path.relative_to(ROOT))
        for folder in folders
        for path in folder.rglob("*.py")
        if own.search(path.read_text(encoding="utf-8"))
    ]
    assert copies == []
