"""Secrets over a whole session with faults: the bearer token is in no log line, event,
error or URL, never reaches the CDN origin, and the credential file is private (0600)."""

from __future__ import annotations

import io
import logging
import stat
from pathlib import Path

import pytest
from runtime_helpers import RequestLog, make_clip, runtime_for, send, texts

from skillrt import log
from skillrt.emulator import EmulatorSettings
from skillrt.emulator.testing import run_emulator
from skillrt.runtime._events import Event


def test_token_never_leaks_over_a_faulty_session(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Generate, upload, expired token, dropped stream, 429, lost session, export: the
    token shows up only in Authorization headers sent to the API origin."""
    lines = io.StringIO()
    log.configure("DEBUG", stream=lines, json=True)
    caplog.set_level(logging.DEBUG)
    events: list[Event] = []
    settings = EmulatorSettings.for_tests(client_id_window_seconds=0.01, silent_edit_ratio=0.0)
    log_requests = RequestLog()
    with run_emulator(settings) as emu, log_requests.client() as http:
        with runtime_for(emu, tmp_path, http) as runtime:
            chat = runtime.conversation("video-meta-ai")
            events += send(chat, "generate a 4-second video about a harbour at dawn")
            events += send(chat, "", [make_clip(tmp_path / "clip.mp4")])
            emu.expire_tokens()  # 1001 on the next request: a new token is fetched
            events += send(chat, "write a title, a description and tags for this clip")
            emu.faults(drop_after_events=1)
            events += send(chat, "add chill background music at 20% volume")
            emu.faults(http_status=429, http_status_times=1, http_status_path="/api/state")
            events += send(chat, "show the timeline")
            emu.clear_faults()
            emu.lose_sessions()
            events += send(chat, "generate a 3-second video about a lighthouse")
            events += send(chat, "credits")
            events += send(chat, "export")
        with emu.emulator.store.lock:
            tokens = list(emu.emulator.store.tokens)
        cdn = emu.cdn_url

    assert len(tokens) >= 2  # the expired token was replaced
    assert texts(events, "timeline")
    assert any(e.type == "media" for e in events)
    shown = "\n".join(e.model_dump_json() for e in events)
    logged = lines.getvalue() + "\n".join(r.getMessage() for r in caplog.records)
    assert logged.strip()
    for token in tokens:
        assert token not in shown
        assert token not in logged
        for request in log_requests.requests:
            assert token not in request.url
            assert token.encode() not in request.body
    # The search itself works: every token was really used, in an Authorization header.
    sent_auth = " ".join(r.headers.get("authorization", "") for r in log_requests.requests)
    assert all(token in sent_auth for token in tokens)
    to_cdn = [r for r in log_requests.requests if r.url.startswith(cdn)]
    assert to_cdn, "the MP4 was expected from the CDN origin"
    for request in to_cdn:
        assert "authorization" not in {name.lower() for name in request.headers}
        assert not any(token in value for value in request.headers.values() for token in tokens)
    mode = stat.S_IMODE((tmp_path / "credentials.json").stat().st_mode)
    assert mode == 0o600
