"""The backend client against the emulator on 127.0.0.1: headers, tokens, every §8 error
code and fault switch, uploads, and the export flow down to a real MP4."""

from __future__ import annotations

import json
import stat
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import imageio_ffmpeg
import pytest

from skillrt.emulator.testing import RunningEmulator, run_emulator
from skillrt.errors import (
    BackendError,
    CreditsError,
    FileRejectedError,
    InputError,
    PlanError,
    RateLimitError,
    RenderError,
    SessionNotFoundError,
    TransportError,
    UploadRejectedError,
)
from skillrt.runtime import (
    BackendClient,
    BackendConfig,
    FileCredentialStore,
    Intervals,
    Skill,
    SqliteJobStore,
    StoredToken,
    bundled_skills_dir,
    load_skill,
)
from skillrt.runtime._export import ExportFlow, ExportProgress

FAST = replace(Intervals().scaled(0.001), render_poll=0.05, render_deadline=60.0)


@dataclass
class Waits:
    """Every wait the client asked for (it still sleeps them; they are milliseconds)."""

    seconds: list[float] = field(default_factory=list)

    def __call__(self, value: float) -> None:
        self.seconds.append(value)


@dataclass
class Backend:
    """One emulator with a client configured for it, in a private home folder."""

    emu: RunningEmulator
    config: BackendConfig
    http: httpx.Client
    skill: Skill
    waits: Waits

    def client(self, **kwargs: Any) -> BackendClient:
        """A client over the shared httpx.Client and file credential store."""
        kwargs.setdefault("sleep", self.waits)
        return BackendClient(self.http, skill=self.skill, config=self.config, **kwargs)


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A one-second MP4 and a PNG made with the bundled ffmpeg."""
    folder = tmp_path_factory.mktemp("media")
    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    clip, picture = folder / "clip.mp4", folder / "still.png"
    subprocess.run(
        [ffmpeg, "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=160x90:rate=10",
         "-t", "1", "-pix_fmt", "yuv420p", str(clip)],
        check=True,
    )  # fmt: skip
    subprocess.run(
        [ffmpeg, "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=64x64",
         "-frames:v", "1", str(picture)],
        check=True,
    )  # fmt: skip
    return {"mp4": clip, "png": picture}


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[Backend]:
    """An emulator (anonymous tokens re-issued freely) and a client home in ``tmp_path``."""
    skill = load_skill(bundled_skills_dir() / "caption-ab")
    with run_emulator(client_id_window_seconds=0.001) as emu, httpx.Client() as http:
        config = BackendConfig(
            api_url=emu.base_url,
            web_url="https://web.test",
            client_id_path=tmp_path / "nemovideo" / "client_id",
            data_dir=tmp_path / "home",
            intervals=FAST,
        )
        yield Backend(emu, config, http, skill, Waits())


# -- a small real server that records what it receives ------------------------------------


@dataclass
class Recorder:
    """What a recording server received: (method, path, headers) per request."""

    url: str
    requests: list[tuple[str, str, dict[str, str]]]

    def authorizations(self) -> list[str]:
        """Every Authorization header seen (lower-cased names)."""
        return [h["authorization"] for _, _, h in self.requests if "authorization" in h]


@contextmanager
def recording_server(
    files: Path | None = None, answers: dict[str, Any] | None = None
) -> Iterator[Recorder]:
    """An HTTP server on 127.0.0.1 that records each request's headers, serves files from
    ``files`` (``/renders/<name>``) and answers JSON ``answers`` by path."""
    seen: list[tuple[str, str, dict[str, str]]] = []

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            seen.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))
            length = int(self.headers.get("content-length") or 0)
            if length:
                self.rfile.read(length)
            name = self.path.rsplit("/", 1)[-1]
            if files is not None and (files / name).is_file():
                body, kind = (files / name).read_bytes(), "video/mp4"
            elif answers is not None and self.path in answers:
                body, kind = json.dumps(answers[self.path]).encode(), "application/json"
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _handle

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Recorder(f"http://127.0.0.1:{server.server_address[1]}", seen)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _generated_session(client: BackendClient) -> str:
    session = client.create_session("en")
    with client.open_chat_stream(session.session_id, "generate a 3 second video of a beach") as r:
        for _ in r.iter_bytes():
            pass
    return session.session_id


# -- tokens and headers -------------------------------------------------------------------


def test_anonymous_token_is_fetched_once_stored_private_and_reused(backend: Backend) -> None:
    """No NEMO_TOKEN: one anonymous token with the persisted client id, stored 0600 per
    origin, reused by the next client; every request carries the attribution headers."""
    first = backend.client()
    assert first.credits().available == 1000
    store = FileCredentialStore.in_dir(backend.config.data_dir)
    stored = store.get(backend.config.origin)
    assert stored is not None
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert backend.config.client_id_path.read_text().strip() == first.headers(None)["X-Client-Id"]
    second = backend.client()
    second.credits()
    assert store.get(backend.config.origin) == stored
    headers = second.headers("tok")
    assert headers["X-Skill-Source"] == "caption-ab"
    assert headers["X-Skill-Version"] == backend.skill.version
    assert headers["X-Skill-Platform"] == backend.skill.platform


def test_env_token_is_used_for_its_origin(backend: Backend) -> None:
    """NEMO_TOKEN for this origin is sent as is and never stored."""
    token = backend.emu.issue_token(credits=7)
    config = replace(backend.config, env_token=token, env_token_origin=backend.config.origin)
    client = BackendClient(backend.http, skill=backend.skill, config=config)
    assert client.credits().available == 7
    assert FileCredentialStore.in_dir(config.data_dir).get(config.origin) is None


def test_1001_gets_a_new_token_and_retries_the_same_request(backend: Backend) -> None:
    """1001 (expired token): a new anonymous token with the same client id, the request
    retried once, and its answer returned."""
    client = backend.client()
    client.create_session("en")
    store = FileCredentialStore.in_dir(backend.config.data_dir)
    old = store.get(backend.config.origin)
    client_id = backend.config.client_id_path.read_text()
    assert backend.emu.expire_tokens() >= 1
    # (The emulator opens a new account per anonymous token, so the retried request is a
    # session-free one; the real service keeps the account of the client id.)
    assert client.credits().available == 1000
    new = store.get(backend.config.origin)
    assert old is not None
    assert new is not None
    assert new.token != old.token
    assert backend.config.client_id_path.read_text() == client_id


def test_1001_with_a_mapped_401_status_is_handled_the_same(backend: Backend) -> None:
    """1001 sent as HTTP 401 (mapped statuses) also refreshes the token once."""
    backend.emu.emulator.settings.envelope_error_status = "mapped"
    client = backend.client()
    client.credits()
    backend.emu.expire_tokens()
    assert client.credits().total == 1000


def test_400_on_anonymous_token_creates_client_id_and_retries(backend: Backend) -> None:
    """400 on the anonymous-token call: the client id is made sure of and the call retried."""
    backend.emu.faults(http_status=400, http_status_times=1,
                       http_status_path="/api/auth/anonymous-token")  # fmt: skip
    assert backend.client().credits().available == 1000
    assert backend.config.client_id_path.is_file()


@pytest.mark.parametrize("style", ["http404", "code1002"])
def test_1002_and_404_are_session_not_found(backend: Backend, style: str) -> None:
    """A lost session is SessionNotFoundError for state, upload and chat, in both styles."""
    backend.emu.emulator.settings.missing_session_style = style  # type: ignore[assignment]
    client = backend.client()
    session = client.create_session("en")
    backend.emu.lose_sessions()
    with pytest.raises(SessionNotFoundError):
        client.state(session.session_id)
    with pytest.raises(SessionNotFoundError), client.open_chat_stream(session.session_id, "hi"):
        pass
    assert backend.waits.seconds == []


def test_2001_anonymous_gets_bind_link_registered_gets_top_up(backend: Backend) -> None:
    """2001 before a chat: CreditsError with the backend's bind id for anonymous users, the
    top-up advice for a registered token."""
    store = FileCredentialStore.in_dir(backend.config.data_dir)
    store.put(backend.config.origin, StoredToken(backend.emu.issue_token(credits=0)))
    client = backend.client()
    session = client.create_session("en")
    with (
        pytest.raises(CreditsError) as anonymous,
        client.open_chat_stream(session.session_id, "generate a video of a forest"),
    ):
        pass
    assert anonymous.value.bind_id == client.bind_id
    assert f"https://web.test/register?bind={client.bind_id}" in (anonymous.value.hint or "")
    token = backend.emu.issue_token(credits=0)
    config = replace(backend.config, env_token=token, env_token_origin=backend.config.origin)
    registered = BackendClient(backend.http, skill=backend.skill, config=config, language="zh")
    session = registered.create_session("zh")
    with (
        pytest.raises(CreditsError) as paying,
        registered.open_chat_stream(session.session_id, "生成一个森林视频"),
    ):
        pass
    assert "充值" in (paying.value.hint or "")
    assert "bind=" not in (paying.value.hint or "")


def test_402_is_a_plan_error(backend: Backend) -> None:
    """402 on export is PlanError (exit code of credits/plan), not a credits message."""
    client = backend.client()
    session_id = _generated_session(client)
    backend.emu.faults(http_status=402, http_status_path="/api/render/proxy/lambda")
    flow = ExportFlow(client, SqliteJobStore.in_dir(backend.config.data_dir))
    with pytest.raises(PlanError) as plan:
        flow.run(session_id)
    assert "plan" in plan.value.message
    assert plan.value.exit_code == 4


def test_429_waits_then_retries_once_then_fails_clearly(backend: Backend) -> None:
    """429: one retry after the configured wait; a second 429 is RateLimitError."""
    client = backend.client()
    client.credits()
    backend.emu.faults(http_status=429, http_status_times=1,
                       http_status_path="/api/credits")  # fmt: skip
    assert client.credits().available == 1000
    assert backend.waits.seconds == [FAST.rate_limit_wait]
    backend.emu.faults(http_status=429, http_status_times=2, http_status_path="/api/credits")
    with pytest.raises(RateLimitError) as limited:
        client.credits()
    assert "too many requests" in limited.value.message


def test_5xx_backs_off_for_reads_but_never_repeats_a_session_or_chat(backend: Backend) -> None:
    """503 on a read: bounded backoff retries; on creating a session or a chat message the
    error is raised at once (the request may have been processed)."""
    client = backend.client()
    session = client.create_session("en")
    backend.emu.faults(http_status=503, http_status_times=2, http_status_path="/api/credits")
    assert client.credits().available == 1000
    assert backend.waits.seconds == list(FAST.retry_backoff[:2])
    backend.emu.faults(http_status=503, http_status_times=len(FAST.retry_backoff) + 1,
                       http_status_path="/api/credits")  # fmt: skip
    with pytest.raises(BackendError) as exhausted:
        client.credits()
    assert exhausted.value.status == 503
    backend.waits.seconds.clear()
    backend.emu.faults(http_status=503, http_status_times=1, http_status_path="/api/tasks")
    with pytest.raises(BackendError):
        client.create_session("en")
    backend.emu.faults(http_status=503, http_status_times=1, http_status_path="/run_sse")
    with pytest.raises(BackendError), client.open_chat_stream(session.session_id, "hello"):
        pass
    assert backend.waits.seconds == []
    backend.emu.clear_faults()
    assert client.create_session("en").session_id


def test_connection_errors_retry_reads_then_raise_transport_error(tmp_path: Path) -> None:
    """Nothing listening: reads retry with backoff, then TransportError (exit code 6)."""
    waits = Waits()
    config = BackendConfig(api_url="http://127.0.0.1:9", data_dir=tmp_path,
                           client_id_path=tmp_path / "cid", intervals=FAST)  # fmt: skip
    skill = load_skill(bundled_skills_dir() / "caption-ab")
    store = FileCredentialStore.in_dir(tmp_path)
    store.put(config.origin, StoredToken("nmv_anon_abcdefgh"))
    with httpx.Client() as http:
        client = BackendClient(http, skill=skill, config=config, sleep=waits)
        with pytest.raises(TransportError) as failed:
            client.credits()
    assert waits.seconds == list(FAST.retry_backoff)
    assert failed.value.exit_code == 6
    assert "nmv_anon_abcdefgh" not in str(failed.value)


def test_token_never_sent_to_a_skill_on_another_origin(backend: Backend, tmp_path: Path) -> None:
    """A skill whose apiUrl is another origin gets that origin's own token, never NEMO_TOKEN."""
    token = backend.emu.issue_token()
    answers = {
        "/api/auth/anonymous-token": {"code": 0, "data": {"token": "nmv_anon_otherorigin"}},
        "/api/credits/balance/simple": {"code": 0, "data": {"available": 1, "frozen": 0,
                                                            "total": 1}},
    }  # fmt: skip
    with recording_server(answers=answers) as other:
        manifest = backend.skill.manifest.model_copy(deep=True)
        runtime = manifest.metadata.skillrt.model_copy(update={"api_url": other.url})
        metadata = manifest.metadata.model_copy(update={"skillrt": runtime})
        skill = replace(backend.skill, manifest=manifest.model_copy(update={"metadata": metadata}))
        env = {"NEMO_TOKEN": token, "NEMO_API_URL": backend.emu.base_url,
               "SKILLRT_HOME": str(tmp_path / "other-home")}  # fmt: skip
        config = BackendConfig.from_env(env, skill)
        assert config.api_url == other.url
        client = BackendClient(backend.http, skill=skill, config=config)
        assert client.credits().available == 1
    assert other.authorizations() == ["Bearer nmv_anon_otherorigin"]
    assert all(token not in json.dumps(headers) for _, _, headers in other.requests)


# -- uploads ------------------------------------------------------------------------------


def test_upload_several_files_with_progress(backend: Backend, media: dict[str, Path]) -> None:
    """Several local files in one multipart request, progress per file, files described."""
    client = backend.client()
    session = client.create_session("en")
    progress: list[tuple[str, int, int]] = []
    result = client.upload_files(
        session.session_id, [media["mp4"], media["png"]],
        lambda p: progress.append((p.path.name, p.sent, p.total)),
    )  # fmt: skip
    assert [f.filename for f in result.files] == ["clip.mp4", "still.png"]
    assert result.files[0].duration == pytest.approx(1.0, abs=0.2)
    assert result.files[0].cdn_url
    assert progress[-1] == ("still.png", media["png"].stat().st_size, media["png"].stat().st_size)
    assert ("clip.mp4", media["mp4"].stat().st_size, media["mp4"].stat().st_size) in progress
    assert client.state(session.session_id).draft


def test_url_upload_is_json(backend: Backend, media: dict[str, Path]) -> None:
    """A URL upload posts JSON and the backend fetches the file."""
    client = backend.client()
    session = client.create_session("en")
    cdn_url = client.upload_files(session.session_id, [media["mp4"]]).files[0].cdn_url
    assert cdn_url is not None
    result = client.upload_urls(session.session_id, [cdn_url])
    assert len(result.files) == 1
    assert result.files[0].duration == pytest.approx(1.0, abs=0.2)


def test_upload_refused_before_sending_by_the_manifest_policy(
    backend: Backend, tmp_path: Path
) -> None:
    """A type or size the manifest refuses never reaches the backend (no session needed)."""
    client = backend.client()
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(FileRejectedError) as refused:
        client.upload_files("no-such-session", [tmp_path / "notes.txt"])
    assert refused.value.code == 4001
    assert "mp4" in (refused.value.hint or "")
    with pytest.raises(InputError):
        client.upload_files("no-such-session", [tmp_path / "missing.mp4"])


@pytest.mark.parametrize(("setting", "value", "code"), [
    ("upload_types", ("mp4",), 4001),
    ("max_upload_bytes", 100, 4002),
])  # fmt: skip
def test_server_side_4001_4002_are_upload_rejections(
    backend: Backend, media: dict[str, Path], setting: str, value: object, code: int
) -> None:
    """4001/4002 from the backend itself (its policy stricter than the manifest's) map to
    UploadRejectedError with format or size advice."""
    setattr(backend.emu.emulator.settings, setting, value)
    client = backend.client()
    session = client.create_session("en")
    with pytest.raises(UploadRejectedError) as rejected:
        client.upload_files(session.session_id, [media["png"]])
    assert rejected.value.code == code
    assert rejected.value.hint


# -- export -------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", ["flat", "envelope"])
def test_export_delivers_an_mp4_without_sending_the_token_to_the_cdn(
    backend: Backend, tmp_path: Path, shape: str
) -> None:
    """Export: job recorded, polled (either status shape) with progress, downloaded from
    the CDN origin without any credential, renamed into place; path, size, duration and
    task link delivered."""
    backend.emu.emulator.settings.render_status_shape = shape  # type: ignore[assignment]
    client = backend.client()
    session = client.create_session("en")
    with client.open_chat_stream(session.session_id, "generate a 3 second video of a beach") as r:
        for _ in r.iter_bytes():
            pass
    renders = backend.emu.emulator.data_dir / "renders"
    stages: list[ExportProgress] = []
    jobs = SqliteJobStore.in_dir(backend.config.data_dir)
    with recording_server(files=renders) as cdn:
        backend.emu.emulator.settings.cdn_base_url = cdn.url
        flow = ExportFlow(client, jobs, on_progress=stages.append)
        result = flow.run(session.session_id, task_id=session.task_id,
                          dest=tmp_path / "out" / "video.mp4")  # fmt: skip
    assert result.path == tmp_path / "out" / "video.mp4"
    assert result.size == result.path.stat().st_size > 1000
    assert result.duration_s == pytest.approx(3.0, abs=0.3)
    assert result.task_link == f"https://web.test/workspace/{session.task_id}"
    assert result.url is not None
    assert result.url.startswith(cdn.url)
    assert next(p.stage for p in stages) == "submitted"
    assert stages[-1].stage == "done"
    assert any(p.stage == "downloading" for p in stages)
    assert len(cdn.requests) == 1
    assert cdn.authorizations() == []
    assert not any("x-client-id" in h or "cookie" in h for _, _, h in cdn.requests)
    assert list((tmp_path / "out").iterdir()) == [result.path]
    job = jobs.get(result.job_id)
    assert job is not None
    assert (job.status, job.progress, job.path) == ("delivered", 100, str(result.path))


def test_export_falls_back_to_the_download_endpoint(backend: Backend, tmp_path: Path) -> None:
    """When the output URL cannot be fetched, the MP4 comes from /download on the API."""
    client = backend.client()
    session_id = _generated_session(client)
    backend.emu.emulator.settings.cdn_base_url = "http://127.0.0.1:9"
    flow = ExportFlow(client, SqliteJobStore.in_dir(backend.config.data_dir))
    result = flow.run(session_id, dest=tmp_path / "v.mp4")
    assert result.path.read_bytes()[4:8] == b"ftyp"


def test_failed_submit_is_retried_once_with_a_new_id(backend: Backend) -> None:
    """A failed submit is retried once under a new render id; both attempts are recorded."""
    client = backend.client()
    session_id = _generated_session(client)
    backend.emu.faults(http_status=500, http_status_times=1,
                       http_status_path="/api/render/proxy/lambda")  # fmt: skip
    jobs = SqliteJobStore.in_dir(backend.config.data_dir)
    result = ExportFlow(client, jobs).run(session_id)
    recorded = {job.id: job.status for job in jobs.recent()}
    assert len(recorded) == 2
    assert recorded[result.job_id] == "delivered"
    assert sorted(recorded.values()) == ["delivered", "failed"]


def test_export_refuses_an_empty_timeline(backend: Backend) -> None:
    """An empty draft is not submitted: InputError saying to generate or upload first."""
    client = backend.client()
    session = client.create_session("en")
    jobs = SqliteJobStore.in_dir(backend.config.data_dir)
    with pytest.raises(InputError) as empty:
        ExportFlow(client, jobs).run(session.session_id)
    assert "nothing to export" in empty.value.message
    assert jobs.recent() == []


def test_failed_render_and_deadline(backend: Backend) -> None:
    """A render that fails is RenderError (job failed); one that hangs past the deadline is
    cancelled on the server (contract §4) and its job marked cancelled, so no later
    `export --resume` polls it again."""
    client = backend.client()
    session_id = _generated_session(client)
    jobs = SqliteJobStore.in_dir(backend.config.data_dir)
    backend.emu.faults(render_fail=True)
    with pytest.raises(RenderError):
        ExportFlow(client, jobs).run(session_id)
    assert [j.status for j in jobs.recent()] == ["failed"]
    backend.emu.faults(render_hang=True)
    short = replace(client.config, intervals=replace(FAST, render_deadline=0.3))
    hasty = BackendClient(backend.http, skill=backend.skill, config=short, sleep=backend.waits)
    with pytest.raises(RenderError) as late:
        ExportFlow(hasty, jobs).run(session_id)
    assert "cancelled it on the server" in late.value.message
    assert "--resume" not in (late.value.hint or "")
    newest = jobs.recent()[0]
    assert newest.status == "cancelled"
    with backend.emu.emulator.store.lock:
        assert backend.emu.emulator.store.renders[newest.id].status == "cancelled"
    assert jobs.unfinished() == []
