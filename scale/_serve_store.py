"""``skillrt serve``'s records in Redis, shared by every worker (the ``ServeStore`` seam).

Each record is one JSON string, ``{prefix}rec:{kind}:{id}`` (kinds ``conv``, ``msg``,
``file``, ``job``); two sorted sets index them by time: ``{prefix}rec:latest:{digest}``
(an owner's conversations with one skill) and ``{prefix}rec:msgs:{conversation}``. Every
read checks the owner, as the SQLite store does. Updates of one record (session, state)
are a Lua read-modify-write, so two workers never lose each other's change.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from typing import Any

import redis

from skillrt.scale._connect import RedisTarget, redis_errors
from skillrt.scale._connection import RedisConnection
from skillrt.scale._events import RedisEventLog
from skillrt.scale._locks import RedisConversationLocks
from skillrt.scale._stores import RedisCredentialStore, RedisJobStore, RedisSessionStore
from skillrt.scale._watch import RenderWatch
from skillrt.serve import (
    ConversationRecord,
    FileRecord,
    JobLink,
    MessageRecord,
    MessageState,
    Owner,
    RuntimeStores,
    Stores,
)

__all__ = ["LOCK_TTL", "WATCH_TTL", "RedisServeStore", "redis_serve_stores"]

#: seconds a conversation stays locked after its worker stopped renewing (died)
LOCK_TTL = 30.0
#: seconds before a dead worker's render is taken over by another
WATCH_TTL = 15.0

# KEYS[1] record; ARGV[1] field, ARGV[2] JSON value: set one field if the record exists.
_SET_FIELD = """
local found = redis.call('GET', KEYS[1])
if not found then return 0 end
local record = cjson.decode(found)
record[ARGV[1]] = cjson.decode(ARGV[2])
redis.call('SET', KEYS[1], cjson.encode(record))
return 1
"""


def _owner(data: dict[str, Any]) -> Owner:
    return Owner(**data.pop("owner"))


class RedisServeStore:
    """Conversations, messages, files and jobs in Redis; every read checks the owner."""

    def __init__(self, client: redis.Redis, target: RedisTarget, *, prefix: str = "skillrt:"):
        self.client = client
        self.target = target
        self.prefix = prefix + "rec:"

    def _key(self, kind: str, record_id: str) -> str:
        return f"{self.prefix}{kind}:{record_id}"

    def _latest(self, owner: Owner, skill: str) -> str:
        digest = hashlib.sha256("\0".join((owner.key_id, owner.user, skill)).encode())
        return f"{self.prefix}latest:{digest.hexdigest()[:32]}"

    def _get(self, kind: str, record_id: str) -> dict[str, Any] | None:
        with redis_errors(self.target, f"reading a {kind} record"):
            found = self.client.get(self._key(kind, record_id))
        return None if found is None else dict(json.loads(str(found)))

    def _set_field(self, kind: str, record_id: str, name: str, value: object) -> None:
        with redis_errors(self.target, f"updating a {kind} record"):
            self.client.eval(_SET_FIELD, 1, self._key(kind, record_id), name, json.dumps(value))

    # -- conversations ---------------------------------------------------------------

    def add_conversation(self, record: ConversationRecord) -> None:
        """Remember a new conversation."""
        with redis_errors(self.target, "recording a conversation"):
            pipe = self.client.pipeline(transaction=True)
            pipe.set(self._key("conv", record.id), json.dumps(asdict(record)))
            pipe.zadd(self._latest(record.owner, record.skill), {record.id: record.created})
            pipe.execute()

    def get_conversation(self, conversation_id: str, owner: Owner) -> ConversationRecord | None:
        """The owner's conversation, if any."""
        data = self._get("conv", conversation_id)
        if data is None or _owner(data) != owner:
            return None
        return ConversationRecord(owner=owner, **data)

    def set_session(self, conversation_id: str, session_id: str) -> None:
        """Record the backend session."""
        self._set_field("conv", conversation_id, "session_id", session_id)

    def latest_conversation(self, owner: Owner, skill: str) -> ConversationRecord | None:
        """The owner's newest conversation with ``skill``."""
        with redis_errors(self.target, "looking up a conversation"):
            newest = self.client.zrange(self._latest(owner, skill), -1, -1)
        ids = [str(found) for found in newest]
        return self.get_conversation(ids[0], owner) if ids else None

    # -- messages --------------------------------------------------------------------

    def add_message(self, record: MessageRecord) -> None:
        """Remember a new message."""
        with redis_errors(self.target, "recording a message"):
            pipe = self.client.pipeline(transaction=True)
            pipe.set(self._key("msg", record.id), json.dumps(asdict(record)))
            pipe.zadd(f"{self.prefix}msgs:{record.conversation_id}", {record.id: record.created})
            pipe.execute()

    def get_message(self, message_id: str, conversation_id: str) -> MessageRecord | None:
        """The message, if it belongs to the conversation."""
        data = self._get("msg", message_id)
        if data is None or data["conversation_id"] != conversation_id:
            return None
        return MessageRecord(**data)

    def set_message_state(self, message_id: str, state: MessageState) -> None:
        """Mark a message finished or failed."""
        self._set_field("msg", message_id, "state", state)

    def messages(self, conversation_id: str) -> list[MessageRecord]:
        """A conversation's messages, oldest first."""
        with redis_errors(self.target, "listing messages"):
            ids = self.client.zrange(f"{self.prefix}msgs:{conversation_id}", 0, -1)
        found = [self.get_message(str(i), conversation_id) for i in ids]
        return [message for message in found if message is not None]

    # -- files and jobs --------------------------------------------------------------

    def add_file(self, record: FileRecord) -> None:
        """Remember a delivered file."""
        with redis_errors(self.target, "recording a file"):
            self.client.set(self._key("file", record.id), json.dumps(asdict(record)))

    def get_file(self, file_id: str, owner: Owner) -> FileRecord | None:
        """The owner's file, if any."""
        data = self._get("file", file_id)
        if data is None or _owner(data) != owner:
            return None
        return FileRecord(owner=owner, **data)

    def add_job(self, link: JobLink) -> None:
        """Remember whose render job ``link.id`` is (idempotent)."""
        with redis_errors(self.target, "recording a job"):
            self.client.set(self._key("job", link.id), json.dumps(asdict(link)), nx=True)

    def get_job(self, job_id: str, owner: Owner) -> JobLink | None:
        """The owner's job, if any."""
        data = self._get("job", job_id)
        if data is None or _owner(data) != owner:
            return None
        return JobLink(owner=owner, **data)


def redis_serve_stores(
    url: str,
    *,
    retention: float,
    prefix: str = "skillrt:",
    lock_ttl: float = LOCK_TTL,
    watch_ttl: float = WATCH_TTL,
) -> Stores:
    """The three seams of ``skillrt serve`` on the Redis at ``url`` (``--store``)."""
    from skillrt.scale._takeover import RenderTakeover

    target = RedisTarget(url)
    client = target.client()
    takeover = RenderTakeover(RenderWatch(client, target, prefix=prefix, ttl=watch_ttl))
    # The runtime's stores too, so any worker continues any conversation: one token per
    # end user (fetched under a Redis lock, so two workers never both ask for one), and
    # each conversation's backend session and render jobs.
    connection = RedisConnection.from_url(url, prefix=f"{prefix.rstrip(':')}:rt")

    def runtime(user: str, conversation: str) -> RuntimeStores:
        return RuntimeStores(
            credentials=RedisCredentialStore(connection, namespace=user),
            sessions=RedisSessionStore(connection, namespace=f"{user}:{conversation}"),
            jobs=RedisJobStore(connection, namespace=f"{user}:{conversation}"),
        )

    return Stores(
        store=RedisServeStore(target.sync_client(), target, prefix=prefix),
        events=RedisEventLog(client, target, prefix=prefix, retention=retention),
        locks=RedisConversationLocks(client, target, prefix=prefix, ttl=lock_ttl),
        background=takeover.run,
        runtime=runtime,
        # Other workers run messages on these stores: a "running" message may be theirs.
        shared=True,
    )
