"""The translators' words, as data: every list a rule or the engine reads, and nothing else.

Each list is lower case, NFKC-normalised and free of duplicates (a test checks, and that
every list is used). The engine compiles them (:func:`skillrt.translators._text.prefix_pattern`
and plain alternations); no word of a language sits inline in a regex elsewhere.
"""

from __future__ import annotations

__all__ = [
    "ACCOUNT_WORDS_EN",
    "ACCOUNT_WORDS_ZH",
    "ANYTIME_EN",
    "ANYTIME_ZH",
    "BEFORE_EN",
    "BEFORE_END_ZH",
    "BLOCK_NOUNS_EN",
    "BLOCK_NOUNS_ZH",
    "CANTONESE_AS_ZH",
    "CANTONESE_ZH",
    "CAN_EN",
    "CAN_ZH",
    "CLAUSE_SUBJECTS_EN",
    "COMPOUND_AFTER_EN",
    "COMPOUND_AFTER_ZH",
    "CONDITION_EN",
    "CONDITION_ZH",
    "CONNECTORS_EN",
    "CONNECTORS_ZH",
    "DEFERRED_EN",
    "DEFERRED_ZH",
    "EDITABLE_EN",
    "ELEMENT_NOUNS_EN",
    "ELEMENT_NOUNS_ZH",
    "ELEMENT_SUBJECT_EN",
    "EXPORT_OPTION_VERBS_EN",
    "EXPORT_OPTION_VERBS_ZH",
    "EXPORT_OPTION_WORDS_EN",
    "EXPORT_OPTION_WORDS_ZH",
    "EXPORT_REPORT_AFTER_ZH",
    "FAILURE_EN",
    "FAILURE_ZH",
    "FIELD_LABELS_EN",
    "FIELD_LABELS_ZH",
    "FIELD_PREFIXES_EN",
    "FIELD_PREFIXES_ZH",
    "FILE_WORDS_EN",
    "FILE_WORDS_ZH",
    "FINITE_VERBS_EN",
    "GET_VERBS_EN",
    "GET_VERBS_ZH",
    "HYPOTHETICAL_EN",
    "LATER_EN",
    "LATER_ZH",
    "LEAD_IN_EN",
    "LEAD_IN_END_ZH",
    "LEAD_IN_ZH",
    "LOCATED_VERBS_EN",
    "LOCATED_ZH",
    "NARRATION_EN",
    "NARRATION_ZH",
    "NEGATION_EN",
    "NEGATION_EXCEPT_EN",
    "NEGATION_EXCEPT_ZH",
    "NEGATION_ZH",
    "NOT_DROPPED_EN",
    "PLACE_PREPOSITIONS_EN",
    "PLACE_WORDS_ZH",
    "PLATFORMS_EN",
    "PLATFORMS_ZH",
    "PRONOUNS_EN",
    "PURPOSE_GENERIC_EN",
    "PURPOSE_GENERIC_ZH",
    "PURPOSE_MARKS_ZH",
    "PURPOSE_NOT_AFTER_EN",
    "PURPOSE_VERBS_ZH",
    "RELATIVE_WORDS_EN",
    "SCENE_EN",
    "SCENE_ZH",
    "SELECT_VERBS_EN",
    "SELECT_VERBS_ZH",
    "SET_VERBS_EN",
    "SET_VERBS_ZH",
    "SMALL_WORDS_EN",
    "SPEECH_VERBS_EN",
    "SPEECH_VERBS_ZH",
    "TOLD_VERBS_ZH",
    "TOP_UP_ZH",
    "TRIGGER_WORDS_EN",
    "TRIGGER_WORDS_ZH",
    "UI_NOUNS_EN",
    "UPLOAD_OBJECT_END_EN",
    "UPLOAD_SOURCES_EN",
    "UPLOAD_SOURCES_ZH",
    "UPLOAD_VERBS_EN",
    "UPLOAD_VERBS_ZH",
]

# --- The fast path. ---

#: Every rule needs one of these (a word's beginning, lower case) in a clause; most replies
#: have none and are returned after one search. A superset of what the rules look for.
TRIGGER_WORDS_EN = (
    *("click", "tap", "press", "hit", "push", "select", "choos", "pick", "use", "usi", "find"),
    *("locat", "look", "go", "head", "navigat", "switch", "visit", "toggl", "open", "expand"),
    *("check", "view", "see", "preview", "play", "watch", "review", "take", "have", "inspect"),
    *("scroll", "show", "top", "recharg", "buy", "purchas", "get", "add", "upgrad", "refill"),
    *("manag", "monitor", "export", "download", "render", "sav", "upload", "import", "drag"),
    *("drop", "slid", "pull", "mov", "reposition", "shift", "nudg", "enough", "insufficient"),
    *("out", "low", "short", "button", "icon", "tab", "menu", "panel", "page", "option"),
    *("sidebar", "toolbar", "link", "window", "area", "dialog", "section", "screen"),
    *("dashboard", "setting", "pane", "zone", "librar", "double", "right", "left", "no more"),
)
TRIGGER_WORDS_ZH = (
    *(
        "上传",
        "导入",
        "拖",
        "移到",
        "移至",
        "移动到",
        "积分",
        "余额",
        "点数",
        "充值",
        "导出",
        "下载",
        "保存",
        "点",
        "按",
    ),
    *(
        "轻",
        "选",
        "切换",
        "时间线",
        "时间轴",
        "面板",
        "素材库",
        "媒体库",
        "侧边栏",
        "工具栏",
        "图标",
        "菜单",
        "标签页",
        "预览",
    ),
    *(
        "播放",
        "轨道",
        "图层",
        "账",
        "订阅",
        "套餐",
        "会员",
        "打开",
        "查看",
        "进入",
        "前往",
        "展开",
        "看",
        "浏览",
        "找到",
    ),
    *("回到", "检查"),
)

#: Hong Kong and Cantonese wording (after OpenCC), read as the Mandarin word of the same
#: length so every rule sees one vocabulary: 上载 → 上传, 增值 → 充值, 揿 → 点 (press), 拣 → 选,
#: 喺 → 在, 睇 → 看, 咗 → 过 (done), 嘅 → 的. What is kept is still cut from the backend's own text.
CANTONESE_ZH = ("上载", "增值", "揿", "拣", "喺", "睇", "咗", "嘅")
CANTONESE_AS_ZH = ("上传", "充值", "点", "选", "在", "看", "过", "的")
#: Buying credits: 充值, and Taiwan's 储值 / 加值.
TOP_UP_ZH = ("充值", "储值", "加值")

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
#: "Suggested caption: …", "推荐标题：…": the label may say whose or what kind it is.
FIELD_PREFIXES_EN = (
    *("suggested", "recommended", "proposed", "new", "your", "final", "alternative"),
    *("sample", "example", "my", "our", "short", "long", "youtube", "tiktok", "instagram"),
)
FIELD_PREFIXES_ZH = ("推荐", "建议的", "备选", "新的", "推荐的", "最终")
#: A header line ending with ":" that names one of these introduces a list of content.
BLOCK_NOUNS_EN = (
    *("title", "headline", "description", "caption", "tag", "hashtag", "keyword", "hook"),
    *("subtitle", "slogan", "tagline", "name", "idea", "suggestion", "option", "line"),
    *("script", "post", "copy", "blurb", "bio"),
)
BLOCK_NOUNS_ZH = (
    *("标题", "描述", "简介", "标签", "话题", "关键词", "文案", "字幕", "口号", "名称"),
    *("建议", "创意", "选项", "脚本", "台词", "旁白稿"),
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
    *("otherwise", "okay", "ok", "simply", "and then", "after that", "lastly", "go ahead"),
)
CONNECTORS_ZH = (
    *("然后", "接着", "随后", "最后", "现在", "首先", "另外", "此外", "或者", "或"),
    *("并且", "并", "再", "之后", "那么", "好的", "好"),
)
#: "…and the file will be ready": after "and", a subject and a finite verb start a clause of
#: its own (content), not a second object of the direction ("and the Tracks panel").
CLAUSE_SUBJECTS_EN = (
    *("the", "your", "it", "it'll", "it's", "this", "that", "these", "those", "they"),
    *("you'll", "everything", "all", "we", "we'll", "i'll", "each", "both"),
)
FINITE_VERBS_EN = (
    *("will", "is", "are", "was", "were", "gets", "get", "'ll", "should", "can", "stays"),
    *("stay", "keeps", "keep", "updates", "appears", "appear", "downloads", "starts"),
    *("plays", "shows", "includes", "include", "takes", "has", "have", "goes", "lands"),
)
#: A clause that only leads into (or closes) a direction starts with one of these:
#: "When you're ready,", "If you're happy with it,", "To export B," — it goes with it.
LEAD_IN_EN = (
    *("if", "when", "whenever", "once", "after", "before", "while", "as soon as"),
    *("until", "should you", "in order to", "to", "ready", "when ready", "for"),
)
LEAD_IN_ZH = ("如果", "如需", "若", "要是", "为了", "如要", "假如", "倘若")
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
    # Cantonese: 唔好撳下載 "don't press Download", 唔使 "no need to".
    *("唔好", "唔使", "唔驶", "唔洗", "唔需要", "咪住"),
)
#: Where a video is *published*: "upload it to YouTube yourself", "上传到抖音" is not an upload
#: into the editor (the router's PLATFORMS says the same for user messages).
PLATFORMS_EN = (
    *("youtube", "tiktok", "instagram", "insta", "facebook", "twitter", "bilibili", "vimeo"),
    *("douyin", "my channel", "your channel", "social media", "reels", "shorts", "snapchat"),
    *("linkedin", "weibo", "pinterest", "twitch", "discord", "slack", "xiaohongshu"),
)
PLATFORMS_ZH = (
    *("抖音", "b站", "哔哩哔哩", "快手", "小红书", "油管", "微博", "视频号", "朋友圈", "微信"),
)
#: A condition about something going wrong: what to do *then*, not now ("If the download
#: fails, tap Export again", "如果导出失败，再点一次导出").
FAILURE_EN = (
    *("fails", "failed", "fail", "doesn't work", "does not work", "error", "errors", "stuck"),
    *("goes wrong", "breaks", "times out", "problem", "problems", "issue", "issues"),
    *("doesn't start", "does not start", "freezes", "crashes"),
)
FAILURE_ZH = ("失败", "出错", "卡住", "不成功", "报错", "异常", "出问题", "没反应", "中断")
#: A clause that only says *before* what ("Before you click Export,", "点击导出前，"): a time
#: for the next step, not a direction.
BEFORE_EN = ("before", "until", "till", "prior to")
BEFORE_END_ZH = ("前", "之前", "以前")
#: "The Export button sits in the top right corner", "导出按钮在右上角": a GUI element as the
#: subject of where it is (or what it does) is a description of the editor, not a direction.
ELEMENT_SUBJECT_EN = ("the", "your", "this", "that")
ELEMENT_NOUNS_EN = (
    *("button", "buttons", "panel", "tab", "menu", "icon", "page", "window", "toolbar"),
    *("sidebar", "library", "dialog", "link", "option", "options", "area", "section"),
    *("field", "bar", "box", "zone", "pane", "screen", "card", "list", "setting", "settings"),
)
LOCATED_VERBS_EN = (
    *("is", "are", "sits", "sit", "lives", "appears", "stays", "shows", "was", "were"),
    *("can be found", "is located", "is found", "is placed", "has moved", "moved"),
)
LOCATED_ZH = ("位于", "就在", "在", "位在", "放在", "出现在", "处于")
ELEMENT_NOUNS_ZH = ("按钮", "按键", "选项", "菜单", "图标", "面板", "标签页", "入口")
#: Where a UI element is said to be: "in the media library", "is at the top right".
PLACE_PREPOSITIONS_EN = (
    *("in", "on", "at", "from", "under", "via", "inside", "within", "into", "onto"),
    *("through", "next to", "beside", "near", "above", "below", "using", "to the"),
)
PLACE_WORDS_ZH = ("在", "位于", "就在", "从", "到", "进入", "打开")
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
    *("场景里", "一位", "一名", "一个", "一群", "用户在视频"),
)

#: What a viewer is asked to "drop" in a post: not a file, nothing to drag.
NOT_DROPPED_EN = (
    *("comment", "comments", "like", "likes", "line", "note", "message", "review", "rating"),
    *("follow", "question", "questions", "hint", "emoji", "reply", "thought", "thoughts"),
)
#: After "export/download/upload", a noun or a verb of its own makes the word a subject or a
#: modifier, not an imperative: "Export speed depends on…", "the export settings include…".
COMPOUND_AFTER_EN = (
    *("speed", "speeds", "time", "times", "settings", "setting", "quality", "options"),
    *("option", "format", "formats", "queue", "history", "limit", "limits", "size", "sizes"),
    *("length", "duration", "button", "buttons", "menu", "menus", "panel", "page", "tab"),
    *("dialog", "window", "link", "links", "folder", "location", "feature", "function"),
    *("tool", "process", "depends", "usually", "typically", "normally", "can", "may"),
    *("might", "should", "must", "cost", "costs", "fee", "preset", "presets", "screen"),
    *("icon", "area", "section", "step", "steps", "job", "jobs", "request", "requests"),
)
COMPOUND_AFTER_ZH = (
    *("菜单", "设置", "选项", "按钮", "按键", "键", "页面", "面板", "图标", "速度", "时间"),
    *("格式", "质量", "画质", "功能", "窗口", "对话框", "列表", "链接", "地址", "限制"),
    *("大小", "文件夹", "位置", "入口", "区域", "流程", "步骤", "一般", "通常", "大概"),
    *("已", "已经", "结束"),
)
#: After 导出/下载, a report on it ("导出成功", "下载速度", "导出大约需要1分钟"), not a request.
EXPORT_REPORT_AFTER_ZH = (
    *("的", "成功", "完成", "好", "中", "量", "次数", "失败", "记录", "过", "是", "会", "不"),
    *("需要", "后", "前", "时", "大约", "约", "将", "之", "以前", "以后", "开始", "正在"),
    *("进度", "状态", "任务", "进行"),
)
#: "You can download it any time", "你可以随时重新导出": what is available, not a request now.
ANYTIME_EN = ("any time", "anytime", "at any time", "always")
ANYTIME_ZH = ("随时", "任何时候", "随便什么时候")
CAN_EN = ("can", "could", "may", "are able to", "will be able to")
CAN_ZH = ("可以", "能", "可")
#: After a condition, a modal that only supposes: "Once it's approved, you could export a 4K
#: master" — a possibility for then, not a request now.
HYPOTHETICAL_EN = ("could", "might", "would")

# --- What a direction is for: kept in the sentence said in its place. ---

#: "Tap Download to save your 12-second clip" → "To save your 12-second clip, I'll export it
#: now."; a purpose made only of these words says nothing the replacement does not
#: ("to download it as an MP4", "to begin", "下载视频") and goes with the direction.
PURPOSE_GENERIC_EN = (
    *("download", "save", "render", "export", "get", "grab", "begin", "start", "continue"),
    *("finish", "upload", "see", "view", "check", "review", "open", "preview", "watch"),
    *("it", "them", "the", "your", "a", "an", "this", "that", "its", "my", "our", "to"),
    *("video", "videos", "file", "files", "mp4", "final", "cut", "copy", "version", "as"),
    *("result", "clip", "project", "device", "computer", "phone", "there", "here", "again"),
    *("now", "started", "going", "things", "off", "up", "with", "of", "and", "in", "on"),
    *("timeline", "tracks", "track", "progress", "output", "edit", "edits", "changes"),
    *("balance", "credits", "credit", "all", "set", "ready", "done", "one", "out", "go"),
)
PURPOSE_GENERIC_ZH = (
    *("查看", "看看", "看", "睇", "检查", "确认", "预览", "下载", "导出", "保存", "渲染"),
    *("开始", "继续", "完成", "生成", "上传", "视频", "影片", "文件", "成片", "它", "一下"),
    *("效果", "结果", "时间线", "轨道", "进度", "余额", "积分", "的", "你的", "您的", "最终"),
    *("作品", "片段", "吧", "了", "即可", "就行", "就好", "mp4", "到", "本地", "手机", "相册"),
    *("电脑", "储存", "设备"),
)
#: Before "to", these make it an infinitive of their own, not a purpose: "you'd like me to
#: caption", "feel free to open", "don't forget to check", "you're good to go".
PURPOSE_NOT_AFTER_EN = (
    *("me", "you", "us", "him", "her", "them", "like", "want", "wants", "need", "needs"),
    *("how", "going", "able", "have", "has", "used", "free", "forget", "sure", "remember"),
    *("good", "wait", "try", "plan", "about", "ought", "wish", "hope", "due"),
)
#: "Upload your logo first" → "Send your logo right here…": the verbs that name what to send.
UPLOAD_VERBS_EN = ("upload", "import")
UPLOAD_VERBS_ZH = ("上传", "导入")
#: Where what to upload ends: "your logo| first", "your clip| to the timeline".
UPLOAD_OBJECT_END_EN = (
    *("first", "now", "here", "again", "into", "to", "onto", "from", "in", "if", "so"),
    *("and", "then", "when", "before", "after", "using", "via", "with", "for"),
)
#: An edit that says "its color" after "Select the second caption block": the selection
#: says what "its" is, so it goes into the edit's message.
PRONOUNS_EN = ("it", "its", "them", "their", "this", "that")
#: A relative clause in what to upload ("the video you'd like me to caption"): not carried.
RELATIVE_WORDS_EN = ("you'd", "you", "i", "me", "that", "which", "who", "you'll", "we")
#: Verbs a Chinese purpose starts with after the element ("打开素材库查看你上传的4个片段").
PURPOSE_VERBS_ZH = ("查看", "看看", "睇", "检查", "确认", "预览", "看", "套用", "应用")
#: "下载你的30秒预告片" beside an export: what it gets, said as its purpose.
GET_VERBS_ZH = ("下载", "保存", "导出", "获取", "得到")
GET_VERBS_EN = ("download", "save", "get", "grab")
#: Words that introduce a Chinese purpose ("以应用粗体样式", "来检查字幕").
PURPOSE_MARKS_ZH = ("以便", "以", "用来", "来")
#: "Try exporting again in a few minutes", "稍后再下载": not now (an export/upload only).
DEFERRED_EN = (
    *("in a few minutes", "in a minute", "in a moment", "later", "tomorrow", "next week"),
    *("in an hour", "in a while", "after a while"),
)
DEFERRED_ZH = (
    "稍后",
    "过几分钟",
    "过一会",
    "明天",
    "晚点",
    "待会",
    "等一会",
    "下周",
    "日后",
    "改天",
)
#: "The voiceover says: click the link…": what follows is someone's words, content.
SPEECH_VERBS_EN = (
    *("says", "said", "reads", "read", "writes", "wrote", "goes", "sings", "shouts"),
    *("announces", "narrates", "saying", "reading"),
)
SPEECH_VERBS_ZH = ("说", "写着", "写道", "念道", "喊道", "台词是", "旁白是", "文案是")
#: A sentence that opens with a condition about some later time is information for then:
#: "Should you want a vertical version later, …", "如果之后想要竖屏版本，…"; "later" only
#: after the subject ("If you later want…"): "If you'd like it later" is where it goes.
LATER_EN = (
    *("some day", "someday", "in the future", "next time", "ever", "down the line"),
    *("one day", "at some point", "should you", "in case", "if ever", "later on", "you later"),
)
CONDITION_EN = ("if", "should you", "in case", "whenever", "when", "once", "if ever")
CONDITION_ZH = ("如果", "如需", "若", "要是", "假如", "万一", "的话", "倘若", "如要", "如有")
LATER_ZH = ("以后", "之后", "日后", "将来", "下次", "今后", "往后", "有需要", "万一", "哪天")

#: What a drag can move in the editor: without one of these (or "it"/"them") the object is
#: something in the video's story ("drag the dough onto the tray"), not an edit.
EDITABLE_EN = (
    *("it", "them", "its", "clip", "track", "segment", "title", "caption", "subtitle", "text"),
    *("bgm", "music", "audio", "song", "voiceover", "narration", "sound", "logo", "sticker"),
    *("watermark", "image", "photo", "picture", "video", "footage", "scene", "shot", "layer"),
    *("edge", "handle", "end", "start", "playhead", "marker", "slider", "transition"),
    *("effect", "overlay", "intro", "outro", "cut", "frame", "element", "item", "object"),
    *("label", "graphic", "emoji", "gif", "b-roll", "broll", "file", "everything", "card"),
    *("lower third", "cta", "banner", "thumbnail", "variant", "part", "section", "beat"),
)

# --- An edit the backend spelled out: a verb that sets something, and the value. ---

#: "Set the caption font size for Variant B to 48", "把字幕颜色设置为#FFD400": the backend
#: chose the value, so it is an edit (like a drag with a destination).
SET_VERBS_EN = (
    *("set", "change", "increase", "decrease", "raise", "lower", "reduce", "adjust"),
    *("resize", "shorten", "lengthen", "extend", "trim", "turn", "bump", "boost"),
)
SET_VERBS_ZH = (
    *("设置为", "设置成", "设为", "设成", "改为", "改成", "调到", "调成", "调整为", "调整到"),
    *("调至", "换成", "调高到", "调低到", "缩短到", "缩短为", "延长到", "延长为"),
    # by an amount, like "trim it by 2 seconds": "把它剪短2秒", "把音量调低10%"
    *("剪短", "缩短", "延长", "加长", "剪掉", "调高", "调低", "提高", "降低", "减少", "增加"),
)

#: A GUI verb told as done ("按下了", "点击了"): a story or a report, not a request.
TOLD_VERBS_ZH = (
    "点击",
    "单击",
    "双击",
    "按下",
    "点",
    "按",
    "拖",
    "拖动",
    "打开",
    "上传",
    "下载",
    "导出",
)
#: A sentence that opens in a scene of the video tells what happens there: "In scene 2, …",
#: "视频中，…".
SCENE_EN = (
    *("in the video", "in the clip", "in the footage", "in the intro", "in the outro"),
    *("in scene", "in the scene", "in the opening", "in the shot", "in this shot", "on screen"),
)
SCENE_ZH = (
    *("视频中", "视频里", "画面中", "画面里", "镜头中", "镜头里", "片中", "场景中", "场景里"),
    *("片头", "片尾", "开场"),
)

# --- A sub-step of an export is one of its options, not an edit. ---

#: Selecting something in a panel is a step of the edit that follows ("select X, then drag").
SELECT_VERBS_EN = ("select", "choose", "pick", "highlight")
SELECT_VERBS_ZH = ("选取", "选择", "选中", "点选")

#: "请点击上传，从电脑里选择PNG文件": choosing the file is a step of the upload, not an edit.
UPLOAD_SOURCES_EN = (
    *("computer", "desktop", "device", "phone", "laptop", "folder", "files", "downloads"),
    *("camera roll", "gallery", "drive", "finder"),
)
UPLOAD_SOURCES_ZH = ("电脑", "本地", "桌面", "文件夹", "手机", "相册", "设备", "计算机", "硬盘")
#: What a chosen file is called ("the PNG file", "PNG文件", "你的图片").
FILE_WORDS_EN = (
    *("file", "files", "image", "images", "photo", "photos", "picture", "png", "jpg", "jpeg"),
    *("mp4", "mov", "mp3", "wav", "svg", "gif"),
)
FILE_WORDS_ZH = ("文件", "图片", "照片", "图像", "素材", "音频", "视频文件")

#: What an edit of the account or the app changes, not the video: "change your profile
#: picture", "修改昵称". Nothing the backend does; the sentence stays as written.
ACCOUNT_WORDS_EN = (
    *("profile", "avatar", "password", "account", "username", "user name", "display name"),
    *("email", "e-mail", "nickname", "notification", "notifications", "app language"),
    *("interface language", "subscription", "login", "sign-in", "two-factor"),
)
ACCOUNT_WORDS_ZH = (
    *("头像", "个人资料", "个人信息", "昵称", "密码", "账号", "账户", "邮箱", "用户名"),
    *("通知", "界面语言", "订阅", "登录"),
)

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
    *("watermark", "high quality", "low quality", "medium quality", "aspect", "vertical"),
    *("horizontal", "square", "portrait", "landscape"),
)
EXPORT_OPTION_WORDS_ZH = (
    *("分辨率", "格式", "画质", "清晰度", "帧率", "码率", "预设", "高清", "超清", "标清"),
    *("水印", "原画", "竖屏", "横屏", "方形", "比例"),
)
