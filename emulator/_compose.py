"""One ffmpeg command for a draft: video segments, text drawn at its times, audio mixed.

The command is built from the draft alone plus a ``resolve`` function that maps a
segment's ``src`` to a local file; everything runs in one ffmpeg process.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillrt._text import HAN_RANGE
from skillrt.emulator._music import music_file
from skillrt.emulator._probe import MediaInfo, ffmpeg_exe

__all__ = ["Composition", "Source", "canvas_of", "compose"]

MAX_PIXELS = 1080 * 1920
# Han plus CJK and full-width punctuation: text that needs the CJK font.
_CJK_TEXT = re.compile(f"[{HAN_RANGE}\u3000-\u303f\uff00-\uffef]")


@dataclass(frozen=True)
class Source:
    """A local file behind a segment's ``src``."""

    path: Path
    info: MediaInfo
    is_image: bool = False


@dataclass
class Composition:
    """The ffmpeg arguments and what they will produce."""

    argv: list[str]
    duration: float
    width: int
    height: int
    skipped_text: list[str] = field(default_factory=list)


@dataclass
class _Graph:
    inputs: list[str] = field(default_factory=list)
    filters: list[str] = field(default_factory=list)
    count: int = 0

    def add_input(self, *args: str) -> int:
        self.inputs.extend(args)
        self.count += 1
        return self.count - 1


def _even(value: float) -> int:
    return max(2, int(value) - int(value) % 2)


def canvas_of(draft: dict[str, Any]) -> tuple[int, int, int]:
    """Width, height and fps of the render: the draft's canvas, at most 1080x1920 pixels."""
    meta = draft.get("m") or {}
    width, height = int(meta.get("width") or 1080), int(meta.get("height") or 1920)
    if width * height > MAX_PIXELS:
        scale = (MAX_PIXELS / (width * height)) ** 0.5
        width, height = int(width * scale), int(height * scale)
    fps = int(meta.get("fps") or 30)
    return _even(width), _even(height), max(1, min(60, fps))


def _color(value: object, default: str = "FFFFFF") -> str:
    text = str(value or "").lstrip("#")
    return "0x" + (text if re.fullmatch(r"[0-9A-Fa-f]{6}", text) else default)


def _quote(value: str) -> str:
    return "'" + value.replace("'", "") + "'"


def _seconds(ms: Any) -> float:
    return max(0.0, float(ms or 0) / 1000)


def _wrap(text: str, limit: int) -> str:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        if _CJK_TEXT.search(paragraph):
            lines += [paragraph[i : i + limit] for i in range(0, len(paragraph), limit)] or [""]
            continue
        line = ""
        for word in paragraph.split():
            if line and len(line) + 1 + len(word) > limit:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line)
    return "\n".join(lines)


@dataclass
class _TextContext:
    width: int
    height: int
    workdir: Path
    latin_font: Path | None
    cjk_font: Path | None
    skipped: list[str]
    files: int = 0


def _drawtext(ctx: _TextContext, text: str, style: dict[str, Any], window: str | None) -> str:
    """A drawtext filter for ``text`` or "" when no font can draw it."""
    font = ctx.cjk_font if _CJK_TEXT.search(text) else (ctx.latin_font or ctx.cjk_font)
    if font is None or not text.strip():
        ctx.skipped.append(text)
        return ""
    size = max(8, int(float(style.get("size") or 64) * ctx.width / 1080))
    per_char = size if _CJK_TEXT.search(text) else size * 0.58
    wrapped = _wrap(text, max(4, int(ctx.width * 0.9 / per_char)))
    ctx.files += 1
    textfile = ctx.workdir / f"text{ctx.files}.txt"
    textfile.write_text(wrapped, encoding="utf-8")
    y = {"top": "h*0.08", "bottom": "h*0.86-text_h"}.get(str(style.get("position")), "(h-text_h)/2")
    parts = [
        f"fontfile={_quote(str(font))}",
        f"textfile={_quote(str(textfile))}",
        f"fontsize={size}",
        f"fontcolor={_color(style.get('color'))}",
        "x=(w-text_w)/2",
        f"y={y}",
        f"line_spacing={size // 5}",
        "borderw=2:bordercolor=black@0.6",
    ]
    if style.get("box"):
        parts.append(f"box=1:boxcolor=black@0.55:boxborderw={max(4, size // 4)}")
    if window:
        parts.append(f"enable={_quote(window)}")
    return "drawtext=" + ":".join(parts)


def _pieces(draft: dict[str, Any], total: float) -> list[tuple[float, float, dict[str, Any]]]:
    """The main track as (start, length, segment) covering [0, total]; gaps are black."""
    main = next((t for t in draft.get("t", []) if t.get("tt") == 0 and t.get("sg")), None)
    segments = sorted(main["sg"] if main else [], key=lambda s: float(s.get("start") or 0))
    pieces, position = [], 0.0
    for segment in segments:
        start = _seconds(segment.get("start"))
        length = min(_seconds(segment.get("d")), total - start)
        if start > position + 0.01:
            pieces.append((position, start - position, {"color": "#000000"}))
        if length > 0.01 and start >= position - 0.01:
            pieces.append((start, length, segment))
            position = start + length
    if total - position > 0.01:
        pieces.append((position, total - position, {"color": "#000000"}))
    return pieces


def _video_piece(
    g: _Graph, piece: tuple[float, float, dict[str, Any]], canvas: tuple[int, int, int],
    resolve: Callable[[str], Source | None], text: _TextContext, audio: list[str],
) -> str:  # fmt: skip
    _start, length, segment = piece
    width, height, fps = canvas
    label = f"v{g.count}"
    source = resolve(str(segment["src"])) if segment.get("src") else None
    if source is None or not source.info.has_video:
        color = _color(segment.get("color"), "000000")
        index = g.add_input(
            "-f", "lavfi", "-i", f"color=c={color}:s={width}x{height}:r={fps}:d={length:.3f}"
        )
        chain = [f"[{index}:v]setsar=1"]
        if segment.get("text"):
            style = {"position": "center", "size": 64, "color": "#FFFFFF", "box": False}
            if draw := _drawtext(text, str(segment["text"]), style, None):
                chain.append(draw)
        g.filters.append(",".join(chain) + f"[{label}]")
        return label
    offset = _seconds(segment.get("in"))
    if source.is_image:
        index = g.add_input("-loop", "1", "-framerate", str(fps), "-t", f"{length:.3f}",
                            "-i", str(source.path))  # fmt: skip
    else:
        index = g.add_input("-ss", f"{offset:.3f}", "-t", f"{length:.3f}", "-i", str(source.path))
    g.filters.append(
        f"[{index}:v]scale={width}:{height}:force_original_aspect_ratio=increase,"
        f"crop={width}:{height},fps={fps},setsar=1,"
        f"tpad=stop_mode=clone:stop_duration={length:.3f},trim=duration={length:.3f},"
        f"setpts=PTS-STARTPTS[{label}]"
    )
    if source.info.has_audio and not source.is_image:
        volume = float(segment.get("volume", 1.0))
        audio.append(_audio_chain(g, index, 0.0, length, piece[0], volume))
    return label


def _audio_chain(g: _Graph, index: int, offset: float, length: float, start: float,
                 volume: float) -> str:  # fmt: skip
    label = f"a{len(g.filters)}"
    delay = round(start * 1000)
    g.filters.append(
        f"[{index}:a]atrim=start={offset:.3f}:duration={length:.3f},asetpts=PTS-STARTPTS,"
        f"aformat=sample_rates=44100:channel_layouts=stereo,volume={volume:.3f},"
        f"adelay={delay}:all=1[{label}]"
    )
    return label


def _audio_tracks(
    g: _Graph, draft: dict[str, Any], total: float, cache: Path,
    resolve: Callable[[str], Source | None],
) -> list[str]:  # fmt: skip
    labels = []
    for track in draft.get("t", []):
        if track.get("tt") != 1:
            continue
        for segment in track.get("sg", []):
            start = _seconds(segment.get("start"))
            length = min(_seconds(segment.get("d")), total - start)
            volume = float(segment.get("volume", 1.0))
            if length <= 0.01 or volume <= 0:
                continue
            if segment.get("music"):
                path = music_file(str(segment["music"]), cache)
                index = g.add_input("-stream_loop", "-1", "-i", str(path))
                offset = _seconds(segment.get("in")) % 16
            else:
                source = resolve(str(segment.get("src") or ""))
                if source is None or not source.info.has_audio:
                    continue
                index = g.add_input("-i", str(source.path))
                offset = _seconds(segment.get("in"))
            labels.append(_audio_chain(g, index, offset, length, start, volume))
    return labels


def _visible_text(draft: dict[str, Any]) -> list[dict[str, Any]]:
    active = (draft.get("m") or {}).get("activeVariant")
    segments = []
    for track in draft.get("t", []):
        variant = track.get("variant")
        if track.get("tt") != 7 or (variant and variant != (active or "A")):
            continue
        segments.extend(track.get("sg", []))
    return segments


def compose(
    draft: dict[str, Any],
    output: Path,
    *,
    workdir: Path,
    music_cache: Path,
    resolve: Callable[[str], Source | None],
    latin_font: Path | None,
    cjk_font: Path | None,
    preset: str = "veryfast",
    threads: int = 2,
) -> Composition:
    """The ffmpeg command that renders ``draft`` to ``output`` (an MP4)."""
    total = _seconds(draft.get("d"))
    width, height, fps = canvas_of(draft)
    g = _Graph()
    text = _TextContext(width, height, workdir, latin_font, cjk_font, [])
    audio: list[str] = []
    videos = [_video_piece(g, p, (width, height, fps), resolve, text, audio)
              for p in _pieces(draft, total)]  # fmt: skip
    joined = "".join(f"[{v}]" for v in videos)
    chain = [f"{joined}concat=n={len(videos)}:v=1:a=0" if len(videos) > 1 else f"{joined}null"]
    for segment in _visible_text(draft):
        start = _seconds(segment.get("start"))
        end = start + _seconds(segment.get("d"))
        window = f"between(t,{start:.3f},{end:.3f})"
        if draw := _drawtext(text, str(segment.get("text") or ""), segment.get("style") or {},
                             window):  # fmt: skip
            chain.append(draw)
    chain.append("format=yuv420p[vout]")
    g.filters.append(",".join(chain))
    audio += _audio_tracks(g, draft, total, music_cache, resolve)
    if audio:
        mix = "".join(f"[{a}]" for a in audio)
        head = f"{mix}amix=inputs={len(audio)}:duration=longest:normalize=0," if len(audio) > 1 \
            else f"{mix}"  # fmt: skip
        g.filters.append(f"{head}apad=whole_dur={total:.3f},atrim=duration={total:.3f}[aout]")
    else:
        silent = g.add_input("-f", "lavfi", "-t", f"{total:.3f}", "-i",
                             "anullsrc=r=44100:cl=stereo")  # fmt: skip
        g.filters.append(f"[{silent}:a]anull[aout]")
    argv = [
        ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        *g.inputs,
        "-filter_complex", ";".join(g.filters),
        "-map", "[vout]", "-map", "[aout]",
        "-c:v", "libx264", "-preset", preset, "-crf", "23", "-pix_fmt", "yuv420p",
        "-r", str(fps), "-c:a", "aac", "-b:a", "128k", "-ar", "44100", "-ac", "2",
        "-threads", str(threads), "-t", f"{total:.3f}", "-movflags", "+faststart",
        "-progress", "pipe:1", "-nostats", str(output),
    ]  # fmt: skip
    return Composition(argv, total, width, height, text.skipped)
