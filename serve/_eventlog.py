"""Each message's events, recorded as they come, and read back by any number of streams.

A message's run appends every event to the :class:`EventLog`; an SSE response only tails
it. So a client that disconnects cancels nothing, and one that reconnects with
``Last-Event-ID`` reads on from there. Event ids are 1, 2, 3… per message (the SSE ``id:``).

:class:`SqliteEventLog` is the embedded default (``events.db`` under the data dir): readers
in the same process wake as soon as an event is appended and otherwise look again every
``poll`` seconds (a second process writing the same file). i14 adds one on Redis Streams.
:class:`ConversationLocks` lets one message run at a time per conversation.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Protocol

__all__ = [
    "ConversationLocks",
    "EventLog",
    "MemoryConversationLocks",
    "SqliteEventLog",
]


class EventLog(Protocol):
    """Append-only event lists, one per message."""

    async def append(self, message_id: str, data: str) -> int:
        """Add one event (JSON text) to the message's log; its id (1, 2, …)."""

    async def finish(self, message_id: str) -> None:
        """No more events will come for this message (readers stop after the last)."""

    def read(self, message_id: str, after: int = 0) -> AsyncIterator[tuple[int, str]]:
        """``(id, data)`` of the events after ``after``, waiting for more until finished."""

    async def exists(self, message_id: str) -> bool:
        """Whether the log knows this message (any event, or finished)."""


class ConversationLocks(Protocol):
    """One message at a time per conversation."""

    async def acquire(self, conversation_id: str, message_id: str) -> bool:
        """Take the conversation for ``message_id``; false when another message holds it."""

    async def release(self, conversation_id: str, message_id: str) -> None:
        """Give it back (only the holder's release counts)."""


class MemoryConversationLocks:
    """Locks within this process (one worker)."""

    def __init__(self) -> None:
        self._held: dict[str, str] = {}

    async def acquire(self, conversation_id: str, message_id: str) -> bool:
        """Take the conversation unless another message holds it."""
        if conversation_id in self._held:
            return False
        self._held[conversation_id] = message_id
        return True

    async def release(self, conversation_id: str, message_id: str) -> None:
        """Give it back."""
        if self._held.get(conversation_id) == message_id:
            del self._held[conversation_id]


_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    message_id TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL, at REAL NOT NULL,
    PRIMARY KEY (message_id, seq));
CREATE TABLE IF NOT EXISTS finished (message_id TEXT PRIMARY KEY, at REAL NOT NULL);
"""


class SqliteEventLog:
    """Event logs in one SQLite file; finished logs are kept ``retention`` seconds."""

    def __init__(self, path: Path, *, retention: float = 7 * 24 * 3600, poll: float = 0.5) -> None:
        self.path = path
        self.retention = retention
        self.poll = poll
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(path, timeout=30, check_same_thread=False)
        self._lock = threading.Lock()
        with self._lock, self._conn:
            self._conn.executescript(_SCHEMA)
        self._wakers: dict[str, asyncio.Event] = {}

    @classmethod
    def in_dir(cls, data_dir: Path, **options: float) -> SqliteEventLog:
        """The log in ``data_dir/events.db``."""
        return cls(data_dir / "events.db", **options)

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._conn.close()

    def _wake(self, message_id: str) -> None:
        waker = self._wakers.pop(message_id, None)
        if waker is not None:
            waker.set()

    async def append(self, message_id: str, data: str) -> int:
        """Add one event; its id."""
        with self._lock, self._conn:
            row = self._conn.execute(
                "SELECT COALESCE(MAX(seq), 0) FROM events WHERE message_id = ?", (message_id,)
            ).fetchone()
            seq = int(row[0]) + 1
            self._conn.execute(
                "INSERT INTO events VALUES (?, ?, ?, ?)", (message_id, seq, data, time.time())
            )
        self._wake(message_id)
        return seq

    async def finish(self, message_id: str) -> None:
        """Mark the message finished, and drop logs past their retention."""
        now = time.time()
        with self._lock, self._conn:
            self._conn.execute("INSERT OR REPLACE INTO finished VALUES (?, ?)", (message_id, now))
            old = [
                row[0]
                for row in self._conn.execute(
                    "SELECT message_id FROM finished WHERE at < ?", (now - self.retention,)
                )
            ]
            for stale in old:
                self._conn.execute("DELETE FROM events WHERE message_id = ?", (stale,))
                self._conn.execute("DELETE FROM finished WHERE message_id = ?", (stale,))
        self._wake(message_id)

    async def exists(self, message_id: str) -> bool:
        """Whether the log knows this message."""
        with self._lock:
            row = self._conn.execute(
                "SELECT 1 FROM events WHERE message_id = ? UNION "
                "SELECT 1 FROM finished WHERE message_id = ? LIMIT 1",
                (message_id, message_id),
            ).fetchone()
        return row is not None

    def _batch(self, message_id: str, after: int) -> tuple[list[tuple[int, str]], bool]:
        with self._lock:
            # Read "finished" first: an event appended after that read is still seen below,
            # and the next round (which sees finished) returns it before stopping.
            done = (
                self._conn.execute(
                    "SELECT 1 FROM finished WHERE message_id = ?", (message_id,)
                ).fetchone()
                is not None
            )
            rows = self._conn.execute(
                "SELECT seq, data FROM events WHERE message_id = ? AND seq > ? ORDER BY seq",
                (message_id, after),
            ).fetchall()
        return [(int(seq), str(data)) for seq, data in rows], done

    async def read(self, message_id: str, after: int = 0) -> AsyncIterator[tuple[int, str]]:
        """The events after ``after``, waiting for more until the message is finished."""
        while True:
            waker = self._wakers.setdefault(message_id, asyncio.Event())
            batch, done = self._batch(message_id, after)
            for seq, data in batch:
                after = seq
                yield seq, data
            if done and not batch:
                return
            if batch:
                continue
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(waker.wait(), timeout=self.poll)
