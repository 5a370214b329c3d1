"""Finding fonts through fontconfig: one for Latin text and one that can draw Chinese."""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

__all__ = ["cjk_font", "latin_font"]

_CJK_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
_LATIN_CANDIDATES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
                     "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # fmt: skip


def _fc(args: list[str]) -> list[str]:
    exe = shutil.which(args[0])
    if exe is None:
        return []
    try:
        done = subprocess.run(  # noqa: S603 - fontconfig's own tool, fixed arguments
            [exe, *args[1:]], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.strip() for line in done.stdout.splitlines() if line.strip()]


@lru_cache(maxsize=4)
def cjk_font(configured: Path | None = None) -> Path | None:
    """A font file that covers Chinese (the configured one, fontconfig's, or a known path)."""
    if configured is not None:
        return configured if configured.is_file() else None
    for line in _fc(["fc-list", ":lang=zh", "file"]):
        path = Path(line.rstrip(":").strip())
        if path.is_file():
            return path
    return next((Path(p) for p in _CJK_CANDIDATES if Path(p).is_file()), None)


@lru_cache(maxsize=1)
def latin_font() -> Path | None:
    """A bold sans font for Latin text (the CJK font also works when it is all there is)."""
    for line in _fc(["fc-match", "-f", "%{file}", "sans:bold"]):
        path = Path(line)
        if path.is_file():
            return path
    found = next((Path(p) for p in _LATIN_CANDIDATES if Path(p).is_file()), None)
    return found or cjk_font()
