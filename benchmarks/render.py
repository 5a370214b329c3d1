"""Render speed: the emulator vs one hand-written ffmpeg command, in the same run.

A 30-second 1080x1920 draft with three tracks (an uploaded clip, BGM at 35%, a title at
0-3 s) is rendered through the emulator's API (submit → poll → completed) and, with the
same inputs, by one ffmpeg command written by hand. Prints both wall times and the ratio
(target: at most 1.3). Run: ``.venv/bin/python benchmarks/render.py [--rounds N]``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from skillrt.emulator import EmulatorSettings
from skillrt.emulator._fonts import latin_font
from skillrt.emulator._music import music_file
from skillrt.emulator._probe import ffmpeg_exe, probe
from skillrt.emulator.testing import run_emulator

SECONDS = 30
WIDTH, HEIGHT = 1080, 1920
TITLE = "Coffee Time"
HEADERS = {"X-Skill-Source": "bench", "X-Skill-Version": "1", "X-Skill-Platform": "unknown"}


def make_source(folder: Path) -> Path:
    """A 30 s 720x1280 video-only clip (the "upload"; made once, not timed)."""
    path = folder / "source.mp4"
    subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
         "-i", f"testsrc2=s=720x1280:r=30:d={SECONDS}", "-c:v", "libx264", "-preset",
         "ultrafast", "-pix_fmt", "yuv420p", str(path)],
        check=True,
    )  # fmt: skip
    return path


def baseline(source: Path, music: Path, folder: Path) -> float:
    """The same output with one hand-written ffmpeg command; returns seconds."""
    font = latin_font()
    textfile = folder / "title.txt"
    textfile.write_text(TITLE)
    size = 72 * WIDTH // 1080
    video = (
        f"[0:v]scale={WIDTH}:{HEIGHT}:force_original_aspect_ratio=increase,crop={WIDTH}:{HEIGHT},"
        f"fps=30,setsar=1,drawtext=fontfile='{font}':textfile='{textfile}':fontsize={size}:"
        "fontcolor=0xFFFFFF:x=(w-text_w)/2:y=h*0.08:borderw=2:bordercolor=black@0.6:"
        "enable='between(t,0,3)',format=yuv420p[v]"
    )
    audio = f"[1:a]atrim=duration={SECONDS},volume=0.35[a]"
    argv = [
        ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-i", str(source),
        "-stream_loop", "-1", "-i", str(music), "-filter_complex", f"{video};{audio}",
        "-map", "[v]", "-map", "[a]", "-c:v", "libx264", "-preset", "veryfast", "-crf", "23",
        "-pix_fmt", "yuv420p", "-r", "30", "-c:a", "aac", "-b:a", "128k", "-ar", "44100",
        "-ac", "2", "-threads", "2", "-t", str(SECONDS), "-movflags", "+faststart",
        str(folder / "baseline.mp4"),
    ]  # fmt: skip
    started = time.perf_counter()
    subprocess.run(argv, check=True)
    return time.perf_counter() - started


def emulator_render(client: httpx.Client, token: str, draft: dict[str, object], n: int) -> float:
    """Submit the draft and poll until completed; returns seconds."""
    auth = {"Authorization": f"Bearer {token}", **HEADERS}
    render_id = f"render_bench_{n}"
    started = time.perf_counter()
    client.post("/api/render/proxy/lambda", json={"id": render_id, "draft": draft}, headers=auth)
    while True:
        data = client.get(f"/api/render/proxy/lambda/{render_id}", headers=auth).json()["data"]
        if data["status"] in ("completed", "failed"):
            break
        time.sleep(0.02)
    elapsed = time.perf_counter() - started
    if data["status"] != "completed":
        raise SystemExit(f"emulator render failed: {data}")
    return elapsed


def bench_draft(clip_url: str) -> dict[str, object]:
    """The three-track draft: the clip, Lo-fi at 35%, the title at the top for 0-3 s."""
    ms = SECONDS * 1000
    title_style = {"position": "top", "size": 72, "color": "#FFFFFF"}
    return {
        "d": ms,
        "m": {"title": TITLE, "width": WIDTH, "height": HEIGHT, "fps": 30},
        "t": [
            {"tt": 0, "role": "main", "sg": [{"start": 0, "d": ms, "src": clip_url, "in": 0}]},
            {"tt": 1, "role": "bgm",
             "sg": [{"start": 0, "d": ms, "music": "Lo-fi", "volume": 0.35}]},
            {"tt": 7, "role": "title",
             "sg": [{"start": 0, "d": 3000, "text": TITLE, "style": title_style}]},
        ],
    }  # fmt: skip


def main() -> None:
    """Run the comparison and print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1, help="renders per side (median used)")
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = make_source(folder)
        settings = EmulatorSettings(data_dir=folder / "emulator")
        music = music_file("Lo-fi", folder / "emulator" / "music")  # cache warm for both
        with run_emulator(settings) as emu, httpx.Client(base_url=emu.base_url) as client:
            token = emu.issue_token()
            auth = {"Authorization": f"Bearer {token}", **HEADERS}
            created = client.post("/api/tasks/me/with-session/nemo_agent",
                                  json={"task_name": "bench"}, headers=auth)  # fmt: skip
            session_id = created.json()["data"]["session_id"]
            upload_path = f"/api/upload-video/nemo_agent/me/{session_id}"
            with source.open("rb") as handle:
                files = {"files": ("source.mp4", handle)}
                uploaded = client.post(upload_path, files=files, headers=auth)
            clip = uploaded.json()["data"]["files"][0]
            draft = bench_draft(clip["cdn_url"])
            base_times, emu_times = [], []
            for n in range(rounds):
                base_times.append(baseline(source, music, folder))
                emu_times.append(emulator_render(client, token, draft, n))
            output = emu.emulator.data_dir / "renders" / f"render_bench_{rounds - 1}.mp4"
            facts = probe(output)
    base, mine = statistics.median(base_times), statistics.median(emu_times)
    print(f"output: {facts.width}x{facts.height} {facts.video_codec}/{facts.audio_codec} "
          f"{facts.duration:.2f}s")  # fmt: skip
    print(f"hand-written ffmpeg: {base:.2f} s")
    print(f"emulator (submit → completed): {mine:.2f} s")
    print(f"ratio: {mine / base:.2f}x (target <= 1.3x)")


if __name__ == "__main__":
    main()
