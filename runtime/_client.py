"""The NemoVideo backend client: headers, envelopes, error mapping and safe retries.

Every request goes to the configured API origin only, with ``Authorization`` and the
attribution headers (contract §2); a URL on any other origin (the CDN) is fetched without
them (see :mod:`skillrt.runtime._download`). Retries follow contract §8:

- 1001: a new token, the same request once more; 400 about the client id: the client id
  made sure of and sent, the request once more; 429: one retry after
  ``Intervals.rate_limit_wait``. The backend refused these, so repeating is safe.
- 5xx and network errors: bounded backoff (``Intervals.retry_backoff``) only for requests
  that are safe to repeat (reads), and for any request that never reached the server
  (connection refused). A chat message is never sent again once its stream began.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from skillrt import __version__
from skillrt.errors import BackendError, ConfigError, StreamError, TransportError
from skillrt.log import get_logger, redact_text
from skillrt.runtime._auth import ANONYMOUS_TOKEN_PATH, Authenticator, resolve_client_id
from skillrt.runtime._config import (
    BIND_PATH,
    CLAIM_PATH,
    CONNECT_TIMEOUT,
    READ_TIMEOUT,
    TASK_PATH,
    WRITE_TIMEOUT,
    BackendConfig,
    origin_of,
)
from skillrt.runtime._envelope import (
    Envelope,
    ErrorContext,
    NotFound,
    error_for,
    is_client_id_error,
    messages,
    parse_envelope,
)
from skillrt.runtime._loader import Skill
from skillrt.runtime._models import (
    Credits,
    DownloadProgress,
    RenderJob,
    RenderStatus,
    SessionInfo,
    SessionState,
    UploadProgress,
    UploadResult,
)
from skillrt.runtime._stores import CredentialStore, FileCredentialStore

__all__ = ["DEFAULT_TIMEOUT", "BackendClient", "Body"]

DEFAULT_TIMEOUT = httpx.Timeout(
    connect=CONNECT_TIMEOUT, read=READ_TIMEOUT, write=WRITE_TIMEOUT, pool=CONNECT_TIMEOUT
)

_log = get_logger(__name__)


@dataclass(frozen=True)
class Body:
    """A request body made afresh for every attempt (a streamed file cannot be re-read)."""

    json: Any = None
    content: Callable[[], Any] | None = None
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class _Call:
    method: str
    path: str
    body: Body | None = None
    idempotent: bool = False
    authorized: bool = True
    not_found: NotFound = "other"
    timeout: httpx.Timeout | None = None
    headers: tuple[tuple[str, str], ...] = ()
    job_id: str | None = None


class BackendClient:
    """Talks to one API origin for one skill over an injected ``httpx.Client``.

    The caller owns ``http`` (and closes it). ``language`` words the errors raised;
    ``sleep`` is injectable so hosts and tests can observe waits.
    """

    def __init__(
        self,
        http: httpx.Client,
        *,
        skill: Skill,
        config: BackendConfig,
        credentials: CredentialStore | None = None,
        language: str = "en",
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.http = http
        self.skill = skill
        self.config = config
        self.language = language
        self.sleep = sleep
        store = credentials or FileCredentialStore.in_dir(config.data_dir)
        self.auth = Authenticator(config, store)
        self._app = skill.manifest.runtime.app
        self._client_id: str | None = None
        #: the last session this client used
        self.session_id: str | None = None
        #: the ``bind`` id of the 2001 registration link, once the backend named one
        self.bind_id: str | None = None
        #: the backend has marked the end of a chat turn (ADK ``turnComplete``) at least
        #: once: from then on a stream that closes without the mark was cut
        self.marks_turns = False

    # -- links -------------------------------------------------------------------------

    def task_link(self, task_id: str) -> str:
        """The web page of a task (project), shown to users."""
        return f"{self.config.web_url}{TASK_PATH}/{task_id}"

    def bind_link(self, bind_id: str | None = None) -> str:
        """The registration link for anonymous users (``?bind=<id>``: the id the backend
        named in a session or state answer, else the session id)."""
        bind = bind_id or self.bind_id or self.session_id
        base = f"{self.config.web_url}{BIND_PATH}"
        return f"{base}?bind={bind}" if bind else base

    # -- requests ----------------------------------------------------------------------

    def headers(self, token: str | None) -> dict[str, str]:
        """The headers of every API request (contract §2)."""
        headers = {
            "X-Skill-Source": self.skill.name,
            "X-Skill-Version": self.skill.version,
            "X-Skill-Platform": self.skill.platform,
            "User-Agent": f"skillrt/{__version__}",
        }
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        if self._client_id is not None:
            headers["X-Client-Id"] = self._client_id
        return headers

    def _url(self, path: str) -> str:
        return f"{self.config.api_url}{path}"

    def _build(self, call: _Call, token: str | None) -> httpx.Request:
        headers = self.headers(token)
        headers.update(dict(call.headers))
        body = call.body or Body()
        headers.update(dict(body.headers))
        url = self._url(call.path)
        # The bearer token goes to its own origin only, whatever the path holds.
        if origin_of(url) != self.config.origin:
            raise ConfigError(
                f"refusing to send credentials to {origin_of(url)}",
                hint=f"this client's token belongs to {self.config.origin} only",
            )
        return self.http.build_request(
            call.method,
            url,
            json=body.json,
            content=body.content() if body.content is not None else None,
            headers=headers,
            timeout=call.timeout or DEFAULT_TIMEOUT,
        )

    def _fetch_anonymous(self, client_id: str) -> object:
        self._client_id = client_id
        call = _Call(
            "POST", ANONYMOUS_TOKEN_PATH, authorized=False, headers=(("X-Client-Id", client_id),)
        )
        return self._call(call)

    def _token(self) -> str:
        return self.auth.token(self._fetch_anonymous)

    def _context(self, call: _Call) -> ErrorContext:
        policy = self.skill.manifest.runtime.upload
        return ErrorContext(
            language=self.language,
            not_found=call.not_found,
            anonymous=self.auth.anonymous,
            bind_link=self.bind_link(),
            bind_id=self.bind_id or self.session_id,
            upload_types=tuple(policy.types),
            upload_limit_mb=policy.max_bytes // 2**20,
            rate_limit_wait=self.config.intervals.rate_limit_wait,
            job_id=call.job_id,
        )

    def _network_error(self, exc: httpx.HTTPError) -> TransportError:
        t = messages()
        detail = redact_text(f"{type(exc).__name__}: {exc}")[:200]
        return TransportError(
            t.render("err_network", self.language, detail=detail),
            hint=t.render("hint_network", self.language),
        )

    def _call(self, call: _Call) -> Any:
        """Send ``call`` with the retries of §8; the ``data`` of the answer."""
        data = self._send(call, stream=False)[1].data
        self._note_bind_id(data)
        return data

    def _note_bind_id(self, data: object) -> None:
        # Session, state and 2001 answers may name the id of the registration link.
        if isinstance(data, dict):
            bind = data.get("bind_id", data.get("bindId"))
            if isinstance(bind, (str, int)) and not isinstance(bind, bool) and str(bind):
                self.bind_id = str(bind)

    def _send(
        self, call: _Call, *, stream: bool, raw: bool = False
    ) -> tuple[httpx.Response, Envelope]:
        """Send with retries; the successful response and its envelope.

        With ``stream`` the response is left open: a 200 event stream (or, with ``raw``,
        any 200 or redirect) is returned unread with an empty envelope.
        """
        retried: set[str] = set()
        backoff = iter(self.config.intervals.retry_backoff)
        while True:
            token = self._token() if call.authorized else None
            request = self._build(call, token)
            try:
                response = self.http.send(request, stream=stream, follow_redirects=False)
            except httpx.HTTPError as exc:
                never_arrived = isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout))
                safe = call.idempotent or never_arrived
                wait = next(backoff, None) if safe else None
                _log.warning(
                    "request.network_error",
                    path=call.path,
                    error=type(exc).__name__,
                    retry=wait is not None,
                )
                if wait is None:
                    raise self._network_error(exc) from exc
                self.sleep(wait)
                continue
            if stream and _open_success(response, raw=raw):
                return response, Envelope(ok=True, status=response.status_code)
            envelope = self._read(response, stream=stream)
            if envelope.ok:
                if stream:
                    raise self._not_a_stream(response)
                return response, envelope
            if self._recovery(call, envelope, token, retried, backoff) is None:
                _log.info(
                    "request.failed", path=call.path, status=envelope.status, code=envelope.code
                )
                self._note_bind_id(envelope.data)
                raise error_for(envelope, self._context(call))

    def _read(self, response: httpx.Response, *, stream: bool) -> Envelope:
        try:
            if stream:
                response.read()
        except httpx.HTTPError as exc:
            raise self._network_error(exc) from exc
        finally:
            if stream:
                response.close()
        return parse_envelope(response.status_code, response.content)

    def _not_a_stream(self, response: httpx.Response) -> StreamError:
        content_type = response.headers.get("content-type", "none")
        return StreamError(
            messages().render("err_not_stream", self.language, content_type=content_type),
            status=response.status_code,
        )

    def _recovery(
        self,
        call: _Call,
        envelope: Envelope,
        token: str | None,
        retried: set[str],
        backoff: Iterator[float],
    ) -> str | None:
        """What to do about a refused request: the retry taken, or ``None`` to raise."""
        code, status = envelope.code, envelope.status
        if (code == 1001 or status == 401) and token is not None and "auth" not in retried:
            retried.add("auth")
            _log.info("token.refused", path=call.path)
            self.auth.refresh(token, self._fetch_anonymous)
            return "auth"
        about_client_id = is_client_id_error(envelope) or (
            # The anonymous-token request carries nothing else a 400 could be about.
            call.path == ANONYMOUS_TOKEN_PATH and status == 400
        )
        if about_client_id and "client_id" not in retried:
            retried.add("client_id")
            self._client_id = resolve_client_id(self.config)
            _log.info("request.client_id_sent", path=call.path)
            return "client_id"
        if (code == 429 or status == 429) and "rate" not in retried:
            retried.add("rate")
            _log.info(
                "request.rate_limited", path=call.path, wait=self.config.intervals.rate_limit_wait
            )
            with self._waiting_out_rate_limit(call):
                self.sleep(self.config.intervals.rate_limit_wait)
            return "rate"
        if status >= 500 and call.idempotent and code in (None, status):
            wait = next(backoff, None)
            if wait is not None:
                _log.info("request.server_error", path=call.path, status=status, wait=wait)
                self.sleep(wait)
                return "backoff"
        return None

    def _waiting_out_rate_limit(self, call: _Call) -> AbstractContextManager[None]:
        # The token request waits under the credentials lock: other processes waiting for
        # that lock can then say what they wait for.
        # (A store that records this has ``rate_limited``: the file store, or the async
        # runtime's wrapper of it.)
        store = self.auth.store
        rate_limited = getattr(store, "rate_limited", None)
        if call.path == ANONYMOUS_TOKEN_PATH and callable(rate_limited):
            marker: AbstractContextManager[None] = rate_limited(
                self.config.intervals.rate_limit_wait
            )
            return marker
        return nullcontext()

    # -- endpoints ---------------------------------------------------------------------

    def create_session(self, language: str = "en") -> SessionInfo:
        """A new task with its chat session (``language`` as detected from the first message)."""
        body = Body(json={"task_name": "project", "language": language})
        data = self._call(_Call("POST", f"/api/tasks/me/with-session/{self._app}", body=body))
        info = SessionInfo.from_data(data)
        if info is None:
            raise BackendError(messages().render("err_unreadable", self.language, status=200))
        self.session_id = info.session_id
        return info

    def claim_link(self, session: SessionInfo) -> str | None:
        """The web link that claims this task for a user account, or ``None`` quietly."""
        body = Body(json={"task_id": session.task_id, "session_id": session.session_id})
        try:
            data = self._call(_Call("POST", "/api/auth/claim-token", body=body))
        except (BackendError, TransportError) as exc:
            _log.info("claim_link.unavailable", error=type(exc).__name__)
            return None
        token = data.get("claim_token") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token:
            return None
        return f"{self.config.web_url}{CLAIM_PATH}?ct={token}"

    @contextmanager
    def open_chat_stream(
        self, session_id: str, text: str, *, streaming: bool = False
    ) -> Iterator[httpx.Response]:
        """POST ``/run_sse`` and yield the open 200 event-stream response.

        Errors before the stream are raised mapped (404 → SessionNotFoundError); once a 200
        event stream began nothing is retried: the caller reads it and closes nothing.
        """
        self.session_id = session_id
        payload: dict[str, Any] = {
            "app_name": self._app,
            "user_id": "me",
            "session_id": session_id,
            "new_message": {"role": "user", "parts": [{"text": text}]},
        }
        if streaming:
            payload["streaming"] = True
        intervals = self.config.intervals
        timeout = httpx.Timeout(
            connect=CONNECT_TIMEOUT,
            read=intervals.sse_read_timeout,
            write=WRITE_TIMEOUT,
            pool=CONNECT_TIMEOUT,
        )
        call = _Call(
            "POST",
            "/run_sse",
            body=Body(json=payload),
            not_found="session",
            timeout=timeout,
            headers=(("Accept", "text/event-stream"),),
        )
        response = self._send(call, stream=True)[0]
        try:
            yield response
        finally:
            response.close()

    def credits(self) -> Credits:
        """The credit balance."""
        return Credits.from_data(
            self._call(_Call("GET", "/api/credits/balance/simple", idempotent=True))
        )

    def state(self, session_id: str) -> SessionState:
        """The latest state of a session (draft, media, analyses)."""
        self.session_id = session_id
        path = f"/api/state/{self._app}/me/{session_id}/latest"
        return SessionState.from_data(
            self._call(_Call("GET", path, idempotent=True, not_found="session"))
        )

    def upload_files(
        self,
        session_id: str,
        paths: Sequence[str | Path],
        on_progress: Callable[[UploadProgress], None] | None = None,
    ) -> UploadResult:
        """Upload local files (checked against the manifest first), streamed from disk."""
        from skillrt.runtime._upload import check_files, multipart_body

        files = check_files(paths, self.skill.manifest.runtime.upload, self.language)
        self.session_id = session_id
        self._token()  # a token fetched now is not fetched after a 400 MB body
        body = multipart_body(files, on_progress)
        call = _Call(
            "POST",
            f"/api/upload-video/{self._app}/me/{session_id}",
            body=body,
            not_found="session",
            timeout=_upload_timeout(),
        )
        return UploadResult.from_data(self._call(call))

    def upload_urls(self, session_id: str, urls: Sequence[str]) -> UploadResult:
        """Have the backend fetch media from URLs."""
        from skillrt.runtime._upload import check_urls

        checked = check_urls(urls, self.language)
        self.session_id = session_id
        body = Body(json={"urls": checked, "source_type": "url"})
        call = _Call(
            "POST", f"/api/upload-video/{self._app}/me/{session_id}", body=body, not_found="session"
        )
        return UploadResult.from_data(self._call(call))

    def submit_render(self, session_id: str, draft: object, render_id: str) -> RenderJob:
        """Start rendering ``draft`` as ``render_id`` (unique; see ``ExportFlow``)."""
        self.session_id = session_id
        body = Body(
            json={
                "id": render_id,
                "sessionId": session_id,
                "draft": draft,
                "output": {"format": "mp4", "quality": "high"},
            }
        )
        data = self._call(_Call("POST", "/api/render/proxy/lambda", body=body, job_id=render_id))
        status = RenderStatus.from_data(render_id, data)
        return RenderJob(id=status.id, status=status.status, progress=status.progress)

    def render_status(self, job_id: str) -> RenderStatus:
        """Poll a render (both status shapes)."""
        data = self._call(
            _Call(
                "GET",
                f"/api/render/proxy/lambda/{job_id}",
                idempotent=True,
                not_found="render",
                job_id=job_id,
            )
        )
        return RenderStatus.from_data(job_id, data)

    def cancel_render(self, job_id: str) -> None:
        """Ask the backend to stop a render."""
        self._call(
            _Call(
                "POST",
                f"/api/render/proxy/lambda/{job_id}/cancel",
                idempotent=True,
                not_found="render",
                job_id=job_id,
            )
        )

    def download_output(
        self,
        job: RenderStatus,
        dest: Path,
        on_progress: Callable[[DownloadProgress], None] | None = None,
    ) -> Path:
        """Download a completed render to ``dest`` (CDN without the token, else /download)."""
        from skillrt.runtime._download import download_render

        return download_render(self, job, Path(dest), on_progress)

    def open_authorized_stream(self, path: str, *, job_id: str | None = None) -> httpx.Response:
        """GET an API path as an open streamed response (200 or a redirect), for downloads."""
        call = _Call(
            "GET",
            path,
            idempotent=True,
            not_found="render",
            timeout=_download_timeout(),
            job_id=job_id,
        )
        return self._send(call, stream=True, raw=True)[0]


def _open_success(response: httpx.Response, *, raw: bool) -> bool:
    if raw:
        return response.status_code == 200 or bool(response.is_redirect)
    return response.status_code == 200 and _is_event_stream(response)


def _is_event_stream(response: httpx.Response) -> bool:
    content_type: str = response.headers.get("content-type", "")
    return content_type.lower().startswith("text/event-stream")


def _upload_timeout() -> httpx.Timeout:
    from skillrt.runtime._config import UPLOAD_WRITE_TIMEOUT

    # Answering an upload means probing the files: the read may take a while.
    return httpx.Timeout(
        connect=CONNECT_TIMEOUT,
        read=5 * READ_TIMEOUT,
        write=UPLOAD_WRITE_TIMEOUT,
        pool=CONNECT_TIMEOUT,
    )


def _download_timeout() -> httpx.Timeout:
    from skillrt.runtime._config import DOWNLOAD_READ_TIMEOUT

    return httpx.Timeout(
        connect=CONNECT_TIMEOUT,
        read=DOWNLOAD_READ_TIMEOUT,
        write=WRITE_TIMEOUT,
        pool=CONNECT_TIMEOUT,
    )
