"""``skillrt demo``: a whole session against the emulator started in-process, offline.

Generates a video, adds music, shows the timeline, exports, and says where the MP4 is.
Nothing is read from or written to the user's skillrt state: the demo's token, session
and job records live in a temporary folder, and ``NEMO_TOKEN`` is never used.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import typer

from skillrt.cli._output import fail, stderr, stdout
from skillrt.cli._view import EventView
from skillrt.errors import InputError, SkillrtError
from skillrt.runtime import (
    BackendConfig,
    Conversation,
    ConversationOptions,
    SkillRuntime,
    find_skill,
    say,
)

__all__ = ["DEMO_SCRIPT", "demo_command"]

#: What the demo says, in order (English and Chinese).
DEMO_SCRIPT: dict[str, tuple[str, ...]] = {
    "en": (
        "generate a 10-second video about a coffee brand waking up a sleepy city",
        "add upbeat background music at 30% volume",
        "show the timeline",
        "export",
    ),
    "zh": (
        "生成一个关于咖啡品牌唤醒沉睡城市的10秒视频",
        "加一段轻快的背景音乐，音量30%",
        "看看时间线",
        "导出视频",
    ),
}


def demo_command(
    output: Path = typer.Option(
        Path("skillrt-demo.mp4"), "--output", "-o", help="Where to write the demo's MP4."
    ),
    language: str = typer.Option("en", "--language", "-l", help="en or zh."),
    skill: str = typer.Option("free-generation-maker", "--skill", help="The skill to demo."),
) -> None:
    """Run a whole session offline: generate, add music, show the timeline, export."""
    if language not in DEMO_SCRIPT:
        fail(InputError(f"no demo in {language!r}", hint="use --language en or --language zh"))
    try:
        from skillrt.emulator.testing import run_emulator
    except ImportError:
        fail(
            InputError(
                "the local emulator is not installed",
                hint="install it with: pip install 'skillrt[local]'",
            )
        )
    view = EventView()
    try:
        with tempfile.TemporaryDirectory(prefix="skillrt-demo-") as home, run_emulator() as emu:
            stderr().print(say("demo_intro", language, url=emu.base_url), markup=False)
            config = BackendConfig(
                api_url=emu.base_url, data_dir=Path(home), client_id_path=Path(home) / "client_id"
            )
            found = find_skill(skill, env={})
            # Exports land in the temporary folder; only the last one is kept, as --output.
            options = ConversationOptions(output_dir=Path(home) / "exports")
            with SkillRuntime(config=config, env={}, options=options) as runtime:
                conversation = runtime.conversation(found)
                _play(conversation, language, view)
                media = view.last_media
                if view.exit_code or media is None:
                    stderr().print(say("demo_failed", language), markup=False)
                    raise typer.Exit(view.exit_code or 5)
                final = output.resolve()
                final.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(media.path, final)
    except SkillrtError as exc:
        fail(exc)
    stderr().print(say("demo_done", language, path=str(final)), markup=False)
    stdout().print(str(final), markup=False)


def _play(conversation: Conversation, language: str, view: EventView) -> None:
    script = DEMO_SCRIPT[language]
    for number, text in enumerate(script, start=1):
        stderr().print(
            say("demo_step", language, number=number, total=len(script), text=text), markup=False
        )
        view.waiting("…")
        if not view.show(conversation.send(text)):
            return
