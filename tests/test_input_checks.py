"""Files and arguments: what cannot be used is refused locally, at once, with a sentence.

A file that is a folder, empty, of a type the skill does not take, not what its extension
claims, or too large never reaches the backend (exit 1: the input); a message that is not
valid text is refused likewise; a chat answer that is not an event stream is a protocol
error at once. The CLI cases run the real ``skillrt`` process against the emulator.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from skillrt.emulator import EmulatorSettings
from skillrt.emulator._probe import ffmpeg_exe
from skillrt.emulator.testing import RunningEmulator, run_emulator
from skillrt.runtime._manifest import DEFAULT_UPLOAD_TYPES, UploadPolicy
from skillrt.runtime._media import SNIFF_BYTES, expected_kind, sniff
from skillrt.runtime._upload import check_files

SKILL = "free-generation-maker"


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One real file of every default upload type, written by the bundled ffmpeg at once."""
    folder = tmp_path_factory.mktemp("samples")
    video = {"mp4": "libx264", "mov": "mpeg4", "avi": "mpeg4", "webm": "libvpx", "mkv": "mpeg4"}
    audio = {"mp4": "aac", "mov": "aac", "avi": "libmp3lame", "webm": "libvorbis", "mkv": "aac"}
    outputs: list[str] = []
    for ext, codec in video.items():
        outputs += ["-map", "0", "-map", "1", "-c:v", codec, "-c:a", audio[ext], f"a.{ext}"]
    for ext in ("jpg", "png", "gif", "webp"):
        outputs += ["-map", "0", "-frames:v", "1", f"a.{ext}"]
    outputs += ["-map", "1", "a.mp3", "-map", "1", "a.wav", "-map", "1", "-c:a", "aac", "a.m4a"]
    outputs += ["-map", "1", "-c:a", "aac", "-f", "adts", "a.aac"]
    subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", "testsrc=s=64x48:r=10:d=0.3", "-f", "lavfi", "-i", "sine=d=0.3",
         "-preset", "ultrafast", *outputs],
        cwd=folder, check=True, capture_output=True,
    )  # fmt: skip
    return {path.suffix[1:]: path for path in folder.iterdir()}


def test_every_default_type_has_a_signature_its_real_files_match(
    samples: dict[str, Path],
) -> None:
    """Each type a skill takes by default is checked, and real files of it pass."""
    assert sorted(samples) == sorted(DEFAULT_UPLOAD_TYPES)
    for ext, path in samples.items():
        kind = expected_kind(ext)
        assert kind is not None, ext
        assert kind.matches(path.read_bytes()[:SNIFF_BYTES]), ext
    assert len(check_files(list(samples.values()), UploadPolicy())) == len(samples)


def test_a_renamed_file_is_named_for_what_it_is(samples: dict[str, Path], tmp_path: Path) -> None:
    """A PNG or a text file named .mp4 is refused, saying what its bytes look like."""
    png_as_mp4 = tmp_path / "still.mp4"
    png_as_mp4.write_bytes(samples["png"].read_bytes())
    text_as_mov = tmp_path / "notes.mov"
    text_as_mov.write_text("meeting notes: 周一\n")
    assert sniff(png_as_mp4.read_bytes()[:SNIFF_BYTES]) == "PNG"
    for path, found in ((png_as_mp4, "they look like PNG data"), (text_as_mov, "it holds text")):
        with pytest.raises(Exception, match=found) as refused:
            check_files([path], UploadPolicy())
        assert refused.value.exit_code == 1  # type: ignore[attr-defined]
    assert sniff(bytes(range(256))[:SNIFF_BYTES]) is None


# -- through the CLI process -----------------------------------------------------------------


@pytest.fixture(scope="module")
def emu() -> Iterator[RunningEmulator]:
    """One emulator for the module."""
    with run_emulator(EmulatorSettings.for_tests(tokens_per_ip=10_000)) as running:
        yield running


def _start(home: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    full = {**os.environ, "HOME": str(home), "SKILLRT_HOME": str(home / "state"), "NO_COLOR": "1"}
    for name in ("NEMO_TOKEN", "NEMO_API_URL", "SKILLRT_BACKEND"):
        full.pop(name, None)
    full.update(env or {})
    return subprocess.Popen(
        [sys.executable, "-m", "skillrt", *args],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=full,
    )  # fmt: skip


def _events(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


def _refusals(samples: dict[str, Path], folder: Path) -> dict[str, tuple[Path, str]]:
    """Each unusable file and a phrase its error must hold."""
    folder.mkdir()
    (folder / "text.mp4").write_text("not a video at all\n")
    (folder / "empty.mp4").touch()
    (folder / "clips").mkdir()
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    big = folder / "big.mp4"
    with big.open("wb") as handle:  # sparse: 501 MB on paper, a few bytes on disk
        handle.write(samples["mp4"].read_bytes()[:64])
        handle.truncate(501 * 2**20)
    return {
        "text named .mp4": (folder / "text.mp4", "it holds text"),
        "empty": (folder / "empty.mp4", "is empty (0 bytes)"),
        "directory": (folder / "clips", "is a folder, not a file"),
        "wrong type": (folder / "notes.docx", 'files of type "docx" cannot be uploaded'),
        "over the limit": (big, "the limit is 500 MB"),
    }


def test_unusable_files_are_refused_before_upload_exit_1(
    emu: RunningEmulator, samples: dict[str, Path], tmp_path: Path
) -> None:
    """`send --file` with an unusable file: exit 1, a sentence, no session, nothing uploaded."""
    cases = _refusals(samples, tmp_path / "files")
    started = {
        name: _start(tmp_path / name.replace(" ", "-"), "send", SKILL, "", "--file", str(path),
                     "--json", "--backend", emu.base_url)
        for name, (path, _) in cases.items()
    }  # fmt: skip
    for name, process in started.items():
        stdout, stderr = process.communicate(timeout=120)
        events = _events(stdout)
        [error] = [e for e in events if e["type"] == "error"]
        assert process.returncode == 1, (name, stdout, stderr)
        assert error["exit_code"] == 1, name
        assert cases[name][1] in error["message"], (name, error)
        assert error["hint"], name
        assert events[-1] == {**events[-1], "type": "done", "ok": False, "session_id": None}
        assert "Uploaded" not in stdout
        assert "Traceback" not in stderr, name


def test_invalid_utf8_in_the_message_is_an_input_error(
    emu: RunningEmulator, tmp_path: Path
) -> None:
    """Bytes that are not UTF-8 in argv or on chat's stdin: a clear input error, exit 1."""
    argv_text = b"make a \xff video".decode("utf-8", "surrogateescape")
    send = _start(tmp_path / "send", "send", SKILL, argv_text, "--json", "--backend", emu.base_url)
    chat = _start(tmp_path / "chat", "chat", SKILL, "--backend", emu.base_url,
                  env={"PYTHONIOENCODING": "utf-8:strict"})  # fmt: skip
    assert chat.stdin is not None
    chat.stdin.buffer.write(b"hello \xfe there\n")  # type: ignore[attr-defined]
    sent_out, sent_err = send.communicate(timeout=120)
    _, chat_err = chat.communicate(timeout=120)
    [error] = [e for e in _events(sent_out) if e["type"] == "error"]
    assert send.returncode == 1, sent_err
    assert error["code"] == "input"
    assert "character 8 comes from bytes that are not UTF-8" in error["message"]
    assert chat.returncode == 1, chat_err
    assert "character 7 comes from bytes that are not UTF-8" in chat_err
    assert "Traceback" not in sent_err + chat_err


def test_a_stream_of_non_json_is_a_protocol_error_at_once(
    emu: RunningEmulator, tmp_path: Path
) -> None:
    """A 200 event stream whose frames are not JSON: reported at once, no recovery waits."""
    emu.faults(garbage_stream=True)
    try:
        started = time.monotonic()
        process = _start(tmp_path, "send", SKILL, "hello there", "--json",
                         "--backend", emu.base_url)  # fmt: skip
        stdout, stderr = process.communicate(timeout=120)
        elapsed = time.monotonic() - started
    finally:
        emu.clear_faults()
    events = _events(stdout)
    [error] = [e for e in events if e["type"] == "error"]
    assert error["code"] == "protocol"
    assert "not a stream of events" in error["message"]
    assert process.returncode == 5, stderr
    assert not [e for e in events if e["type"] == "progress" and e["stage"] == "recovery"]
    # Recovery would wait 30 s and 60 s between state checks: well past this bound.
    assert elapsed < 25, f"{elapsed:.1f} s"
