"""Local state: tokens per API origin, one session per skill and origin, render jobs.

Each store is a :class:`typing.Protocol` with a default on disk under
:func:`~skillrt.runtime._config.skillrt_home` (``SKILLRT_HOME`` or the user data dir,
created mode 0700):

- :class:`FileCredentialStore`: ``credentials.json``, mode 0600 (narrowed again when found
  wider), replaced atomically, and a file lock (``credentials.lock``, 0600) that callers
  hold while they fetch a token so two processes never both ask the backend for one.
- :class:`SqliteSessionStore` and :class:`SqliteJobStore`: tables of ``state.db``. A render
  job is written before it is polled, so a process that dies never orphans it.

In-memory variants serve hosts that keep state elsewhere, and tests.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, closing, contextmanager
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Protocol

import filelock

from skillrt.errors import StoreError
from skillrt.log import get_logger
from skillrt.runtime._envelope import messages

__all__ = [
    "FINISHED_JOB_STATUSES",
    "LOCK_NOTICE_AFTER",
    "CredentialStore",
    "FileCredentialStore",
    "JobRecord",
    "JobStore",
    "MemoryCredentialStore",
    "MemoryJobStore",
    "MemorySessionStore",
    "SessionRecord",
    "SessionStore",
    "SqliteJobStore",
    "SqliteSessionStore",
    "StoredToken",
    "make_private",
    "private_dir",
    "process_alive",
]

#: A job in one of these states needs nothing more; any other is resumed.
FINISHED_JOB_STATUSES = frozenset({"delivered", "failed", "cancelled"})
_LOCK_TIMEOUT = 60.0
#: Seconds a process waits for the credentials lock before it says why it waits.
LOCK_NOTICE_AFTER = 1.0

_log = get_logger(__name__)


def _log_wait(sentence: str) -> None:
    _log.warning("credentials.lock_wait", message=sentence)


@dataclass(frozen=True)
class StoredToken:
    """A bearer token for one API origin (its value is never shown in a repr)."""

    token: str = field(repr=False)
    anonymous: bool = True
    obtained_at: float = field(default_factory=time.time)
    expires_at: float | None = None
    user_id: str | None = None


class CredentialStore(Protocol):
    """Tokens keyed by API origin."""

    def get(self, origin: str) -> StoredToken | None:
        """The token stored for ``origin``, if any."""

    def put(self, origin: str, token: StoredToken) -> None:
        """Store ``token`` for ``origin`` (replacing any other)."""

    def delete(self, origin: str) -> None:
        """Forget the token of ``origin``."""

    def locked(self, origin: str) -> AbstractContextManager[None]:
        """Hold this while checking for and fetching a token, across processes."""


class MemoryCredentialStore:
    """Tokens in memory, locked within the process only."""

    def __init__(self) -> None:
        self._tokens: dict[str, StoredToken] = {}
        self._lock = threading.RLock()

    def get(self, origin: str) -> StoredToken | None:
        """The token stored for ``origin``, if any."""
        with self._lock:
            return self._tokens.get(origin)

    def put(self, origin: str, token: StoredToken) -> None:
        """Store ``token`` for ``origin``."""
        with self._lock:
            self._tokens[origin] = token

    def delete(self, origin: str) -> None:
        """Forget the token of ``origin``."""
        with self._lock:
            self._tokens.pop(origin, None)

    def locked(self, origin: str) -> AbstractContextManager[None]:
        """A process-local lock."""
        return _hold(self._lock)


@contextmanager
def _hold(lock: threading.RLock) -> Iterator[None]:
    with lock:
        yield


def private_dir(path: Path) -> Path:
    """Make sure folder ``path`` exists; one skillrt creates is mode 0700 (tokens live there).

    A folder that already exists keeps its mode: it may be one the user chose to share.
    """
    if not path.is_dir():
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path, 0o700)  # mkdir's mode is narrowed by the umask, never widened
    return path


def make_private(path: Path) -> None:
    """Narrow ``path`` to mode 0600 when it is readable or writable by others."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, 0o600)
            _log.info("store.permissions_narrowed", path=str(path), mode=oct(mode))
    except FileNotFoundError:
        return
    except OSError as exc:  # a file we cannot chmod is still usable; say so in the log
        _log.warning("store.permissions_unchanged", path=str(path), error=type(exc).__name__)


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` exists; when that cannot be told, it is taken to."""
    if pid == os.getpid():
        return True
    if os.name != "posix" or pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process (EPERM): alive
        return True
    return True


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` with mode 0600, atomically (temp file, then rename)."""
    private_dir(path.parent)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o600)  # an umask or an older file must not widen it
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


class FileCredentialStore:
    """Tokens in one JSON file (mode 0600) guarded by a file lock (mode 0600 too).

    A process that waits for the lock longer than :data:`LOCK_NOTICE_AFTER` says why it
    waits (``on_wait``, by default a log warning): the holder may be waiting out a 429
    from the backend, which it records in ``credentials.ratelimited`` while it does.
    """

    def __init__(self, path: Path, *, on_wait: Callable[[str], None] | None = None) -> None:
        self.path = Path(path)
        self._lock = filelock.FileLock(
            str(self.path.with_suffix(".lock")),
            timeout=_LOCK_TIMEOUT,
            mode=0o600,
            thread_local=False,
        )
        self._marker = self.path.with_suffix(".ratelimited")
        self._on_wait = on_wait or _log_wait

    @classmethod
    def in_dir(cls, data_dir: Path) -> FileCredentialStore:
        """The default store in ``data_dir``."""
        return cls(Path(data_dir) / "credentials.json")

    def _read(self) -> dict[str, Any]:
        make_private(self.path)  # a copy or an editor may have widened it: tokens are secrets
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise StoreError(f"cannot read {self.path}: {exc.strerror}") from exc
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            # A damaged file costs one new anonymous token, not a broken tool.
            return {}
        return data if isinstance(data, dict) else {}

    def get(self, origin: str) -> StoredToken | None:
        """The token stored for ``origin``, if any."""
        entry = self._read().get(origin)
        if not isinstance(entry, dict) or not isinstance(entry.get("token"), str):
            return None
        known = {f.name for f in fields(StoredToken)}
        try:
            return StoredToken(**{k: v for k, v in entry.items() if k in known})
        except TypeError:
            return None

    def put(self, origin: str, token: StoredToken) -> None:
        """Store ``token`` for ``origin``."""
        with self.locked(origin):
            data = self._read()
            data[origin] = asdict(token)
            self._save(data)

    def delete(self, origin: str) -> None:
        """Forget the token of ``origin``."""
        with self.locked(origin):
            data = self._read()
            if data.pop(origin, None) is not None:
                self._save(data)

    def _save(self, data: dict[str, Any]) -> None:
        try:
            _write_private(self.path, json.dumps(data, indent=1, sort_keys=True))
        except OSError as exc:
            raise StoreError(f"cannot write {self.path}: {exc.strerror}") from exc

    def locked(self, origin: str) -> AbstractContextManager[None]:
        """The file lock (one for all origins: fetching a token is rare)."""
        return self._file_lock()

    @contextmanager
    def _file_lock(self) -> Iterator[None]:
        try:
            private_dir(self.path.parent)
        except OSError as exc:
            raise StoreError(f"cannot create {self.path.parent}: {exc.strerror}") from exc
        self._acquire()
        try:
            make_private(Path(self._lock.lock_file))
            yield
        finally:
            self._lock.release()

    def _acquire(self) -> None:
        """Take the lock; past a short wait, say why, and give up after the timeout."""
        started = time.monotonic()
        try:
            self._lock.acquire(timeout=min(LOCK_NOTICE_AFTER, _LOCK_TIMEOUT))
            return
        except filelock.Timeout:
            pass
        t = messages()
        limited = self._rate_limited_for()
        if limited is not None:
            self._on_wait(t.render("lock_wait_rate_limited", "en", seconds=round(limited)))
        else:
            self._on_wait(t.render("lock_wait", "en", path=str(self._lock.lock_file)))
        left = max(0.0, _LOCK_TIMEOUT - (time.monotonic() - started))
        try:
            self._lock.acquire(timeout=left)
        except filelock.Timeout as exc:
            name = "err_lock_rate_limited" if self._rate_limited_for() else "err_lock_held"
            raise StoreError(
                t.render(name, "en", path=str(self._lock.lock_file), seconds=round(_LOCK_TIMEOUT)),
                hint=t.render("hint_lock_held", "en"),
            ) from exc

    @contextmanager
    def rate_limited(self, seconds: float) -> Iterator[None]:
        """Record, while the lock holder waits out a 429, that it does and until when."""
        marker = {"pid": os.getpid(), "until": time.time() + seconds}
        try:
            _write_private(self._marker, json.dumps(marker))
        except OSError:
            _log.info("credentials.rate_limit_marker_unwritten")
        try:
            yield
        finally:
            self._marker.unlink(missing_ok=True)

    def _rate_limited_for(self) -> float | None:
        """Seconds the lock holder still waits out a 429, or ``None`` when it does not."""
        try:
            marker = json.loads(self._marker.read_text(encoding="utf-8"))
            pid, until = int(marker["pid"]), float(marker["until"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not process_alive(pid):  # killed while it waited: the marker is stale
            return None
        return max(0.0, until - time.time())


@dataclass(frozen=True)
class SessionRecord:
    """The backend session a skill's conversation continues on one API origin."""

    skill: str
    origin: str
    task_id: str
    session_id: str
    language: str = "en"
    created: float = field(default_factory=time.time)
    #: when a message was last sent on it (``None``: only when it was created)
    used: float | None = None

    @property
    def last_used(self) -> float:
        """When the conversation on this session last did something."""
        return self.used if self.used is not None else self.created


class SessionStore(Protocol):
    """One current session per (skill, origin)."""

    def get(self, skill: str, origin: str) -> SessionRecord | None:
        """The current session, if any."""

    def put(self, record: SessionRecord) -> None:
        """Make ``record`` the current session of its skill and origin."""

    def delete(self, skill: str, origin: str) -> None:
        """Forget the current session (the backend lost it)."""


@dataclass(frozen=True)
class JobRecord:
    """A render job as recorded before it is polled."""

    id: str
    session_id: str
    skill: str
    origin: str
    status: str = "pending"
    progress: int = 0
    output_url: str | None = None
    path: str | None = None
    task_id: str | None = None
    language: str = "en"
    error: str | None = None
    created: float = field(default_factory=time.time)
    updated: float = field(default_factory=time.time)
    #: fingerprint of the draft rendered (:func:`~skillrt.runtime._export.draft_fingerprint`)
    draft_hash: str | None = None
    #: bytes of the delivered MP4 (to tell a complete file from a damaged one later)
    size: int | None = None

    @property
    def finished(self) -> bool:
        """Nothing more to do for this job."""
        return self.status in FINISHED_JOB_STATUSES


class JobStore(Protocol):
    """Render jobs, newest first."""

    def add(self, job: JobRecord) -> None:
        """Record a new job."""

    def update(self, job_id: str, **changes: Any) -> JobRecord:
        """Change fields of a job (``updated`` is set); returns the new record."""

    def get(self, job_id: str) -> JobRecord | None:
        """One job."""

    def recent(self, limit: int = 50) -> list[JobRecord]:
        """The newest jobs first."""

    def unfinished(self) -> list[JobRecord]:
        """Jobs still to poll or to download, oldest first."""


class MemorySessionStore:
    """Sessions in memory."""

    def __init__(self) -> None:
        self._records: dict[tuple[str, str], SessionRecord] = {}

    def get(self, skill: str, origin: str) -> SessionRecord | None:
        """The current session, if any."""
        return self._records.get((skill, origin))

    def put(self, record: SessionRecord) -> None:
        """Make ``record`` current."""
        self._records[(record.skill, record.origin)] = record

    def delete(self, skill: str, origin: str) -> None:
        """Forget the current session."""
        self._records.pop((skill, origin), None)


class MemoryJobStore:
    """Render jobs in memory."""

    def __init__(self) -> None:
        self._jobs: dict[str, JobRecord] = {}
        self._lock = threading.Lock()

    def add(self, job: JobRecord) -> None:
        """Record a new job."""
        with self._lock:
            self._jobs[job.id] = job

    def update(self, job_id: str, **changes: Any) -> JobRecord:
        """Change fields of a job."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                raise StoreError(f"no render job {job_id!r}")
            job = replace(job, **changes, updated=time.time())
            self._jobs[job_id] = job
            return job

    def get(self, job_id: str) -> JobRecord | None:
        """One job."""
        return self._jobs.get(job_id)

    def recent(self, limit: int = 50) -> list[JobRecord]:
        """The newest jobs first."""
        return sorted(self._jobs.values(), key=lambda j: j.created, reverse=True)[:limit]

    def unfinished(self) -> list[JobRecord]:
        """Jobs still to poll or download, oldest first."""
        return sorted((j for j in self._jobs.values() if not j.finished), key=lambda j: j.created)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    skill TEXT NOT NULL, origin TEXT NOT NULL, task_id TEXT NOT NULL,
    session_id TEXT NOT NULL, language TEXT NOT NULL, created REAL NOT NULL, used REAL,
    PRIMARY KEY (skill, origin));
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY, session_id TEXT NOT NULL, skill TEXT NOT NULL, origin TEXT NOT NULL,
    status TEXT NOT NULL, progress INTEGER NOT NULL, output_url TEXT, path TEXT,
    task_id TEXT, language TEXT NOT NULL, error TEXT, created REAL NOT NULL,
    updated REAL NOT NULL, draft_hash TEXT, size INTEGER);
CREATE INDEX IF NOT EXISTS jobs_created ON jobs (created);
"""
#: Columns added after the first release: a ``state.db`` made before gets them on open.
_ADDED_JOB_COLUMNS = (("draft_hash", "TEXT"), ("size", "INTEGER"))


_ADDED_SESSION_COLUMNS = (("used", "REAL"),)


def _migrate(conn: sqlite3.Connection) -> None:
    for table, added in (("jobs", _ADDED_JOB_COLUMNS), ("sessions", _ADDED_SESSION_COLUMNS)):
        present = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        for name, kind in added:
            if name not in present:
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")


class _Database:
    """``state.db``: one short connection per operation, so nothing stays open."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._ready = False

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        try:
            private_dir(self.path.parent)
            with closing(sqlite3.connect(self.path, timeout=30.0)) as conn:
                conn.row_factory = sqlite3.Row
                if not self._ready:
                    conn.executescript(_SCHEMA)
                    _migrate(conn)
                    os.chmod(self.path, 0o600)
                    self._ready = True
                with conn:
                    yield conn
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot use {self.path}: {exc}") from exc


class SqliteSessionStore:
    """Sessions in the ``sessions`` table of ``state.db``."""

    def __init__(self, path: Path) -> None:
        self._db = _Database(path)

    @classmethod
    def in_dir(cls, data_dir: Path) -> SqliteSessionStore:
        """The default store in ``data_dir``."""
        return cls(Path(data_dir) / "state.db")

    def get(self, skill: str, origin: str) -> SessionRecord | None:
        """The current session, if any."""
        with self._db.connect() as conn:
            row = conn.execute(
                "SELECT * FROM sessions WHERE skill = ? AND origin = ?", (skill, origin)
            ).fetchone()
        return SessionRecord(**dict(row)) if row else None

    def put(self, record: SessionRecord) -> None:
        """Make ``record`` current."""
        values = asdict(record)
        with self._db.connect() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO sessions (skill, origin, task_id, session_id, language,"
                " created, used) VALUES (:skill, :origin, :task_id, :session_id, :language,"
                " :created, :used)",
                values,
            )

    def recent(self, origin: str | None = None) -> list[SessionRecord]:
        """Every current session (on ``origin``, or on any), most recently used first."""
        query = "SELECT * FROM sessions"
        if origin is not None:
            query += " WHERE origin = :origin"
        query += " ORDER BY COALESCE(used, created) DESC"
        with self._db.connect() as conn:
            rows = conn.execute(query, {"origin": origin}).fetchall()
        return [SessionRecord(**dict(row)) for row in rows]

    def delete(self, skill: str, origin: str) -> None:
        """Forget the current session."""
        with self._db.connect() as conn:
            conn.execute("DELETE FROM sessions WHERE skill = ? AND origin = ?", (skill, origin))


_JOB_FIELDS = tuple(f.name for f in fields(JobRecord))


class SqliteJobStore:
    """Render jobs in the ``jobs`` table of ``state.db``."""

    def __init__(self, path: Path) -> None:
        self._db = _Database(path)

    @classmethod
    def in_dir(cls, data_dir: Path) -> SqliteJobStore:
        """The default store in ``data_dir``."""
        return cls(Path(data_dir) / "state.db")

    def add(self, job: JobRecord) -> None:
        """Record a new job (committed before this returns)."""
        names = ", ".join(_JOB_FIELDS)
        marks = ", ".join(f":{name}" for name in _JOB_FIELDS)
        with self._db.connect() as conn:
            conn.execute(f"INSERT INTO jobs ({names}) VALUES ({marks})", asdict(job))  # noqa: S608

    def update(self, job_id: str, **changes: Any) -> JobRecord:
        """Change fields of a job."""
        unknown = set(changes) - set(_JOB_FIELDS) - {"updated"}
        if unknown or "id" in changes:
            raise StoreError(f"cannot change job fields {sorted(unknown | {'id'} & set(changes))}")
        changes["updated"] = time.time()
        assignments = ", ".join(f"{name} = :{name}" for name in changes)
        with self._db.connect() as conn:
            cursor = conn.execute(
                f"UPDATE jobs SET {assignments} WHERE id = :id",  # noqa: S608
                {**changes, "id": job_id},
            )
            if cursor.rowcount == 0:
                raise StoreError(f"no render job {job_id!r}")
            row = conn.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return JobRecord(**dict(row))

    def get(self, job_id: str) -> JobRecord | None:
        """One job."""
        with self._db.connect() as conn:
            row = conn.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return JobRecord(**dict(row)) if row else None

    def recent(self, limit: int = 50) -> list[JobRecord]:
        """The newest jobs first."""
        with self._db.connect() as conn:
            rows = conn.execute(
                "SELECT * FROM jobs ORDER BY created DESC LIMIT ?", (limit,)
            ).fetchall()
        return [JobRecord(**dict(row)) for row in rows]

    def unfinished(self) -> list[JobRecord]:
        """Jobs still to poll or download, oldest first."""
        marks = ", ".join("?" for _ in FINISHED_JOB_STATUSES)
        with self._db.connect() as conn:
            rows = conn.execute(
                f"SELECT * FROM jobs WHERE status NOT IN ({marks}) ORDER BY created",  # noqa: S608
                tuple(sorted(FINISHED_JOB_STATUSES)),
            ).fetchall()
        return [JobRecord(**dict(row)) for row in rows]
