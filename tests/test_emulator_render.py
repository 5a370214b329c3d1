"""Renders composed from drafts: clips, text, caption variants, music volume, fonts."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from emulator_helpers import (
    chat_raw,
    client_for,
    data_events,
    final_texts,
    gray_frame,
    headers,
    make_clip,
    new_session,
    probe_banner,
    title_pixels,
    wait_render,
)

from skillrt.cli._emulator import startup_lines
from skillrt.emulator._fonts import cjk_font
from skillrt.emulator._probe import ffmpeg_exe
from skillrt.emulator.testing import RunningEmulator, run_emulator


@pytest.fixture(scope="module")
def emu() -> Iterator[RunningEmulator]:
    """One emulator for the module."""
    with run_emulator() as running:
        yield running


@pytest.fixture
def client(emu: RunningEmulator) -> Iterator[httpx.Client]:
    """A client on the API origin."""
    with client_for(emu) as c:
        yield c


def _render(client: httpx.Client, token: str, draft: dict[str, Any], folder: Path) -> Path:
    render_id = f"render_{len(list(folder.iterdir()))}_{abs(hash(str(draft))) % 10**8}"
    body = {"id": render_id, "sessionId": "1", "draft": draft}
    assert client.post("/api/render/proxy/lambda", json=body, headers=headers(token)).is_success
    done = wait_render(client, token, render_id)
    assert done["status"] == "completed", done
    path = folder / f"{render_id}.mp4"
    path.write_bytes(httpx.get(done["outputUrl"]).content)
    return path


def _scene(ms: int = 1000, **extra: Any) -> dict[str, Any]:
    return {"tt": 0, "role": "main", "sg": [{"start": 0, "d": ms, "color": "#202020", **extra}]}


def _text(words: str, position: str = "top", variant: str | None = None) -> dict[str, Any]:
    track: dict[str, Any] = {"tt": 7, "role": "caption" if variant else "title",
                             "sg": [{"start": 0, "d": 1000, "text": words,
                                     "style": {"position": position, "size": 120}}]}  # fmt: skip
    if variant:
        track["variant"] = variant
    return track


def test_uploaded_clip_is_scaled_cropped_and_keeps_its_sound(
    emu: RunningEmulator, client: httpx.Client, tmp_path: Path
) -> None:
    """A 320x240 clip on a 180x320 canvas fills it; the output has the draft's length."""
    token = emu.issue_token()
    session_id = new_session(client, token)
    clip = make_clip(tmp_path / "wide.mp4", 1.0)
    path = f"/api/upload-video/nemo_agent/me/{session_id}"
    with clip.open("rb") as handle:
        files = {"files": ("wide.mp4", handle)}
        uploaded = client.post(path, files=files, headers=headers(token))
    url = uploaded.json()["data"]["files"][0]["cdn_url"]
    draft = {"d": 1500, "m": {"width": 180, "height": 320, "fps": 25},
             "t": [{"tt": 0, "sg": [{"start": 0, "d": 1500, "src": url, "in": 200}]}]}  # fmt: skip
    out = _render(client, token, draft, tmp_path)
    facts = probe_banner(out)
    assert (facts.width, facts.height, facts.fps) == (180, 320, 25.0)
    assert facts.video_codec == "h264"
    assert facts.audio_codec == "aac"
    assert facts.duration is not None
    assert abs(facts.duration - 1.5) <= 0.1
    assert b"yuv420p" in subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(out)],
                                        capture_output=True, check=False).stderr  # fmt: skip


def test_title_is_drawn_only_during_its_time(
    emu: RunningEmulator, client: httpx.Client, tmp_path: Path
) -> None:
    """A title from 0 to 1 s lights the top band at 0.5 s and not at 1.5 s."""
    token = emu.issue_token()
    draft = {"d": 2000, "m": {"width": 180, "height": 320}, "t": [_scene(2000), _text("Hello")]}
    out = _render(client, token, draft, tmp_path)
    assert title_pixels(out, 0.5) > 100
    assert title_pixels(out, 1.5) == 0


def test_chinese_text_is_drawn_with_a_cjk_font(
    emu: RunningEmulator, client: httpx.Client, tmp_path: Path
) -> None:
    """Chinese title text lights pixels (a CJK font was found through fontconfig)."""
    if cjk_font() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-wqy-zenhei)")
    token = emu.issue_token()
    draft = {"d": 1000, "m": {"width": 180, "height": 320}, "t": [_scene(), _text("咖啡")]}
    assert title_pixels(_render(client, token, draft, tmp_path), 0.5) > 100


def test_without_cjk_font_the_render_says_so_and_the_reply_does_not(tmp_path: Path) -> None:
    """No CJK font: chat replies stay the backend's words; the render's status says why
    Chinese text is missing, and so does `skillrt emulator serve`'s start-up line."""
    with run_emulator(cjk_font=tmp_path / "missing.ttc") as emu, client_for(emu) as client:
        token = emu.issue_token()
        session_id = new_session(client, token, "zh")
        _, first = chat_raw(client, token, session_id, "你好，你能做什么")
        render_id = "render_nofont"
        draft = {"d": 1000, "m": {"width": 180, "height": 320}, "t": [_scene(), _text("咖啡")]}
        body = {"id": render_id, "sessionId": session_id, "draft": draft}
        assert client.post("/api/render/proxy/lambda", json=body, headers=headers(token))
        done = wait_render(client, token, render_id)
        lines = startup_lines(emu.base_url, emu.cdn_url, emu.emulator)
    assert "font" not in "".join(final_texts(data_events(first))).lower()
    assert "字体" not in "".join(final_texts(data_events(first)))
    assert done["status"] == "completed"
    assert "fonts-wqy-zenhei" in done["warning"]
    assert any(line.startswith("  fonts:") and "fonts-wqy-zenhei" in line for line in lines)


def test_with_a_cjk_font_renders_carry_no_warning(
    emu: RunningEmulator, client: httpx.Client, tmp_path: Path
) -> None:
    """A Chinese title with a CJK font installed: the render's status has no warning."""
    if cjk_font() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-wqy-zenhei)")
    token = emu.issue_token()
    render_id = "render_font_ok"
    draft = {"d": 1000, "m": {"width": 180, "height": 320}, "t": [_scene(), _text("咖啡")]}
    body = {"id": render_id, "sessionId": "1", "draft": draft}
    assert client.post("/api/render/proxy/lambda", json=body, headers=headers(token)).is_success
    done = wait_render(client, token, render_id)
    assert "warning" not in done
    assert emu.emulator.font_warning() is None


def test_only_the_active_caption_variant_is_rendered(
    emu: RunningEmulator, client: httpx.Client, tmp_path: Path
) -> None:
    """Variant A at the top and B at the bottom: activeVariant picks which band lights up."""
    token = emu.issue_token()
    tracks = [_scene(), _text("AAAA", "top", "A"), _text("BBBB", "bottom", "B")]

    def bands(active: str) -> tuple[int, int]:
        draft = {"d": 1000, "m": {"width": 180, "height": 320, "activeVariant": active},
                 "t": tracks}  # fmt: skip
        width, height, pixels = gray_frame(_render(client, token, draft, tmp_path), 0.5)
        top = pixels[: height // 4 * width]
        bottom = pixels[height * 3 // 4 * width :]
        return sum(v > 200 for v in top), sum(v > 200 for v in bottom)

    a_top, a_bottom = bands("A")
    b_top, b_bottom = bands("B")
    assert a_top > 100
    assert a_bottom == 0
    assert b_top == 0
    assert b_bottom > 100


def _mean_volume(path: Path) -> float:
    done = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-i", str(path), "-af", "volumedetect", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    found = re.search(r"mean_volume: (-?[\d.]+) dB", done.stderr)
    assert found, done.stderr
    return float(found.group(1))


def test_music_is_mixed_at_its_volume(
    emu: RunningEmulator, client: httpx.Client, tmp_path: Path
) -> None:
    """Lo-fi at 100% is about 20 dB louder than at 10%; every library piece renders."""
    token = emu.issue_token()

    def render(music: str, volume: float) -> Path:
        bgm = {"tt": 1, "sg": [{"start": 0, "d": 1000, "music": music, "volume": volume}]}
        draft = {"d": 1000, "m": {"width": 64, "height": 64}, "t": [_scene(), bgm]}
        return _render(client, token, draft, tmp_path)

    loud, quiet = _mean_volume(render("Lo-fi", 1.0)), _mean_volume(render("Lo-fi", 0.1))
    assert 17 < loud - quiet < 23
    for name in ("Upbeat", "Cinematic", "Chill", "Corporate"):
        assert _mean_volume(render(name, 0.35)) > -60


def test_generated_scene_and_gap(
    emu: RunningEmulator, client: httpx.Client, tmp_path: Path
) -> None:
    """A generated scene shows its colour; a gap after it is black; silence is still AAC."""
    token = emu.issue_token()
    scene = {"start": 0, "d": 500, "color": "#FFFFFF", "src": "generated:scene-1"}
    draft = {"d": 1000, "m": {"width": 64, "height": 64}, "t": [{"tt": 0, "sg": [scene]}]}
    out = _render(client, token, draft, tmp_path)
    _, _, early = gray_frame(out, 0.2)
    _, _, late = gray_frame(out, 0.8)
    assert sum(early) / len(early) > 200
    assert sum(late) / len(late) < 30
    assert probe_banner(out).audio_codec == "aac"
