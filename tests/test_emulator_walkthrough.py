"""docs/emulator.md's curl walkthrough runs as written and yields the promised MP4."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from emulator_helpers import probe_banner, title_pixels

from skillrt.emulator.testing import run_emulator

DOCS = Path(__file__).resolve().parents[1] / "docs" / "emulator.md"


def _walkthrough() -> str:
    text = DOCS.read_text(encoding="utf-8")
    found = re.search(r"<!-- walkthrough:.*?-->\n```bash\n(.*?)```", text, re.S)
    assert found, "the walkthrough block is missing from docs/emulator.md"
    return found.group(1)


@pytest.mark.slow
def test_curl_walkthrough_produces_the_coffee_video(tmp_path: Path) -> None:
    """Token → session → chat → state → export → poll → download gives a 10 s H.264/AAC MP4."""
    with run_emulator() as emu:
        done = subprocess.run(
            ["bash", "-c", "set -euo pipefail\n" + _walkthrough()],
            cwd=tmp_path,
            env={**os.environ, "API": emu.base_url},
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
    assert done.returncode == 0, done.stderr + done.stdout
    assert "click the Export button" in done.stdout
    assert '"status":"completed"' in done.stdout
    video = tmp_path / "coffee.mp4"
    facts = probe_banner(video)
    assert facts.video_codec == "h264"
    assert facts.audio_codec == "aac"
    assert facts.duration is not None
    assert abs(facts.duration - 10.0) <= 0.2
    assert (facts.width, facts.height) == (360, 640)
    with_title = title_pixels(video, 1.0)
    without_title = title_pixels(video, 4.0)
    assert with_title > 200
    assert without_title < with_title / 10
