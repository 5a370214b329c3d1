"""The built-in music library, synthesized locally with ffmpeg's ``aevalsrc`` and cached."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

from skillrt.emulator._probe import ffmpeg_exe
from skillrt.errors import RenderError

__all__ = ["LOOP_SECONDS", "MUSIC", "music_file"]

LOOP_SECONDS = 16
_TAU = "2*PI*"

# Each piece is an expression of t: a chord or drone plus a rhythmic part, kept quiet
# enough (peak below 1) that mixing at volume 1 does not clip.
MUSIC: dict[str, str] = {
    "Lo-fi": f"0.1*(sin({_TAU}220*t)+sin({_TAU}261.63*t)+sin({_TAU}329.63*t))"
    f"*(0.6+0.4*sin({_TAU}0.5*t))+0.3*sin({_TAU}55*t)*exp(-8*mod(t,0.75))",
    "Upbeat": f"0.1*(sin({_TAU}261.63*t)+sin({_TAU}329.63*t)+sin({_TAU}392*t))"
    f"*(0.5+0.5*gt(mod(t,0.25),0.1))+0.35*sin({_TAU}60*t)*exp(-10*mod(t,0.5))",
    "Cinematic": f"0.15*(sin({_TAU}65.41*t)+sin({_TAU}98*t)+0.6*sin({_TAU}130.81*t))"
    f"*(0.4+0.6*abs(sin({_TAU}0.0625*t)))",
    "Chill": f"0.11*(sin({_TAU}196*t)+sin({_TAU}246.94*t)+sin({_TAU}293.66*t))"
    f"*(0.7+0.3*sin({_TAU}0.25*t))",
    "Corporate": f"0.25*sin({_TAU}440*t)*exp(-6*mod(t,0.25))"
    f"+0.12*(sin({_TAU}293.66*t)+sin({_TAU}369.99*t))",
}
_lock = threading.Lock()


def music_file(name: str, cache_dir: Path) -> Path:
    """The WAV file of library piece ``name`` (synthesized on first use)."""
    if name not in MUSIC:
        raise RenderError(f"unknown music {name!r}; the library has {', '.join(MUSIC)}")
    target = cache_dir / f"{name.lower().replace('-', '')}.wav"
    with _lock:
        if target.is_file():
            return target
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part.wav")
        source = f"aevalsrc='{MUSIC[name]}':s=44100:c=stereo:d={LOOP_SECONDS}"
        done = subprocess.run(  # noqa: S603 - the bundled ffmpeg, arguments we build
            [ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
             "-f", "lavfi", "-i", source, "-c:a", "pcm_s16le", str(partial)],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise RenderError(f"could not synthesize {name}: {done.stderr.strip()[-300:]}")
        partial.replace(target)
        return target
