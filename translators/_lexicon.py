"""The translators' words, as data: every list a rule or the engine reads, and nothing else.

Each list is lower case, NFKC-normalised and free of duplicates (a test checks, and that
every list is used). The engine compiles them (:func:`skillrt.translators._text.prefix_pattern`
and plain alternations); no word of a language sits inline in a regex elsewhere.
"""

from __future__ import annotations

__all__ = [
    "BLOCK_NOUNS_EN",
    "BLOCK_NOUNS_ZH",
    "CONNECTORS_EN",
    "CONNECTORS_ZH",
    "ELEMENT_REPORT_EN",
    "EXPORT_OPTION_VERBS_EN",
    "EXPORT_OPTION_VERBS_ZH",
    "EXPORT_OPTION_WORDS_EN",
    "EXPORT_OPTION_WORDS_ZH",
    "FIELD_LABELS_EN",
    "FIELD_LABELS_ZH",
    "LEAD_IN_EN",
    "LEAD_IN_END_ZH",
    "LEAD_IN_ZH",
    "NARRATION_EN",
    "NARRATION_ZH",
    "NEGATION_EN",
    "NEGATION_EXCEPT_EN",
    "NEGATION_EXCEPT_ZH",
    "NEGATION_ZH",
    "SMALL_WORDS_EN",
    "UI_NOUNS_EN",
]

# --- Content blocks: generated text the backend hands over (titles, tags, descriptions). ---

#: "Title: …", "Tags: …": the rest of the line is content the user asked for, never a direction.
FIELD_LABELS_EN = (
    *("title", "titles", "title idea", "title ideas", "title option", "title options"),
    *("headline", "headlines", "description", "descriptions", "caption", "captions"),
    *("tag", "tags", "hashtag", "hashtags", "keyword", "keywords", "hook", "hooks"),
    *("subtitle", "subtitles", "summary", "slogan", "tagline", "cta", "call to action"),
    *("thumbnail text", "post text", "video title", "video description", "seo tags"),
    *("name", "names", "suggestion", "suggestions", "option", "options"),
)
FIELD_LABELS_ZH = (
    *("标题", "视频标题", "标题建议", "备选标题", "描述", "视频描述", "简介", "视频简介"),
    *("标签", "话题", "话题标签", "关键词", "文案", "字幕", "口号", "封面文字", "摘要"),
    *("建议", "推荐标题", "推荐标签", "名称"),
)
#: A header line ending with ":" that names one of these introduces a list of content.
BLOCK_NOUNS_EN = (
    *("title", "headline", "description", "caption", "tag", "hashtag", "keyword", "hook"),
    *("subtitle", "slogan", "tagline", "name", "idea", "suggestion", "option", "line"),
)
BLOCK_NOUNS_ZH = (
    *("标题", "描述", "简介", "标签", "话题", "关键词", "文案", "字幕", "口号", "名称"),
    *("建议", "创意", "选项"),
)
#: Words that stay lower case in a Title Case line ("Upload Day in 60 Seconds").
SMALL_WORDS_EN = (
    *("a", "an", "the", "and", "or", "but", "nor", "for", "of", "in", "on", "at", "to"),
    *("by", "with", "from", "as", "vs", "via", "per", "into", "onto", "up", "off", "is"),
)
#: A Title Case line holding one of these names a GUI element ("Click The Export Button").
UI_NOUNS_EN = (
    *("button", "buttons", "panel", "tab", "menu", "icon", "page", "window", "toolbar"),
    *("sidebar", "library", "dialog", "link"),
)

# --- Clauses beside a direction. ---

#: A clause made only of these (and punctuation) carries nothing: "Then,", "Next,".
CONNECTORS_EN = (
    *("and", "or", "so", "but", "then", "just", "now", "also", "please", "next"),
    *("finally", "first", "afterwards", "from there", "here", "again", "alternatively"),
    *("otherwise", "okay", "ok", "simply", "and then", "after that", "lastly"),
)
CONNECTORS_ZH = (
    *("然后", "接着", "随后", "最后", "现在", "首先", "另外", "此外", "或者", "或"),
    *("并且", "并", "再", "之后", "那么", "好的", "好"),
)
#: A clause that only leads into (or closes) a direction starts with one of these:
#: "When you're ready,", "If you're happy with it,", "To export B," — it goes with it.
LEAD_IN_EN = (
    *("if", "when", "whenever", "once", "after", "before", "while", "as soon as"),
    *("until", "should you", "in order to", "to", "ready", "when ready", "for"),
)
LEAD_IN_ZH = (
    *("如果", "如需", "若", "要是", "想要", "想", "需要", "满意", "确认", "准备好"),
    *("准备", "完成", "当", "等", "为了", "如要", "假如", "觉得"),
)
LEAD_IN_END_ZH = ("的话", "后", "之后", "时", "以后", "的时候")

# --- A mention is not a direction. ---

#: Before the verb, these make a direction a negated one: "there's no need to press Download".
NEGATION_EN = (
    *("don't", "don’t", "do not", "dont", "never", "no need", "not need", "needn't"),
    *("shouldn't", "should not", "no reason to", "not yet", "avoid", "not necessary"),
    *("without having to", "nothing to", "won't need", "will not need", "can't", "cannot"),
    *("unable to", "not able to", "not going to", "hold off on", "wait before you"),
)
NEGATION_ZH = (
    *("别", "不要", "不用", "无需", "无须", "不必", "没必要", "不需要", "请勿", "切勿"),
    *("勿", "不能", "无法", "没法", "不可以", "暂时不", "先不", "还不", "先等", "暂时别"),
)
#: After a UI element, these report on it ("the Export option was unavailable"), not direct.
ELEMENT_REPORT_EN = (
    *("was", "were", "has", "had", "have", "used to", "became", "got", "went", "stopped"),
    *("failed", "worked", "works", "appeared", "disappeared", "wasn't", "isn't", "broke"),
    *("is back", "is now back", "is unavailable", "is disabled", "is greyed", "is grayed"),
    *("is hidden", "is missing", "is broken", "is working", "is fixed", "is available again"),
    *("will", "would", "might", "may", "can", "could", "does", "did", "doesn't", "didn't"),
)
#: A clause about someone else or a scene tells a story: "a man presses a Download button".
NARRATION_EN = (
    *("in scene", "in the scene", "in the video", "in the clip", "in the footage"),
    *("in the intro", "in the outro", "on screen", "on-screen", "in the shot", "a man"),
    *("a woman", "a girl", "a boy", "someone", "somebody", "the host", "the presenter"),
    *("the character", "the narrator", "he", "she", "they", "his", "her", "their"),
    *("people", "viewers", "the user in the video", "a person", "the actor"),
)
#: Negations that ask for the thing: "don't forget to click Export", "别忘了导出".
NEGATION_EXCEPT_EN = ("don't forget", "don’t forget", "do not forget", "never forget")
NEGATION_EXCEPT_ZH = ("别忘了", "别忘记", "不要忘了", "不要忘记", "不忘")
NARRATION_ZH = (
    *("他", "她", "他们", "她们", "有人", "一个人", "主角", "男主", "女主", "主持人"),
    *("画面中", "画面里", "视频中", "视频里", "片中", "镜头里", "镜头中", "场景中"),
    *("场景里", "一位", "一名", "一个男人", "一个女人", "用户在视频"),
)

# --- A sub-step of an export is one of its options, not an edit. ---

#: "…then choose 1080p", "and pick the MP4 preset", "然后选1080P".
EXPORT_OPTION_VERBS_EN = (
    *("choose", "select", "pick", "set", "go with", "tick", "check", "use", "opt for"),
    *("switch to", "change it to", "keep"),
)
EXPORT_OPTION_VERBS_ZH = ("选择", "选中", "勾选", "选", "设置为", "设为", "改为", "切换到", "使用")
EXPORT_OPTION_WORDS_EN = (
    *("480p", "540p", "720p", "1080p", "1440p", "2160p", "2k", "4k", "8k", "hd", "full hd"),
    *("mp4", "mov", "gif", "webm", "mkv", "avi", "preset", "resolution", "quality"),
    *("format", "fps", "frame rate", "bitrate", "codec", "h.264", "h264", "hevc", "h.265"),
    *("watermark", "high quality", "low quality", "medium quality"),
)
EXPORT_OPTION_WORDS_ZH = (
    *("分辨率", "格式", "画质", "清晰度", "帧率", "码率", "预设", "高清", "超清", "标清"),
    *("水印", "原画"),
)
