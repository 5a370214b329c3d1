"""What ``skillrt serve`` remembers: conversations, messages, files and jobs, by owner.

:class:`ServeStore` is the seam (i14 adds a Redis implementation); :class:`SqliteServeStore`
(``serve.db`` under the data dir) is the embedded default and :class:`MemoryServeStore`
serves tests and throw-away services. Every record belongs to one :class:`Owner` (API key
id, end user) and every lookup names the owner: another owner's id is simply not found.
Ids come from :func:`new_id` (``secrets.token_urlsafe``), so they cannot be guessed.
"""

from __future__ import annotations

import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal, Protocol

__all__ = [
    "ConversationRecord",
    "FileRecord",
    "JobLink",
    "MemoryServeStore",
    "MessageRecord",
    "MessageState",
    "Owner",
    "ServeStore",
    "SqliteServeStore",
    "new_id",
]

MessageState = Literal["running", "finished", "failed"]


def new_id(prefix: str) -> str:
    """An unguessable id (``prefix`` + 128 random bits, URL-safe)."""
    return f"{prefix}_{secrets.token_urlsafe(16)}"


@dataclass(frozen=True)
class Owner:
    """Who a record belongs to: the API key (by id, never the key) and the host's end user."""

    key_id: str
    user: str


@dataclass(frozen=True)
class ConversationRecord:
    """One conversation with one skill (one backend session once the first message ran)."""

    id: str
    skill: str
    owner: Owner
    created: float = field(default_factory=time.time)
    session_id: str | None = None


@dataclass(frozen=True)
class MessageRecord:
    """One user message and the run that answers it."""

    id: str
    conversation_id: str
    state: MessageState = "running"
    created: float = field(default_factory=time.time)


@dataclass(frozen=True)
class FileRecord:
    """A delivered file (an MP4) the service hands out at ``GET /v1/files/{id}``."""

    id: str
    owner: Owner
    conversation_id: str
    path: str
    name: str
    size: int
    media_type: str = "video/mp4"


@dataclass(frozen=True)
class JobLink:
    """Which owner (and conversation) a backend render job belongs to."""

    id: str
    owner: Owner
    conversation_id: str


class ServeStore(Protocol):
    """Conversations, messages, files and jobs; every read checks the owner."""

    def add_conversation(self, record: ConversationRecord) -> None:
        """Remember a new conversation."""

    def get_conversation(self, conversation_id: str, owner: Owner) -> ConversationRecord | None:
        """The owner's conversation ``conversation_id``, if any."""

    def set_session(self, conversation_id: str, session_id: str) -> None:
        """Record the backend session a conversation's first message created."""

    def latest_conversation(self, owner: Owner, skill: str) -> ConversationRecord | None:
        """The owner's newest conversation with ``skill`` (the OpenAI API's default)."""

    def add_message(self, record: MessageRecord) -> None:
        """Remember a new message (state ``running``)."""

    def get_message(self, message_id: str, conversation_id: str) -> MessageRecord | None:
        """Message ``message_id`` of conversation ``conversation_id``, if any."""

    def set_message_state(self, message_id: str, state: MessageState) -> None:
        """Mark a message finished or failed."""

    def messages(self, conversation_id: str) -> list[MessageRecord]:
        """A conversation's messages, oldest first."""

    def add_file(self, record: FileRecord) -> None:
        """Remember a delivered file."""

    def get_file(self, file_id: str, owner: Owner) -> FileRecord | None:
        """The owner's file ``file_id``, if any."""

    def add_job(self, link: JobLink) -> None:
        """Remember whose render job ``link.id`` is (idempotent)."""

    def get_job(self, job_id: str, owner: Owner) -> JobLink | None:
        """The owner's job ``job_id``, if any."""


class MemoryServeStore:
    """The records in memory (tests, a service that may forget everything on restart)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._conversations: dict[str, ConversationRecord] = {}
        self._messages: dict[str, MessageRecord] = {}
        self._files: dict[str, FileRecord] = {}
        self._jobs: dict[str, JobLink] = {}

    def add_conversation(self, record: ConversationRecord) -> None:
        """Remember a new conversation."""
        with self._lock:
            self._conversations[record.id] = record

    def get_conversation(self, conversation_id: str, owner: Owner) -> ConversationRecord | None:
        """The owner's conversation, if any."""
        with self._lock:
            found = self._conversations.get(conversation_id)
        return found if found is not None and found.owner == owner else None

    def set_session(self, conversation_id: str, session_id: str) -> None:
        """Record the backend session."""
        with self._lock:
            found = self._conversations.get(conversation_id)
            if found is not None:
                self._conversations[conversation_id] = replace(found, session_id=session_id)

    def latest_conversation(self, owner: Owner, skill: str) -> ConversationRecord | None:
        """The owner's newest conversation with ``skill``."""
        with self._lock:
            mine = [
                c for c in self._conversations.values() if c.owner == owner and c.skill == skill
            ]
        return max(mine, key=lambda c: c.created, default=None)

    def add_message(self, record: MessageRecord) -> None:
        """Remember a new message."""
        with self._lock:
            self._messages[record.id] = record

    def get_message(self, message_id: str, conversation_id: str) -> MessageRecord | None:
        """The message, if it belongs to the conversation."""
        with self._lock:
            found = self._messages.get(message_id)
        return found if found is not None and found.conversation_id == conversation_id else None

    def set_message_state(self, message_id: str, state: MessageState) -> None:
        """Mark a message finished or failed."""
        with self._lock:
            found = self._messages.get(message_id)
            if found is not None:
                self._messages[message_id] = replace(found, state=state)

    def messages(self, conversation_id: str) -> list[MessageRecord]:
        """A conversation's messages, oldest first."""
        with self._lock:
            mine = [m for m in self._messages.values() if m.conversation_id == conversation_id]
        return sorted(mine, key=lambda m: m.created)

    def add_file(self, record: FileRecord) -> None:
        """Remember a delivered file."""
        with self._lock:
            self._files[record.id] = record

    def get_file(self, file_id: str, owner: Owner) -> FileRecord | None:
        """The owner's file, if any."""
        with self._lock:
            found = self._files.get(file_id)
        return found if found is not None and found.owner == owner else None

    def add_job(self, link: JobLink) -> None:
        """Remember whose job it is."""
        with self._lock:
            self._jobs.setdefault(link.id, link)

    def get_job(self, job_id: str, owner: Owner) -> JobLink | None:
        """The owner's job, if any."""
        with self._lock:
            found = self._jobs.get(job_id)
        return found if found is not None and found.owner == owner else None


_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY, skill TEXT NOT NULL, key_id TEXT NOT NULL, user TEXT NOT NULL,
    created REAL NOT NULL, session_id TEXT);
CREATE INDEX IF NOT EXISTS conversations_owner ON conversations (key_id, user, skill);
CREATE TABLE IF NOT EXISTS messages (
    id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, state TEXT NOT NULL,
    created REAL NOT NULL);
CREATE INDEX IF NOT EXISTS messages_conversation ON messages (conversation_id);
CREATE TABLE IF NOT EXISTS files (
    id TEXT PRIMARY KEY, key_id TEXT NOT NULL, user TEXT NOT NULL,
    conversation_id TEXT NOT NULL, path TEXT NOT NULL, name TEXT NOT NULL,
    size INTEGER NOT NULL, media_type TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY, key_id TEXT NOT NULL, user TEXT NOT NULL,
    conversation_id TEXT NOT NULL);
"""


class SqliteServeStore:
    """The records in one SQLite file (``serve.db`` under the service's data dir)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            conn.executescript(_SCHEMA)

    @classmethod
    def in_dir(cls, data_dir: Path) -> SqliteServeStore:
        """The store in ``data_dir/serve.db``."""
        return cls(data_dir / "serve.db")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=30)) as conn, conn:
            yield conn

    def add_conversation(self, record: ConversationRecord) -> None:
        """Remember a new conversation."""
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO conversations VALUES (?, ?, ?, ?, ?, ?)",
                (record.id, record.skill, record.owner.key_id, record.owner.user,
                 record.created, record.session_id),
            )  # fmt: skip

    def get_conversation(self, conversation_id: str, owner: Owner) -> ConversationRecord | None:
        """The owner's conversation, if any."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT id, skill, created, session_id FROM conversations "
                "WHERE id = ? AND key_id = ? AND user = ?",
                (conversation_id, owner.key_id, owner.user),
            ).fetchone()
        return _conversation(row, owner)

    def set_session(self, conversation_id: str, session_id: str) -> None:
        """Record the backend session."""
        with self._connect() as conn:
            conn.execute(
                "UPDATE conversations SET session_id = ? WHERE id = ?",
                (session_id, conversation_id),
            )

    def latest_conversation(self, owner: Owner, skill: str) -> ConversationRecord | None:
        """The owner's newest conversation with ``skill``."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT id, skill, created, session_id FROM conversations "
                "WHERE key_id = ? AND user = ? AND skill = ? ORDER BY created DESC LIMIT 1",
                (owner.key_id, owner.user, skill),
            ).fetchone()
        return _conversation(row, owner)

    def add_message(self, record: MessageRecord) -> None:
        """Remember a new message."""
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO messages VALUES (?, ?, ?, ?)",
                (record.id, record.conversation_id, record.state, record.created),
            )

    def get_message(self, message_id: str, conversation_id: str) -> MessageRecord | None:
        """The message, if it belongs to the conversation."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT id, conversation_id, state, created FROM messages "
                "WHERE id = ? AND conversation_id = ?",
                (message_id, conversation_id),
            ).fetchone()
        return MessageRecord(*row) if row else None

    def set_message_state(self, message_id: str, state: MessageState) -> None:
        """Mark a message finished or failed."""
        with self._connect() as conn:
            conn.execute("UPDATE messages SET state = ? WHERE id = ?", (state, message_id))

    def messages(self, conversation_id: str) -> list[MessageRecord]:
        """A conversation's messages, oldest first."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT id, conversation_id, state, created FROM messages "
                "WHERE conversation_id = ? ORDER BY created",
                (conversation_id,),
            ).fetchall()
        return [MessageRecord(*row) for row in rows]

    def add_file(self, record: FileRecord) -> None:
        """Remember a delivered file."""
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (record.id, record.owner.key_id, record.owner.user, record.conversation_id,
                 record.path, record.name, record.size, record.media_type),
            )  # fmt: skip

    def get_file(self, file_id: str, owner: Owner) -> FileRecord | None:
        """The owner's file, if any."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT id, conversation_id, path, name, size, media_type FROM files "
                "WHERE id = ? AND key_id = ? AND user = ?",
                (file_id, owner.key_id, owner.user),
            ).fetchone()
        if row is None:
            return None
        return FileRecord(row[0], owner, row[1], row[2], row[3], row[4], row[5])

    def add_job(self, link: JobLink) -> None:
        """Remember whose job it is."""
        with self._connect() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO jobs VALUES (?, ?, ?, ?)",
                (link.id, link.owner.key_id, link.owner.user, link.conversation_id),
            )

    def get_job(self, job_id: str, owner: Owner) -> JobLink | None:
        """The owner's job, if any."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT conversation_id FROM jobs WHERE id = ? AND key_id = ? AND user = ?",
                (job_id, owner.key_id, owner.user),
            ).fetchone()
        return JobLink(job_id, owner, row[0]) if row else None


def _conversation(
    row: tuple[str, str, float, str | None] | None, owner: Owner
) -> ConversationRecord | None:
    if row is None:
        return None
    return ConversationRecord(
        id=row[0], skill=row[1], owner=owner, created=row[2], session_id=row[3]
    )
