"""Shared helpers for the emulator tests: requests with the contract's headers, SSE parsing."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import httpx

from skillrt.emulator._probe import ffmpeg_exe
from skillrt.emulator.testing import RunningEmulator

ATTRIBUTION = {
    "X-Skill-Source": "free-generation-maker",
    "X-Skill-Version": "1.0.0",
    "X-Skill-Platform": "unknown",
}


def headers(token: str, *, attribution: bool = True) -> dict[str, str]:
    """Bearer plus (by default) the three attribution headers."""
    found = {"Authorization": f"Bearer {token}"}
    return {**found, **ATTRIBUTION} if attribution else found


def new_session(client: httpx.Client, token: str, language: str = "en") -> str:
    """Create a session and return its id."""
    response = client.post(
        "/api/tasks/me/with-session/nemo_agent",
        json={"task_name": "project", "language": language},
        headers=headers(token),
    )
    assert response.json()["code"] == 0, response.text
    return str(response.json()["data"]["session_id"])


def chat_body(session_id: str, text: str, *, streaming: bool = False) -> dict[str, Any]:
    """The ADK run body of contract §4."""
    body: dict[str, Any] = {
        "app_name": "nemo_agent",
        "user_id": "me",
        "session_id": session_id,
        "new_message": {"parts": [{"text": text}]},
    }
    if streaming:
        body["streaming"] = True
    return body


def chat_raw(
    client: httpx.Client, token: str, session_id: str, text: str, *, streaming: bool = False
) -> tuple[httpx.Headers, bytes]:
    """POST /run_sse and read the whole stream as bytes."""
    with client.stream(
        "POST",
        "/run_sse",
        json=chat_body(session_id, text, streaming=streaming),
        headers={**headers(token), "Accept": "text/event-stream"},
    ) as response:
        assert response.status_code == 200, response.read()
        return response.headers, response.read()


def data_events(raw: bytes) -> list[dict[str, Any]]:
    """The JSON objects of every non-empty ``data:`` frame."""
    events = []
    for block in raw.decode().split("\n\n"):
        if block.startswith("data: {"):
            events.append(json.loads(block[len("data: ") :]))
    return events


def final_texts(events: list[dict[str, Any]]) -> list[str]:
    """Whole (non-partial, non-thought) texts of ADK events."""
    texts = []
    for event in events:
        if event.get("partial"):
            continue
        for part in (event.get("content") or {}).get("parts", []):
            if "text" in part and not part.get("thought"):
                texts.append(part["text"])
    return texts


def state(client: httpx.Client, token: str, session_id: str) -> dict[str, Any]:
    """The ``data`` of the state endpoint."""
    response = client.get(f"/api/state/nemo_agent/me/{session_id}/latest", headers=headers(token))
    data = response.json()["data"]
    assert isinstance(data, dict)
    return data


def make_clip(path: Path, seconds: float = 1.0, size: str = "320x240") -> Path:
    """Write a small H.264 + AAC test clip."""
    subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", f"testsrc=s={size}:r=25:d={seconds}",
         "-f", "lavfi", "-i", f"sine=d={seconds}",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
         "-shortest", str(path)],
        check=True, capture_output=True,
    )  # fmt: skip
    return path


def wait_render(
    client: httpx.Client, token: str, render_id: str, tries: int = 600
) -> dict[str, Any]:
    """Poll a render until it is completed or failed (envelope shape)."""
    import time

    for _ in range(tries):
        data = client.get(f"/api/render/proxy/lambda/{render_id}", headers=headers(token)).json()
        inner = data.get("data", data)
        if inner["status"] in ("completed", "failed"):
            assert isinstance(inner, dict)
            return inner
        time.sleep(0.05)
    raise AssertionError(f"render {render_id} did not finish")


def client_for(emu: RunningEmulator) -> httpx.Client:
    """An httpx client on the API origin."""
    return httpx.Client(base_url=emu.base_url, timeout=30)


def probe_banner(path: Path) -> Any:
    """What ffmpeg -i says about a file (codecs, size, duration)."""
    from skillrt.emulator._probe import probe

    return probe(path)


def gray_frame(path: Path, seconds: float) -> tuple[int, int, bytes]:
    """One frame at ``seconds`` as 8-bit gray pixels: (width, height, bytes)."""
    facts = probe_banner(path)
    done = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-ss", str(seconds), "-i", str(path),
         "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-"],
        check=True, capture_output=True,
    )  # fmt: skip
    return facts.width, facts.height, done.stdout


def title_pixels(path: Path, seconds: float) -> int:
    """Bright pixels in the top band where a "top" title is drawn (6%-20% of the height)."""
    width, height, pixels = gray_frame(path, seconds)
    band = pixels[int(height * 0.06) * width : int(height * 0.20) * width]
    return sum(1 for value in band if value > 200)
