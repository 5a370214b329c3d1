"""Media facts (duration, size, fps, streams) from the bundled ffmpeg; there is no ffprobe."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["MediaInfo", "ffmpeg_exe", "probe"]

_DURATION = re.compile(r"Duration:\s*(\d+):(\d+):(\d+(?:\.\d+)?)")
_VIDEO = re.compile(r"Stream #\S+.*?: Video: (\w+).*?, (\d{2,5})x(\d{2,5})")
_FPS = re.compile(r"(\d+(?:\.\d+)?) fps")
_AUDIO = re.compile(r"Stream #\S+.*?: Audio: (\w+)")


@dataclass(frozen=True)
class MediaInfo:
    """What ``ffmpeg -i`` says about a file."""

    duration: float | None
    width: int | None
    height: int | None
    fps: float | None
    video_codec: str | None
    audio_codec: str | None

    @property
    def has_video(self) -> bool:
        """Whether the file has a picture (video or image)."""
        return self.video_codec is not None

    @property
    def has_audio(self) -> bool:
        """Whether the file has sound."""
        return self.audio_codec is not None


@lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    """The path of the ffmpeg binary shipped in the imageio-ffmpeg wheel."""
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


def parse_banner(text: str) -> MediaInfo:
    """Read the facts out of ffmpeg's input banner."""
    duration = None
    if found := _DURATION.search(text):
        hours, minutes, seconds = found.groups()
        duration = round(int(hours) * 3600 + int(minutes) * 60 + float(seconds), 3)
    width = height = None
    video_codec = fps = None
    if video := _VIDEO.search(text):
        video_codec, width, height = video.group(1), int(video.group(2)), int(video.group(3))
        line = text[video.start() : text.find("\n", video.start())]
        if rate := _FPS.search(line):
            fps = float(rate.group(1))
    audio = _AUDIO.search(text)
    return MediaInfo(duration, width, height, fps, video_codec, audio.group(1) if audio else None)


def probe(path: Path) -> MediaInfo:
    """Probe ``path`` (an unreadable file gives an empty :class:`MediaInfo`)."""
    done = subprocess.run(  # noqa: S603 - a fixed binary and a path we wrote
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path)],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=60,
        check=False,
    )
    return parse_banner(done.stderr)
