"""Pure parts of the backend client: envelopes, result shapes, config, stores, upload bodies."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest

from skillrt.errors import (
    AuthError,
    BackendError,
    CreditsError,
    FileRejectedError,
    InputError,
    PlanError,
    RateLimitError,
    RenderError,
    SessionNotFoundError,
    UploadRejectedError,
)
from skillrt.runtime import (
    BackendConfig,
    Credits,
    FileCredentialStore,
    Intervals,
    JobRecord,
    RenderStatus,
    SessionInfo,
    SessionRecord,
    SessionState,
    SqliteJobStore,
    SqliteSessionStore,
    StoredToken,
    UploadResult,
    resolve_client_id,
)
from skillrt.runtime._envelope import ErrorContext, error_for, parse_envelope
from skillrt.runtime._export import is_exportable, new_render_id
from skillrt.runtime._manifest import UploadPolicy
from skillrt.runtime._upload import check_files, check_urls, multipart_body


def _parse_via_transport(status: int, body: object) -> object:
    """Send through httpx.MockTransport so the bytes are what a real response carries."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    transport = httpx.MockTransport(lambda request: httpx.Response(status, content=raw))
    with httpx.Client(transport=transport) as http:
        response = http.get("http://api.test/x")
    return parse_envelope(response.status_code, response.content)


@pytest.mark.parametrize(
    ("status", "body", "data"),
    [
        (200, {"code": 0, "data": {"available": 5}}, {"available": 5}),
        (200, {"code": "0", "data": {"a": 1}, "message": "ok"}, {"a": 1}),
        (200, {"success": True, "data": {"id": "render_1"}}, {"id": "render_1"}),
        (
            200,
            {"status": "completed", "output": {"url": "u"}},
            {"status": "completed", "output": {"url": "u"}},
        ),
        (200, {"data": [1, 2]}, [1, 2]),
        (200, [1, 2], [1, 2]),
        (200, b'\xef\xbb\xbf{"code":0,"data":{"x":1}}', {"x": 1}),
    ],
)
def test_envelope_success_shapes(status: int, body: object, data: object) -> None:
    """Every success shape of contract §3 yields its data."""
    envelope = _parse_via_transport(status, body)
    assert envelope.ok  # type: ignore[attr-defined]
    assert envelope.data == data  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("status", "body", "code"),
    [
        (200, {"code": 1001, "message": "token expired"}, 1001),
        (401, {"code": 1001, "msg": "bad token"}, 1001),
        (404, {"detail": "Session not found: s1"}, 404),
        (200, {"success": False, "error": "boom"}, 200),
        (429, b"", 429),
        (402, {"code": 402, "message": "free plan"}, 402),
        (502, b"<html>bad gateway</html>", 502),
        (200, b"not json", None),
        (200, {"errorCode": "2001", "errorMessage": "no credits"}, 2001),
    ],
)
def test_envelope_error_shapes(status: int, body: object, code: object) -> None:
    """Every error shape of §3/§8 is an error with the envelope code or the HTTP status."""
    envelope = _parse_via_transport(status, body)
    assert not envelope.ok  # type: ignore[attr-defined]
    assert envelope.code == code  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("status", "body", "context", "kind"),
    [
        (200, {"code": 1001}, ErrorContext(), AuthError),
        (400, {"message": "missing X-Client-Id"}, ErrorContext(), AuthError),
        (400, {"message": "draft is invalid"}, ErrorContext(), BackendError),
        (200, {"code": 1002}, ErrorContext(), SessionNotFoundError),
        (
            404,
            {"detail": "Session not found: x"},
            ErrorContext(not_found="session"),
            SessionNotFoundError,
        ),
        (404, {"detail": "no such render"}, ErrorContext(not_found="render"), RenderError),
        (200, {"code": 2001}, ErrorContext(bind_link="https://w/register?bind=s9"), CreditsError),
        (402, b"", ErrorContext(), PlanError),
        (429, b"", ErrorContext(), RateLimitError),
        (200, {"code": 4001}, ErrorContext(upload_types=("mp4",)), UploadRejectedError),
        (200, {"code": 4002}, ErrorContext(), UploadRejectedError),
        (503, b"", ErrorContext(), BackendError),
    ],
)
def test_error_mapping(status: int, body: object, context: ErrorContext, kind: type) -> None:
    """Each §8 code maps to its own class of skillrt.errors."""
    error = error_for(_parse_via_transport(status, body), context)  # type: ignore[arg-type]
    assert type(error) is kind
    assert error.message
    assert "Traceback" not in str(error)


def test_credits_error_anonymous_gets_bind_link_registered_gets_top_up() -> None:
    """2001: anonymous users see the bind link, registered users the top-up text."""
    envelope = parse_envelope(200, b'{"code":2001}')
    link = "https://web.test/register?bind=123"
    anonymous = error_for(envelope, ErrorContext(anonymous=True, bind_link=link, bind_id="123"))
    registered = error_for(envelope, ErrorContext(anonymous=False, bind_link=link))
    assert isinstance(anonymous, CreditsError)
    assert anonymous.bind_id == "123"
    assert link in (anonymous.hint or "")
    assert link not in (registered.hint or "")
    assert "Top up" in (registered.hint or "")
    chinese = error_for(envelope, ErrorContext(language="zh", anonymous=False))
    assert "充值" in (chinese.hint or "")


def test_credits_error_bind_id_comes_from_answers_never_from_the_link() -> None:
    """2001 with no bind id known yet: ``bind_id`` is None (not the register URL); an id in
    the 2001 answer itself is the one used."""
    bare = "https://web.test/register"
    without = error_for(parse_envelope(200, b'{"code":2001}'),
                        ErrorContext(anonymous=True, bind_link=bare))  # fmt: skip
    assert isinstance(without, CreditsError)
    assert without.bind_id is None
    named = error_for(parse_envelope(200, b'{"code":2001,"data":{"bind_id":"b7"}}'),
                      ErrorContext(anonymous=True, bind_link=bare, bind_id="s1"))  # fmt: skip
    assert isinstance(named, CreditsError)
    assert named.bind_id == "b7"


def test_error_detail_never_quotes_a_token() -> None:
    """A backend message that echoes a token is redacted in the error shown."""
    envelope = parse_envelope(500, b'{"code":9,"message":"bad header Bearer nmv_usr_secret123"}')
    error = error_for(envelope, ErrorContext())
    assert "nmv_usr_secret123" not in str(error)


def test_result_shapes_are_read_leniently() -> None:
    """Sessions, credits, state and both render status shapes parse from every variant."""
    assert SessionInfo.from_data({"task_id": 7, "session_id": 12345678901234567890}) == SessionInfo(
        "7", "12345678901234567890"
    )
    assert SessionInfo.from_data({"taskId": "t", "sessionId": "s"}) == SessionInfo("t", "s")
    assert SessionInfo.from_data({}) is None
    assert Credits.from_data({"available": "90", "frozen": 10}) == Credits(90, 10, 100)
    state = SessionState.from_data({"state": {"draft": {"t": []}, "video_infos": None}})
    assert state.draft == {"t": []}
    assert state.video_infos == []
    flat = RenderStatus.from_data("r1", {"status": "completed", "output": {"url": "https://c/x"}})
    wrapped = RenderStatus.from_data(
        "r1", {"id": "r1", "status": "processing", "progress": 40, "outputUrl": None}
    )
    assert (flat.status, flat.output_url, flat.progress) == ("completed", "https://c/x", 100)
    assert (wrapped.status, wrapped.progress, wrapped.output_url) == ("processing", 40, None)
    upload = UploadResult.from_data(
        {"files": [{"filename": "a.mp4", "duration": 3.5}], "session_state_applied": True}
    )
    assert upload.files[0].duration == 3.5
    assert upload.session_state_applied


def test_config_from_env_binds_token_to_its_origin() -> None:
    """NEMO_TOKEN is used only for the origin of NEMO_API_URL, never for another apiUrl."""
    env = {
        "NEMO_TOKEN": "nmv_usr_abcdef",
        "NEMO_API_URL": "HTTP://Api.Test:80/x/",
        "NEMO_WEB_URL": "https://web.test/",
        "SKILLRT_HOME": "/tmp/h",
    }
    config = BackendConfig.from_env(env)
    assert config.api_url == "http://api.test"
    assert config.web_url == "https://web.test"
    assert config.token_from_env() == "nmv_usr_abcdef"
    assert config.client_id_path == Path("/tmp/h/nemovideo/client_id")
    other = BackendConfig(
        api_url="https://other.test",
        env_token="nmv_usr_abcdef",
        env_token_origin=config.env_token_origin,
    )
    assert other.token_from_env() is None
    assert "nmv_usr_abcdef" not in repr(config)


def test_intervals_scale_every_wait() -> None:
    """Intervals.scaled shrinks every wait and keeps the counts."""
    small = Intervals().scaled(0.001)
    assert small.rate_limit_wait == pytest.approx(0.03)
    assert small.recovery_waits == pytest.approx((0.03, 0.06))
    assert small.unchanged_queries == 5


def test_client_id_from_env_file_or_new(tmp_path: Path) -> None:
    """NEMO_CLIENT_ID wins; else the persisted UUID is reused; else a new one is saved."""
    config = BackendConfig(client_id_path=tmp_path / "nemovideo" / "client_id")
    first = resolve_client_id(config)
    assert first is not None
    assert (tmp_path / "nemovideo" / "client_id").read_text().strip() == first
    assert resolve_client_id(config) == first
    (tmp_path / "nemovideo" / "client_id").write_text("garbage")
    assert resolve_client_id(config) not in (first, "garbage")
    pinned = BackendConfig(client_id_path=tmp_path / "x", env_client_id="fixed-id")
    assert resolve_client_id(pinned) == "fixed-id"
    assert not (tmp_path / "x").exists()


def test_credential_file_is_private_and_a_damaged_one_is_empty(tmp_path: Path) -> None:
    """Tokens live in a 0600 file, even under a permissive umask; a damaged file reads as
    no token (the per-origin behaviour every store shares is in test_stores_contract.py)."""
    old = os.umask(0)
    try:
        store = FileCredentialStore.in_dir(tmp_path / "home")
        store.put("http://b.test", StoredToken("nmv_usr_bbbbbb", anonymous=False))
    finally:
        os.umask(old)
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert store.get("http://b.test").token == "nmv_usr_bbbbbb"  # type: ignore[union-attr]
    store.path.write_text("{broken")
    assert store.get("http://b.test") is None


_FETCH_IN_CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from skillrt.runtime import Authenticator, BackendConfig, FileCredentialStore
    home, log = Path(sys.argv[1]), Path(sys.argv[2])
    config = BackendConfig(api_url="http://api.test", data_dir=home,
                           client_id_path=home / "client_id")
    def fetch(client_id):
        with log.open("a") as handle:
            handle.write(client_id + "\\n")
        time.sleep(0.5)
        return {"token": "nmv_anon_" + str(time.time_ns())}
    auth = Authenticator(config, FileCredentialStore.in_dir(home))
    print(auth.token(fetch))
    """
)


def test_two_processes_fetch_one_token(tmp_path: Path) -> None:
    """Two processes needing a token at once: one fetches it, the other reuses it."""
    log = tmp_path / "fetches.log"
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _FETCH_IN_CHILD, str(tmp_path), str(log)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    tokens = []
    for child in children:
        out, _ = child.communicate(timeout=60)
        assert child.returncode == 0
        tokens.append(out.strip())
    assert len(log.read_text().splitlines()) == 1
    assert tokens[0] == tokens[1]
    assert stat.S_IMODE((tmp_path / "credentials.json").stat().st_mode) == 0o600


def test_state_database_is_private(tmp_path: Path) -> None:
    """state.db is created mode 0600 (what sessions and jobs do is in
    test_stores_contract.py, for every store)."""
    old = os.umask(0)
    try:
        SqliteSessionStore.in_dir(tmp_path).put(SessionRecord("k", "http://a.test", "t", "s"))
        SqliteJobStore.in_dir(tmp_path).add(JobRecord("render_1", "s", "k", "http://a.test"))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "state.db").stat().st_mode) == 0o600


def test_upload_checks_before_any_byte(tmp_path: Path) -> None:
    """Type and size are checked against the manifest policy before anything is sent."""
    policy = UploadPolicy(types=["mp4", "png"], maxBytes=10)
    ok = tmp_path / "a.MP4"
    ok.write_bytes(b"\0\0\0\x08ftyp")
    assert check_files([ok], policy)[0].size == 8
    (tmp_path / "b.exe").write_bytes(b"x")
    with pytest.raises(FileRejectedError) as wrong_type:
        check_files([ok, tmp_path / "b.exe"], policy)
    assert wrong_type.value.code == 4001
    assert wrong_type.value.exit_code == 1  # a local check: the input, not the backend
    assert "mp4, png" in (wrong_type.value.hint or "")
    (tmp_path / "big.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"x" * 3)
    with pytest.raises(FileRejectedError) as too_big:
        check_files([tmp_path / "big.png"], policy, "zh")
    assert too_big.value.code == 4002
    assert too_big.value.exit_code == 1
    assert "压缩" in (too_big.value.hint or "")
    with pytest.raises(InputError):
        check_files([tmp_path / "missing.mp4"], policy)
    with pytest.raises(InputError):
        check_urls(["ftp://x/y.mp4"])
    assert check_urls([" https://x.test/a.mp4 "]) == ["https://x.test/a.mp4"]


def test_multipart_body_streams_files_with_exact_length(tmp_path: Path) -> None:
    """The multipart body is produced piece by piece, its length header is exact, and the
    body can be produced again for a retry."""
    first, second = tmp_path / "one.mp4", tmp_path / 'we"ird.png'
    first.write_bytes(b"\0\0\0\x18ftypisom" + os.urandom(3 * 1024 * 1024 + 5))
    second.write_bytes(b"\x89PNG\r\n\x1a\n")
    files = check_files([first, second], UploadPolicy())
    seen: list[int] = []
    body = multipart_body(files, lambda p: seen.append(p.sent))
    assert body.content is not None
    pieces = list(body.content())
    joined = b"".join(pieces)
    headers = dict(body.headers)
    assert int(headers["Content-Length"]) == len(joined)
    assert max(len(piece) for piece in pieces) <= 1024 * 1024
    assert first.read_bytes() in joined
    assert b'filename="we%22ird.png"' in joined
    assert seen[-1] == 8
    assert seen[-2] == first.stat().st_size
    assert b"".join(body.content()) == joined


def test_exportable_and_render_ids() -> None:
    """A draft is exportable with one non-empty track; render ids are render_<ms>."""
    assert is_exportable({"t": [{"tt": 0, "sg": [{"id": "s"}]}]})
    assert not is_exportable({"t": [{"tt": 0, "sg": []}]})
    assert not is_exportable(None)
    assert new_render_id(lambda: 1773423613.616) == "render_1773423613616"


def test_job_store_adds_new_columns_to_an_older_database(tmp_path: Path) -> None:
    """A state.db made before jobs had draft_hash and size gets both columns on open; its
    jobs stay readable."""
    import sqlite3

    with sqlite3.connect(tmp_path / "state.db") as conn:
        conn.execute(
            "CREATE TABLE jobs (id TEXT PRIMARY KEY, session_id TEXT NOT NULL, skill TEXT NOT "
            "NULL, origin TEXT NOT NULL, status TEXT NOT NULL, progress INTEGER NOT NULL, "
            "output_url TEXT, path TEXT, task_id TEXT, language TEXT NOT NULL, error TEXT, "
            "created REAL NOT NULL, updated REAL NOT NULL)"
        )
        conn.execute(
            "INSERT INTO jobs VALUES ('render_1', 's', 'k', 'o', 'delivered', 100, NULL, NULL,"
            " NULL, 'en', NULL, 1.0, 1.0)"
        )
    conn.close()
    jobs = SqliteJobStore.in_dir(tmp_path)
    old = jobs.get("render_1")
    assert old is not None
    assert (old.status, old.draft_hash, old.size) == ("delivered", None, None)
    assert jobs.update("render_1", draft_hash="abc", size=7).size == 7


def test_draft_fingerprint_ignores_key_order_only() -> None:
    """Equal drafts hash equal whatever their key order; any change of content differs."""
    from skillrt.runtime._export import draft_fingerprint

    one = {"t": [{"tt": 0, "sg": [{"d": 1000, "id": "s1"}]}], "d": 1000}
    same = {"d": 1000, "t": [{"sg": [{"id": "s1", "d": 1000}], "tt": 0}]}
    other = {"d": 1000, "t": [{"sg": [{"id": "s1", "d": 1001}], "tt": 0}]}
    assert draft_fingerprint(one) == draft_fingerprint(same)
    assert draft_fingerprint(one) != draft_fingerprint(other)
