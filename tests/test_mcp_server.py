"""`skillrt mcp` through the MCP SDK's real client over stdio, against the emulator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp_helpers import open_session, server_env, tokens_in

from skillrt.emulator._probe import probe
from skillrt.emulator.testing import run_emulator

pytestmark = pytest.mark.slow

SKILL = "free-generation-maker"
EDIT = "add upbeat background music"
TOOLS = {
    "list_skills",
    "send_message",
    "get_credits",
    "get_timeline",
    "export_video",
    "export_status",
    "list_jobs",
}


async def _until_done(session: Any, result: dict[str, Any]) -> dict[str, Any]:
    """Call export_status until the work is done (each call waits up to the bound)."""
    for _ in range(30):
        if result["status"] == "done":
            return result
        result = await session.ok("export_status", {"job_id": result["job_id"]})
    raise AssertionError(f"still running: {result}")


def _check_mp4(media: dict[str, Any]) -> None:
    """The file exists, has the size the result says, and ffmpeg reads H.264 video from it."""
    path = Path(media["path"])
    assert path.is_file()
    assert path.stat().st_size == media["size"]
    facts = probe(path)
    assert facts.video_codec == "h264"
    assert facts.duration is not None
    assert facts.duration > 0


def test_whole_session_over_stdio_with_the_local_backend(tmp_path: Path) -> None:
    """tools listed; generate → edit → timeline → export ends in an MP4; progress; no token."""
    home = tmp_path / "home"
    env = server_env(home)
    received: list[str] = []

    async def main() -> None:
        async with open_session(["--backend", "local"], env, tmp_path) as session:
            listed = await session.client.list_tools()
            session.record.keep(listed)
            assert {tool.name for tool in listed.tools} == TOOLS
            assert all(tool.output_schema for tool in listed.tools)
            assert all(tool.description for tool in listed.tools)

            skills = await session.ok("list_skills")
            assert SKILL in {s["name"] for s in skills["skills"]}

            generated = await session.ok(
                "send_message",
                {"skill": SKILL, "message": "generate a 4-second video about rain"},
            )
            assert generated["status"] == "done"
            assert generated["session_id"]
            assert generated["replies"]
            assert session.record.progress, "no progress notification while generating"

            edited = await session.ok(
                "send_message", {"skill": SKILL, "message": "add upbeat background music"}
            )
            assert edited["session_id"] == generated["session_id"]

            timeline = await session.ok("get_timeline", {"skill": SKILL})
            assert timeline["session_id"] == generated["session_id"]
            assert "BGM" in timeline["summary"]

            exported = await session.ok("export_video", {"skill": SKILL})
            assert exported["status"] == "done"
            assert len(exported["media"]) == 1
            _check_mp4(exported["media"][0])
            assert exported["render_job_id"]

            jobs = await session.ok("list_jobs", {"skill": SKILL})
            assert exported["render_job_id"] in {j["job_id"] for j in jobs["jobs"]}
            again = await session.ok("export_status", {"job_id": exported["render_job_id"]})
            assert again["media"][0]["path"] == exported["media"][0]["path"]

            credits = await session.ok("get_credits", {"skill": SKILL})
            assert credits["total"] >= credits["available"]

            resources = await session.client.list_resources()
            uris = {str(r.uri) for r in resources.resources}
            assert f"skill://{SKILL}/SKILL.md" in uris
            read = await session.client.read_resource(f"skill://{SKILL}/SKILL.md")
            session.record.keep(read)
            assert f"name: {SKILL}" in read.contents[0].text  # type: ignore[union-attr]
            job = await session.client.read_resource(f"job://{exported['render_job_id']}")
            session.record.keep(job)
            assert json.loads(job.contents[0].text)["status"] == "delivered"  # type: ignore[union-attr]

            unknown = await session.call("export_status", {"job_id": "render_nope"})
            assert unknown.is_error
            assert 'no job "render_nope"' in unknown.content[0].text  # type: ignore[union-attr]
            received.extend(session.record.received)

    anyio.run(main)
    tokens = tokens_in(home / "data")
    assert tokens, "the server stored no token: the check below would prove nothing"
    everything = "\n".join(received)
    assert "nmv_usr_" not in everything
    for token in tokens:
        assert token not in everything
    assert "Traceback" not in everything


@pytest.fixture
def emulator_with_slow_renders() -> Any:
    """An emulator whose renders take a few seconds (longer than a short call bound)."""
    with run_emulator(render_min_seconds=1.5) as emu:
        yield emu


def test_render_longer_than_the_bound_comes_back_running(
    tmp_path: Path, emulator_with_slow_renders: Any
) -> None:
    """export answers 'running' with a job id past the bound; export_status delivers; one render."""
    emu = emulator_with_slow_renders
    home = tmp_path / "home"
    env = server_env(home, SKILLRT_MCP_CALL_BOUND="0.5")

    async def main() -> None:
        async with open_session(["--backend", emu.base_url], env, tmp_path) as session:
            generated = await session.ok(
                "send_message", {"skill": SKILL, "message": "generate a 3-second video about snow"}
            )
            await _until_done(session, generated)
            # A changed draft, so that the export renders instead of reusing an earlier MP4.
            edited = await session.ok("send_message", {"skill": SKILL, "message": EDIT})
            await _until_done(session, edited)
            renders_before = len((await session.ok("list_jobs", {"skill": SKILL}))["jobs"])
            started = len(session.record.progress)
            first = await session.ok("export_video", {"skill": SKILL})
            assert first["status"] == "running"
            assert first["job_id"].startswith("work_")
            assert "export_status" in first["message"]
            assert len(session.record.progress) > started, "no progress while the render ran"
            joined = await session.ok("export_video", {"skill": SKILL})
            assert joined["job_id"] == first["job_id"], "a second export was submitted"
            running = await session.ok("list_jobs", {"skill": SKILL})
            assert first["job_id"] in {j["job_id"] for j in running["running"]}
            busy = await session.call("send_message", {"skill": SKILL, "message": "add music"})
            assert busy.is_error
            assert first["job_id"] in busy.content[0].text  # type: ignore[union-attr]
            result = await _until_done(session, first)
            _check_mp4(result["media"][0])
            jobs = await session.ok("list_jobs", {"skill": SKILL})
            assert len(jobs["jobs"]) == renders_before + 1, "the export rendered more than once"
            assert jobs["jobs"][0]["status"] == "delivered"
            assert jobs["jobs"][0]["job_id"] == result["render_job_id"]

    anyio.run(main)


def test_cancelled_call_stops_waiting_not_the_render(
    tmp_path: Path, emulator_with_slow_renders: Any
) -> None:
    """A call cancelled by the client leaves its render running; export_status delivers it."""
    emu = emulator_with_slow_renders
    home = tmp_path / "home"
    env = server_env(home)

    async def main() -> None:
        async with open_session(["--backend", emu.base_url], env, tmp_path) as session:
            generated = await session.ok(
                "send_message", {"skill": SKILL, "message": "generate a 3-second video about fog"}
            )
            await _until_done(session, generated)
            # A changed draft, so that the export renders instead of reusing an earlier MP4.
            edited = await session.ok("send_message", {"skill": SKILL, "message": EDIT})
            await _until_done(session, edited)
            renders_before = len((await session.ok("list_jobs", {"skill": SKILL}))["jobs"])
            with anyio.move_on_after(0.4) as scope:
                await session.call("export_video", {"skill": SKILL})
            assert scope.cancelled_caught
            listed = await session.ok("list_jobs", {"skill": SKILL})
            assert len(listed["running"]) == 1
            work = listed["running"][0]["job_id"]
            result = await _until_done(session, await session.ok("export_status", {"job_id": work}))
            _check_mp4(result["media"][0])
            jobs = await session.ok("list_jobs", {"skill": SKILL})
            assert len(jobs["jobs"]) == renders_before + 1

    anyio.run(main)


def test_expired_token_is_replaced_and_the_call_succeeds(tmp_path: Path) -> None:
    """A 1001 (expired token) gets a new anonymous token and the call succeeds; no token leaks."""
    home = tmp_path / "home"
    with run_emulator() as emu:
        token = emu.issue_token(credits=1000)
        env = server_env(home, NEMO_API_URL=emu.base_url, NEMO_TOKEN=token)
        received: list[str] = []

        async def main() -> None:
            async with open_session([], env, tmp_path) as session:
                first = await session.ok("get_credits", {"skill": SKILL})
                assert first["available"] == 1000
                assert emu.expire_tokens() >= 1
                again = await session.ok("get_credits", {"skill": SKILL})
                assert again["available"] == emu.settings.starting_credits
                received.extend(session.record.received)

        anyio.run(main)
    stored = tokens_in(home / "data")
    assert stored
    assert token not in stored, "the expired token was kept"
    everything = "\n".join(received)
    for secret in {token, *stored}:
        assert secret not in everything


def test_dropped_stream_ends_as_the_runtime_words_it(tmp_path: Path) -> None:
    """A chat stream cut mid-way is recovered (or reported in words); never a traceback."""
    home = tmp_path / "home"
    with run_emulator() as emu:
        env = server_env(home)
        received: list[str] = []

        async def main() -> None:
            async with open_session(["--backend", emu.base_url], env, tmp_path) as session:
                emu.faults(drop_after_events=2, drop_mode="abort")
                cut = await session.call(
                    "send_message",
                    {"skill": SKILL, "message": "generate a 3-second video about waves"},
                )
                emu.clear_faults()
                if cut.is_error:
                    words = cut.content[0].text  # type: ignore[union-attr]
                    # the runtime's own sentence: the drop, or what is known of the
                    # generation it cut (raw video made, post-production unknown)
                    assert "connection" in words.lower() or "post-production" in words
                else:
                    result = cut.structured_content
                    assert result is not None
                    replies = " ".join(result["replies"])
                    assert "The connection dropped" in replies
                    assert "finished your request after the connection dropped" in replies
                    timeline = await session.ok("get_timeline", {"skill": SKILL})
                    assert "waves" in timeline["summary"]
                received.extend(session.record.received)

        anyio.run(main)
    everything = "\n".join(received)
    assert "Traceback" not in everything
    for secret in tokens_in(home / "data"):
        assert secret not in everything


def test_render_left_by_a_stopped_server_is_resumed_not_resubmitted(
    tmp_path: Path, emulator_with_slow_renders: Any
) -> None:
    """A server that stops mid-render leaves a job record; the next one delivers that render."""
    emu = emulator_with_slow_renders
    home = tmp_path / "home"
    env = server_env(home, SKILLRT_MCP_CALL_BOUND="0.5")
    seen: dict[str, Any] = {}

    async def first() -> None:
        async with open_session(["--backend", emu.base_url], env, tmp_path) as session:
            generated = await session.ok(
                "send_message", {"skill": SKILL, "message": "generate a 3-second video about sand"}
            )
            await _until_done(session, generated)
            edited = await session.ok("send_message", {"skill": SKILL, "message": EDIT})
            await _until_done(session, edited)
            seen["before"] = len((await session.ok("list_jobs", {"skill": SKILL}))["jobs"])
            running = await session.ok("export_video", {"skill": SKILL})
            assert running["status"] == "running"
            seen["render"] = running["render_job_id"]
        # leaving the block stops the server while the render is still going

    async def second() -> None:
        async with open_session(["--backend", emu.base_url], env, tmp_path) as session:
            jobs = await session.ok("list_jobs", {"skill": SKILL})
            assert len(jobs["jobs"]) == seen["before"] + 1
            left = jobs["jobs"][0]
            assert left["status"] != "delivered", "nothing was left unfinished to resume"
            result = await _until_done(session, await session.ok("export_video", {"skill": SKILL}))
            _check_mp4(result["media"][0])
            assert result["render_job_id"] == left["job_id"]
            jobs = await session.ok("list_jobs", {"skill": SKILL})
            assert len(jobs["jobs"]) == seen["before"] + 1, "the render was submitted again"
            assert jobs["jobs"][0]["status"] == "delivered"

    anyio.run(first)
    assert seen["render"], "the running result did not name its render job"
    anyio.run(second)
